package dev.webhookfilter.micrometer;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times each webhook request a filter decides, in a Micrometer {@link MeterRegistry}:
 * <ul>
 *   <li>counter {@value #REQUESTS}, tagged {@code endpoint} (the filter's name), {@code scheme},
 *       {@code outcome} ({@code verified}, {@code rejected}, {@code duplicate}) and {@code reason}
 *       (the {@link RejectionReason}'s name, such as {@code NO_MATCHING_SIGNATURE} or {@code BODY_TOO_LARGE},
 *       or {@code none});</li>
 *   <li>timer {@value #VERIFICATION}, tagged {@code endpoint}, {@code scheme} and {@code outcome}:
 *       the time the filter spent deciding, without the application's time.</li>
 * </ul>
 * Tags take only these few values, never an id, a path, a header or a secret. An endpoint's meters
 * are registered together when its filter starts ({@link #started}, with every reason that filter may
 * refuse a request for), or at its first request (then the verifier's reasons, and an adapter's own when
 * first seen), so that each outcome shows 0 until it happens; after that a request only looks its meters
 * up and increments them.
 *
 * <pre>{@code
 * WebhookSignatureFilter.builder().secrets("env:WEBHOOK_SECRET")
 *         .listener(new MicrometerVerificationListener(registry))
 *         .build();
 * }</pre>
 *
 * <p>In {@code web.xml}, the filter's {@code listener} init-param names this class, and the meters go to
 * Micrometer's global registry ({@link #MicrometerVerificationListener()}).
 *
 * <p>Thread-safe; one instance can serve every filter of an application. Two on one registry are equal: a filter
 * given both tells only the first, so that no request counts twice.
 */
public final class MicrometerVerificationListener implements VerificationListener {

    /** The counter of decided requests. */
    public static final String REQUESTS = "webhooks.requests";
    /** The timer of the filter's work per request. */
    public static final String VERIFICATION = "webhooks.verification";

    private final MeterRegistry registry;
    /** Endpoint, then scheme: two lookups and no allocation per request. */
    private final ConcurrentMap<String, ConcurrentMap<String, Meters>> meters = new ConcurrentHashMap<>();

    /**
     * A listener that registers its meters in Micrometer's global registry, {@link Metrics#globalRegistry}:
     * the one the filter's {@code listener} init-param makes, which needs a public no-arg constructor. The
     * meters count in every registry the application adds to the global one ({@link Metrics#addRegistry}),
     * whether it adds it before the filter starts or after; until it adds one, they count nowhere.
     */
    public MicrometerVerificationListener() {
        this(Metrics.globalRegistry);
    }

    /**
     * A listener that registers its meters in {@code registry}.
     *
     * @param registry where the meters are registered
     */
    public MicrometerVerificationListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Registers the endpoint's meters, one counter for each reason it may refuse a request for and
     * one for each of the verifier's {@link Rejection}s, whether listed or not. Code that tells this
     * listener outcomes without a filter can call it with no reasons to show the endpoint at 0 before
     * its first request.
     */
    @Override
    public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
        Meters m = meters(endpoint, scheme);
        for (RejectionReason reason : reasons) {
            m.rejected(reason);
        }
    }

    @Override
    public void verified(String endpoint, String scheme, long nanos) {
        Meters m = meters(endpoint, scheme);
        m.verified.increment();
        m.verifiedTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
        Meters m = meters(endpoint, scheme);
        m.rejected(reason).increment();
        m.rejectedTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void duplicate(String endpoint, String scheme, long nanos) {
        Meters m = meters(endpoint, scheme);
        m.duplicate.increment();
        m.duplicateTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@return whether {@code other} is a listener of this class on the very same registry} */
    @Override
    public boolean equals(Object other) {
        return other instanceof MicrometerVerificationListener && ((MicrometerVerificationListener) other).registry == registry;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(registry);
    }

    private Meters meters(String endpoint, String scheme) {
        ConcurrentMap<String, Meters> bySchemes = meters.get(endpoint);
        if (bySchemes == null) {
            bySchemes = meters.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        }
        Meters m = bySchemes.get(scheme);
        if (m == null) {
            m = bySchemes.computeIfAbsent(scheme, s -> new Meters(registry, endpoint, s));
        }
        return m;
    }

    /** The meters of one endpoint and scheme. */
    private static final class Meters {
        final Counter verified;
        final Counter duplicate;
        /** By reason: the verifier's {@link Rejection}s from the start, an adapter's own when first seen. */
        private final ConcurrentMap<RejectionReason, Counter> rejected = new ConcurrentHashMap<>();
        private final MeterRegistry registry;
        private final Tags tags;
        final Timer verifiedTime;
        final Timer rejectedTime;
        final Timer duplicateTime;

        Meters(MeterRegistry registry, String endpoint, String scheme) {
            this.registry = registry;
            this.tags = Tags.of("endpoint", endpoint, "scheme", scheme);
            verified = counter(registry, tags, "verified", "none");
            duplicate = counter(registry, tags, "duplicate", "none");
            for (Rejection reason : Rejection.values()) {
                rejected(reason);
            }
            verifiedTime = timer(registry, tags, "verified");
            rejectedTime = timer(registry, tags, "rejected");
            duplicateTime = timer(registry, tags, "duplicate");
        }

        Counter rejected(RejectionReason reason) {
            Counter counter = rejected.get(reason);
            return counter != null ? counter
                    : rejected.computeIfAbsent(reason, r -> counter(registry, tags, "rejected", r.name()));
        }

        private static Counter counter(MeterRegistry registry, Tags tags, String outcome, String reason) {
            return Counter.builder(REQUESTS)
                    .description("Webhook requests the signature filter decided, by outcome and reason")
                    .baseUnit("requests")
                    .tags(tags.and("outcome", outcome, "reason", reason))
                    .register(registry);
        }

        private static Timer timer(MeterRegistry registry, Tags tags, String outcome) {
            return Timer.builder(VERIFICATION)
                    .description("Time the signature filter spent deciding a webhook request, without the application's")
                    .tags(tags.and("outcome", outcome))
                    .register(registry);
        }
    }
}
