package dev.webhookfilter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Threads left behind: a test takes {@link #running()} before the code under test starts threads (a client's
 * event loops, a driver's timer), and {@link #assertNoneLeftSince} once that code should have stopped them,
 * which waits a while for them to end, since some end a moment after their owner is closed.
 */
public final class Threads {

    /**
     * The JDK's own: the pool that waits for child processes, such as a fixture's server restarted during the
     * test, keeps an idle thread for a minute after the process it waited for has ended.
     */
    private static final String PROCESS_REAPER = "process reaper";

    private Threads() {
    }

    /** The threads alive now. */
    public static Set<Thread> running() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * Waits up to {@code settle} for every thread started since {@code before} to end, and fails naming those
     * still alive then.
     *
     * @param ignored the starts of the names of threads to leave out (a fixture's own)
     */
    public static void assertNoneLeftSince(Set<Thread> before, Duration settle, String... ignored)
            throws InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName)
                    .filter(name -> !name.startsWith(PROCESS_REAPER))
                    .filter(name -> Arrays.stream(ignored).noneMatch(name::startsWith))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(Set.of(), left, "threads still running " + TimeUnit.NANOSECONDS.toMillis(settle.toNanos()) + " ms on");
    }
}
