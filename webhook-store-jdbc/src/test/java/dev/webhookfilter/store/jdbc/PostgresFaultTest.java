package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped, or hung, under load: every call answers "unavailable" within the timeout plus
 * a margin (JDBC's timeouts are whole seconds, and a connection's login and a query each have one),
 * no thread is stuck, and once the server is back the same store works again, with the rows it had.
 */
class PostgresFaultTest {

    private static final int THREADS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The bound on any one call: the timeout, plus whole-second rounding of each step, plus scheduling. */
    private static final long BOUND_MILLIS = TIMEOUT.toMillis() + 4_000;
    private static final Duration LEASE = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private JdbcStore store;
    private ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong slowest = new AtomicLong();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final List<Future<?>> workers = new ArrayList<>();

    private LogCapture storeLog;

    @BeforeEach
    void open() {
        storeLog = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL);
        store = PostgresStoreTest.open(POSTGRES.server(), "fault-" + UUID.randomUUID(), Clock.systemUTC(), TIMEOUT, THREADS);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() throws Exception {
        running.set(false);
        threads.shutdown();
        assertTrue(threads.awaitTermination(BOUND_MILLIS * 2, TimeUnit.MILLISECONDS), "a thread is stuck");
        store.close();
        storeLog.close();
        String logged = storeLog.render();
        assertFalse(logged.isEmpty(), "the outage was logged");
        assertFalse(logged.contains(PostgresServer.PASSWORD), logged);
        System.out.println("PostgresFaultTest: " + succeeded + " calls succeeded, " + unavailable
                + " answered unavailable; the slowest took " + slowest + " ms (bound " + BOUND_MILLIS + " ms)");
    }

    /** Every thread records and claims new keys until told to stop, timing each call. */
    private void load() {
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(threads.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    byte[] k = key("load-" + thread + "-" + i + "-" + UUID.randomUUID());
                    long start = System.nanoTime();
                    boolean ok = i % 2 == 0
                            ? store.record(k, Instant.now().getEpochSecond() + 300) == Decision.FIRST_SEEN
                            : store.claim(k, token(thread), LEASE) == Claim.FIRST;
                    slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                    (ok ? succeeded : unavailable).incrementAndGet();
                }
            }));
        }
    }

    private void await(String what, java.util.function.BooleanSupplier condition, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "waited " + millis + " ms for " + what);
            StoreContract.pause(20);
        }
    }

    @Test
    void serverStoppedUnderLoad_callsAnswerUnavailableInTime_andRecoverWhenItStartsAgain() throws Exception {
        byte[] before = key("recorded-before-the-outage");
        assertEquals(Decision.FIRST_SEEN, store.record(before, Instant.now().getEpochSecond() + 300));
        load();
        await("calls to succeed", () -> succeeded.get() > 200, 30_000);
        assertEquals(0, unavailable.get(), "no failure while the server runs");

        POSTGRES.server().stop();
        int okAtStop = succeeded.get();
        await("calls to fail", () -> unavailable.get() > 200, 30_000);
        assertFalse(store.isAvailable());
        assertEquals(Decision.UNAVAILABLE, store.record(key("during"), Instant.now().getEpochSecond() + 300));
        assertEquals(Claim.UNAVAILABLE, store.claim(key("during"), token(1), LEASE));
        assertFalse(store.complete(key("during"), token(1), LEASE));
        assertTrue(succeeded.get() - okAtStop <= THREADS, "only calls already under way when the server stopped succeed");
        assertTrue(slowest.get() <= BOUND_MILLIS, "slowest call " + slowest.get() + " ms");

        POSTGRES.server().start();
        await("the store to answer again", store::isAvailable, 30_000);
        int okAtRestart = succeeded.get();
        await("calls to succeed again", () -> succeeded.get() > okAtRestart + 200, 30_000);
        int failedAfter = unavailable.get();
        await("more calls", () -> succeeded.get() > okAtRestart + 400, 30_000);
        assertEquals(failedAfter, unavailable.get(), "no failure once recovered");
        assertEquals(Decision.REPLAYED, store.record(before, Instant.now().getEpochSecond() + 300),
                "the row recorded before the outage is still there");
        running.set(false);
        for (Future<?> w : workers) {
            w.get(BOUND_MILLIS * 2, TimeUnit.MILLISECONDS);
        }
        assertTrue(slowest.get() <= BOUND_MILLIS, "slowest call " + slowest.get() + " ms");
    }

    @Test
    void serverHung_callsAnswerUnavailableInTime_andRecoverWhenItAnswersAgain() throws Exception {
        load();
        await("calls to succeed", () -> succeeded.get() > 200, 30_000);
        POSTGRES.server().freeze();
        try {
            await("calls to fail", () -> unavailable.get() >= THREADS * 2, 30_000);
            long start = System.nanoTime();
            assertEquals(Claim.UNAVAILABLE, store.claim(key("hung"), token(1), LEASE));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took <= BOUND_MILLIS, "took " + took + " ms");
            assertTrue(slowest.get() <= BOUND_MILLIS, "slowest call " + slowest.get() + " ms");
        } finally {
            POSTGRES.server().thaw();
        }
        int okAtThaw = succeeded.get();
        await("calls to succeed again", () -> succeeded.get() > okAtThaw + 200, 30_000);
        running.set(false);
        for (Future<?> w : workers) {
            w.get(BOUND_MILLIS * 2, TimeUnit.MILLISECONDS);
        }
        assertTrue(slowest.get() <= BOUND_MILLIS, "slowest call " + slowest.get() + " ms");
        assertEquals(Claim.FIRST, store.claim(key("after-" + UUID.randomUUID()), token(1), LEASE));
    }
}
