package dev.webhookfilter;

/**
 * Why the verifier refused a webhook: its headers or its signature. The client learns only the HTTP
 * status and a short {@linkplain #message() message}; the constant itself goes to logs and request
 * attributes. An adapter refuses requests for its own reasons too (the servlet filter's
 * {@code FilterRejection}: a body too large, a query string, a duplicate in progress...); both are
 * {@link RejectionReason}s.
 */
public enum Rejection implements RejectionReason {
    /** A header the scheme reads (signature, timestamp or message id) is absent. */
    MISSING_HEADER(401, "missing signature header"),
    /**
     * A header the scheme reads breaks its grammar (bad {@code t}, no {@code v1}, bad base64, too long) or is
     * repeated.
     */
    MALFORMED_HEADER(401, "malformed signature header"),
    /** The timestamp is older than the tolerance allows. */
    STALE_TIMESTAMP(401, "timestamp too old"),
    /** The timestamp is further in the future than the tolerance allows. */
    FUTURE_TIMESTAMP(401, "timestamp in the future"),
    /** No signature of the header matches the signed message (body, timestamp, id) under any configured secret. */
    NO_MATCHING_SIGNATURE(401, "no matching signature"),
    /** The signature is valid but was already accepted once inside the tolerance window. */
    REPLAYED(401, "replayed"),
    /** Replay protection could not record the signature (its store is full or unreachable); retry later. */
    REPLAY_CHECK_UNAVAILABLE(503, "replay check unavailable, retry later");

    private final int status;
    private final String message;

    Rejection(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** {@return the HTTP status a rejected request receives: 401, or 503 (with {@code Retry-After}) when a retry may succeed} */
    @Override
    public int status() {
        return status;
    }

    @Override
    public String message() {
        return message;
    }
}
