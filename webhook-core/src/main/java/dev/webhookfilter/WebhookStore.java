package dev.webhookfilter;

import java.time.Duration;

/**
 * A store shared by every instance of an application: replay protection ({@link ReplayGuard}) and
 * de-duplication ({@link Deduplicator}) in one place, opened from a URI by a
 * {@link WebhookStoreProvider}. Each store lives in its own module ({@code webhook-store-redis},
 * {@code webhook-store-jdbc}), so the core keeps no dependency.
 *
 * <p>Keys reach the store as 32-byte digests; it prefixes them (replay and de-duplication apart)
 * and never stores a raw id, signature or secret. Every call is bounded by the store's timeout and
 * answers "unavailable" rather than throw or block past it. Thread-safe.
 */
public interface WebhookStore extends ReplayGuard, Deduplicator, AutoCloseable {

    /**
     * The latest second a store keeps a replay record to, 9999-12-31T23:59:59Z: one asked for later (a
     * verifier given a tolerance of centuries asks for {@code Long.MAX_VALUE}) is kept until then, which
     * every store's clock can count to.
     */
    long LATEST_EXPIRY = 253_402_300_799L;

    /** The longest lease or time to live a store keeps a claim for, a hundred years; longer ones are cut to it. */
    Duration LONGEST = Duration.ofDays(36_500);

    /**
     * Whether the store can serve requests now, for health checks: it fails where a record or a claim would fail,
     * and leaves nothing behind (no record, no claim). What that takes is the store's, and may be more than one round
     * trip: a store may ask each of its servers, or run a request's own write and undo it. It waits no longer than
     * the store's calls do, as the store applies its timeout, and never throws.
     *
     * @return whether the store answered as a request needs it to; false once the store is closed
     */
    boolean isAvailable();

    /** Releases connections and threads; the store answers "unavailable" afterwards. Never throws. */
    @Override
    void close();
}
