package dev.webhookfilter.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Notes when this JVM stood still: a daemon thread sleeps {@value #TICK_MILLIS} ms at a time and keeps each wake-up
 * that came later than due by more than the threshold, as the span from when it was due to when it came. A
 * stop-the-world collection stops every thread (a Full GC for Metaspace took 0.66 s of wall clock for 0.06 s of CPU in a
 * JVM pinned to one core beside two busy loops, with the Serial GC a one-CPU JVM picks), and so does a machine that
 * does not run the process. A test that judges calls against a timeout by the clock asks whether the window it judges
 * held such a stall: a call in flight across one outlives its timeout whatever the code under test does.
 * Thread-safe; {@link #close} stops the thread.
 */
public final class Stalls implements AutoCloseable {

    static final long TICK_MILLIS = 5;

    private final long thresholdNanos;
    /** Each stall as {due, woke}, {@link System#nanoTime()}s. */
    private final List<long[]> seen = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile long lastWake = System.nanoTime();

    private Stalls(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        watcher = new Thread(this::watch, "stalls-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Starts watching for stalls longer than {@code thresholdMillis}. */
    public static Stalls longerThan(long thresholdMillis) {
        return new Stalls(TimeUnit.MILLISECONDS.toNanos(thresholdMillis));
    }

    private void watch() {
        while (running) {
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long woke = System.nanoTime();
            if (woke - due > thresholdNanos) {
                synchronized (seen) {
                    seen.add(new long[] {due, woke});
                }
            }
            lastWake = woke;
        }
    }

    /**
     * The longest stall that overlapped {@code from} to {@code to} ({@link System#nanoTime()}s), in ms; 0 if none. It
     * first waits (up to 1 s) for the watcher to wake after {@code to}, so that a stall that ended just before is seen.
     */
    public long longestMillisBetween(long from, long to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (lastWake - to < 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(TICK_MILLIS);
        }
        long longest = 0;
        synchronized (seen) {
            for (long[] s : seen) {
                if (s[0] - to < 0 && s[1] - from > 0) {
                    longest = Math.max(longest, s[1] - s[0]);
                }
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        watcher.interrupt();
        watcher.join(1000);
    }
}
