package dev.webhookfilter;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ReplayGuard} for one server: up to {@code capacity} replay keys in memory, each dropped
 * once its timestamp has gone stale. When every place is taken by a message that is still fresh,
 * new requests get {@link Decision#UNAVAILABLE} (the filter answers 503 with {@code Retry-After})
 * rather than an old message being forgotten early, which would let its replay through.
 *
 * <p>About 150 bytes per key. Thread-safe; each call holds a lock for a map operation, plus
 * a sweep of expired entries from the oldest.
 */
public final class InMemoryReplayGuard implements ReplayGuard {

    private final int capacity;
    private final Clock clock;
    // Insertion order is nearly expiry order (timestamps are within the tolerance of now), so
    // expired entries are swept from the head; a full map is swept entirely before refusing.
    private final LinkedHashMap<ByteBuffer, Long> expiries = new LinkedHashMap<>();
    /** Private: code that holds this object's monitor cannot stall the requests that use it. */
    private final Object lock = new Object();

    /**
     * A replay guard that remembers at most {@code capacity} keys, and judges expiry by {@code clock}.
     *
     * @param capacity the most keys remembered at once, at least 1
     * @param clock the clock that says when a key has expired
     * @throws IllegalArgumentException if capacity is less than 1
     */
    public InMemoryReplayGuard(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the replay guard's capacity must be at least 1");
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        synchronized (lock) {
            long now = Math.floorDiv(clock.millis(), 1000L);
            sweepHead(now);
            ByteBuffer entry = ByteBuffer.wrap(key);
            Long known = expiries.get(entry);
            if (known != null && known >= now) {
                return Decision.REPLAYED;
            }
            if (known == null && expiries.size() >= capacity && !sweepAll(now)) {
                return Decision.UNAVAILABLE;
            }
            expiries.put(entry, expiresAt);
            return Decision.FIRST_SEEN;
        }
    }

    @Override
    public void forget(byte[] key) {
        synchronized (lock) {
            expiries.remove(ByteBuffer.wrap(key));
        }
    }

    /** {@return how many keys are remembered now} */
    public int size() {
        synchronized (lock) {
            return expiries.size();
        }
    }

    private void sweepHead(long now) {
        Iterator<Long> it = expiries.values().iterator();
        while (it.hasNext() && it.next() < now) {
            it.remove();
        }
    }

    /** Removes every expired entry; true if that made room. */
    private boolean sweepAll(long now) {
        expiries.values().removeIf(expiry -> expiry < now);
        return expiries.size() < capacity;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryReplayGuard[" + expiries.size() + " of " + capacity + " keys]";
        }
    }
}
