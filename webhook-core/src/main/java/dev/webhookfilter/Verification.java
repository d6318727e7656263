package dev.webhookfilter;

/**
 * The outcome of verifying a signed webhook: <b>verified</b> (a signature matched the signed message under
 * a configured secret; {@link #secretIndex()} says which) or <b>rejected</b> ({@link #rejection()} says
 * which check failed and {@link #detail()} says why). What {@link WebhookVerifier#checkHeader} finds before
 * the body arrives is a {@link HeaderCheck} instead.
 *
 * <p>Immutable and thread-safe. {@link #toString()} and {@link #detail()} never contain a secret, a
 * signature or any part of the header or body.
 */
public final class Verification {

    private final Rejection rejection;
    private final String detail;
    private final long timestamp;
    private final int secretIndex;
    /** Verified with replay protection: the replay key, for WebhookVerifier.release. Never shown by toString. */
    private final byte[] replayKey;

    private Verification(Rejection rejection, String detail, long timestamp, int secretIndex, byte[] replayKey) {
        this.rejection = rejection;
        this.detail = detail;
        this.timestamp = timestamp;
        this.secretIndex = secretIndex;
        this.replayKey = replayKey;
    }

    static Verification rejected(Rejection rejection, String detail, long timestamp) {
        return new Verification(rejection, detail, timestamp, -1, null);
    }

    /** The rejection of a header check, as the outcome of the whole verification. */
    static Verification rejected(HeaderCheck header) {
        return new Verification(header.rejection(), header.detail(), header.timestamp(), -1, null);
    }

    static Verification verified(long timestamp, int secretIndex, byte[] replayKey) {
        return new Verification(null, null, timestamp, secretIndex, replayKey);
    }

    /** {@return true when a signature matched: the request is genuine and fresh} */
    public boolean isVerified() {
        return secretIndex >= 0;
    }

    /** {@return true when a check failed; {@link #rejection()} says which} */
    public boolean isRejected() {
        return secretIndex < 0;
    }

    /** {@return which check failed, or {@code null} when none did} */
    public Rejection rejection() {
        return rejection;
    }

    /**
     * A sentence for logs and developers saying why the check failed (for example how many seconds
     * stale the timestamp is), or {@code null} when none did. It never quotes the header or the body.
     *
     * @return the sentence, or {@code null}
     */
    public String detail() {
        return detail;
    }

    /**
     * {@return the signed timestamp in Unix seconds, or 0 when the headers could not be parsed or the
     * scheme has no timestamp}
     */
    public long timestamp() {
        return timestamp;
    }

    /** {@return the position (from 0) of the configured secret that matched, or -1 unless verified} */
    public int secretIndex() {
        return secretIndex;
    }

    /** The replay key of a verified result, or null without replay protection. */
    byte[] replayKey() {
        return replayKey;
    }

    @Override
    public String toString() {
        return isVerified() ? "Verification[verified, t=" + timestamp + ", secret #" + secretIndex + "]"
                : "Verification[" + rejection + ": " + detail + "]";
    }
}
