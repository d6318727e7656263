package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DNS-rebinding shape against the built WAR in embedded Jetty (issue 9, section 5): a page of
 * {@code evil.example}, whose name the attacker made resolve to 127.0.0.1, posts to
 * {@code /send-test-event} as a same-origin request, so the browser sends {@code Host: evil.example},
 * {@code Sec-Fetch-Site: same-origin} and any header the page likes. Sent here over a raw socket:
 * {@link java.net.http.HttpClient} refuses to send a {@code Host} of the test's choosing.
 */
class SendTestEventHostIT {

    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = ExampleServer.start(Path.of(System.getProperty("example.war", "target/example-war.war")), 0);
        port = ExampleServer.port(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private RawResponse pressTheButton(String host) throws Exception {
        return RawConnection.exchange(port, RawRequest.post("/send-test-event").host(host)
                .header("X-Example-Action", "send-test-event").header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "http://" + host).contentLength(0));
    }

    private int eventsReceived() throws Exception {
        RawResponse events = RawConnection.exchange(port, RawRequest.of("GET", "/events").host("127.0.0.1:" + port));
        assertEquals(200, events.status(), events.text());
        JsonObject json = Json.createReader(new StringReader(events.text())).readObject();
        return json.getInt("total");
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = {"evil.example", "evil.example:%d", "localhost.evil.example:%d", "127.0.0.1.nip.io:%d"})
        void aHostThatIsNotTheLoopbackAddressItWasReachedOn(String host) throws Exception {
            RawResponse response = pressTheButton(String.format(host, port));

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
    }

    @Nested
    class Accepted {

        @ParameterizedTest
        @ValueSource(strings = {"127.0.0.1:%d", "localhost:%d", "LocalHost:%d"})
        void theLoopbackAddressAndPortItWasReachedOn(String host) throws Exception {
            RawResponse response = pressTheButton(String.format(host, port));

            assertEquals(200, response.status(), response.text());
            assertTrue(response.text().contains("\"verified\":true"), response.text());
            assertEquals(1, eventsReceived());
        }
    }
}
