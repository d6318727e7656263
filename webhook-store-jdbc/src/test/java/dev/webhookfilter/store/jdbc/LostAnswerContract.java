package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.inAMinute;
import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record or a claim that the database committed while the call answered "unavailable" (its answer lost), on
 * every database the store supports: the store drops the row afterwards, on its own thread, if the row still
 * holds the call's mark or token, and never drops another call's row.
 *
 * <p>The answer is lost by {@link Faults}, around the store's own pool: the store's statement runs on the real
 * connection, then throws {@link SQLTimeoutException}, as a query timeout or a socket timeout after the commit
 * would. The pool's connections are in auto-commit mode, and each statement of a record or a claim is a
 * transaction of its own, so the statement has committed when the driver returns, before the exception: the
 * database never sees a failure, and on PostgreSQL no transaction is left aborted to roll the statement back.
 * The store then gives the connection back as broken and the pool closes it, as after a real timeout. The tests
 * do not take this for granted: with the drop held, they look from a connection of their own ({@link #admin()})
 * and find the failed call's row committed, then let the drop run.
 *
 * <p>Each test has its own prefix and counts only its own rows, so the tests share the table.
 */
abstract class LostAnswerContract {

    /** How long a drop may take to show, on a loaded machine; the tests poll, they do not sleep this long. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How long a held drop waits to be released before it fails: longer than the {@link JdbcStore#MAX_PENDING_DROPS}
     * failed calls of {@code H2LostAnswerTest} take on a loaded machine. Tests release the drops as soon as they
     * have looked.
     */
    private static final Duration HOLD = Duration.ofMinutes(1);

    /** A new pool of the store's own for the database under test. */
    abstract Pool pool();

    /** The database's URL, as the store is opened with it. */
    abstract String url();

    /** The SQL the store runs on this database. */
    abstract Dialect dialect();

    /** A connection of the test's own, to look at the rows. */
    abstract Connection admin() throws SQLException;

    private String prefix;
    Faults faults;
    JdbcStore store;

    @BeforeEach
    void openStore() {
        prefix = "lost-" + UUID.randomUUID();
        faults = new Faults(pool());
        store = JdbcStoreProvider.open(faults, url(), StoreContract.TIMEOUT, prefix, Clock.systemUTC(), false);
    }

    @AfterEach
    void closeStore() {
        faults.releaseDrops();
        store.close();
    }

    @Test
    void record_committedButAnswerLost_isUnavailable_andDropped_soTheRetryIsFirstSeen() throws SQLException {
        faults.holdDrops();
        faults.failOnceAfterRunning(dialect().recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));
        assertEquals(1, rows("replay"), "the record committed, its answer lost");

        faults.releaseDrops();
        awaitRows("replay", 0);
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    @Test
    void record_takeoverOfAnExpiredRow_committedButAnswerLost_isDropped() throws SQLException {
        long past = Instant.now().getEpochSecond() - JdbcStore.CLEANUP_GRACE.toSeconds() - 10; // beyond the grace
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), past));
        byte[] expiredMark = ownerToken("replay", key("sig"));
        faults.holdDrops();
        faults.failOnceAfterRunning(dialect().recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));
        byte[] mark = ownerToken("replay", key("sig"));
        assertNotNull(mark, "the row is still there");
        assertFalse(Arrays.equals(expiredMark, mark), "the takeover committed: the row holds the failed call's mark");

        faults.releaseDrops();
        awaitRows("replay", 0);
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
    }

    @Test
    void claim_committedButAnswerLost_isUnavailable_andDropped_soAnotherClaimIsFirst() throws SQLException {
        faults.holdDrops();
        faults.failOnceAfterRunning(dialect().claim);
        assertEquals(Claim.UNAVAILABLE, store.claim(key("evt"), token(1), StoreContract.LEASE));
        assertArrayEquals(token(1), ownerToken("dedup", key("evt")), "the claim committed, its answer lost");

        faults.releaseDrops();
        awaitRows("dedup", 0);
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(2), StoreContract.LEASE));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), StoreContract.LEASE));
    }

    @Test
    void record_failedCallOnAnothersRow_leavesThatRow() throws SQLException {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        byte[] mark = ownerToken("replay", key("sig"));
        assertNotNull(mark);
        faults.failOnceAfterRunning(dialect().recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));

        await(() -> store.pendingDrops() == 0);
        assertArrayEquals(mark, ownerToken("replay", key("sig")), "the first call's row, as it was");
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    @Test
    void claim_failedCallOnAnothersClaim_leavesThatClaim() throws SQLException {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), StoreContract.LEASE));
        faults.failOnceAfterRunning(dialect().claim);
        assertEquals(Claim.UNAVAILABLE, store.claim(key("evt"), token(2), StoreContract.LEASE));

        await(() -> store.pendingDrops() == 0);
        assertArrayEquals(token(1), ownerToken("dedup", key("evt")), "the first call's claim, as it was");
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), StoreContract.LEASE));
        assertTrue(store.complete(key("evt"), token(1), StoreContract.TTL));
    }

    private void awaitRows(String kind, int expected) throws SQLException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int found;
        try (Connection c = admin()) {
            while ((found = rows(c, kind)) != expected && System.nanoTime() < deadline) {
                StoreContract.pause(20);
            }
        }
        assertEquals(expected, found, "rows of kind " + kind + " after waiting " + PATIENCE.toSeconds() + " s");
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + PATIENCE.toSeconds() + " s");
            StoreContract.pause(20);
        }
    }

    private int rows(String kind) throws SQLException {
        try (Connection c = admin()) {
            return rows(c, kind);
        }
    }

    private int rows(Connection c, String kind) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + JdbcStore.TABLE + " WHERE prefix = ? AND kind = ?")) {
            s.setString(1, prefix);
            s.setString(2, kind);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** The committed row's owner_token (a record's mark, a claim's token), or null if there is no row. */
    private byte[] ownerToken(String kind, byte[] key) throws SQLException {
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement("SELECT owner_token FROM " + JdbcStore.TABLE
                + " WHERE prefix = ? AND kind = ? AND key_digest = ?")) {
            s.setString(1, prefix);
            s.setString(2, kind);
            s.setBytes(3, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    /**
     * The store's pool, with connections whose statements fail as told: the statement of given SQL runs and
     * then throws once (its answer lost), or throws every time without running; and the store's DELETEs may be
     * held until {@link #releaseDrops()}.
     */
    static final class Faults implements ConnectionSource {

        private final Pool pool;
        private final AtomicBoolean armed = new AtomicBoolean();
        private final CountDownLatch dropsReleased = new CountDownLatch(1);
        private volatile String failing;
        private volatile boolean always;
        private volatile boolean holdDrops;
        private final CountDownLatch dropHeld = new CountDownLatch(1);
        private volatile Thread holding;
        private volatile Duration outlastInterrupt;

        Faults(Pool pool) {
            this.pool = pool;
        }

        void failOnceAfterRunning(String sql) {
            failing = sql;
            always = false;
            armed.set(true);
        }

        void failAlways(String sql) {
            failing = sql;
            always = true;
        }

        void holdDrops() {
            holdDrops = true;
        }

        void releaseDrops() {
            dropsReleased.countDown();
        }

        /**
         * A held drop that is interrupted goes on for {@code time} before it fails, as a statement blocked on its
         * socket does, which an interrupt does not end.
         */
        void outlastInterrupt(Duration time) {
            outlastInterrupt = time;
        }

        /** The thread that holds the first drop held, once it holds it. */
        Thread awaitHeldDrop() throws InterruptedException {
            if (!dropHeld.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("no drop was held within " + PATIENCE);
            }
            return holding;
        }

        @Override
        public Connection borrow(long deadline) throws SQLException {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    new Borrowed(pool.borrow(deadline)));
        }

        /** A borrowed connection, whose statements fail as told; the pool gets the real one back. */
        private final class Borrowed implements InvocationHandler {

            final Connection real;

            Borrowed(Connection real) {
                this.real = real;
            }

            @Override
            public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
                Object result = Faults.invoke(real, method, args);
                if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement) {
                    return statement((PreparedStatement) result, (String) args[0]);
                }
                return result;
            }
        }

        private PreparedStatement statement(PreparedStatement real, String sql) {
            InvocationHandler handler = (proxy, method, args) -> {
                String name = method.getName();
                boolean executes = name.equals("executeUpdate") || name.equals("executeQuery");
                if (executes && sql.equals(failing) && always) {
                    throw new SQLTimeoutException("the test's statement always fails", "57014");
                }
                if (executes && holdDrops && sql.startsWith("DELETE")) {
                    holding = Thread.currentThread();
                    dropHeld.countDown();
                    try {
                        if (!dropsReleased.await(HOLD.toSeconds(), TimeUnit.SECONDS)) {
                            throw new SQLException("the test never released the drops");
                        }
                    } catch (InterruptedException e) {
                        Duration outlast = outlastInterrupt;
                        if (outlast == null) {
                            throw e;
                        }
                        long end = System.nanoTime() + outlast.toNanos();
                        for (long left = outlast.toNanos(); left > 0; left = end - System.nanoTime()) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(left);
                            } catch (InterruptedException again) {
                                // as a blocked socket read, deaf to interrupts
                            }
                        }
                        throw new SQLException("the held drop was interrupted", e);
                    }
                }
                Object result = invoke(real, method, args);
                if (executes && sql.equals(failing) && armed.compareAndSet(true, false)) {
                    if (result instanceof ResultSet) {
                        ((ResultSet) result).close();
                    }
                    throw new SQLTimeoutException("the test lost this answer", "57014");
                }
                return result;
            };
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, handler);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public void giveBack(Connection connection, boolean healthy) {
            pool.giveBack(((Borrowed) Proxy.getInvocationHandler(connection)).real, healthy);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
