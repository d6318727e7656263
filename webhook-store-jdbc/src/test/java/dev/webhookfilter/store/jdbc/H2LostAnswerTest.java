package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.inAMinute;
import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record or a claim that the database committed while the call answered "unavailable" (its answer lost):
 * on H2 in memory, a statement that runs and then throws {@link SQLTimeoutException}, as a query timeout or a
 * socket timeout after the commit would.
 */
class H2LostAnswerTest {

    private static final String URL = "jdbc:h2:mem:webhook-store-lost-answer;DB_CLOSE_DELAY=-1";
    /** How long a drop may take to show, on a loaded machine; the tests poll, they do not sleep this long. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static Connection keepAlive;

    private String prefix;
    private Faults faults;
    private JdbcStore store;

    @BeforeAll
    static void createDatabase() throws SQLException {
        keepAlive = DriverManager.getConnection(URL);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (var s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @BeforeEach
    void openStore() {
        prefix = "lost-" + UUID.randomUUID();
        faults = new Faults(new Pool(new org.h2.Driver(), URL, new Properties(), JdbcStoreProvider.POOL_SIZE));
        store = JdbcStoreProvider.open(faults, URL, StoreContract.TIMEOUT, prefix, Clock.systemUTC(), false);
    }

    @AfterEach
    void closeStore() {
        faults.releaseDrops.countDown();
        store.close();
    }

    @Test
    void record_committedButAnswerLost_isUnavailable_andDropped_soTheRetryIsFirstSeen() throws SQLException {
        faults.failOnceAfterRunning(Dialect.H2.recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));

        awaitRows("replay", 0);
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    @Test
    void record_takeoverOfAnExpiredRow_committedButAnswerLost_isDropped() throws SQLException {
        long past = Instant.now().getEpochSecond() - 10;
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), past));
        faults.failOnceAfterRunning(Dialect.H2.recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));

        awaitRows("replay", 0);
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
    }

    @Test
    void claim_committedButAnswerLost_isUnavailable_andDropped_soAnotherClaimIsFirst() throws SQLException {
        faults.failOnceAfterRunning(Dialect.H2.claim);
        assertEquals(Claim.UNAVAILABLE, store.claim(key("evt"), token(1), StoreContract.LEASE));

        awaitRows("dedup", 0);
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(2), StoreContract.LEASE));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), StoreContract.LEASE));
    }

    @Test
    void record_failedCallOnAnothersRow_leavesThatRow() throws SQLException {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        faults.failOnceAfterRunning(Dialect.H2.recordReplay);
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));

        await(() -> store.pendingDrops() == 0);
        assertEquals(1, rows("replay"));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    @Test
    void claim_failedCallOnAnothersClaim_leavesThatClaim() throws SQLException {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), StoreContract.LEASE));
        faults.failOnceAfterRunning(Dialect.H2.claim);
        assertEquals(Claim.UNAVAILABLE, store.claim(key("evt"), token(2), StoreContract.LEASE));

        await(() -> store.pendingDrops() == 0);
        assertEquals(1, rows("dedup"));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), StoreContract.LEASE));
        assertTrue(store.complete(key("evt"), token(1), StoreContract.TTL));
    }

    @Test
    void drops_pendingAtOnce_areBounded() throws SQLException {
        faults.failAlways(Dialect.H2.recordReplay);
        faults.holdDrops();
        int calls = JdbcStore.MAX_PENDING_DROPS + 5;
        for (int i = 0; i < calls; i++) {
            assertEquals(Decision.UNAVAILABLE, store.record(key("sig-" + i), inAMinute()));
        }
        assertEquals(JdbcStore.MAX_PENDING_DROPS, store.pendingDrops());

        faults.releaseDrops.countDown();
        await(() -> store.pendingDrops() == 0);
    }

    private void awaitRows(String kind, int expected) throws SQLException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int found;
        while ((found = rows(kind)) != expected && System.nanoTime() < deadline) {
            StoreContract.pause(20);
        }
        assertEquals(expected, found, "rows of kind " + kind + " after waiting " + PATIENCE.toSeconds() + " s");
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + PATIENCE.toSeconds() + " s");
            StoreContract.pause(20);
        }
    }

    private int rows(String kind) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL);
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + JdbcStore.TABLE + " WHERE prefix = ? AND kind = ?")) {
            s.setString(1, prefix);
            s.setString(2, kind);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /**
     * The store's pool, with connections whose statements fail as told: the statement of given SQL runs and
     * then throws once (its answer lost), or throws every time without running; and the store's DELETEs may be
     * held until {@link #releaseDrops} opens.
     */
    private static final class Faults implements ConnectionSource {

        private final Pool pool;
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile String failing;
        private volatile boolean always;
        private volatile boolean holdDrops;
        final CountDownLatch releaseDrops = new CountDownLatch(1);

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

        @Override
        public Connection borrow(long deadline) throws SQLException {
            Connection real = pool.borrow(deadline);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = invoke(real, method, args);
                        if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement) {
                            return statement((PreparedStatement) result, (String) args[0]);
                        }
                        return result;
                    });
        }

        private PreparedStatement statement(PreparedStatement real, String sql) {
            InvocationHandler handler = (proxy, method, args) -> {
                String name = method.getName();
                boolean executes = name.equals("executeUpdate") || name.equals("executeQuery");
                if (executes && sql.equals(failing) && always) {
                    throw new SQLTimeoutException("the test's statement always fails", "57014");
                }
                if (executes && holdDrops && sql.startsWith("DELETE")) {
                    if (!releaseDrops.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new SQLException("the test never released the drops");
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
            pool.giveBack(connection, healthy);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
