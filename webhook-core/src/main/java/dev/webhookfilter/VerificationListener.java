package dev.webhookfilter;

import java.util.List;

/**
 * Told the outcome of each request a webhook filter decides, for metrics: one call per request,
 * made on the request's thread before the response is sent (and, for a verified request, before the
 * application runs). Every method does nothing by default; override the ones you count.
 *
 * <p>An implementation must be fast (it runs on every webhook), thread-safe (requests arrive
 * concurrently) and must not throw. The filter catches and ignores whatever a listener throws short of a
 * {@link VirtualMachineError}, logging at most one WARNING a minute, so that a metrics bug never fails a
 * webhook.
 *
 * <p>A filter given a listener {@linkplain Object#equals equal} to one it has already is told nothing more by it,
 * so that one sink is not counted into twice (two {@code MicrometerVerificationListener}s on one registry are equal).
 * So a listener should be equal only to one that does the same work: a record whose components hold state of its own
 * (a list it adds to) is equal to another while that state is, and the filter then keeps the first alone.
 *
 * <p>The arguments carry no secret, signature, header value, body, id or path: {@code endpoint} is
 * the filter's name ({@code <filter-name>}, or the endpoint's name in the Spring Boot starter; the empty
 * string for a filter built in code that serves requests without its container's {@code init}, which alone
 * tells it its name, and then {@link #started} is not called either);
 * {@code scheme} names the signature scheme ({@link Scheme#name()}), such as {@code wealthkernel-2022}; {@code nanos}
 * is the time the filter spent deciding, from the start of its {@code doFilter} to the decision,
 * without the application's time.
 */
public interface VerificationListener {

    /**
     * An endpoint starts: called once, when its filter is initialised and before its first request,
     * with every reason it may refuse a request for (the verifier's {@link Rejection}s and the
     * adapter's own). Metrics can show each outcome at 0 from the start.
     *
     * @param endpoint the filter's name
     * @param scheme the signature scheme
     * @param reasons every reason {@link #rejected} may be told for this endpoint
     */
    default void started(String endpoint, String scheme, List<RejectionReason> reasons) {}

    /**
     * A request verified and handed to the application.
     *
     * @param endpoint the filter's name
     * @param scheme the signature scheme
     * @param nanos the time spent verifying, in nanoseconds
     */
    default void verified(String endpoint, String scheme, long nanos) {}

    /**
     * A request refused, with why.
     *
     * @param endpoint the filter's name
     * @param scheme the signature scheme
     * @param reason why the request was refused
     * @param nanos the time spent deciding, in nanoseconds
     */
    default void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {}

    /**
     * A duplicate delivery answered without running the handler (de-duplication: the
     * message id was processed before; answered 200 with {@code Webhook-Duplicate: true}).
     *
     * @param endpoint the filter's name
     * @param scheme the signature scheme
     * @param nanos the time spent deciding, in nanoseconds
     */
    default void duplicate(String endpoint, String scheme, long nanos) {}
}
