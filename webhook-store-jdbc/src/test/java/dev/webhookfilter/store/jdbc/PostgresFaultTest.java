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
import org.junit.jupiter.api.BeforeAll;
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

    @BeforeAll
    static void warmUp() throws Exception {
        POSTGRES.server().warmUp();
    }

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

    /**
     * A replay recorded just before the server is killed (SIGKILL, as a crash) is refused once it runs again: the server
     * keeps what it acknowledged, as PostgreSQL does with its default {@code synchronous_commit}. The fixture's server
     * ran with {@code synchronous_commit=off}, and lost it ("expected: <REPLAYED> but was: <FIRST_SEEN>"); in
     * {@code TwoInstancesPostgresOutageTest}, run with {@code killedWhileIdle} first, it lost the table the instances
     * had just created, and both answered 503 for 20 s after the restart. The WAL writer, which writes asynchronous
     * commits within about 200 ms, is stopped first, so that only a synchronous commit is in the WAL at the kill.
     */
    @Test
    void killedRightAfterARecord_theRecordIsKeptThroughTheCrash() throws Exception {
        byte[] recorded = key("recorded-just-before-the-crash");
        POSTGRES.server().stopWalWriter();
        assertEquals(Decision.FIRST_SEEN, store.record(recorded, Instant.now().getEpochSecond() + 300));
        POSTGRES.server().kill();
        POSTGRES.server().start();
        // The first call after the restart finds its pooled connection dead and answers unavailable.
        Decision again = Decision.UNAVAILABLE;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); again == Decision.UNAVAILABLE
                && System.nanoTime() < end; ) {
            again = store.record(recorded, Instant.now().getEpochSecond() + 300);
        }
        assertEquals(Decision.REPLAYED, again, "the replay recorded before the crash is refused after it"
                + " (UNAVAILABLE where the table was lost too)");
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
    /**
     * A container's pool hands out connections it opened before, and its driver may have no {@code socketTimeout}
     * (PgJDBC's default: none). The server hangs: the call's statement times out, PgJDBC's cancel request goes to a
     * postmaster that answers nothing (and gives up after {@code cancelSignalTimeout}), and the caller read from the
     * socket until the server came back: a container thread held for as long as the outage lasts (the claim was still
     * undecided after the bound, 5 s). The store bounds each read of a borrowed connection by the call's
     * timeout (JDBC's network timeout), and gives the pool back the connection as it was.
     */
    @Test
    void dataSourceWithoutASocketTimeout_serverHung_callAnswersUnavailableInTime() throws Exception {
        org.postgresql.ds.PGSimpleDataSource driver = new org.postgresql.ds.PGSimpleDataSource();
        driver.setServerNames(new String[] {"127.0.0.1"});
        driver.setPortNumbers(new int[] {POSTGRES.server().port()});
        driver.setDatabaseName("postgres");
        driver.setUser(PostgresServer.USER);
        driver.setPassword(PostgresServer.PASSWORD);
        // As README tells users to set it; PgJDBC's query timeout waits for its cancel request (10 s by default).
        driver.setCancelSignalTimeout(1);
        java.util.concurrent.BlockingDeque<java.sql.Connection> idle = new java.util.concurrent.LinkedBlockingDeque<>();
        for (int i = 0; i < 2; i++) {
            idle.add(driver.getConnection());
        }
        // The pool's part: an idle connection lent, and given back on close; none opened while the server hangs.
        javax.sql.DataSource pool = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return method.invoke(driver, args);
                    }
                    java.sql.Connection real = idle.pollFirst(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (real == null) {
                        throw new java.sql.SQLTimeoutException("no idle connection");
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {java.sql.Connection.class}, (c, m, a) -> {
                                if (m.getName().equals("close")) {
                                    idle.addFirst(real);
                                    return null;
                                }
                                try {
                                    return m.invoke(real, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (JdbcStore viaPool = (JdbcStore) new JdbcStoreProvider().open(pool, TIMEOUT, "pooled-" + UUID.randomUUID())) {
            assertEquals(Claim.FIRST, viaPool.claim(key("before"), token(1), LEASE));
            assertEquals(0, idle.peekFirst().getNetworkTimeout(), "given back as it was lent");
            POSTGRES.server().freeze();
            try {
                long start = System.nanoTime();
                Future<Claim> hung = caller.submit(() -> viaPool.claim(key("hung"), token(1), LEASE));
                Claim claim;
                try {
                    claim = hung.get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    claim = null;
                }
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(Claim.UNAVAILABLE, claim, "after " + took + " ms (bound " + BOUND_MILLIS + " ms)");
            } finally {
                POSTGRES.server().thaw();
            }
        } finally {
            caller.shutdownNow();
            for (java.sql.Connection c; (c = idle.poll()) != null; ) {
                c.close();
            }
        }
    }
}
