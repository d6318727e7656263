package dev.webhookfilter;

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
     * A cheap round trip to the store, for health checks; bounded by the store's timeout.
     *
     * @return whether the store answered
     */
    boolean isAvailable();

    /** Releases connections and threads; the store answers "unavailable" afterwards. Never throws. */
    @Override
    void close();
}
