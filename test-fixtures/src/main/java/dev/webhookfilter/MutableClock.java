package dev.webhookfilter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** A UTC clock that tests set and advance, so that no test sleeps or reads the wall clock. Thread-safe. */
public final class MutableClock extends Clock {

    private volatile Instant now;
    private final AtomicInteger reads = new AtomicInteger();

    public MutableClock(long epochSecond) {
        this.now = Instant.ofEpochSecond(epochSecond);
    }

    /** Moves the clock forward (or back, with a negative amount) by whole seconds. */
    public void advanceSeconds(long seconds) {
        now = now.plusSeconds(seconds);
    }

    /** {@return how many times the time was read} */
    public int reads() {
        return reads.get();
    }

    @Override
    public Instant instant() {
        reads.incrementAndGet();
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
