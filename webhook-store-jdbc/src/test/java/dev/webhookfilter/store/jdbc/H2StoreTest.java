package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.testing.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's contract on H2 in memory, the quick start's database. */
class H2StoreTest extends StoreContract {

    @RegisterExtension
    static final H2Database H2 = new H2Database("webhook-store-test");

    @Override
    JdbcStore open(String prefix, Clock clock) {
        return JdbcStoreProvider.open(H2.pool(), H2.url, TIMEOUT, prefix, clock, false);
    }

    @Override
    Connection admin() throws SQLException {
        return H2.connect();
    }

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    /** A database of its own in memory, with a password the messages must not show; gone when the JVM ends. */
    @Override
    String newDatabase() {
        return "jdbc:h2:mem:dba-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=h2-s3cret";
    }

    /**
     * A read-only H2 database ({@code ACCESS_MODE_DATA=r}, as a file the process may not write opens): open opened on
     * the table it found there, and every record and claim answered unavailable (503), "The database is read only
     * (SQLState 90097)". Open now refuses, naming the database, not its password.
     */
    @Test
    void open_onAReadOnlyDatabase_refusesSayingSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws SQLException {
        String file = "jdbc:h2:file:" + folder.resolve("webhooks").toAbsolutePath();
        try (JdbcStore writable = (JdbcStore) new JdbcStoreProvider().open(file + ";USER=sa;PASSWORD=h2-s3cret", TIMEOUT, "app")) {
            assertEquals(Decision.FIRST_SEEN, writable.record(key("sig"), inAMinute()), "made the table, and wrote");
        }
        String readOnly = file + ";ACCESS_MODE_DATA=r;USER=sa;PASSWORD=h2-s3cret";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(readOnly, TIMEOUT, "app").close());
        assertEquals("The webhook store at " + file + " is a read-only H2 database (ACCESS_MODE_DATA=r, or a file it may not"
                + " write), where every request would fail; give a writable one", e.getMessage());
        assertFalse(e.getMessage().contains("h2-s3cret"), e.getMessage());
    }

    /**
     * H2's {@code SET EXCLUSIVE 1}, with which an administrator pauses the database, is a limit of H2's that the store
     * cannot bound, and README says so: every other session's statement waits until the mode is turned off, its query
     * timeout unread (H2 2.5's {@code SessionLocal.waitIfExclusiveModeEnabled} sleeps in steps of 100 ms, heeding
     * neither the timeout nor an interrupt), and new connections are refused. So a call on a connection the store's pool
     * holds waits past the store's timeout and decides once the mode is off, while a call that needs a new connection
     * answers unavailable at once, and an open fails at once.
     */
    @Test
    void exclusiveMode_keepsACallOnAHeldConnectionWaitingPastTheTimeout_andRefusesNewConnectionsAtOnce() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        AtomicReference<Thread> callerThread = new AtomicReference<>();
        caller.submit(() -> callerThread.set(Thread.currentThread())).get();
        try (Connection dba = admin(); Statement s = dba.createStatement()) {
            s.execute("SET EXCLUSIVE 1");
            try {
                // The pool's one connection, made by open.
                Future<Decision> held = caller.submit(() -> store.record(key("sig"), inAMinute()));
                LostAnswerContract.await(() -> Arrays.stream(callerThread.get().getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("waitIfExclusiveModeEnabled")));

                long start = System.nanoTime();
                assertFalse(store.isAvailable(), "a call that needs a new connection");
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(took < TIMEOUT.toMillis(), "it answered after " + took + " ms");
                start = System.nanoTime();
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open("other", Clock.systemUTC()));
                took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(took < TIMEOUT.toMillis(), "open failed after " + took + " ms: " + refused.getMessage());
                assertTrue(refused.getMessage().contains("90135"), refused.getMessage());

                assertThrows(TimeoutException.class, () -> held.get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS),
                        "the call on the held connection, past the store's timeout");
                s.execute("SET EXCLUSIVE 0");
                assertEquals(Decision.FIRST_SEEN, held.get(30, TimeUnit.SECONDS), "once the mode is off");
            } finally {
                s.execute("SET EXCLUSIVE 0");
            }
        } finally {
            caller.shutdownNow();
        }
        assertTrue(store.isAvailable());
    }

    /**
     * A migration that drops the table's key after open (ALTER TABLE ... DROP PRIMARY KEY): two of H2's MERGEs of one
     * key at once each found no row and both inserted, so two instances both took the same message for new (a replay
     * accepted), and both claimed the same event (FIRST twice), in 4 to 25 of 300 races in memory. Each round here races two
     * stores, each with its own pool, for a new key with a record, then with a claim: at most one may win each. The later
     * of two that both inserted now answers unavailable, and its row is dropped.
     */
    @Test
    void recordAndClaim_afterTheKeyWasDropped_neverLetTwoInstancesBothWin() throws Exception {
        assertNoRaceWonTwiceAfterTheKeyWasDropped(newDatabase());
    }

    /**
     * The same through H2's TCP server, as instances in several JVMs share one H2 ({@code jdbc:h2:tcp://}): each store
     * connects over loopback. The server binds 127.0.0.1 only ({@code h2.bindAddress}, which the pom sets for the
     * tests, as H2 reads it once), on a free port, and lets no other host connect.
     */
    @Test
    void recordAndClaim_afterTheKeyWasDropped_neverLetTwoInstancesBothWin_throughTheTcpServer() throws Exception {
        assertEquals("127.0.0.1", System.getProperty("h2.bindAddress"), "the TCP server would listen on every interface");
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try {
            assertTrue(server.getURL().startsWith("tcp://") && server.getPort() > 0, server.getURL());
            assertNoRaceWonTwiceAfterTheKeyWasDropped("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:race-"
                    + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=h2-s3cret");
        } finally {
            server.stop();
        }
    }

    /**
     * The same without a race: with the key dropped, a live row of a key and an expired one (as an earlier race or
     * a retry could leave). H2's MERGE updates the expired row and counts 1, which the store took for a first sight
     * though the live row says the message was seen: a replay accepted. It now answers unavailable, and the live row
     * still makes the next record a replay once the expired one is gone.
     */
    @Test
    void record_afterTheKeyWasDropped_withALiveAndAnExpiredRowOfItsKey_isNeverFirstSeen() throws SQLException {
        String url = newDatabase();
        try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(url, TIMEOUT, "app");
                Connection dba = java.sql.DriverManager.getConnection(url)) {
            try (Statement s = dba.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys DROP PRIMARY KEY");
            }
            byte[] key = key("seen-once");
            assertEquals(Decision.FIRST_SEEN, store.record(key, inAMinute()));
            try (java.sql.PreparedStatement expired = dba.prepareStatement("INSERT INTO webhook_filter_keys (prefix, kind,"
                    + " key_digest, owner_token, state, expires_at) VALUES ('app', 'replay', ?, X'00', 'seen',"
                    + " TIMESTAMP WITH TIME ZONE '2000-01-01 00:00:00+00')")) {
                expired.setBytes(1, key);
                assertEquals(1, expired.executeUpdate());
            }

            assertEquals(Decision.UNAVAILABLE, store.record(key, inAMinute()), "the replay, while two rows hold its key");
            assertEquals(Decision.REPLAYED, store.record(key, inAMinute()), "once the failed call's row was dropped");
        }
    }

    /** Races two stores at {@code url} (each with its own pool) 300 times, once the table's key is dropped. */
    private static void assertNoRaceWonTwiceAfterTheKeyWasDropped(String url) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (JdbcStore a = (JdbcStore) new JdbcStoreProvider().open(url, TIMEOUT, "app");
                JdbcStore b = (JdbcStore) new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
            try (Connection dba = java.sql.DriverManager.getConnection(url); Statement s = dba.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys DROP PRIMARY KEY");
            }
            int bothFirstSeen = 0;
            int oneFirstSeen = 0;
            int bothClaimed = 0;
            for (int round = 0; round < 300; round++) {
                byte[] key = key("race-" + round);
                CyclicBarrier records = new CyclicBarrier(2);
                Future<Decision> ra = threads.submit(() -> {
                    records.await();
                    return a.record(key, inAMinute());
                });
                Future<Decision> rb = threads.submit(() -> {
                    records.await();
                    return b.record(key, inAMinute());
                });
                if (ra.get() == Decision.FIRST_SEEN && rb.get() == Decision.FIRST_SEEN) {
                    bothFirstSeen++;
                } else if (ra.get() == Decision.FIRST_SEEN || rb.get() == Decision.FIRST_SEEN) {
                    oneFirstSeen++;
                }
                CyclicBarrier claims = new CyclicBarrier(2);
                Future<Claim> ca = threads.submit(() -> {
                    claims.await();
                    return a.claim(key, token(1), LEASE);
                });
                Future<Claim> cb = threads.submit(() -> {
                    claims.await();
                    return b.claim(key, token(2), LEASE);
                });
                if (ca.get() == Claim.FIRST && cb.get() == Claim.FIRST) {
                    bothClaimed++;
                }
            }
            assertEquals(0, bothFirstSeen, "rounds in which both instances took the message for new");
            assertEquals(0, bothClaimed, "rounds in which both instances claimed the event");
            // A round whose two records both count after both commit has no winner: both answer unavailable.
            assertTrue(oneFirstSeen > 100, "the key's first record still passes where no other raced it: " + oneFirstSeen);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * A table changed after open so that open would now refuse it: the health check, a read of the table
     * ({@code SELECT 1 ... WHERE 1 = 0}), still said up. Without its key two instances could both take a message
     * for new (each record now fails where it would let that through); without a column every record or claim
     * failed (503); with {@code expires_at} a {@code TIMESTAMP} without a time zone, instances in other time zones
     * misread each other's expiry. It now answers false, and its WARNING says what open would refuse, without the
     * URL's password.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the primary key dropped        | PRIMARY KEY (prefix, kind, key_digest)                | ALTER TABLE webhook_filter_keys DROP PRIMARY KEY                                   | no primary key or unique constraint
            a unique constraint dropped    | CONSTRAINT wfk_key UNIQUE (prefix, kind, key_digest) | ALTER TABLE webhook_filter_keys DROP CONSTRAINT wfk_key                            | no primary key or unique constraint
            owner_token dropped            | PRIMARY KEY (prefix, kind, key_digest)                | ALTER TABLE webhook_filter_keys DROP COLUMN owner_token                            | lacks a column the store uses
            state dropped                  | PRIMARY KEY (prefix, kind, key_digest)                | ALTER TABLE webhook_filter_keys DROP COLUMN state                                  | lacks a column the store uses
            expires_at without a time zone | PRIMARY KEY (prefix, kind, key_digest)                | ALTER TABLE webhook_filter_keys ALTER COLUMN expires_at SET DATA TYPE TIMESTAMP    | has expires_at of type TIMESTAMP, not TIMESTAMP WITH TIME ZONE
            """)
    void isAvailable_whenTheTableNoLongerPassesOpensChecks_isFalse(String what, String key, String change, String why)
            throws SQLException {
        String url = newDatabaseWithTable(ddl -> ddl.replace(PRIMARY_KEY, ",\n    " + key));
        try (JdbcStore dba = (JdbcStore) new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
            assertTrue(dba.isAvailable(), "before the change");
            try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute(change);
            }
            try (LogCapture log = LogCapture.of(JdbcStore.class.getName())) {
                assertFalse(dba.isAvailable(), what);
                List<String> warnings = log.messages(java.util.logging.Level.WARNING);
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).contains("failed isAvailable") && warnings.get(0).contains(why), warnings.get(0));
                assertFalse(warnings.get(0).contains("h2-s3cret"), warnings.get(0));
            }
        }
    }

    /**
     * A user of the store's own, made by a DBA ({@code CREATE USER}) with {@code grants} on the README's table (none
     * where blank): open opened for a user with SELECT only, its health check said up, and every record and claim
     * answered unavailable ("Not enough rights for object"); a user without any grant got "Could not check the table
     * ...", which named no GRANT. Open now refuses, as on PostgreSQL, naming what is missing and the GRANT that adds it,
     * without the URL's password. H2 lets no UPDATE or DELETE through without SELECT, so a user without SELECT is told
     * to grant those with it. The README's four privileges serve, granted to the user, to a role the user has, or on
     * the schema.
     */
    @ParameterizedTest(name = "{0}: lacks {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            no grant                  | NONE                                            | SELECT, INSERT, UPDATE, DELETE
            SELECT only               | GRANT SELECT ON webhook_filter_keys             | INSERT, UPDATE, DELETE
            all but INSERT            | GRANT SELECT, UPDATE, DELETE ON webhook_filter_keys | INSERT
            all but UPDATE            | GRANT SELECT, INSERT, DELETE ON webhook_filter_keys | UPDATE
            all but DELETE            | GRANT SELECT, INSERT, UPDATE ON webhook_filter_keys | DELETE
            all but SELECT            | GRANT INSERT, UPDATE, DELETE ON webhook_filter_keys | SELECT, UPDATE, DELETE
            the README's four         | GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys | NONE
            the four through a role   | ROLE                                            | NONE
            the four on the schema    | GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC | NONE
            """)
    void open_asAUserWithoutThePrivilegesTheStoreNeeds_isRefusedNamingTheGrant(String what, String grants, String lacks)
            throws SQLException {
        String owner = newDatabase();
        new JdbcStoreProvider().open(owner, TIMEOUT, "app").close();
        String hooks = createUser(owner, grants);
        if (lacks == null) {
            try (JdbcStore user = (JdbcStore) new JdbcStoreProvider().open(hooks, TIMEOUT, "app")) {
                assertTrue(user.isAvailable());
                assertEquals(Decision.FIRST_SEEN, user.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, user.claim(key("evt"), token(1), LEASE));
                assertTrue(user.release(key("evt"), token(1)));
                assertTrue(user.cleanUp(JdbcStore.CLEANUP_BATCH) >= 0, "the clean-up ran (-1: it failed)");
            }
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(hooks, TIMEOUT, "app"));
        String description = owner.substring(0, owner.indexOf(';'));
        assertTrue(e.getMessage().startsWith("The store's user lacks " + lacks + " on the table webhook_filter_keys in the"
                + " webhook store at " + description + ", which the store needs"), e.getMessage());
        assertTrue(e.getMessage().endsWith("GRANT " + lacks + " ON webhook_filter_keys TO <the store's user>"), e.getMessage());
        assertEquals(lacks.startsWith("SELECT,"), e.getMessage().contains("H2 lets no UPDATE or DELETE"), e.getMessage());
        assertFalse(e.getMessage().contains("h2-s3cret") || e.getMessage().contains("h00ks-pw"), e.getMessage());
    }

    /** A DBA's REVOKE after open: the health check said up while every release (DELETE) failed. */
    @Test
    void isAvailable_afterAPrivilegeWasRevoked_isFalse() throws SQLException {
        String owner = newDatabase();
        new JdbcStoreProvider().open(owner, TIMEOUT, "app").close();
        String hooks = createUser(owner, "GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys");
        try (JdbcStore user = (JdbcStore) new JdbcStoreProvider().open(hooks, TIMEOUT, "app")) {
            assertTrue(user.isAvailable(), "before");
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute("REVOKE DELETE ON webhook_filter_keys FROM hooks");
            }
            assertEquals(Claim.FIRST, user.claim(key("evt"), token(1), LEASE));
            assertFalse(user.release(key("evt"), token(1)), "a release needs DELETE");
            assertFalse(user.isAvailable(), "after REVOKE DELETE");
        }
    }

    /**
     * Makes the user {@code hooks} in the database at {@code owner} (the owner's URL), with {@code grants} (their SQL up
     * to {@code TO}; {@code ROLE}: the README's four through a role; null: none); its URL. A user who is not an
     * administrator may not set {@code DB_CLOSE_DELAY}, which the owner's URL keeps.
     */
    private static String createUser(String owner, String grants) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
            s.execute("CREATE USER hooks PASSWORD 'h00ks-pw'");
            if ("ROLE".equals(grants)) {
                s.execute("CREATE ROLE webhooks");
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys TO webhooks");
                s.execute("GRANT webhooks TO hooks");
            } else if (grants != null) {
                s.execute(grants + " TO hooks");
            }
        }
        return owner.substring(0, owner.indexOf(';')) + ";USER=hooks;PASSWORD=h00ks-pw";
    }
}
