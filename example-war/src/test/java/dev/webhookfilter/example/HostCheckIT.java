package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DNS-rebinding shape against the built WAR in embedded Jetty (issue 9, section 5): a page of
 * {@code evil.example}, whose name the attacker made resolve to 127.0.0.1, reads the example's page and
 * {@code /events} or posts to {@code /send-test-event} as a same-origin request, so the browser sends
 * {@code Host: evil.example}, {@code Sec-Fetch-Site: same-origin} and any header the page likes. The
 * webhook endpoint is not guarded: senders reach it through a tunnel, under the tunnel's name. Sent here
 * over a raw socket: {@link java.net.http.HttpClient} refuses to send a {@code Host} of the test's choosing.
 */
class HostCheckIT {

    @RegisterExtension
    final BuiltWar war = new BuiltWar();

    private RawResponse pressTheButton(String host) throws Exception {
        return RawConnection.exchange(war.port(), RawRequest.post("/send-test-event").host(host)
                .header("X-Example-Action", "send-test-event").header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "http://" + host).contentLength(0));
    }

    private RawResponse get(String path, String host) throws Exception {
        return RawConnection.exchange(war.port(), RawRequest.of("GET", path).host(host));
    }

    /** The id of a new event, delivered through the button from the loopback address. */
    private String anEventDelivered() throws Exception {
        RawResponse response = pressTheButton(war.host());
        assertEquals(200, response.status(), response.text());
        return Json.createReader(new StringReader(response.text())).readObject().getString("eventId");
    }

    private int eventsReceived() throws Exception {
        return war.events().getInt("total");
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = {"evil.example", "evil.example:%d", "localhost.evil.example:%d", "127.0.0.1.nip.io:%d"})
        void aHostThatIsNotTheLoopbackAddressItWasReachedOn(String host) throws Exception {
            RawResponse response = pressTheButton(String.format(host, war.port()));

            assertEquals(403, response.status(), response.text());
            assertTrue(response.text().contains("Host"), response.text());
            assertEquals(0, eventsReceived(), "the handler received no event");
        }

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1", "localhost", "127.0.0.1:1"})
        void theLoopbackNameWithAnotherPort(String host) throws Exception {
            RawResponse response = pressTheButton(host);

            assertEquals(403, response.status(), response.text());
            assertEquals(0, eventsReceived());
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/events"})
        void thePageAndTheEventsToAnotherName(String path) throws Exception {
            String eventId = anEventDelivered();

            for (String host : List.of("evil.example", "evil.example:" + war.port(), "127.0.0.1.nip.io:" + war.port())) {
                RawResponse response = get(path, host);

                assertEquals(403, response.status(), host + ": " + response.text());
                assertTrue(response.text().contains("Host"), response.text());
                assertFalse(response.text().contains(eventId), response.text());
            }
        }
    }

    @Nested
    class Accepted {

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1:%d", "localhost:%d", "LocalHost:%d"})
        void theLoopbackAddressAndPortItWasReachedOn(String host) throws Exception {
            RawResponse response = pressTheButton(String.format(host, war.port()));

            assertEquals(200, response.status(), response.text());
            assertTrue(response.text().contains("\"verified\":true"), response.text());
            assertEquals(1, eventsReceived());
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/events"})
        void thePageAndTheEventsOnTheLoopbackAddressAndPort(String path) throws Exception {
            String eventId = anEventDelivered();

            RawResponse response = get(path, "localhost:" + war.port());

            assertEquals(200, response.status(), response.text());
            assertTrue(response.text().contains(eventId), response.text());
        }

        /** README tells users to expose the app through a tunnel, whose name is the Host a sender's request carries. */
        @Test
        void aSignedEventUnderATunnelsName() throws Exception {
            byte[] body = "{\"eventId\":\"evt_tunnel\"}".getBytes(StandardCharsets.UTF_8);

            RawResponse response = RawConnection.exchange(war.port(), RawRequest.post("/webhooks/tunnel")
                    .host("abc123.ngrok-free.app").header("Content-Type", "application/json")
                    .header("X-Webhook-Signature", WebhookSigner.of(System.getenv("WEBHOOK_SECRET")).sign(body))
                    .body(body));

            assertEquals(200, response.status(), response.text());
            assertEquals(1, eventsReceived());
        }
    }
}
