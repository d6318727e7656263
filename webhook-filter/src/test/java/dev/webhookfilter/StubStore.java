package dev.webhookfilter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that never decides: every record and claim answers "unavailable", for the fail-closed paths
 * and for health checks. Its {@link #isAvailable()} answer is set by the test, and it may be told to
 * throw from that check instead. The real stores are proven against real servers in their own modules.
 */
public final class StubStore implements WebhookStore {

    /** What {@link #isAvailable()} answers. */
    public final AtomicBoolean available;
    /** How many times {@link #close()} was called. */
    public final AtomicInteger closed = new AtomicInteger();
    /** When set, {@link #isAvailable()} throws, with a message that carries credentials. */
    public volatile boolean throwOnCheck;
    /** Every replay key {@link #record} was given, in order. */
    public final List<byte[]> recorded = new CopyOnWriteArrayList<>();

    /**
     * @param available what {@link #isAvailable()} answers until the test changes it
     */
    public StubStore(boolean available) {
        this.available = new AtomicBoolean(available);
    }

    @Override
    public boolean isAvailable() {
        if (throwOnCheck) {
            throw new IllegalStateException("redis://user:password@10.0.0.1 refused");
        }
        return available.get();
    }

    @Override
    public void close() {
        closed.incrementAndGet();
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        recorded.add(key.clone());
        return Decision.UNAVAILABLE;
    }

    @Override
    public void forget(byte[] key) {
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        return Claim.UNAVAILABLE;
    }

    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        return false;
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        return false;
    }

    @Override
    public String toString() {
        return "StubStore";
    }
}
