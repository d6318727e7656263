package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.StoreCalls;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.net.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store talking to a real PostgreSQL through a {@link TcpProxy} that starts to misbehave: it puts garbage in
 * place of the server's messages, or drops every byte while the connections stay open. While it does, every call
 * of the store's API answers "unavailable" within the bound of {@link PostgresFaultTest} and none throws; once it
 * forwards again, the same store (its pool having dropped the broken connections) decides again within seconds,
 * each call with its own answer.
 */
class PostgresProxyFaultTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The bound on any one call: the timeout, plus whole-second rounding of each step, plus scheduling. */
    private static final Duration BOUND = TIMEOUT.plusMillis(4_000);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int THREADS = 4;

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private TcpProxy proxy;
    private WebhookStore store;
    private LogCapture storeLog;

    @BeforeEach
    void open() throws IOException {
        storeLog = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL);
        proxy = TcpProxy.to(POSTGRES.server().port());
        store = new JdbcStoreProvider().open("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user="
                + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD, TIMEOUT, "proxy-" + UUID.randomUUID());
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        proxy.close();
        storeLog.close();
        String logged = storeLog.render();
        assertFalse(logged.contains(PostgresServer.PASSWORD), logged);
    }

    @ParameterizedTest
    @EnumSource(value = TcpProxy.Mode.class, names = {"GARBAGE", "DROP"})
    void aMisbehavingLink_answersUnavailableInTime_andTheStoreDecidesRightlyOnceItForwards(TcpProxy.Mode mode)
            throws Exception {
        byte[] done = key("done-" + UUID.randomUUID());
        byte[] doneToken = token();
        assertEquals(Claim.FIRST, store.claim(done, doneToken, LEASE));
        assertTrue(store.complete(done, doneToken, Duration.ofHours(1)));
        byte[] held = key("held-" + UUID.randomUUID());
        byte[] heldToken = token();
        assertEquals(Claim.FIRST, store.claim(held, heldToken, LEASE));
        byte[] recorded = key("recorded-" + UUID.randomUUID());
        assertEquals(Decision.FIRST_SEEN, store.record(recorded, StoreCalls.expiresAt()));

        proxy.mode(mode);
        StoreCalls.assertEveryCallUnavailable(store, StoreCalls::randomKey, held, heldToken, recorded, BOUND);

        proxy.mode(TcpProxy.Mode.FORWARD);
        StoreCalls.awaitRecovery(store, StoreCalls::randomKey, Duration.ofSeconds(20));
        assertTrue(store.isAvailable());
        byte[] fresh = key("fresh-" + UUID.randomUUID());
        assertEquals(Decision.FIRST_SEEN, store.record(fresh, StoreCalls.expiresAt()));
        assertEquals(Decision.REPLAYED, store.record(fresh, StoreCalls.expiresAt()));
        assertEquals(Claim.DONE, store.claim(done, token(), LEASE));
        // Once recovered, every call of THREADS threads at once gets its own answer, and none UNAVAILABLE.
        StoreCalls.Answers answers = StoreCalls.callAtOnce(store, StoreCalls::randomKey, done, THREADS, 20);
        answers.assertNoneWrong();
        answers.assertUnavailableAtMost(0);
    }

    /**
     * The connection lost while open looks at the table (the proxy closes every connection once the store has learnt
     * which database it talks to, as the database's host going away would): open said "Cannot create the table
     * webhook_filter_keys ... (create it as the README shows): An I/O error occurred while sending to the backend.",
     * of a table that is there and that nothing tried to create. It says that it could not check the table, and why.
     */
    @Test
    void open_connectionLostWhileLookingAtTheTable_saysSo_notThatTheTableCannotBeCreated() {
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=" + PostgresServer.USER + "&password="
                + PostgresServer.PASSWORD;
        Pool pool = new Pool(new org.postgresql.Driver(), url, new Properties(), 2);
        ConnectionSource lostAtTheLooks = new ConnectionSource() {
            private int borrowed;

            @Override
            public Connection borrow(long deadline) throws SQLException {
                Connection c = pool.borrow(deadline);
                if (++borrowed == 2) { // the first told which database it is; the second looks at the table
                    try {
                        proxy.close();
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return c;
            }

            @Override
            public void giveBack(Connection connection, boolean healthy) {
                pool.giveBack(connection, healthy);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JdbcStoreProvider.open(lostAtTheLooks, url, TIMEOUT, "lost", Clock.systemUTC(), false));
        String m = e.getMessage();
        assertTrue(m.startsWith("Could not check the table webhook_filter_keys in the webhook store at jdbc:postgresql://127.0.0.1:"
                + proxy.port() + "/postgres: "), m);
        assertTrue(m.endsWith(" (SQLState 08006)"), m);
        assertFalse(m.contains("Cannot create"), m);
        assertFalse(m.contains(PostgresServer.PASSWORD), m);
    }

    private static byte[] token() {
        return UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    }
}
