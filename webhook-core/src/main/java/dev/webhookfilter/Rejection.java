package dev.webhookfilter;

/**
 * Why a webhook request was refused. The client learns only the HTTP status and a short
 * {@linkplain #message() message}; the constant itself goes to logs and request attributes.
 */
public enum Rejection {
    /** The signature header is absent. */
    MISSING_HEADER(401, "missing signature header"),
    /** The signature header breaks the grammar: bad {@code t}, no {@code v1}, bad base64, too long. */
    MALFORMED_HEADER(401, "malformed signature header"),
    /** The timestamp is older than the tolerance allows. */
    STALE_TIMESTAMP(401, "timestamp too old"),
    /** The timestamp is further in the future than the tolerance allows. */
    FUTURE_TIMESTAMP(401, "timestamp in the future"),
    /** No {@code v1} value matches the body and timestamp under any configured secret. */
    NO_MATCHING_SIGNATURE(401, "no matching signature"),
    /** The signature is valid but was already accepted once inside the tolerance window. */
    REPLAYED(401, "replayed"),
    /** Replay protection could not record the signature (its store is full or unreachable); retry later. */
    REPLAY_CHECK_UNAVAILABLE(503, "replay check unavailable, retry later"),
    /** The body is larger than the configured limit. */
    BODY_TOO_LARGE(413, "body too large"),
    /** The body could not be read in full (client aborted, shorter than its Content-Length). */
    BODY_INCOMPLETE(400, "body incomplete"),
    /** The request has a query string, which is not signed, and the filter is set to refuse one. */
    QUERY_STRING(400, "query string not allowed"),
    /**
     * The bodies of requests in flight already fill the filter's buffer budget; retry later. Refused
     * before any of this request's body is read.
     */
    BUSY(503, "busy, retry later"),
    /** De-duplication is on and the verified request has no single, well-formed message id header. */
    MISSING_ID(400, "missing or malformed message id"),
    /** De-duplication: another request with the same message id is being processed now; retry later. */
    IN_PROGRESS(409, "being processed, retry later"),
    /** De-duplication's store could not decide (unreachable, slow past its timeout, full); retry later. */
    STORE_UNAVAILABLE(503, "store unavailable, retry later");

    private final int status;
    private final String message;

    Rejection(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** {@return the HTTP status a rejected request receives: 401, 413, 400, or 409 and 503 (with {@code Retry-After}) for a refusal that a retry may overcome} */
    public int status() {
        return status;
    }

    /** {@return a short reason safe to show the client: it never names a secret or a signature} */
    public String message() {
        return message;
    }
}
