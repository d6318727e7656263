package dev.webhookfilter;

/**
 * The outcome of checking a signed webhook, in one of three states:
 * <ul>
 *   <li><b>rejected</b>: {@link #rejection()} says which check failed and {@link #detail()} says why;</li>
 *   <li><b>header accepted</b>: returned by {@link WebhookVerifier#checkHeader}, the header is well formed
 *       and fresh, and the body is still to be checked with {@link WebhookVerifier#checkBody};</li>
 *   <li><b>verified</b>: a signature matched the signed message under a configured secret.</li>
 * </ul>
 * Immutable and thread-safe. {@link #toString()} and {@link #detail()} never contain a secret, a
 * signature or any part of the header or body.
 */
public final class Verification {

    private final Rejection rejection;
    private final String detail;
    private final long timestamp;
    private final int secretIndex;
    // Header accepted: what the body check needs. Verified with replay protection: the replay key,
    // for WebhookVerifier.release. Never shown by toString.
    private final SignedMessage message;
    private final byte[] replayKey;

    private Verification(Rejection rejection, String detail, long timestamp, int secretIndex,
                         SignedMessage message, byte[] replayKey) {
        this.rejection = rejection;
        this.detail = detail;
        this.timestamp = timestamp;
        this.secretIndex = secretIndex;
        this.message = message;
        this.replayKey = replayKey;
    }

    static Verification rejected(Rejection rejection, String detail) {
        return new Verification(rejection, detail, 0, -1, null, null);
    }

    static Verification rejected(Rejection rejection, String detail, long timestamp) {
        return new Verification(rejection, detail, timestamp, -1, null, null);
    }

    static Verification headerAccepted(SignedMessage message) {
        return new Verification(null, null, message.timestamp, -1, message, null);
    }

    static Verification verified(long timestamp, int secretIndex, byte[] replayKey) {
        return new Verification(null, null, timestamp, secretIndex, null, replayKey);
    }

    /** {@return true when a signature matched: the request is genuine and fresh} */
    public boolean isVerified() {
        return secretIndex >= 0;
    }

    /** {@return true when a check failed; {@link #rejection()} says which} */
    public boolean isRejected() {
        return rejection != null;
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

    SignedMessage message() {
        return message;
    }

    boolean isHeaderAccepted() {
        return message != null;
    }

    /** The replay key of a verified result, or null without replay protection. */
    byte[] replayKey() {
        return replayKey;
    }

    @Override
    public String toString() {
        if (isVerified()) {
            return "Verification[verified, t=" + timestamp + ", secret #" + secretIndex + "]";
        }
        if (isRejected()) {
            return "Verification[" + rejection + ": " + detail + "]";
        }
        return "Verification[header accepted, t=" + timestamp + "]";
    }
}
