package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * Produces {@code X-Webhook-Signature} values, as the sending platform does: for tests, local
 * development and senders written in Java. With several secrets the header carries one {@code v1}
 * per secret, in order, as a platform does while a secret rotates.
 *
 * <pre>{@code
 * String header = WebhookSigner.of(secret).sign(body);   // "t=1700000000,v1=..."
 * }</pre>
 *
 * <p>Immutable and thread-safe. Its {@code toString} never shows a secret.
 */
public final class WebhookSigner {

    private final MacPool[] keys;
    private final Clock clock;

    private WebhookSigner(MacPool[] keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * A signer for the given secrets (each keyed as its UTF-8 bytes) that timestamps with the system clock.
     *
     * @param secrets one or more secrets; the header carries one {@code v1} per secret, in order
     * @return the signer, immutable and thread-safe
     * @throws IllegalArgumentException if no secret is given, or one is null or empty
     */
    public static WebhookSigner of(String... secrets) {
        if (secrets == null || secrets.length == 0) {
            throw new IllegalArgumentException("a webhook signer needs at least one secret");
        }
        MacPool[] keys = new MacPool[secrets.length];
        for (int i = 0; i < secrets.length; i++) {
            if (secrets[i] == null || secrets[i].isEmpty()) {
                throw new IllegalArgumentException("a webhook secret must not be null or empty");
            }
            keys[i] = new MacPool(secrets[i].getBytes(StandardCharsets.UTF_8));
        }
        return new WebhookSigner(keys, Clock.systemUTC());
    }

    /**
     * This signer with another clock for {@link #sign(byte[])}.
     *
     * @param clock says what "now" is
     * @return a signer with the same secrets
     */
    public WebhookSigner withClock(Clock clock) {
        return new WebhookSigner(keys, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Signs {@code body} with the current time: {@code t=<now>,v1=<base64>[,v1=...]}.
     *
     * @param body the exact bytes to be sent
     * @return the header's value
     */
    public String sign(byte[] body) {
        return sign(body, Math.floorDiv(clock.millis(), 1000L));
    }

    /**
     * Signs {@code body} as sent at {@code timestamp}.
     *
     * @param body the exact bytes to be sent
     * @param timestamp the Unix second the header names as {@code t}
     * @return the header's value
     * @throws IllegalArgumentException if {@code timestamp} is not positive
     */
    public String sign(byte[] body, long timestamp) {
        if (timestamp <= 0) {
            throw new IllegalArgumentException("the timestamp must be positive Unix seconds");
        }
        String t = Long.toString(timestamp);
        byte[] tBytes = t.getBytes(StandardCharsets.US_ASCII);
        byte[] mac = new byte[SignatureHeader.SIGNATURE_BYTES];
        StringBuilder header = new StringBuilder(4 + t.length() + 48 * keys.length).append("t=").append(t);
        for (MacPool key : keys) {
            key.compute(body, 0, body.length, tBytes, mac);
            header.append(",v1=").append(Base64.getEncoder().encodeToString(mac));
        }
        return header.toString();
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + keys.length + " secret" + (keys.length == 1 ? "" : "s") + "]";
    }
}
