package dev.webhookfilter;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Deduplicator} for one server: up to {@code capacity} message ids in memory, claimed or
 * done, each dropped when its lease or its time-to-live ends. When every place holds an entry that has
 * not expired, a new claim gets {@link Claim#UNAVAILABLE} (the filter answers 503 with
 * {@code Retry-After}) rather than an entry being forgotten early, which would let a duplicate through.
 *
 * <p>Thread-safe; each call holds a lock for a map operation, plus a sweep of expired entries when full.
 */
public final class InMemoryDeduplicator implements Deduplicator {

    private static final byte[] DONE = new byte[0];

    private final int capacity;
    private final Clock clock;
    private final Map<ByteBuffer, Entry> entries = new HashMap<>();
    /** Private: code that holds this object's monitor cannot stall the requests that use it. */
    private final Object lock = new Object();

    /** A claim (owner's token) or a completion ({@link #DONE}), and when it ends, in epoch millis. */
    private static final class Entry {
        final byte[] owner;
        final long expiresAt;

        Entry(byte[] owner, long expiresAt) {
            this.owner = owner;
            this.expiresAt = expiresAt;
        }
    }

    /**
     * A de-duplicator that remembers at most {@code capacity} ids, and judges expiry by {@code clock}.
     *
     * @param capacity the most ids remembered at once, at least 1
     * @param clock the clock that says when a lease or a completion has expired
     * @throws IllegalArgumentException if capacity is less than 1
     */
    public InMemoryDeduplicator(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the de-duplicator's capacity must be at least 1");
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        synchronized (lock) {
            long now = clock.millis();
            ByteBuffer id = ByteBuffer.wrap(key);
            Entry known = entries.get(id);
            if (known != null && known.expiresAt > now) {
                return known.owner == DONE ? Claim.DONE : Claim.IN_PROGRESS;
            }
            if (known == null && entries.size() >= capacity) {
                entries.values().removeIf(entry -> entry.expiresAt <= now);
                if (entries.size() >= capacity) {
                    return Claim.UNAVAILABLE;
                }
            }
            entries.put(id, new Entry(token.clone(), expiry(now, lease)));
            return Claim.FIRST;
        }
    }

    /**
     * {@inheritDoc} A claim whose lease lapsed is still its owner's to complete while nobody has claimed the key since
     * (its entry stays until a claim of another key makes room).
     */
    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        synchronized (lock) {
            ByteBuffer id = ByteBuffer.wrap(key);
            Entry entry = entries.get(id);
            boolean owned = entry != null && entry.owner != DONE && Arrays.equals(entry.owner, token);
            if (owned) {
                entries.put(id, new Entry(DONE, expiry(clock.millis(), ttl)));
            }
            return owned;
        }
    }

    /**
     * {@return {@code now + duration} in epoch millis, {@code Long.MAX_VALUE} where that does not fit}
     * {@code Duration.toMillis} throws past about 292 million years, and the sum wrapped to the past
     * before that, which expired the entry as it was made. A negative duration is over at {@code now}.
     */
    private static long expiry(long now, Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 0) {
            return now;
        }
        // Below room / 1000 whole seconds, the millis (at most 999 more than seconds * 1000) fit the room.
        long room = Long.MAX_VALUE - Math.max(now, 0);
        return seconds < room / 1000 ? now + duration.toMillis() : Long.MAX_VALUE;
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        synchronized (lock) {
            ByteBuffer id = ByteBuffer.wrap(key);
            boolean owned = ownedBy(entries.get(id), token);
            if (owned) {
                entries.remove(id);
            }
            return owned;
        }
    }

    private boolean ownedBy(Entry entry, byte[] token) {
        return entry != null && entry.owner != DONE && entry.expiresAt > clock.millis()
                && Arrays.equals(entry.owner, token);
    }

    /** {@return how many ids are remembered now, claimed or done, expired or not} */
    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryDeduplicator[" + entries.size() + " of " + capacity + " ids]";
        }
    }
}
