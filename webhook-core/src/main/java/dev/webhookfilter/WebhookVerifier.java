package dev.webhookfilter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies signed webhooks of one {@link Scheme}; by default {@code wealthkernel-2022}, whose
 * {@code X-Webhook-Signature} header reads {@code t=<unix-seconds>,v1=<base64>[,v1=...]}.
 *
 * <p>A request is genuine when one of its signatures equals, compared in constant time, the
 * HMAC-SHA256 of the scheme's signed message (for {@code wealthkernel-2022}: the raw body bytes
 * followed by the ASCII of {@code t} exactly as sent) under a configured secret's key; it is fresh
 * when {@code |now - t| <= tolerance}, for schemes that sign a timestamp. The body is fed to the MAC
 * as it is, never decoded or copied: it must not change until the call returns, as the MAC and the replay
 * key are both read from it.
 *
 * <p>The work is split so that a server can refuse cheaply: {@link #checkHeader} parses the header
 * and checks the timestamp without the body; {@link #checkBody} then MACs the body.
 * {@link #verify} does both. {@code checkBody} takes what a {@code checkHeader} of this verifier's scheme
 * accepted, and refuses a {@link HeaderCheck} read for another scheme, whose rules (one without a timestamp, say)
 * it would be judged by.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *         .secret(System.getenv("WEBHOOK_SECRET"))
 *         .build();
 * Verification result = verifier.verify(request.header("X-Webhook-Signature"), bodyBytes);
 * if (!result.isVerified()) {
 *     return status(401);   // result.rejection() and result.detail() say why, for your logs
 * }
 *
 * // Another sender's scheme, reading every header it needs (each must be present exactly once):
 * WebhookVerifier stripe = WebhookVerifier.builder()
 *         .scheme(Scheme.named("stripe"))
 *         .secret(System.getenv("STRIPE_WEBHOOK_SECRET"))
 *         .build();
 * Verification checked = stripe.verify(name -> request.headers(name), bodyBytes);
 * if (!checked.isVerified()) {
 *     return status(checked.rejection().status());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; build one and share it. It never logs, and its {@code toString}
 * never shows a secret.
 */
public final class WebhookVerifier {

    /** The longest header accepted, in characters; a longer one is rejected before any parsing. */
    public static final int MAX_HEADER_LENGTH = SignatureHeader.MAX_LENGTH;
    /** The most signatures one header may carry, in a scheme whose header carries several. */
    public static final int MAX_SIGNATURES = SignatureHeader.MAX_SIGNATURES;

    /** A time that is not one: the clock is to be read when it is needed. */
    private static final long NOT_READ = Long.MIN_VALUE;

    private final Scheme scheme;
    private final MacPool[] keys;
    private final long toleranceSeconds;
    private final Clock clock;
    private final ReplayGuard replayGuard;
    /** {@code len(name) || name}, the start of every replay key: schemes sharing a store never collide. */
    private final byte[] replayDomain;
    private final String signaturesNoun;
    private final String signedParts;

    private WebhookVerifier(Builder builder, MacPool[] keys) {
        this.scheme = builder.scheme;
        this.keys = keys;
        this.toleranceSeconds = (builder.tolerance != null ? builder.tolerance : scheme.defaultTolerance()).getSeconds();
        this.clock = builder.clock;
        this.replayGuard = builder.replayGuard;
        byte[] name = scheme.name().getBytes(StandardCharsets.US_ASCII);
        this.replayDomain = new byte[4 + name.length];
        putLength(replayDomain, name.length);
        System.arraycopy(name, 0, replayDomain, 4, name.length);
        this.signaturesNoun = scheme.layout == Scheme.Layout.PAIRS ? " " + scheme.signatureLabel + " values" : " signatures";
        List<String> parts = new ArrayList<>();
        for (Scheme.Part part : scheme.message) {
            if (part.variable != null) {
                parts.add(part.variable);
            }
        }
        String last = parts.remove(parts.size() - 1);
        this.signedParts = "the " + (parts.isEmpty() ? last : String.join(", ", parts) + " and " + last);
    }

    /** A copy of {@code other} that remembers accepted messages in {@code replayGuard}. */
    private WebhookVerifier(WebhookVerifier other, ReplayGuard replayGuard) {
        this.scheme = other.scheme;
        this.keys = other.keys;
        this.toleranceSeconds = other.toleranceSeconds;
        this.clock = other.clock;
        this.replayGuard = replayGuard;
        this.replayDomain = other.replayDomain;
        this.signaturesNoun = other.signaturesNoun;
        this.signedParts = other.signedParts;
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
     * Checks everything that does not need the body, for a scheme whose only header is the signature
     * header: the header is present and well formed, and its timestamp (if the scheme has one) is
     * within the tolerance of now. Bounded work; no MAC is computed.
     *
     * @param header the signature header's value as received, or {@code null} when absent
     * @return accepted, to pass to {@link #checkBody}; or rejected ({@code MISSING_HEADER},
     *         {@code MALFORMED_HEADER}, {@code STALE_TIMESTAMP}, {@code FUTURE_TIMESTAMP})
     * @throws IllegalStateException if the scheme reads other headers too (a timestamp or message id
     *         header): use {@link #checkHeader(HeaderLookup)}
     */
    public HeaderCheck checkHeader(CharSequence header) {
        requireSignatureHeaderOnly("checkHeader(HeaderLookup)");
        return fresh(SignatureHeader.parse(scheme, header), NOT_READ);
    }

    /**
     * Checks everything that does not need the body: every header the scheme reads is present exactly
     * once and well formed, and the timestamp (if the scheme has one) is within the tolerance of now.
     * Bounded work; no MAC is computed.
     *
     * @param headers the request's headers; a header given more than once is {@code MALFORMED_HEADER}
     * @return accepted, to pass to {@link #checkBody}; or rejected ({@code MISSING_HEADER},
     *         {@code MALFORMED_HEADER}, {@code STALE_TIMESTAMP}, {@code FUTURE_TIMESTAMP})
     */
    public HeaderCheck checkHeader(HeaderLookup headers) {
        return fresh(SignatureHeader.parse(scheme, Objects.requireNonNull(headers, "headers")), NOT_READ);
    }

    /** Throws unless the scheme's only header is the signature header, naming {@code instead}. */
    private void requireSignatureHeaderOnly(String instead) {
        if (!scheme.readsSignatureHeaderOnly()) {
            throw new IllegalStateException("scheme " + scheme.name() + " reads the headers "
                    + String.join(", ", scheme.headerNames()) + "; pass them all with " + instead);
        }
    }

    /** The parsed headers, or why their timestamp is not fresh at {@code now} (read here when {@link #NOT_READ}). */
    private HeaderCheck fresh(HeaderCheck parsed, long now) {
        if (!parsed.isAccepted() || !parsed.hasTimestamp()) {
            return parsed;
        }
        long timestamp = parsed.timestamp();
        long age = age(orNow(now), timestamp);
        Rejection stale = freshness(age);
        return stale == null ? parsed : HeaderCheck.rejected(stale, staleness(timestamp, age), timestamp);
    }

    /** {@return the clock's time in Unix seconds} */
    private long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /** {@return {@code now}, or the clock's time in Unix seconds when it is {@link #NOT_READ}} */
    private long orNow(long now) {
        return now == NOT_READ ? nowSeconds() : now;
    }

    /**
     * {@return {@code now - timestamp} in seconds, but never below {@code -Long.MAX_VALUE}} A timestamp is
     * at least 1, so only a clock before 1970 can take the difference further; there it wrapped: a
     * {@code t} of {@code Long.MAX_VALUE} at one second before 1970 was {@code Long.MIN_VALUE} old, whose
     * negation is itself, and passed as fresh.
     */
    private static long age(long now, long timestamp) {
        return now < 0 && timestamp > now + Long.MAX_VALUE ? -Long.MAX_VALUE : now - timestamp;
    }

    /**
     * {@code STALE_TIMESTAMP} or {@code FUTURE_TIMESTAMP} for an age outside the tolerance, or null when
     * fresh. Neither side negates the age: the tolerance is at least 1, so {@code -toleranceSeconds} fits.
     */
    private Rejection freshness(long age) {
        return age > toleranceSeconds ? Rejection.STALE_TIMESTAMP
                : age < -toleranceSeconds ? Rejection.FUTURE_TIMESTAMP : null;
    }

    /** Why a timestamp of this age ({@link #age}, so that {@code -age} fits) is not fresh. */
    private String staleness(long timestamp, long age) {
        return age > 0 ? "the timestamp is " + age + " seconds old; the tolerance is " + toleranceSeconds + " seconds"
                : "the timestamp is " + -age + " seconds in the future; the tolerance is " + toleranceSeconds
                        + " seconds"
                        + (looksLikeMilliseconds(timestamp) ? "; t looks like milliseconds; senders send seconds" : "");
    }

    private boolean looksLikeMilliseconds(long timestamp) {
        long now = nowSeconds();
        return Math.abs(Math.floorDiv(timestamp, 1000L) - now) <= toleranceSeconds;
    }

    /**
     * Completes a check begun by {@link #checkHeader}: computes the MAC of the signed message with
     * {@code body[offset, offset + length)} as its body under each secret in turn and compares it, in
     * constant time, with every signature of the header.
     *
     * <p>The timestamp's freshness is judged again once a signature matches, since the body may have
     * arrived long after the header: the decision holds at the moment it is made. With a
     * {@link ReplayGuard}, the signed message (not the signature, which differs per secret) is then
     * recorded until its timestamp can no longer pass that check, and one recorded before is refused
     * as {@code REPLAYED}. For a scheme without a timestamp ({@code github}, {@code shopify}) the
     * record is kept for the tolerance after it was accepted: replay is refused within that window
     * only, not bounded by freshness.
     *
     * @param header what this verifier's {@link #checkHeader} accepted
     * @param body the request's raw body
     * @param offset where the body starts in {@code body}
     * @param length how many bytes it has
     * @return verified (with the matching secret's position), or {@code NO_MATCHING_SIGNATURE},
     *         {@code STALE_TIMESTAMP}, {@code FUTURE_TIMESTAMP}, {@code REPLAYED} or
     *         {@code REPLAY_CHECK_UNAVAILABLE}
     * @throws IllegalArgumentException if {@code checkHeader} rejected {@code header}, or read it for another scheme
     * @throws IndexOutOfBoundsException if the range lies outside {@code body}
     */
    public Verification checkBody(HeaderCheck header, byte[] body, int offset, int length) {
        requireAccepted(header);
        Objects.checkFromIndexSize(offset, length, body.length);
        return check(header, Body.of(body, offset, length), NOT_READ);
    }

    /**
     * As {@link #checkBody(HeaderCheck, byte[], int, int)}, for a body held in pieces, as a server that
     * reads it in chunks has it: the body is the remaining bytes of each piece, in order. The pieces are
     * read, not copied (direct buffers pass through one array of at most 4 KiB, as the JDK's {@code MessageDigest}
     * takes one), and their positions are left as they are.
     *
     * @param header what this verifier's {@link #checkHeader} accepted
     * @param body the body's pieces, in order
     * @return as {@link #checkBody(HeaderCheck, byte[], int, int)}
     * @throws IllegalArgumentException if {@code checkHeader} rejected {@code header}, or read it for another scheme
     * @throws NullPointerException if {@code body} or one of its pieces is null
     */
    public Verification checkBody(HeaderCheck header, List<ByteBuffer> body) {
        requireAccepted(header);
        return check(header, Body.of(Objects.requireNonNull(body, "body")), NOT_READ);
    }

    /**
     * As {@link #checkBody(HeaderCheck, byte[], int, int)}, for a body read into arrays one after
     * another, as the servlet filter reads it: the body is the first {@code length} bytes of
     * {@code chunks[0]}, {@code chunks[1]}, ... in order, each array's bytes from its start; bytes past
     * {@code length}, and arrays past those that hold them, are not read. Nothing is copied.
     *
     * @param header what this verifier's {@link #checkHeader} accepted
     * @param chunks the arrays holding the body, in order
     * @param length how many bytes the body has
     * @return as {@link #checkBody(HeaderCheck, byte[], int, int)}
     * @throws IllegalArgumentException if {@code checkHeader} rejected {@code header}, or read it for another scheme
     * @throws IndexOutOfBoundsException if the arrays hold fewer than {@code length} bytes, or it is negative
     * @throws NullPointerException if {@code chunks} is null, or one of the arrays holding the body's bytes is
     */
    public Verification checkBody(HeaderCheck header, byte[][] chunks, int length) {
        requireAccepted(header);
        return check(header, Body.of(chunks, length), NOT_READ);
    }

    /** Refuses a check that is not an acceptance, or was read by another scheme's rules (a scheme renamed reads alike). */
    private void requireAccepted(HeaderCheck header) {
        if (!header.isAccepted()) {
            throw new IllegalArgumentException("checkBody takes headers that checkHeader accepted");
        }
        if (!header.scheme.readsAlike(scheme)) {
            throw new IllegalArgumentException("checkBody takes headers that checkHeader accepted for this verifier's"
                    + " scheme, " + scheme.name() + "; these were read for " + header.scheme.name());
        }
    }

    /** Freshness is judged at {@code now}, or when a signature matches if that is {@link #NOT_READ}. */
    private Verification check(HeaderCheck header, Body body, long now) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].matchesAny(header.signed, header.bodyAt, body, header.signatures)) {
                return matched(header, i, body, now);
            }
        }
        return Verification.rejected(Rejection.NO_MATCHING_SIGNATURE, "none of the "
                + header.signatures.length / MacPool.MAC_BYTES + signaturesNoun + " matches " + signedParts
                + " under the " + keys.length + " configured secret" + (keys.length == 1 ? "" : "s"),
                header.timestamp());
    }

    private Verification matched(HeaderCheck header, int secretIndex, Body body, long now) {
        long timestamp = header.timestamp();
        if (header.hasTimestamp()) {
            long age = age(orNow(now), timestamp);
            Rejection stale = freshness(age);
            if (stale != null) {
                return Verification.rejected(stale, staleness(timestamp, age), timestamp);
            }
        }
        byte[] replayKey = null;
        if (replayGuard != null) {
            // Fresh means now <= t + tolerance; the guard keeps the key while now <= expiresAt. Nothing
            // signed says when a message without a timestamp was made: it is kept for the tolerance from now.
            // The sum saturates: a tolerance near Long.MAX_VALUE seconds wrapped to a past second, which the
            // guard dropped at once, so every replay passed.
            long from = header.hasTimestamp() ? timestamp : orNow(now);
            long expiresAt = from > Long.MAX_VALUE - toleranceSeconds ? Long.MAX_VALUE : from + toleranceSeconds;
            replayKey = replayKey(replayDomain, header, body);
            ReplayGuard.Decision decision;
            String failure = "";
            try {
                decision = replayGuard.record(replayKey, expiresAt);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // A guard must answer UNAVAILABLE rather than throw; one that throws cannot decide either: a checked
                // exception too, which a guard written in Kotlin throws undeclared, or a class of its client missing.
                restoreInterrupt(e);
                decision = null;
                failure = " (it threw " + e.getClass().getName() + ")";
            }
            if (decision == ReplayGuard.Decision.REPLAYED) {
                return Verification.rejected(Rejection.REPLAYED,
                        "this signed message was accepted before, within the tolerance window", timestamp);
            }
            if (decision != ReplayGuard.Decision.FIRST_SEEN) {
                return Verification.rejected(Rejection.REPLAY_CHECK_UNAVAILABLE,
                        "the replay guard could not record the signed message" + failure, timestamp);
            }
            if (header.hasTimestamp()) {
                // The guard read the clock after the check above: if the message's last fresh second ended in between,
                // it found an earlier delivery's record expired and recorded a replay as new. Judged again after it,
                // such a replay is stale.
                long ageAfter = age(nowSeconds(), timestamp);
                Rejection late = freshness(ageAfter);
                if (late != null) {
                    return Verification.rejected(late, staleness(timestamp, ageAfter), timestamp);
                }
            }
        }
        return Verification.verified(timestamp, secretIndex, replayKey);
    }

    /**
     * The key replay protection records: SHA-256 of the scheme's name and the signed parts,
     * {@code len(scheme) || scheme || [len(id) || id] || [len(t) || t] || body}, each length as 4 bytes
     * big-endian, the parts a scheme lacks left out. It does not depend on which secret or which
     * signature matched, so a message accepted once is refused under every other secret and signature.
     */
    private static byte[] replayKey(byte[] domain, HeaderCheck header, Body body) {
        MessageDigest digest = sha256();
        digest.update(domain);
        byte[] n = new byte[4];
        if (header.idAt >= 0) {
            putLength(n, header.idLength);
            digest.update(n);
            digest.update(header.signed, header.idAt, header.idLength);
        }
        if (header.tAt >= 0) {
            putLength(n, header.tLength);
            digest.update(n);
            digest.update(header.signed, header.tAt, header.tLength);
        }
        body.feedTo(digest);
        return digest.digest();
    }

    private static void putLength(byte[] into, int n) {
        into[0] = (byte) (n >>> 24);
        into[1] = (byte) (n >>> 16);
        into[2] = (byte) (n >>> 8);
        into[3] = (byte) n;
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
     * A guard that throws, as one must not, keeps the record until it expires, as one that cannot be
     * reached does: the exception is not passed on, since callers release in a {@code finally} whose
     * own work (answering, finishing a de-duplication claim) must still be done.
     *
     * @param verified the result of {@link #checkBody} or {@link #verify} for that request
     * @throws IllegalArgumentException if {@code verified} is not a verified result
     */
    public void release(Verification verified) {
        if (!verified.isVerified()) {
            throw new IllegalArgumentException("release takes a verified result");
        }
        if (replayGuard != null) {
            try {
                replayGuard.forget(verified.replayKey());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // As record's: a guard that throws has not forgotten; the sender's retry waits out the record.
                restoreInterrupt(e);
            }
        }
    }

    /**
     * Sets the thread's interrupt status again when a guard was woken by an interrupt while it waited: throwing
     * {@link InterruptedException} cleared it, and the interrupt belongs to the caller's thread, not to the guard.
     */
    private static void restoreInterrupt(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@link #checkHeader(CharSequence)} then {@link #checkBody} over the whole of {@code body}, for a
     * scheme whose only header is the signature header. The body has arrived whole, so one reading of
     * the clock serves both judgements of the timestamp: before the MAC, and once it matches.
     *
     * @param header the signature header's value, or {@code null} when absent
     * @param body the request's raw body
     * @return verified, or the first check that failed
     * @throws IllegalStateException if the scheme reads other headers too: use {@link #verify(HeaderLookup, byte[])}
     */
    public Verification verify(CharSequence header, byte[] body) {
        requireSignatureHeaderOnly("verify(HeaderLookup, byte[])");
        return verify(SignatureHeader.parse(scheme, header), body);
    }

    /**
     * {@link #checkHeader(HeaderLookup)} then {@link #checkBody} over the whole of {@code body}, with one
     * reading of the clock, as {@link #verify(CharSequence, byte[])} does.
     *
     * @param headers the request's headers
     * @param body the request's raw body
     * @return verified, or the first check that failed
     */
    public Verification verify(HeaderLookup headers, byte[] body) {
        return verify(SignatureHeader.parse(scheme, Objects.requireNonNull(headers, "headers")), body);
    }

    /**
     * Checks parsed headers and a body that has arrived whole: one reading of the clock judges the
     * timestamp both before the MAC (the cheap check first) and once it matches, since the body is
     * already here.
     */
    private Verification verify(HeaderCheck parsed, byte[] body) {
        long now = parsed.isAccepted() && parsed.hasTimestamp() ? nowSeconds() : NOT_READ;
        HeaderCheck checked = fresh(parsed, now);
        return checked.isAccepted() ? check(checked, Body.of(body, 0, body.length), now)
                : Verification.rejected(checked);
    }

    /** {@return the scheme this verifier checks} */
    public Scheme scheme() {
        return scheme;
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

    /** {@return the clock that says what "now" is, for a {@link ReplayGuard} that must agree with it} */
    public Clock clock() {
        return clock;
    }

    /**
     * This verifier with replay protection: the same scheme, keys, tolerance and clock, and
     * {@code replayGuard} to remember accepted messages, as {@link Builder#replayGuard} gives. For code
     * that receives a built verifier and owns the store, such as the servlet filter.
     *
     * @param replayGuard the store of accepted signatures
     * @return a new verifier; this one is unchanged
     * @throws IllegalStateException if this verifier has a replay guard already
     */
    public WebhookVerifier withReplayGuard(ReplayGuard replayGuard) {
        Objects.requireNonNull(replayGuard, "replayGuard");
        if (this.replayGuard != null) {
            throw new IllegalStateException("this verifier has a replay guard already");
        }
        return new WebhookVerifier(this, replayGuard);
    }

    @Override
    public String toString() {
        // The default scheme goes unnamed, as before schemes existed.
        return "WebhookVerifier[" + (scheme.equals(Scheme.defaultScheme()) ? "" : scheme.name() + ", ") + keys.length + " secret" + (keys.length == 1 ? "" : "s")
                + ", tolerance " + toleranceSeconds + " s"
                + (replayGuard == null ? "" : ", replay protection " + replayGuard) + "]";
    }

    /**
     * Configures a {@link WebhookVerifier}. Each method checks its argument at once and throws
     * with a message that says what is wrong; no message ever contains a secret. Not thread-safe.
     */
    public static final class Builder {

        /** Each a String (keyed as the scheme says, at build) or a byte[] (the key itself). */
        private final List<Object> secrets = new ArrayList<>();
        private Scheme scheme = Scheme.defaultScheme();
        private Duration tolerance;
        private Clock clock = Clock.systemUTC();
        private ReplayGuard replayGuard;

        private Builder() {
        }

        /**
         * Sets the scheme: which headers, signed message, encoding and key derivation. Default
         * {@code wealthkernel-2022}.
         *
         * @param scheme the scheme, for example {@code Scheme.named("stripe")}
         * @return this builder
         */
        public Builder scheme(Scheme scheme) {
            this.scheme = Objects.requireNonNull(scheme, "scheme");
            return this;
        }

        /**
         * Adds a secret as the sender shows it; {@link #build()} makes the key from it as the scheme
         * says (its UTF-8 bytes, or what its base64 decodes to). Add two while rotating: a request
         * signed with either verifies, and {@link Verification#secretIndex()} says which, in the order added.
         * The secret is used as it stands: {@link Secrets#resolve(String)} reads {@code env:} and
         * {@code file:}, and {@link #build()} refuses a secret here that looks like one of them or like a
         * placeholder, which would be a key anyone reading the configuration could sign with.
         *
         * @param secret the secret as the platform shows it
         * @return this builder
         * @throws IllegalArgumentException if the secret is null or empty
         */
        public Builder secret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("a webhook secret must not be null or empty");
            }
            secrets.add(secret);
            return this;
        }

        /**
         * Adds a secret given as the HMAC key's bytes, copied, used as they are whatever the scheme.
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
         * Sets how far {@code t} may be from now, either way. Whole seconds; default the scheme's
         * {@link Scheme#defaultTolerance()}: 300, or 5 for {@code paddle}. For a scheme without a
         * timestamp it is how long replay protection remembers an accepted message.
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
         * @throws IllegalArgumentException if a secret is not what the scheme takes (for example not
         *         base64 where the scheme decodes it), or a secret given as a {@code String} looks like a
         *         reference or a placeholder ({@code env:NAME}, {@code file:PATH}, {@code ${NAME}}), which
         *         would be a key anyone reading the configuration could sign with; the message names its
         *         position, never the secret
         */
        public WebhookVerifier build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("a webhook verifier needs at least one secret");
            }
            return new WebhookVerifier(this, keys(scheme, secrets));
        }
    }

    /** The keys of the secrets, in order: each a String keyed as the scheme says, or key bytes. */
    static MacPool[] keys(Scheme scheme, List<?> secrets) {
        MacPool[] keys = new MacPool[secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            Object secret = secrets.get(i);
            byte[] key;
            if (secret instanceof byte[]) {
                key = (byte[]) secret;
            } else {
                Secrets.refuseReferenceAsKey((String) secret, "secret #" + (i + 1));
                try {
                    key = scheme.key((String) secret);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("secret #" + (i + 1) + ": " + e.getMessage());
                }
            }
            keys[i] = new MacPool(key);
        }
        return keys;
    }
}
