package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs good and bad requests through a real container with every log level on, and checks that no
 * secret, no signature and no body ever reaches a log record, a response, an exception message or
 * a {@code toString()}.
 */
class SecretLeakTest {

    private static final String SECRET = "whsec_leak_test_secret_value_42";
    private static final String SHORT_SECRET = "Zq9xK";
    private static final String BODY_MARKER = "BODY-MARKER-7f3a";

    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest("dev.webhookfilter").level(Level.ALL);

    private static byte[] body(String text) {
        return ("{\"note\":\"" + BODY_MARKER + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nothingSecretReachesLogsResponsesOrToString() throws Exception {
        List<String> forbidden = new ArrayList<>(List.of(SECRET, SHORT_SECRET, BODY_MARKER,
                Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))));
        List<String> responses = new ArrayList<>();
        int rejections = 0;

        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .secrets(SECRET + ", " + SHORT_SECRET).replayProtection().replayCacheSize(100).maxBodyBytes(4096).build();
        HttpServlet handler = readsTheBody();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
            context.addFilter("webhookSignature", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
            context.addServlet("handler", handler).addMapping("/webhooks/*");
        })) {
            WebhookSigner signer = WebhookSigner.of(SECRET);
            long now = Clock.systemUTC().instant().getEpochSecond();

            byte[] genuine = body("genuine");
            String signed = signer.sign(genuine);
            forbidden.add(signed.substring(signed.indexOf("v1=") + 3));
            responses.add(expect(200, jetty.post("/webhooks/", signed, genuine)));
            responses.add(expect(401, jetty.post("/webhooks/", signed, genuine))); // replayed
            rejections++;

            byte[] other = body("tampered");
            String otherSigned = signer.sign(other);
            forbidden.add(otherSigned.substring(otherSigned.indexOf("v1=") + 3));
            Map<String, byte[]> bad = Map.of(
                    otherSigned, body("tampered!"),                                  // body changed
                    WebhookSigner.of("the wrong secret!").sign(other), other,         // wrong secret
                    signer.sign(other, now - 3600), other,                           // stale
                    signer.sign(other, now + 3600), other,                           // future
                    "t=0" + now + "," + otherSigned.substring(otherSigned.indexOf("v1=")), other, // leading zero
                    "v1=" + otherSigned.substring(otherSigned.indexOf("v1=") + 3), other,           // no t
                    otherSigned + ",v1=!" + otherSigned.substring(otherSigned.indexOf("v1=") + 4), other); // bad base64
            for (Map.Entry<String, byte[]> request : bad.entrySet()) {
                responses.add(expect(401, jetty.post("/webhooks/", request.getKey(), request.getValue())));
                rejections++;
            }
            responses.add(expect(401, jetty.post("/webhooks/", null, other)));
            rejections++;
            byte[] large = body("x".repeat(5000));
            responses.add(expect(413, jetty.post("/webhooks/", signer.sign(large), large)));
            rejections++;
        }

        String logged = logs.render();
        for (String value : forbidden) {
            assertFalse(logged.contains(value), "a log record contains a secret, signature or body");
            for (String response : responses) {
                assertFalse(response.contains(value), "a response contains a secret, signature or body");
            }
        }
        long rejectionLines = logs.countStartingWith("rejected");
        assertEquals(rejections, rejectionLines, "every rejection is logged at debug:\n" + logged);
        assertTrue(logged.contains("secret #2 gives a key shorter than 16 bytes"), "the short secret draws a warning:\n" + logged);

        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET)
                .replayGuard(new InMemoryReplayGuard(10, Clock.systemUTC())).build();
        List<Object> objects = List.of(verifier, WebhookSigner.of(SECRET, SHORT_SECRET), filter,
                verifier.verify(WebhookSigner.of(SECRET).sign(body("x")), body("x")),
                verifier.verify("t=1,v1=x", body("x")),
                FilterSettings.parse(List.of("secrets"), Map.of("secrets", SECRET)::get, name -> null));
        for (Object object : objects) {
            for (String value : forbidden) {
                assertFalse(object.toString().contains(value), object.getClass().getSimpleName() + ".toString() leaks");
            }
        }
    }

    /**
     * SECURITY.md: never a header value, a query string or an id a client sends, in a log line or a response.
     * Each value below is a marker no message of the filter's own could contain; every path that logs a
     * request runs: a refused query string, malformed and forged headers, de-duplication's missing, malformed
     * and repeated ids, and a request that reaches the handler.
     */
    @Test
    void nothingAClientSendsReachesLogsOrResponses() throws Exception {
        String query = "QUERY-MARKER-51c2";
        String header = "HEADER-MARKER-9d0e";
        String id = "ID-MARKER-3b7a";
        List<String> responses = new ArrayList<>();
        WebhookSignatureFilter strict = WebhookSignatureFilter.builder().secrets(SECRET).rejectQueryStrings()
                .deduplicate("Webhook-Id").replayProtection().replayCacheSize(100).build();
        WebhookSignatureFilter lenient = WebhookSignatureFilter.builder().secrets(SECRET).build();
        HttpServlet handler = readsTheBody();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
            context.addFilter("strict", strict).addMappingForUrlPatterns(null, false, "/strict/*");
            context.addFilter("lenient", lenient).addMappingForUrlPatterns(null, false, "/lenient/*");
            context.addServlet("handler", handler).addMapping("/strict/*", "/lenient/*");
        })) {
            WebhookSigner signer = WebhookSigner.of(SECRET);
            long now = Clock.systemUTC().instant().getEpochSecond();
            byte[] first = body("first");
            byte[] second = body("second");
            String signed = signer.sign(first);
            String forgedV1 = "t=" + now + ",v1=" + Base64.getEncoder().encodeToString(new byte[32]);

            responses.add(expect(400, jetty.send(RawRequest.post("/strict/?token=" + query)
                    .header("X-Webhook-Signature", signed).header("Webhook-Id", id).body(first))));
            responses.add(expect(401, jetty.send(RawRequest.post("/strict/;jsessionid=" + header)
                    .header("X-Webhook-Signature", "t=" + now + ",v1=" + header).header("Webhook-Id", id).body(first))));
            responses.add(expect(401, jetty.send(RawRequest.post("/strict/")
                    .header("X-Webhook-Signature", forgedV1 + ",v0=" + header).header("Webhook-Id", id).body(first))));
            responses.add(expect(400, jetty.send(RawRequest.post("/strict/")
                    .header("X-Webhook-Signature", signed).header("Webhook-Id", id + " " + header).body(first))));
            responses.add(expect(200, jetty.send(RawRequest.post("/strict/")
                    .header("X-Webhook-Signature", signed + ",v0=" + header).header("Webhook-Id", id).body(first))));
            RawResponse duplicate = jetty.send(RawRequest.post("/strict/")
                    .header("X-Webhook-Signature", signer.sign(second)).header("Webhook-Id", id).body(second));
            assertEquals("true", duplicate.header("Webhook-Duplicate").orElse(null), duplicate.headers().toString());
            responses.add(expect(200, duplicate));
            responses.add(expect(401, jetty.send(RawRequest.post("/lenient/?amount=" + query)
                    .header("X-Webhook-Signature", forgedV1 + ",v0=" + header).body(first))));
            responses.add(expect(200, jetty.send(RawRequest.post("/lenient/?amount=" + query)
                    .header("X-Webhook-Signature", signed).body(first))));
        }

        String logged = logs.render();
        assertEquals(5, logs.countStartingWith("rejected"), "every rejection is logged at debug:\n" + logged);
        assertEquals(1, logs.countStartingWith("duplicate"), "the duplicate is logged at debug:\n" + logged);
        for (String value : List.of(query, header, id)) {
            assertFalse(logged.contains(value), value + " in a log record:\n" + logged);
            for (String response : responses) {
                assertFalse(response.contains(value), value + " in a response:\n" + response);
            }
        }
    }

    @Test
    void configurationErrorsNameTheEntryNotTheSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                FilterSettings.parse(List.of("secrets", "maxBodyBytes"),
                        Map.of("secrets", SECRET + ",,env:MISSING_VARIABLE", "maxBodyBytes", SECRET)::get,
                        name -> null));
        assertTrue(e.getMessage().contains("entry 2 of 3 is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("maxBodyBytes: not a whole number"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    private static String expect(int status, RawResponse response) {
        assertEquals(status, response.status(), response.text());
        return response.headers() + "\n" + response.text();
    }

    /** A handler that reads the body and answers 200 with nothing. */
    private static HttpServlet readsTheBody() {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.getInputStream().readAllBytes();
            }
        };
    }
}
