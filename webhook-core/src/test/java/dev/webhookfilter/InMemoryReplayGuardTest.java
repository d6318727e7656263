package dev.webhookfilter;

import static dev.webhookfilter.ReplayGuard.Decision.FIRST_SEEN;
import static dev.webhookfilter.ReplayGuard.Decision.REPLAYED;
import static dev.webhookfilter.ReplayGuard.Decision.UNAVAILABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryReplayGuardTest {

    private static final long NOW = 1_700_000_000L;
    private final AtomicLong seconds = new AtomicLong(NOW);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.get());
        }
    };

    private static byte[] signature(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return bytes;
    }

    @Test
    void refusesASignatureSeenBeforeItExpires() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(10, clock);
        assertEquals(FIRST_SEEN, guard.record(signature(1), NOW + 300));
        assertEquals(REPLAYED, guard.record(signature(1), NOW + 300));
        seconds.set(NOW + 300);
        assertEquals(REPLAYED, guard.record(signature(1), NOW + 300), "still fresh at its last second");
    }

    @Test
    void recognisesTheSameBytesInAnotherArray() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(10, clock);
        guard.record(signature(7), NOW + 300);
        assertEquals(REPLAYED, guard.record(signature(7), NOW + 300));
        assertEquals(FIRST_SEEN, guard.record(signature(8), NOW + 300));
    }

    @Test
    void dropsSignaturesOnceExpired() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(10, clock);
        guard.record(signature(1), NOW + 300);
        guard.record(signature(2), NOW + 600);
        seconds.set(NOW + 301);
        guard.record(signature(3), NOW + 601);
        assertEquals(2, guard.size(), "the first expired and was swept");
    }

    @Test
    void refusesWhenFullOfFreshSignaturesInsteadOfForgettingOne() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(2, clock);
        guard.record(signature(1), NOW + 300);
        guard.record(signature(2), NOW + 300);
        assertEquals(UNAVAILABLE, guard.record(signature(3), NOW + 300));
        assertEquals(REPLAYED, guard.record(signature(1), NOW + 300), "a full guard still recognises replays");
    }

    @Test
    void aFullGuardKeepsASignatureInItsLastSecond() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(2, clock);
        guard.record(signature(1), NOW + 900);
        guard.record(signature(2), NOW + 10);
        seconds.set(NOW + 10);
        assertEquals(UNAVAILABLE, guard.record(signature(3), NOW + 310), "signature 2 is still fresh");
    }

    @Test
    void makesRoomFromExpiredEntriesAnywhereWhenFull() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(2, clock);
        guard.record(signature(1), NOW + 900); // long-lived entry at the head
        guard.record(signature(2), NOW + 10);
        seconds.set(NOW + 11);
        assertEquals(FIRST_SEEN, guard.record(signature(3), NOW + 311));
        assertEquals(2, guard.size());
    }

    @Test
    void forgetLetsTheSameSignatureThroughAgain() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(10, clock);
        guard.record(signature(1), NOW + 300);
        guard.forget(signature(1));
        assertEquals(FIRST_SEEN, guard.record(signature(1), NOW + 300));
    }

    @Test
    void aCapacityOfOneHoldsOneKey() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(1, clock);
        assertEquals(FIRST_SEEN, guard.record(signature(1), NOW + 300));
        assertEquals(UNAVAILABLE, guard.record(signature(2), NOW + 300));
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryReplayGuard(0, clock));
    }

    @Test
    void toStringShowsCountsOnly() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(5, clock);
        guard.record(signature(0x41), NOW + 300);
        assertEquals("InMemoryReplayGuard[1 of 5 keys]", guard.toString());
        assertFalse(guard.toString().contains("AAAA"));
        assertTrue(guard.size() == 1);
    }

    @Test
    void anApplicationHoldingTheGuardsMonitor_doesNotStallIt() throws Exception {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(10, clock);
        assertEquals(FIRST_SEEN, whileMonitorHeld(guard, () -> guard.record(signature(1), NOW + 300)));
    }

    /**
     * Runs {@code call} on another thread while this one holds {@code monitor}'s monitor, as an application
     * that synchronizes on a store it shares could; fails if the call waits for it (a hang is bounded at 30 s).
     */
    static <T> T whileMonitorHeld(Object monitor, Callable<T> call) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            synchronized (monitor) {
                return other.submit(call).get(30, TimeUnit.SECONDS);
            }
        } catch (TimeoutException e) {
            throw new AssertionError("the call waited for the monitor the caller held", e);
        } finally {
            other.shutdownNow();
        }
    }
}
