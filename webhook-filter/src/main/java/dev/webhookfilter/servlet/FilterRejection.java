package dev.webhookfilter.servlet;

import dev.webhookfilter.RejectionReason;

/**
 * Why the filter refused a request for a reason of its own, before or after the verifier's checks
 * (which give a {@link dev.webhookfilter.Rejection}): the body, the query string, the buffer budget,
 * de-duplication. The client learns only the HTTP status and a short {@linkplain #message() message}.
 */
public enum FilterRejection implements RejectionReason {
    /**
     * The body is larger than {@code maxBodyBytes}, by its Content-Length or by what arrived; or it is a verified form
     * whose decoded parameters would not fit in {@code maxBufferedBytes} beside it even with nothing else in flight.
     */
    BODY_TOO_LARGE(413, "body too large"),
    /** The body could not be read in full (client aborted, shorter than its Content-Length). */
    BODY_INCOMPLETE(400, "body incomplete"),
    /**
     * The verified body is an {@code application/x-www-form-urlencoded} form of more than 1000 pairs, more than
     * Tomcat ({@code maxParameterCount}) and Jetty ({@code maxFormKeys}) decode by default.
     */
    TOO_MANY_PARAMETERS(400, "too many form parameters"),
    /** The request has a query string, which is not signed, and the filter is set to refuse one. */
    QUERY_STRING(400, "query string not allowed"),
    /**
     * The bodies of requests in flight already fill the filter's buffer budget ({@code maxBufferedBytes}), or
     * would with a verified form's decoded parameters; retry later.
     */
    BUSY(503, "busy, retry later"),
    /**
     * Replay protection or de-duplication is on and the verified request is not a POST: senders POST, and a signed copy
     * sent with another method must neither use up the message before the sender's POST nor run the handler again.
     */
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    /** De-duplication is on and the verified request has no single, well-formed message id header. */
    MISSING_ID(400, "missing or malformed message id"),
    /** De-duplication: another request with the same message id is being processed now; retry later. */
    IN_PROGRESS(409, "being processed, retry later"),
    /** De-duplication's store could not decide (unreachable, slow past its timeout, full); retry later. */
    STORE_UNAVAILABLE(503, "store unavailable, retry later");

    private final int status;
    private final String message;

    FilterRejection(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** {@return the HTTP status: 413, 400, 405, or 409 and 503 (with {@code Retry-After}) when a retry may succeed} */
    @Override
    public int status() {
        return status;
    }

    @Override
    public String message() {
        return message;
    }
}
