package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.ReplayGuard;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.testing.http.RawRequest;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Over real HTTP on Jetty: each outcome the filter can reach moves exactly one, the right, listener call. */
class VerificationListenerJettyTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    private static final String SCHEME = "wealthkernel-2022";

    static final class Ok extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getInputStream().readAllBytes();
            response.setStatus(200);
        }
    }

    private static EmbeddedJetty start(WebhookVerifier verifier, RecordingListener listener) throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).maxBodyBytes(64)
                .listener(listener).build();
        return EmbeddedJetty.start(context -> register(context, context.addFilter("orders", filter)));
    }

    private static void register(ServletContext context, FilterRegistration.Dynamic registration) {
        registration.addMappingForUrlPatterns(null, false, "/webhooks/*");
        context.addServlet("handler", new Ok()).addMapping("/webhooks/*");
    }

    private static RawRequest post(byte[] body, String... signatures) {
        RawRequest request = RawRequest.post("/webhooks/").body(body);
        for (String signature : signatures) {
            request.header("X-Webhook-Signature", signature);
        }
        return request;
    }

    private static String rejected(String reason) {
        return "rejected orders " + SCHEME + " " + reason;
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("verified orders " + SCHEME, 200, post(SIMPLE_BODY, header(SIMPLE_A))),
                Arguments.of(rejected("MISSING_HEADER"), 401, post(SIMPLE_BODY)),
                Arguments.of(rejected("MALFORMED_HEADER"), 401, post(SIMPLE_BODY, "t=1700000000")),
                Arguments.of(rejected("MALFORMED_HEADER"), 401, post(SIMPLE_BODY, header(SIMPLE_A), header(SIMPLE_A))),
                Arguments.of(rejected("STALE_TIMESTAMP"), 401, post(SIMPLE_BODY, "t=1600000000,v1=" + SIMPLE_A)),
                Arguments.of(rejected("FUTURE_TIMESTAMP"), 401, post(SIMPLE_BODY, "t=1800000000,v1=" + SIMPLE_A)),
                Arguments.of(rejected("NO_MATCHING_SIGNATURE"), 401, post(SIMPLE_BODY, header(SIMPLE_B))),
                Arguments.of(rejected("BODY_TOO_LARGE"), 413, post(new byte[65], header(SIMPLE_A))),
                Arguments.of(rejected("BODY_TOO_LARGE"), 413, post(new byte[65], header(SIMPLE_A)).chunked(8192)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("outcomes")
    void eachOutcomeIsReportedOnce(String call, int status, RawRequest request) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (EmbeddedJetty jetty = start(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build(), listener)) {
            assertEquals(status, jetty.send(request).status());
        }
        assertEquals(List.of(call), listener.calls());
    }

    @Test
    void aRefusedQueryStringIsReported() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build())
                .rejectQueryStrings().listener(listener).build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, context.addFilter("orders", filter)))) {
            assertEquals(400, jetty.post("/webhooks/?amount=999999", header(SIMPLE_A), SIMPLE_BODY).status());
        }
        assertEquals(List.of(rejected("QUERY_STRING")), listener.calls());
    }

    @Test
    void aReplayIsReportedAsReplayed() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                .replayGuard(new InMemoryReplayGuard(10, AT_T)).build();
        try (EmbeddedJetty jetty = start(verifier, listener)) {
            assertEquals(200, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
            assertEquals(401, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
        }
        assertEquals(List.of("verified orders " + SCHEME, "rejected orders " + SCHEME + " REPLAYED"), listener.calls());
    }

    @Test
    void anUnavailableReplayCheckIsReported() throws Exception {
        RecordingListener listener = new RecordingListener();
        ReplayGuard unavailable = VerificationListenerTest.unavailable();
        try (EmbeddedJetty jetty = start(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                .replayGuard(unavailable).build(), listener)) {
            assertEquals(503, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
        }
        assertEquals(List.of("rejected orders " + SCHEME + " REPLAY_CHECK_UNAVAILABLE"), listener.calls());
    }

    @Test
    void aBodyCutShortIsReportedAsIncomplete() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (EmbeddedJetty jetty = start(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build(), listener);
             Socket socket = new Socket("127.0.0.1", jetty.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\n"
                    + "X-Webhook-Signature: " + header(SIMPLE_A) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(SIMPLE_BODY);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
        }
        assertEquals(List.of("rejected orders " + SCHEME + " BODY_INCOMPLETE"), listener.calls());
    }

    @Test
    void theInitParamListenerIsMadeAndTold() throws Exception {
        RecordingListener.lastMade = null;
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
            FilterRegistration.Dynamic registration = context.addFilter("payments", WebhookSignatureFilter.class);
            registration.setInitParameter("secrets", SECRET_A);
            registration.setInitParameter("listener", RecordingListener.class.getName());
            register(context, registration);
        })) {
            assertEquals(401, jetty.post("/webhooks/", null, SIMPLE_BODY).status());
            assertEquals(401, jetty.post("/webhooks/", "t=1,v1=" + SIMPLE_A, SIMPLE_BODY).status());
        }
        assertEquals(List.of("rejected payments " + SCHEME + " MISSING_HEADER",
                "rejected payments " + SCHEME + " STALE_TIMESTAMP"), RecordingListener.lastMade.calls());
    }
}
