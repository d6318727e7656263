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

    /** Sets the endpoint's namespace, the filter's name, once it is known (at {@code init}). */
    void namespace(String endpoint) {
        this.endpoint = endpoint;
        if (shared) {
            this.namespace = (endpoint + '\0').getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        Decision decision = replay.record(namespaced(key), expiresAt);
        if (decision == Decision.UNAVAILABLE && allowUnavailable) {
            warn("replay protection");
            return Decision.FIRST_SEEN;
        }
        return decision;
    }

    @Override
    public void forget(byte[] key) {
        replay.forget(namespaced(key));
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        return dedup.claim(key, token, lease);
    }

    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        return dedup.complete(key, token, ttl);
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        return dedup.release(key, token);
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
            LOG.log(Level.WARNING, "the webhook store did not answer; " + what + " let a request through because"
                    + " onStoreUnavailable=allow (at most one such warning a minute)");
        }
    }

    @Override
    public String toString() {
        return "StoreAccess[" + replay + (dedup == replay ? "" : ", " + dedup)
                + (allowUnavailable ? ", allow when unavailable" : "") + "]";
    }
}
