package dev.webhookfilter.it;

import static dev.webhookfilter.it.Webhooks.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a sender sees over real HTTP: genuine events reach the handler byte for byte, forged or
 * late ones get 401 and never reach it, bodies over the 1 MiB cap get 413, and a refused request
 * whose body was read leaves the connection usable.
 */
public abstract class WebhookScenarios extends ContainerScenarios {

    /** The WAR's {@code maxBodyBytes}. */
    static final int CAP = 1024 * 1024;

    protected WebhookScenarios(Container container) {
        super(container);
    }

    @Test
    void runsInTheContainerThePomNames() {
        assertEquals(System.getProperty("it.expectedServer"), app.serverInfo());
    }

    @Test
    void deliversSignedJsonEventWithItsExactBytes() throws IOException {
        byte[] body = Webhooks.jsonEvent("evt_json_1");
        assertDeliveredOnce(Webhooks.signedPost(uniquePath("json"), body), body);
    }

    @Test
    void deliversBinaryBodyByteForByte() throws IOException {
        byte[] body = new byte[4096];
        new Random(42).nextBytes(body);
        byte[] crlf = "\r\nnot\rUTF-8\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(crlf, 0, body, 100, crlf.length);
        body[0] = (byte) 0xff;
        body[1] = (byte) 0xc3; // a broken UTF-8 sequence
        body[2] = 0x28;
        assertDeliveredOnce(RawRequest.post(uniquePath("binary"))
                .header("Content-Type", "application/octet-stream")
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .body(body), body);
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 1000, 65536})
    void deliversChunkedBody(int chunkSize) throws IOException {
        byte[] body = new byte[20_000];
        new Random(chunkSize).nextBytes(body);
        assertDeliveredOnce(RawRequest.post(uniquePath("chunked"))
                .header("Content-Type", "application/octet-stream")
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .body(body)
                .chunked(chunkSize), body);
    }

    /** While the platform rotates its secret, a header carries one v1 per secret; one match is enough. */
    @ParameterizedTest(name = "the matching v1 is {0}")
    @ValueSource(strings = {"first", "second"})
    void acceptsHeaderWhereOnlyOneOfTwoSignaturesMatches(String position) throws IOException {
        byte[] body = Webhooks.jsonEvent("evt_rotation_" + position);
        String other = "whsec_a_secret_the_server_does_not_have_77c1";
        WebhookSigner signer = "first".equals(position)
                ? WebhookSigner.of(Webhooks.secret(), other)
                : WebhookSigner.of(other, Webhooks.secret());
        String header = signer.sign(body);
        assertEquals(2, header.split("v1=").length - 1, header);
        assertDeliveredOnce(RawRequest.post(uniquePath("rotation")).header(Webhooks.HEADER, header).body(body), body);
    }

    @Test
    void acceptsRequestSignedByOpenssl() throws Exception {
        OpenSsl.require();
        byte[] body = OpensslVectors.BINARY.body();
        assertDeliveredOnce(RawRequest.post(uniquePath("openssl"))
                .header(Webhooks.HEADER, OpenSsl.sign(Webhooks.secret(), body, Webhooks.now()))
                .body(body), body);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Forgery.class)
    void refusesForgedOrLateRequestWithoutRunningTheHandler(Forgery forgery) throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_" + forgery.name().toLowerCase());
        assertHandlerNotRun(() -> {
            try (RawConnection connection = connect()) {
                RawResponse response = connection.exchange(forgery.request(uniquePath("forged"), body));
                assertEquals(401, response.status(), response::text);
                assertTrue(response.header("WWW-Authenticate").isPresent(), "WWW-Authenticate");
            }
        });
    }

    /** The example's page, served by the container's context-root mapping, lists both outcomes. */
    @Test
    void homePageListsTheDeliveredEventAndTheRefusedOne() throws IOException {
        String path = uniquePath("page");
        String eventId = "evt_" + path.substring("/webhooks/".length());
        byte[] body = Webhooks.jsonEvent(eventId);
        assertDeliveredOnce(Webhooks.signedPost(path, body), body);
        String refusedPath = uniquePath("page-refused");
        try (RawConnection connection = connect()) {
            assertEquals(401, connection.exchange(RawRequest.post(refusedPath).body(body)).status());
            RawResponse page = connection.exchange(RawRequest.of("GET", "/").host("127.0.0.1:" + app.port()));
            assertEquals(200, page.status(), page::text);
            assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"), page.toString());
            assertTrue(page.text().contains("data-event-id=\"" + eventId + "\""), "the event's row");
            assertTrue(page.text().contains(refusedPath + "</td><td class=\"bad\">401 <code>MISSING_HEADER</code>"),
                    "the refused request's row");
        }
    }

    @Test
    void refusesDeclaredBodyOverTheCapBeforeItArrives() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_too_large");
        RawRequest request = RawRequest.post(uniquePath("too-large"))
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .contentLength(CAP + 1);
        assertHandlerNotRun(() -> {
            try (RawConnection connection = connect()) {
                connection.send(request.head()); // the body would follow; the server must not wait for it
                RawResponse response = connection.read("POST");
                assertEquals(413, response.status(), response::text);
                assertTrue(response.announcesClose(), "Connection: close, as the body was never read");
            }
        });
    }

    @Test
    void refusesChunkedBodyOverTheCap() throws Exception {
        byte[] body = new byte[CAP + 10_000];
        Arrays.fill(body, (byte) 'x');
        RawRequest request = RawRequest.post(uniquePath("chunked-too-large"))
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .body(body)
                .chunked(8192);
        assertHandlerNotRun(() -> {
            try (RawConnection connection = connect()) {
                RawResponse response = connection.exchange(request);
                assertEquals(413, response.status(), response::text);
                assertTrue(response.announcesClose(), "Connection: close, as the rest of the body was never read");
            }
        });
    }

    @Test
    void keepsTheConnectionAfterRefusingARequestWhoseBodyItRead() throws IOException {
        byte[] body = Webhooks.jsonEvent("evt_keep_alive");
        try (RawConnection connection = connect()) {
            RawResponse refused = connection.exchange(Forgery.WRONG_SECRET.request(uniquePath("keep-alive"), body));
            assertEquals(401, refused.status());
            assertFalse(refused.announcesClose(), "Connection: close after a fully read body");
            assertFalse(connection.isClosedByServer(Duration.ofMillis(200)), "the server closed the connection");

            assertDelivered(body, connection.exchange(Webhooks.signedPost(uniquePath("keep-alive"), body)));
        }
    }
}
