package dev.webhookfilter;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Produces the signature headers of a {@link Scheme}, as the sender does: for tests, local
 * development, the command line and senders written in Java. With several secrets a list header
 * carries one signature per secret, in order, as a sender does while a secret rotates.
 *
 * <pre>{@code
 * String header = WebhookSigner.of(secret).sign(body);   // "t=1700000000,v1=..."
 * Map<String, String> headers = WebhookSigner.of(Scheme.named("standard-webhooks"), secret).headers(body);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Its {@code toString} never shows a secret.
 */
public final class WebhookSigner {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] NO_SIGNATURES = new byte[0];

    private final Scheme scheme;
    private final MacPool[] keys;
    private final Clock clock;

    private WebhookSigner(Scheme scheme, MacPool[] keys, Clock clock) {
        this.scheme = scheme;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * A {@code wealthkernel-2022} signer for the given secrets (each keyed as its UTF-8 bytes) that
     * timestamps with the system clock.
     *
     * @param secrets one or more secrets; the header carries one {@code v1} per secret, in order
     * @return the signer, immutable and thread-safe
     * @throws IllegalArgumentException if no secret is given, or one is null, empty or looks like a reference
     *         or a placeholder ({@code env:NAME}, {@code ${NAME}}), as {@link WebhookVerifier.Builder#build()} refuses
     */
    public static WebhookSigner of(String... secrets) {
        return of(Scheme.defaultScheme(), secrets);
    }

    /**
     * A signer of {@code scheme} for the given secrets, each as the sender shows it (keyed as the
     * scheme says), that timestamps with the system clock.
     *
     * @param scheme the scheme to sign by
     * @param secrets one or more secrets; several only where the scheme's header carries several signatures
     * @return the signer, immutable and thread-safe
     * @throws IllegalArgumentException if no secret is given, one is null, empty, not what the scheme
     *         takes (such as base64) or looks like a reference or a placeholder ({@code env:NAME},
     *         {@code ${NAME}}), or several are given to a scheme with one signature per header
     */
    public static WebhookSigner of(Scheme scheme, String... secrets) {
        Objects.requireNonNull(scheme, "scheme");
        if (secrets == null || secrets.length == 0) {
            throw new IllegalArgumentException("a webhook signer needs at least one secret");
        }
        if (secrets.length > scheme.maxSignatures) {
            throw new IllegalArgumentException("scheme " + scheme.name() + " carries at most " + scheme.maxSignatures
                    + " signature" + (scheme.maxSignatures == 1 ? "" : "s") + " per request; give fewer secrets");
        }
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("a webhook secret must not be null or empty");
            }
        }
        return new WebhookSigner(scheme, WebhookVerifier.keys(scheme, Arrays.asList(secrets)), Clock.systemUTC());
    }

    /**
     * This signer with another clock for {@link #sign(byte[])} and {@link #headers(byte[])}.
     *
     * @param clock says what "now" is
     * @return a signer with the same scheme and secrets
     */
    public WebhookSigner withClock(Clock clock) {
        return new WebhookSigner(scheme, keys, Objects.requireNonNull(clock, "clock"));
    }

    /** {@return the scheme this signer signs by} */
    public Scheme scheme() {
        return scheme;
    }

    /**
     * Signs {@code body} with the current time: the signature header's value, such as
     * {@code t=<now>,v1=<base64>[,v1=...]}.
     *
     * @param body the exact bytes to be sent
     * @return the signature header's value
     * @throws IllegalStateException if the scheme signs a message id: use {@link #headers(byte[])}
     */
    public String sign(byte[] body) {
        return sign(body, now());
    }

    /**
     * Signs {@code body} as sent at {@code timestamp}: the signature header's value. For a scheme with
     * a separate timestamp header ({@code slack}) that header must carry the same {@code timestamp};
     * for a scheme without a timestamp it is not signed.
     *
     * @param body the exact bytes to be sent
     * @param timestamp the Unix second the header names as {@code t}
     * @return the signature header's value
     * @throws IllegalArgumentException if {@code timestamp} is not positive
     * @throws IllegalStateException if the scheme signs a message id: use {@link #headers(byte[], long, String)}
     */
    public String sign(byte[] body, long timestamp) {
        if (!scheme.idHeaders.isEmpty()) {
            throw new IllegalStateException("scheme " + scheme.name() + " signs a message id; use headers(...)");
        }
        return signature(Body.of(body, 0, body.length), timestamp, null);
    }

    /**
     * Every header the scheme needs, for {@code body} sent now; a scheme with a message id gets a
     * random one ({@code msg_} and 24 hex digits).
     *
     * @param body the exact bytes to be sent
     * @return header names and values, the signature header first; unmodifiable
     */
    public Map<String, String> headers(byte[] body) {
        return headers(body, now(), scheme.idHeaders.isEmpty() ? null : randomId());
    }

    /**
     * Every header the scheme needs, for {@code body} sent at {@code timestamp} with message id {@code id}.
     *
     * @param body the exact bytes to be sent
     * @param timestamp the Unix second to sign (ignored by a scheme without a timestamp; must still be positive)
     * @param id the message id, for a scheme that signs one (1 to 256 visible ASCII characters other than
     *        {@code .}); ignored, and may be null, otherwise
     * @return header names and values, the signature header first; unmodifiable
     * @throws IllegalArgumentException if {@code timestamp} is not positive, or the scheme signs an id and
     *         {@code id} is not one
     */
    public Map<String, String> headers(byte[] body, long timestamp, String id) {
        return headers(Body.of(body, 0, body.length), timestamp, id);
    }

    /**
     * As {@link #headers(byte[], long, String)}, for a body read into arrays one after another, as a sender that
     * reads it from a stream of unknown length holds it: the body is the first {@code length} bytes of
     * {@code chunks[0]}, {@code chunks[1]}, ... in order, each array's bytes from its start; bytes past
     * {@code length}, and arrays past those that hold them, are not read. Nothing is copied or kept.
     *
     * @param chunks the arrays holding the body, in order
     * @param length how many bytes the body has
     * @param timestamp the Unix second to sign (ignored by a scheme without a timestamp; must still be positive)
     * @param id the message id, for a scheme that signs one (1 to 256 visible ASCII characters other than
     *        {@code .}); ignored, and may be null, otherwise
     * @return header names and values, the signature header first; unmodifiable
     * @throws IllegalArgumentException if {@code timestamp} is not positive, or the scheme signs an id and
     *         {@code id} is not one
     * @throws IndexOutOfBoundsException if the arrays hold fewer than {@code length} bytes, or it is negative
     * @throws NullPointerException if {@code chunks} is null, or one of the arrays holding the body's bytes is
     */
    public Map<String, String> headers(byte[][] chunks, int length, long timestamp, String id) {
        return headers(Body.of(chunks, length), timestamp, id);
    }

    private Map<String, String> headers(Body body, long timestamp, String id) {
        String signedId = null;
        if (!scheme.idHeaders.isEmpty()) {
            if (id == null || id.isEmpty() || id.length() > SignatureHeader.MAX_ID_LENGTH
                    || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '.')) {
                throw new IllegalArgumentException("a message id is 1 to " + SignatureHeader.MAX_ID_LENGTH
                        + " visible ASCII characters other than '.'");
            }
            signedId = id;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(scheme.signatureHeader(), signature(body, timestamp, signedId));
        if (!scheme.timestampHeaders.isEmpty()) {
            headers.put(scheme.timestampHeaders.get(0), Long.toString(timestamp));
        }
        if (signedId != null) {
            headers.put(scheme.idHeaders.get(0), id);
        }
        return Collections.unmodifiableMap(headers);
    }

    /** Signs with every key; {@code id} is the message id to sign, or null for a scheme without one. */
    private String signature(Body body, long timestamp, String id) {
        if (timestamp <= 0) {
            throw new IllegalArgumentException("the timestamp must be positive Unix seconds");
        }
        String t = Long.toString(timestamp);
        HeaderCheck message = HeaderCheck.accepted(scheme, timestamp, t, 0, t.length(), id, 0,
                id == null ? 0 : id.length(), NO_SIGNATURES);
        StringBuilder header = new StringBuilder(80 * keys.length);
        if (scheme.layout == Scheme.Layout.PREFIXED) {
            byte[] mac = keys[0].compute(message.signed, message.bodyAt, body);
            return header.append(scheme.signatureLabel).append(encode(mac)).toString();
        }
        if (scheme.timestampLabel != null) {
            header.append(scheme.timestampLabel).append(scheme.pairSeparator).append(t);
        }
        for (MacPool key : keys) {
            byte[] mac = key.compute(message.signed, message.bodyAt, body);
            if (header.length() > 0) {
                header.append(scheme.elementSeparator);
            }
            header.append(scheme.signatureLabel).append(scheme.pairSeparator).append(encode(mac));
        }
        return header.toString();
    }

    private String encode(byte[] mac) {
        if (scheme.encoding == Scheme.Encoding.BASE64) {
            return Base64.getEncoder().encodeToString(mac);
        }
        char[] hex = new char[mac.length * 2];
        for (int i = 0; i < mac.length; i++) {
            hex[2 * i] = HEX[(mac[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[mac[i] & 0xf];
        }
        return new String(hex);
    }

    private long now() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    private static String randomId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        StringBuilder id = new StringBuilder("msg_");
        for (byte b : random) {
            id.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return id.toString();
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + (scheme.equals(Scheme.defaultScheme()) ? "" : scheme.name() + ", ") + keys.length + " secret" + (keys.length == 1 ? "" : "s") + "]";
    }
}
