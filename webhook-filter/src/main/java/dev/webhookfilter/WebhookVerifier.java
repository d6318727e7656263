package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies {@code X-Webhook-Signature} headers: {@code t=<unix-seconds>,v1=<base64>[,v1=...]}.
 *
 * <p>A request is genuine when some {@code v1} equals, compared in constant time, the base64 of
 * HMAC-SHA256 keyed with a configured secret's UTF-8 bytes over the raw body bytes followed by the
 * ASCII of {@code t} exactly as sent; it is fresh when {@code |now - t| <= tolerance}. See
 * {@code SignatureHeader} for the exact header grammar.
 *
 * <p>The work is split so that a server can refuse cheaply: {@link #checkHeader} parses the header
 * and checks the timestamp without the body; {@link #checkBody} then MACs the body.
 * {@link #verify} does both.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *         .secret(System.getenv("WEBHOOK_SECRET"))
 *         .build();
 * Verification result = verifier.verify(request.header("X-Webhook-Signature"), bodyBytes);
 * if (!result.isVerified()) {
 *     return status(401);   // result.rejection() and result.detail() say why, for your logs
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; build one and share it. It never logs, and its {@code toString}
 * never shows a secret.
 */
public final class WebhookVerifier {

    /** The name of the scheme this verifier checks, as {@link VerificationListener}s and metrics report it. */
    public static final String SCHEME = "wealthkernel-2022";
    /** The header that carries the signature unless configured otherwise. */
    public static final String DEFAULT_HEADER_NAME = "X-Webhook-Signature";
    /** How far the timestamp may be from now, either way, unless configured otherwise. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);
    /** The longest header accepted, in characters; a longer one is rejected before any parsing. */
    public static final int MAX_HEADER_LENGTH = SignatureHeader.MAX_LENGTH;
    /** The most {@code v1} values one header may carry. */
    public static final int MAX_SIGNATURES = SignatureHeader.MAX_SIGNATURES;

    private final MacPool[] keys;
    private final long toleranceSeconds;
    private final Clock clock;
    private final ReplayGuard replayGuard;

    private WebhookVerifier(Builder builder) {
        this.keys = new MacPool[builder.secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new MacPool(builder.secrets.get(i));
        }
        this.toleranceSeconds = builder.tolerance.getSeconds();
        this.clock = builder.clock;
        this.replayGuard = builder.replayGuard;
    }

    /**
     * Starts a builder: at least one secret is required; tolerance and clock have defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks everything that does not need the body: the header is present and well formed, and its
     * timestamp is within the tolerance of now. Bounded work; no MAC is computed.
     *
     * @param header the header value as received, or {@code null} when absent
     * @return a rejection ({@code MISSING_HEADER}, {@code MALFORMED_HEADER}, {@code STALE_TIMESTAMP},
     *         {@code FUTURE_TIMESTAMP}), or a header-accepted result to pass to {@link #checkBody}
     */
    public Verification checkHeader(CharSequence header) {
        Verification parsed = SignatureHeader.parse(header);
        if (parsed.isRejected()) {
            return parsed;
        }
        Verification stale = freshness(parsed.timestamp());
        return stale != null ? stale : parsed;
    }

    /** The rejection of a timestamp outside the tolerance of now, or null when it is fresh. */
    private Verification freshness(long timestamp) {
        long age = Math.floorDiv(clock.millis(), 1000L) - timestamp;
        if (age > toleranceSeconds) {
            return Verification.rejected(Rejection.STALE_TIMESTAMP, "the timestamp is " + age
                    + " seconds old; the tolerance is " + toleranceSeconds + " seconds", timestamp);
        }
        if (-age > toleranceSeconds) {
            return Verification.rejected(Rejection.FUTURE_TIMESTAMP, "the timestamp is " + -age
                    + " seconds in the future; the tolerance is " + toleranceSeconds + " seconds"
                    + (looksLikeMilliseconds(timestamp) ? "; t looks like milliseconds; senders send seconds" : ""),
                    timestamp);
        }
        return null;
    }

    private boolean looksLikeMilliseconds(long timestamp) {
        long now = Math.floorDiv(clock.millis(), 1000L);
        return Math.abs(Math.floorDiv(timestamp, 1000L) - now) <= toleranceSeconds;
    }

    /**
     * Completes a check begun by {@link #checkHeader}: computes the MAC of
     * {@code body[offset, offset + length) || t} under each secret in turn and compares it, in
     * constant time, with every {@code v1} of the header.
     *
     * <p>The timestamp's freshness is judged again once a signature matches, since the body may have
     * arrived long after the header: the decision holds at the moment it is made. With a
     * {@link ReplayGuard}, the signed message (not the signature, which differs per secret) is then
     * recorded until its timestamp can no longer pass that check, and one recorded before is refused
     * as {@code REPLAYED}.
     *
     * @param header a result of {@link #checkHeader} that was not rejected
     * @param body the request's raw body
     * @param offset where the body starts in {@code body}
     * @param length how many bytes it has
     * @return verified (with the matching secret's position), or {@code NO_MATCHING_SIGNATURE},
     *         {@code STALE_TIMESTAMP}, {@code FUTURE_TIMESTAMP}, {@code REPLAYED} or
     *         {@code REPLAY_CHECK_UNAVAILABLE}
     * @throws IllegalArgumentException if {@code header} is not an accepted result of {@code checkHeader}
     * @throws IndexOutOfBoundsException if the range lies outside {@code body}
     */
    public Verification checkBody(Verification header, byte[] body, int offset, int length) {
        if (!header.isHeaderAccepted()) {
            throw new IllegalArgumentException("checkBody takes a result of checkHeader that was not rejected");
        }
        Objects.checkFromIndexSize(offset, length, body.length);
        byte[] expected = new byte[SignatureHeader.SIGNATURE_BYTES];
        byte[][] signatures = header.signatures();
        for (int i = 0; i < keys.length; i++) {
            keys[i].compute(body, offset, length, header.timestampText(), expected);
            boolean match = false;
            for (byte[] signature : signatures) {
                match |= MessageDigest.isEqual(signature, expected);
            }
            if (match) {
                return matched(header, i, body, offset, length);
            }
        }
        return Verification.rejected(Rejection.NO_MATCHING_SIGNATURE, "none of the " + signatures.length
                + " v1 values matches the body and t under the " + keys.length + " configured secret"
                + (keys.length == 1 ? "" : "s"), header.timestamp());
    }

    private Verification matched(Verification header, int secretIndex, byte[] body, int offset, int length) {
        long timestamp = header.timestamp();
        Verification stale = freshness(timestamp);
        if (stale != null) {
            return stale;
        }
        byte[] replayKey = null;
        if (replayGuard != null) {
            replayKey = replayKey(header.timestampText(), body, offset, length);
            // Fresh means now <= t + tolerance; the guard keeps the key while now <= expiresAt.
            switch (replayGuard.record(replayKey, timestamp + toleranceSeconds)) {
                case FIRST_SEEN:
                    break;
                case REPLAYED:
                    return Verification.rejected(Rejection.REPLAYED,
                            "this signed message was accepted before, within the tolerance window", timestamp);
                default:
                    return Verification.rejected(Rejection.REPLAY_CHECK_UNAVAILABLE,
                            "the replay guard could not record the signed message", timestamp);
            }
        }
        return Verification.verified(timestamp, secretIndex, replayKey);
    }

    /**
     * The key replay protection records: SHA-256 of the signed parts, {@code len(t) || t || body} with
     * the length as 4 bytes big-endian. It does not depend on which secret or which {@code v1} matched,
     * so a message accepted once is refused under every other secret and signature.
     */
    static byte[] replayKey(byte[] timestampText, byte[] body, int offset, int length) {
        MessageDigest digest = sha256();
        int n = timestampText.length;
        digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        digest.update(timestampText);
        digest.update(body, offset, length);
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no SHA-256", e);
        }
    }

    /**
     * Tells the replay guard, if any, that the application did not process a verified request
     * (it failed), so that the sender's retry of the very same request is not refused as a replay.
     *
     * @param verified the result of {@link #checkBody} or {@link #verify} for that request
     * @throws IllegalArgumentException if {@code verified} is not a verified result
     */
    public void release(Verification verified) {
        if (!verified.isVerified()) {
            throw new IllegalArgumentException("release takes a verified result");
        }
        if (replayGuard != null) {
            replayGuard.forget(verified.replayKey());
        }
    }

    /**
     * {@link #checkHeader} then {@link #checkBody} over the whole of {@code body}.
     *
     * @param header the signature header's value, or {@code null} when absent
     * @param body the request's raw body
     * @return verified, or the first check that failed
     */
    public Verification verify(CharSequence header, byte[] body) {
        Verification checked = checkHeader(header);
        return checked.isRejected() ? checked : checkBody(checked, body, 0, body.length);
    }

    /** {@return how many secrets are configured} */
    public int secretCount() {
        return keys.length;
    }

    /** {@return the tolerance either side of now} */
    public Duration tolerance() {
        return Duration.ofSeconds(toleranceSeconds);
    }

    /** {@return whether a {@link ReplayGuard} refuses signatures seen before} */
    public boolean hasReplayProtection() {
        return replayGuard != null;
    }

    @Override
    public String toString() {
        return "WebhookVerifier[" + keys.length + " secret" + (keys.length == 1 ? "" : "s")
                + ", tolerance " + toleranceSeconds + " s"
                + (replayGuard == null ? "" : ", replay protection " + replayGuard) + "]";
    }

    /**
     * Configures a {@link WebhookVerifier}. Each method checks its argument at once and throws
     * with a message that says what is wrong; no message ever contains a secret. Not thread-safe.
     */
    public static final class Builder {

        private final List<byte[]> secrets = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();
        private ReplayGuard replayGuard;

        private Builder() {
        }

        /**
         * Adds a secret, keyed as its UTF-8 bytes. Add two while rotating: a request signed with
         * either verifies, and {@link Verification#secretIndex()} says which, in the order added.
         *
         * @param secret the secret as the platform shows it
         * @return this builder
         * @throws IllegalArgumentException if the secret is null or empty
         */
        public Builder secret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("a webhook secret must not be null or empty");
            }
            secrets.add(secret.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * Adds a secret given as raw key bytes, copied.
         *
         * @param secret the key bytes
         * @return this builder
         * @throws IllegalArgumentException if the secret is null or empty
         */
        public Builder secret(byte[] secret) {
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("a webhook secret must not be null or empty");
            }
            secrets.add(secret.clone());
            return this;
        }

        /**
         * Adds each secret in order, as {@link #secret(String)} does.
         *
         * @param secrets the secrets, for example from {@link Secrets#resolve(String)}
         * @return this builder
         */
        public Builder secrets(Iterable<String> secrets) {
            for (String secret : secrets) {
                secret(secret);
            }
            return this;
        }

        /**
         * Sets how far {@code t} may be from now, either way. Whole seconds; default 300.
         *
         * @param tolerance the largest difference accepted
         * @return this builder
         * @throws IllegalArgumentException unless at least one second
         */
        public Builder tolerance(Duration tolerance) {
            if (tolerance == null || tolerance.getSeconds() < 1) {
                throw new IllegalArgumentException("the tolerance must be at least one second");
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * Sets the clock that says what "now" is; tests pass a fixed one. Default: the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Refuses a signed message seen before within its lifetime, using {@code replayGuard} to remember
         * them (for one server, {@link InMemoryReplayGuard}). Off by default.
         *
         * @param replayGuard the store of accepted signatures
         * @return this builder
         */
        public Builder replayGuard(ReplayGuard replayGuard) {
            this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return the verifier, immutable and thread-safe
         * @throws IllegalStateException if no secret was added: a verifier without one would accept nothing
         */
        public WebhookVerifier build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("a webhook verifier needs at least one secret");
            }
            return new WebhookVerifier(this);
        }
    }
}
