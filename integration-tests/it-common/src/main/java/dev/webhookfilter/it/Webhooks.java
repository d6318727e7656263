package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signed requests to the example WAR and what it answers: {@code POST /webhooks/*} returns
 * {@code {"received":true,"bytes":N,"sha256":"<hex>"}}, {@code GET /events} returns
 * {@code {"total":N,...}}. Nothing else of the WAR is relied on.
 */
public final class Webhooks {

    public static final String HEADER = "X-Webhook-Signature";

    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final Pattern BYTES = Pattern.compile("\"bytes\"\\s*:\\s*(\\d+)");
    private static final Pattern SHA256 = Pattern.compile("\"sha256\"\\s*:\\s*\"([0-9a-f]{64})\"");

    private Webhooks() {
    }

    /** The secret the WAR verifies with: failsafe puts it in the environment as WEBHOOK_SECRET. */
    public static String secret() {
        String secret = System.getenv("WEBHOOK_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("WEBHOOK_SECRET is not set: run the ITs through Maven"
                    + " (mvn -B verify), whose failsafe configuration sets it");
        }
        return secret;
    }

    /** Signs as the platform does, with the WAR's secret and the current time. */
    public static WebhookSigner signer() {
        return WebhookSigner.of(secret());
    }

    /** Now, in Unix seconds. */
    public static long now() {
        return Instant.now().getEpochSecond();
    }

    /** A POST of {@code body} to {@code path}, signed now with the WAR's secret. */
    public static RawRequest signedPost(String path, byte[] body) {
        return RawRequest.post(path)
                .header("Content-Type", "application/json")
                .header(HEADER, signer().sign(body))
                .body(body);
    }

    /** A small JSON event in the platform's shape. */
    public static byte[] jsonEvent(String eventId) {
        return ("{\"eventId\":\"" + eventId + "\",\"eventType\":{\"name\":\"invoice.paid\"},"
                + "\"data\":{\"amount\":4200,\"currency\":\"EUR\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The same event padded with spaces, which JSON ignores, to {@code size} bytes. */
    public static byte[] jsonEvent(String eventId, int size) {
        byte[] json = jsonEvent(eventId);
        byte[] body = Arrays.copyOf(json, Math.max(size, json.length));
        Arrays.fill(body, json.length, body.length, (byte) ' ');
        return body;
    }

    /** SHA-256 as lower-case hex, computed here, independently of the WAR. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that the handler answered 200 having read exactly {@code sent}. */
    public static void assertDelivered(byte[] sent, RawResponse response) {
        assertEquals(200, response.status(), () -> "status of " + response + ": " + response.text());
        assertEquals(sent.length, Long.parseLong(find(BYTES, response.text())), "bytes the handler read");
        assertEquals(sha256(sent), find(SHA256, response.text()), "sha256 of what the handler read");
    }

    /** The WAR's count of events delivered to the handler since it started. */
    public static long eventsTotal(int port) {
        return eventsTotal(port, "");
    }

    /**
     * The count of the WAR deployed at {@code contextPath} ({@code ""} for the root). With {@code Host} the
     * address and port the WAR was reached on: its page and {@code /events} answer no other (DNS rebinding).
     */
    public static long eventsTotal(int port, String contextPath) {
        try (RawConnection connection = RawConnection.open(port)) {
            RawResponse response = connection.exchange(RawRequest.of("GET", contextPath + "/events")
                    .host("127.0.0.1:" + port));
            assertEquals(200, response.status(), () -> "GET " + contextPath + "/events");
            return Long.parseLong(find(TOTAL, response.text()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String find(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in " + json);
        }
        return matcher.group(1);
    }
}
