package dev.webhookfilter;

/**
 * What {@link WebhookVerifier#checkHeader} found: the headers are <b>accepted</b> (well formed and fresh;
 * pass this to {@link WebhookVerifier#checkBody} with the body), or <b>rejected</b>, and then
 * {@link #rejection()} says which check failed and {@link #detail()} says why.
 *
 * <p>Immutable and thread-safe. {@link #toString()} and {@link #detail()} never contain a secret, a
 * signature or any part of a header.
 */
public final class HeaderCheck {

    private final Rejection rejection;
    private final String detail;
    private final long timestamp;
    /** Accepted: what the body check needs. Never shown by toString. */
    private final SignedMessage message;

    private HeaderCheck(Rejection rejection, String detail, long timestamp, SignedMessage message) {
        this.rejection = rejection;
        this.detail = detail;
        this.timestamp = timestamp;
        this.message = message;
    }

    static HeaderCheck accepted(SignedMessage message) {
        return new HeaderCheck(null, null, message.timestamp, message);
    }

    static HeaderCheck rejected(Rejection rejection, String detail) {
        return new HeaderCheck(rejection, detail, 0, null);
    }

    static HeaderCheck rejected(Rejection rejection, String detail, long timestamp) {
        return new HeaderCheck(rejection, detail, timestamp, null);
    }

    /** {@return true when the headers passed: the body is to be checked next} */
    public boolean isAccepted() {
        return message != null;
    }

    /**
     * {@return which check failed ({@code MISSING_HEADER}, {@code MALFORMED_HEADER}, {@code STALE_TIMESTAMP}
     * or {@code FUTURE_TIMESTAMP}), or {@code null} when the headers were accepted}
     */
    public Rejection rejection() {
        return rejection;
    }

    /**
     * A sentence for logs and developers saying why the check failed, or {@code null} when none did.
     * It never quotes a header.
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

    /** The parsed headers of an accepted check; null when rejected. */
    SignedMessage message() {
        return message;
    }

    @Override
    public String toString() {
        return isAccepted() ? "HeaderCheck[accepted, t=" + timestamp + "]"
                : "HeaderCheck[" + rejection + ": " + detail + "]";
    }
}
