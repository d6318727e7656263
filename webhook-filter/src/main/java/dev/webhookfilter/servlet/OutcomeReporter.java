package dev.webhookfilter.servlet;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Tells one filter's {@link VerificationListener}s each decision, in order, with the filter's name,
 * the scheme and the time since the request's start. A listener that throws is ignored: the others
 * are still told, the request goes on as decided, and at most one WARNING a minute says so.
 * Thread-safe.
 */
final class OutcomeReporter {

    /** A listener that keeps throwing draws one WARNING per this many nanoseconds. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final System.Logger LOG = System.getLogger(WebhookSignatureFilter.class.getName());

    private final VerificationListener[] listeners;
    private final String endpoint;
    private final String scheme;
    private final LongSupplier nanoTime;
    /** When the next WARNING may be logged, on {@link #nanoTime}'s scale. */
    private final AtomicLong nextWarning;

    OutcomeReporter(List<VerificationListener> listeners, String endpoint, String scheme, LongSupplier nanoTime) {
        this.listeners = listeners.toArray(new VerificationListener[0]);
        this.endpoint = endpoint;
        this.scheme = scheme;
        this.nanoTime = nanoTime;
        this.nextWarning = new AtomicLong(nanoTime.getAsLong());
    }

    /** Every reason the filter may refuse a request for: the verifier's, then its own. */
    static final List<RejectionReason> REASONS = reasons();

    private static List<RejectionReason> reasons() {
        List<RejectionReason> reasons = new ArrayList<>(List.of(Rejection.values()));
        reasons.addAll(List.of(FilterRejection.values()));
        return List.copyOf(reasons);
    }

    /** Tells every listener that the endpoint starts, with {@link #REASONS}. */
    void started() {
        for (VerificationListener listener : listeners) {
            try {
                listener.started(endpoint, scheme, REASONS);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                ignore(listener, e, "the filter started all the same");
            }
        }
    }

    /** The time now, on the scale {@code start} arguments use. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** The start of a request's decision: the time now, or 0 without a listener, which nobody reads then. */
    long start() {
        return listeners.length == 0 ? 0 : now();
    }

    void verified(long start) {
        report(null, false, start);
    }

    void rejected(RejectionReason reason, long start) {
        report(reason, false, start);
    }

    void duplicate(long start) {
        report(null, true, start);
    }

    /** Tells every listener: a rejection when {@code reason} is set, else a duplicate or a verification. */
    private void report(RejectionReason reason, boolean duplicate, long start) {
        if (listeners.length == 0) {
            return;
        }
        long nanos = now() - start;
        for (VerificationListener listener : listeners) {
            try {
                if (reason != null) {
                    listener.rejected(endpoint, scheme, reason, nanos);
                } else if (duplicate) {
                    listener.duplicate(endpoint, scheme, nanos);
                } else {
                    listener.verified(endpoint, scheme, nanos);
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Any other Throwable: a checked exception too, which a listener in Kotlin (or with Lombok's
                // @SneakyThrows) throws undeclared, and which would otherwise leave a verified request's claim
                // and replay record held and answer it 500.
                ignore(listener, e, "the request went on as decided");
            }
        }
    }

    /**
     * Logs a WARNING unless one was logged within the last minute. A virtual-machine error (out of
     * memory, stack overflow) is not caught at all: that is not a metrics bug.
     */
    private void ignore(VerificationListener listener, Throwable e, String outcome) {
        long now = now();
        long next = nextWarning.get();
        if (now - next >= 0 && nextWarning.compareAndSet(next, now + WARNING_INTERVAL_NANOS)) {
            LOG.log(Level.WARNING, "WebhookSignatureFilter ''{0}'': the VerificationListener {1} threw {2};"
                    + " {3} (further failures are logged at most once a minute)",
                    endpoint, listener.getClass().getName(), e.getClass().getName(), outcome);
        }
    }

    /**
     * A class name as Java's conventions write one: lower-case packages, then a class that begins upper-case, and its
     * nested classes ({@code com.example.Metrics$Listener}).
     */
    private static final Pattern CONVENTIONAL_CLASS_NAME =
            Pattern.compile("([a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

    /**
     * Instantiates the {@code listener} init-param's class.
     *
     * @param className the init-param's value, or null for none
     * @param loader where to look for the class
     * @return the listener, or null when the init-param is absent
     * @throws IllegalArgumentException saying what is wrong and how to fix it; naming a class not found only when its
     *         name is written as class names are
     */
    static VerificationListener instantiate(String className, ClassLoader loader) {
        if (className == null) {
            return null;
        }
        String name = className.strip();
        String fix = "; give the name of a class that implements " + VerificationListener.class.getName()
                + " and has a public no-arg constructor, or remove it";
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // Quoted only when written as class names are: anything else may be a secret under the wrong param-name.
            // The cause is left out, as its message quotes the name.
            throw new IllegalArgumentException(WebhookSignatureFilter.PARAM_LISTENER + ": "
                    + (CONVENTIONAL_CLASS_NAME.matcher(name).matches() ? "class " + name
                    : "the class named (not shown: it is not written as a class name is, and may be a secret given in"
                    + " the wrong place)") + " not found" + fix);
        }
        if (!VerificationListener.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(WebhookSignatureFilter.PARAM_LISTENER + ": " + name
                    + " does not implement " + VerificationListener.class.getName() + fix);
        }
        try {
            return (VerificationListener) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(WebhookSignatureFilter.PARAM_LISTENER + ": could not create a "
                    + name + " (" + e.getClass().getSimpleName() + ")" + fix, e);
        }
    }
}
