package dev.webhookfilter.micrometer;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.core.instrument.noop.NoopTimer;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * <p>A meter the registry refuses by throwing (the application has a meter of its name and tags but another type;
 * a Prometheus registry made to throw with {@code throwExceptionOnRegistrationFailure()} has one of its name and
 * another type; a {@code MeterFilter} throws) costs that meter alone: it counts nothing, the endpoint's other
 * meters count on, and the request is answered as decided. It is not tried again, on a later request or ever:
 * a clash is the application's configuration, which stays as it is until the application restarts, so a retry
 * would only fail again. The refusal is logged at WARNING, with the meter's name and tags and the class of what
 * the registry threw (not its message), at most once a minute; others within that minute at DEBUG. A registry
 * that refuses without throwing (a Prometheus registry as it comes: it logs the clash itself and leaves the meter
 * out of its scrape) is not seen here; nor is a {@code MeterFilter} that denies a meter, for which the registry
 * gives one that counts nothing.
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

    /** Meters that fail to register draw one WARNING per this many nanoseconds; the others within it, DEBUG. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final System.Logger LOG = System.getLogger(MicrometerVerificationListener.class.getName());
    private static final String REQUESTS_DESCRIPTION = "Webhook requests the signature filter decided, by outcome and reason";
    private static final String REQUESTS_UNIT = "requests";
    private static final String VERIFICATION_DESCRIPTION =
            "Time the signature filter spent deciding a webhook request, without the application's";

    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    /** When the next WARNING may be logged, on {@link #nanoTime}'s scale. */
    private final AtomicLong nextWarning;
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
        this(registry, System::nanoTime);
    }

    /** A listener whose WARNINGs are spaced by {@code nanoTime}'s minutes, for tests. */
    MicrometerVerificationListener(MeterRegistry registry, LongSupplier nanoTime) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nanoTime = nanoTime;
        this.nextWarning = new AtomicLong(nanoTime.getAsLong());
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
            m = bySchemes.computeIfAbsent(scheme, s -> new Meters(endpoint, s));
        }
        return m;
    }

    /**
     * The counter of {@code tags}, or, when the registry refuses it, one that counts nothing: kept in its place, so
     * that the refusal costs this meter alone and is not met again on every request.
     */
    private Counter counter(Tags tags) {
        try {
            return Counter.builder(REQUESTS).description(REQUESTS_DESCRIPTION).baseUnit(REQUESTS_UNIT).tags(tags)
                    .register(registry);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // Any other Throwable, as the filter's listener calls catch: a MeterFilter in Kotlin may throw a checked one.
            failed(REQUESTS, tags, e);
            return new NoopCounter(new Meter.Id(REQUESTS, tags, REQUESTS_UNIT, REQUESTS_DESCRIPTION, Meter.Type.COUNTER));
        }
    }

    /** The timer of {@code tags}, or one that records nothing, as {@link #counter}. */
    private Timer timer(Tags tags) {
        try {
            return Timer.builder(VERIFICATION).description(VERIFICATION_DESCRIPTION).tags(tags).register(registry);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            failed(VERIFICATION, tags, e);
            return new NoopTimer(new Meter.Id(VERIFICATION, tags, null, VERIFICATION_DESCRIPTION, Meter.Type.TIMER));
        }
    }

    /**
     * Logs a meter that failed to register: at WARNING unless one was logged within the last minute, else at
     * DEBUG. The tags are this listener's own (endpoint, scheme, outcome, reason); the cause's message is left
     * out, as what a registry or a {@code MeterFilter} puts there is not ours to vouch for.
     */
    private void failed(String name, Tags tags, Throwable cause) {
        long now = nanoTime.getAsLong();
        long next = nextWarning.get();
        boolean warn = now - next >= 0 && nextWarning.compareAndSet(next, now + WARNING_INTERVAL_NANOS);
        Level level = warn ? Level.WARNING : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            StringJoiner meter = new StringJoiner(",", name + "{", "}");
            for (Tag tag : tags) {
                meter.add(tag.getKey() + "=" + tag.getValue());
            }
            LOG.log(level, "MicrometerVerificationListener: the registry refused the meter {0} ({1} thrown); it counts"
                    + " nothing and is not tried again, the other meters count on, and requests are answered as"
                    + " decided{2}", meter, cause.getClass().getName(),
                    warn ? " (further refusals are logged at most once a minute, the others at DEBUG)" : "");
        }
    }

    /** The meters of one endpoint and scheme. */
    private final class Meters {
        final Counter verified;
        final Counter duplicate;
        /** By reason: the verifier's {@link Rejection}s from the start, an adapter's own when first seen. */
        private final ConcurrentMap<RejectionReason, Counter> rejected = new ConcurrentHashMap<>();
        private final Tags tags;
        final Timer verifiedTime;
        final Timer rejectedTime;
        final Timer duplicateTime;

        Meters(String endpoint, String scheme) {
            this.tags = Tags.of("endpoint", endpoint, "scheme", scheme);
            verified = counter(tags.and("outcome", "verified", "reason", "none"));
            duplicate = counter(tags.and("outcome", "duplicate", "reason", "none"));
            for (Rejection reason : Rejection.values()) {
                rejected(reason);
            }
            verifiedTime = timer(tags.and("outcome", "verified"));
            rejectedTime = timer(tags.and("outcome", "rejected"));
            duplicateTime = timer(tags.and("outcome", "duplicate"));
        }

        Counter rejected(RejectionReason reason) {
            Counter counter = rejected.get(reason);
            return counter != null ? counter
                    : rejected.computeIfAbsent(reason, r -> counter(tags.and("outcome", "rejected", "reason", r.name())));
        }
    }
}
