package dev.webhookfilter.servlet;

import dev.webhookfilter.Deduplicator;
import dev.webhookfilter.ReplayGuard;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The filter's view of its store: keys namespaced by endpoint (so endpoints sharing a store never
 * collide), and {@code onStoreUnavailable=allow} applied, which turns an undecided answer into "go on"
 * with at most one WARNING a minute. Thread-safe.
 */
final class StoreAccess implements ReplayGuard, Deduplicator {

    private static final System.Logger LOG = System.getLogger(WebhookSignatureFilter.class.getName());
    private static final long WARNING_INTERVAL_MILLIS = 60_000;

    private final ReplayGuard replay;
    private final Deduplicator dedup;
    private final boolean allowUnavailable;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong lastThrow = new AtomicLong(Long.MIN_VALUE / 2);
    private final boolean shared;
    private volatile String endpoint = "";
    private volatile byte[] namespace = new byte[0];

    /**
     * @param shared whether the store is shared with other endpoints or applications: then replay keys
     *        are namespaced by endpoint too
     */
    StoreAccess(ReplayGuard replay, Deduplicator dedup, boolean shared, boolean allowUnavailable, Clock clock) {
        this.shared = shared;
        this.replay = replay;
        this.dedup = dedup;
        this.allowUnavailable = allowUnavailable;
        this.clock = clock;
    }

    /** Whether the store is shared, so that its keys are namespaced by the endpoint's name. */
    boolean isShared() {
        return shared;
    }

    /** Sets the endpoint's namespace, the filter's name, once it is known (at {@code init}). */
    void namespace(String endpoint) {
        this.endpoint = endpoint;
        if (shared) {
            this.namespace = (endpoint + '\0').getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        Decision decision;
        try {
            decision = replay.record(namespaced(key), expiresAt);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            decision = threw(e, "record");
        }
        if (decision == null) {
            decision = Decision.UNAVAILABLE;
        }
        if (decision == Decision.UNAVAILABLE && allowUnavailable) {
            warn("replay protection");
            return Decision.FIRST_SEEN;
        }
        return decision;
    }

    /** Forgets; a store that throws keeps the record until it expires, as one that cannot be reached does. */
    @Override
    public void forget(byte[] key) {
        try {
            replay.forget(namespaced(key));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            threw(e, "forget");
        }
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        Claim claim;
        try {
            claim = dedup.claim(key, token, lease);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            claim = threw(e, "claim");
        }
        return claim == null ? Claim.UNAVAILABLE : claim;
    }

    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        try {
            return dedup.complete(key, token, ttl);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            threw(e, "complete");
            return false; // the claim lapses with its lease, as with a store that cannot be reached
        }
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        try {
            return dedup.release(key, token);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            threw(e, "release");
            return false;
        }
    }

    /**
     * A store that throws breaks its contract ("unavailable" rather than throw), and is taken as one that cannot
     * decide, whatever it throws short of a {@link VirtualMachineError}: a checked exception too, which a store
     * written in Kotlin (or with Lombok's {@code @SneakyThrows}) throws undeclared, such as JDBC's
     * {@code SQLException}, or a {@link LinkageError} when a class of its client is missing at run time. A request
     * is refused with 503 (or let through with {@code onStoreUnavailable=allow}), never answered 500. Logged at WARNING at most once a minute, by the exception's class only: a store's message
     * may carry its address and credentials. An {@link InterruptedException} (a store woken while it waited on a
     * socket or a pool) sets the thread's interrupt status again, which its throwing cleared: the interrupt is the
     * container's, not the store's, and whoever runs next on the thread must still see it.
     *
     * @return null, which the caller reads as "unavailable"
     */
    private <T> T threw(Throwable e, String operation) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        long now = clock.millis();
        long last = lastThrow.get();
        if (now - last >= WARNING_INTERVAL_MILLIS && lastThrow.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "the webhook store threw " + e.getClass().getName() + " from " + operation
                    + "; taken as unavailable (at most one such warning a minute)");
        }
        return null;
    }

    /** The key under which the endpoint claims a sender's message id. */
    byte[] dedupKey(String id) {
        return Deduplicator.key(endpoint, id);
    }

    /** An undecided de-duplication answer: true to run the handler anyway (allow), after a warning. */
    boolean allowWhenUnavailable() {
        if (allowUnavailable) {
            warn("de-duplication");
        }
        return allowUnavailable;
    }

    private byte[] namespaced(byte[] key) {
        byte[] prefix = namespace;
        if (prefix.length == 0) {
            return key;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix);
            digest.update(key);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no SHA-256", e);
        }
    }

    private void warn(String what) {
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= WARNING_INTERVAL_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "the webhook store could not decide (it did not answer, or refused); " + what
                    + " let a request through because onStoreUnavailable=allow (at most one such warning a minute)");
        }
    }

    @Override
    public String toString() {
        return "StoreAccess[" + replay + (dedup == replay ? "" : ", " + dedup)
                + (allowUnavailable ? ", allow when unavailable" : "") + "]";
    }
}
