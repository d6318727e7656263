package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.Threads;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The store's contract on a real PostgreSQL server. */
class PostgresStoreTest extends StoreContract {

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();

    static JdbcStore open(PostgresServer server, String prefix, Clock clock, java.time.Duration timeout, int poolSize) {
        Pool pool = new Pool(new org.postgresql.Driver(), server.url(), new Properties(), poolSize);
        return JdbcStoreProvider.open(pool, server.url(), timeout, prefix, clock, false);
    }

    @Override
    JdbcStore open(String prefix, Clock clock) {
        return open(POSTGRES.server(), prefix, clock, TIMEOUT, JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    Connection admin() throws SQLException {
        return new org.postgresql.Driver().connect(POSTGRES.server().url(), new Properties());
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    String newDatabase() throws SQLException {
        return newDatabase("dba_");
    }

    /** A new, empty database on the test server, its name {@code prefix} and a random suffix: the owner's URL to it. */
    private String newDatabase(String prefix) throws SQLException {
        String database = prefix + java.util.UUID.randomUUID().toString().replace("-", "");
        try (Connection c = admin(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return POSTGRES.server().url().replace("/postgres?", "/" + database + "?");
    }

    /** The oldest PostgreSQL README's JDBC section says the store supports, read from README, not from the code. */
    static int minimumInReadme() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("It needs PostgreSQL (\\d+) or later")
                .matcher(dev.webhookfilter.testing.Readme.between("\n### JDBC: PostgreSQL, or H2\n", "\n## "));
        assertTrue(m.find(), "README.md's JDBC section must state the oldest PostgreSQL the store supports");
        return Integer.parseInt(m.group(1));
    }

    /**
     * README states the oldest PostgreSQL the store supports; the tests must run on one it supports (the fixture takes
     * the newest Debian installs, or {@code -Dpostgres.bin}), and on the version {@code -Dpostgres.version} names where
     * the pom's postgres-12 and postgres-18 runs set it.
     */
    @Test
    void theTestServer_isAVersionTheReadmeSupports() throws SQLException {
        int minimum = minimumInReadme();
        try (Connection c = admin(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            assertTrue(r.next());
            int major = r.getInt(1);
            System.out.println("PostgresStoreTest runs on PostgreSQL " + major);
            assertTrue(major >= minimum, "the tests run on PostgreSQL " + major);
            String wanted = System.getProperty(PostgresServer.VERSION);
            if (wanted != null) {
                assertTrue((wanted + ".").startsWith(major + "."), "-D" + PostgresServer.VERSION + "=" + wanted + ", but the server is " + major);
            }
        }
    }

    @Test
    void open_wrongPassword_failsWithoutRepeatingIt() {
        String wrong = POSTGRES.server().url().replace(PostgresServer.PASSWORD, "wr0ng-s3cret");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(wrong, TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + POSTGRES.server().port()), e.getMessage());
        assertTrue(e.getMessage().contains("28P01"), "the SQLState of a failed authentication: " + e.getMessage());
        assertFalse(e.getMessage().contains("wr0ng-s3cret"), e.getMessage());
        assertNull(e.getCause());
        // Before: "Cannot reach the webhook store at ... within 2000 ms: FATAL: password authentication failed ...",
        // which reads as a server that did not answer in time.
        assertTrue(e.getMessage().startsWith("The webhook store at jdbc:postgresql://127.0.0.1:" + POSTGRES.server().port()
                + "/postgres refuses the store's user and password: FATAL: password authentication failed"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; check the user and password the URL gives (?user=...&password=..., each"
                + " percent-encoded), and that the server lets that user in from this host"), e.getMessage());
    }

    /**
     * A key prefix the database cannot hold as it is: a NUL, which PostgreSQL takes in no text, or a character the
     * database's encoding lacks (a LATIN1 database given Cyrillic). Open opened, and every record and claim then answered
     * unavailable (503), with "ERROR: invalid byte sequence for encoding "UTF8": 0x00 (SQLState 22021)" or "character with
     * byte sequence 0xd0 0xb7 in encoding "UTF8" has no equivalent in encoding "LATIN1" (SQLState 22P05)" in the log.
     * Open now refuses it, saying why, and one the database gives back changed (a lone surrogate).
     */
    @Test
    void open_aPrefixTheDatabaseCannotHold_refusesSayingSo() throws SQLException {
        String latin1 = "latin1_" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + latin1 + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        }
        String url = POSTGRES.server().url();
        String latin1Url = url.replace("/postgres?", "/" + latin1 + "?");
        // {URL, prefix, PostgreSQL's message, its SQLState}; newer servers add a line between the two ("Where: unnamed
        // portal parameter $1").
        for (String[] refused : List.of(new String[] {url, "app\u0000", "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00",
                "22021"}, new String[] {latin1Url, "заказы:", "ERROR: character with byte sequence 0xd0 0xb7 in encoding \"UTF8\""
                        + " has no equivalent in encoding \"LATIN1\"", "22P05"})) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(refused[0], TIMEOUT, refused[1]).close());
            String m = e.getMessage();
            assertTrue(m.startsWith("The webhook store at " + refused[0].substring(0, refused[0].indexOf('?')) + " cannot hold"
                    + " the key prefix it was given, with which every request would fail: " + refused[2]), m);
            assertTrue(m.endsWith(" (SQLState " + refused[3] + "). Give a prefix of characters the database's encoding holds,"
                    + " without NUL"), m);
            assertNull(e.getCause());
        }
        // PgJDBC sends a lone surrogate as ?: "app\uD800" and "app\uDFFF" would share their rows.
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(url, TIMEOUT, "app\uD800").close());
        assertEquals("The webhook store at " + url.substring(0, url.indexOf('?')) + " cannot hold the key prefix it was"
                + " given, with which every request would fail: the database gave it back changed. Give a prefix of"
                + " characters the database's encoding holds, without NUL", changed.getMessage());
        try (WebhookStore latin = new JdbcStoreProvider().open(latin1Url, TIMEOUT, "commandes-réglées:")) {
            assertEquals(Decision.FIRST_SEEN, latin.record(key("sig"), inAMinute()), "a prefix LATIN1 holds");
        }
    }

    /**
     * PgJDBC logs the URL each connection is made with at FINE ("Connecting with URL: ..."), which an operator turns on
     * to see why the store cannot connect: the store gives it the password in the connection's properties instead.
     * Before, each new connection of the pool logged {@code ...&password=fixture-password-2f9c} there.
     */
    @Test
    void openedFromAUrl_pgJdbcsDebugLogOfEachConnection_holdsNoPassword() throws Exception {
        try (LogCapture log = LogCapture.of("org.postgresql").level(Level.FINE);
                WebhookStore store = new JdbcStoreProvider().open(POSTGRES.server().url(), TIMEOUT, "debug-log")) {
            assertEquals(Decision.FIRST_SEEN, store.record(key("logged"), java.time.Instant.now().getEpochSecond() + 60));
            String logged = log.render();
            assertTrue(logged.contains("Connecting with URL: jdbc:postgresql://127.0.0.1:" + POSTGRES.server().port()),
                    "PgJDBC logged its connections: " + logged);
            assertEquals(List.of(), logged.lines().filter(l -> l.contains(PostgresServer.PASSWORD)).toList());
        }
    }

    /**
     * README: "A URL's user, password and parameters never appear in the store's messages or log lines". PgJDBC's
     * message for a failed login names the user ({@code password authentication failed for user "..."}).
     */
    @Test
    void open_wrongUser_failsWithoutNamingIt() {
        String user = "hooks-user-5e1d";
        String wrong = POSTGRES.server().url().replace("user=" + PostgresServer.USER, "user=" + user);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(wrong, TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("28P01"), "the SQLState of a failed authentication: " + e.getMessage());
        assertFalse(e.getMessage().contains(user), e.getMessage());
    }

    @Test
    void open_publicApi_withThePasswordInTheUrl_neverShowsIt() {
        try (dev.webhookfilter.WebhookStore store = new JdbcStoreProvider().open(POSTGRES.server().url(), TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            assertFalse(store.toString().contains(PostgresServer.PASSWORD), store.toString());
        }
    }

    /**
     * PgJDBC's {@code readOnly=true} (a pool's {@code defaultReadOnly}) begins each transaction READ ONLY and leaves
     * auto-commit statements alone (its {@code readOnlyMode=transaction}, the default): the store's statements, each
     * in auto-commit, write. Its health check must say so too, though it runs its record in a transaction.
     */
    @Test
    void open_withConnectionsMarkedReadOnly_whoseAutoCommitStatementsWrite_isAvailable() {
        String url = POSTGRES.server().url() + "&readOnly=true";
        try (dev.webhookfilter.WebhookStore store = new JdbcStoreProvider().open(url, TIMEOUT, "read-only-marked")) {
            assertEquals(Decision.FIRST_SEEN, store.record(new byte[32], StoreContract.inAMinute()));
            assertTrue(store.isAvailable(), "requests are decided, so the health check says up");
            assertEquals(Decision.REPLAYED, store.record(new byte[32], StoreContract.inAMinute()));
        }
    }

    /**
     * PgJDBC takes a parameter it does not know without a word: a misspelled {@code sslmode} left the connection to
     * PgJDBC's default ({@code prefer}: TLS only if the server offers it, its certificate unchecked), a misspelled
     * {@code socketTimeout} to the store's. Open refuses the URL instead, naming the parameter it was meant to be.
     */
    @ParameterizedTest
    @CsvSource({"sslmod=verify-full, sslmode", "sslMode=verify-full, sslmode", "socketTimout=2, socketTimeout"})
    void open_urlWithAParameterPgjdbcDoesNotKnow_isRefused_namingTheOneMeant(String parameter, String meant) {
        String url = POSTGRES.server().url() + "&" + parameter;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JdbcStoreProvider().open(url, TIMEOUT, "misspelled").close());
        assertTrue(e.getMessage().contains("'" + parameter.substring(0, parameter.indexOf('=')) + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(meant), e.getMessage());
        assertFalse(e.getMessage().contains(PostgresServer.PASSWORD), e.getMessage());
    }

    /** With {@code readOnlyMode=always}, PgJDBC makes every statement read-only: open refuses, as requests would fail. */
    @Test
    void open_withConnectionsMarkedReadOnlyForEveryStatement_refusesSayingSo() {
        String url = POSTGRES.server().url() + "&readOnly=true&readOnlyMode=always";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(url, TIMEOUT, "read-only-always"));
        assertTrue(e.getMessage().contains("read-only transactions"), e.getMessage());
    }

    @Test
    void tableMadeByADba_openedByAUserWhoMayNotCreateTables() throws SQLException {
        String owner = newDatabase("dba_");
        try (Connection c = new org.postgresql.Driver().connect(owner, new Properties()); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE ROLE hooks LOGIN PASSWORD 'hooks-s3cret'");
            s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        } catch (SQLException e) {
            // The role is cluster-wide: made by an earlier run of this test against the same server.
            if (!"42710".equals(e.getSQLState())) {
                throw e;
            }
        }
        String hooks = owner.replace("user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD,
                "user=hooks&password=hooks-s3cret");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(hooks, TIMEOUT, "app"), "no table, and no right to create it");
        assertTrue(refused.getMessage().contains("create it as the README shows"), refused.getMessage());
        assertFalse(refused.getMessage().contains("hooks-s3cret"), refused.getMessage());

        try (Connection c = new org.postgresql.Driver().connect(owner, new Properties()); java.sql.Statement s = c.createStatement()) {
            // The README's DDL (ReadmeTest checks the README shows exactly this), then the README's grant.
            s.execute(Dialect.POSTGRESQL.createTable);
            s.execute(Dialect.POSTGRESQL.createIndex);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys TO hooks");
        }
        try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(hooks, TIMEOUT, "app")) {
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
            assertTrue(store.complete(key("evt"), token(1), TTL));
            assertTrue(store.cleanUp(10) >= 0);
        }
    }

    /**
     * A DBA's table with {@code expires_at TIMESTAMP}: PgJDBC sets each session's time zone to its JVM's, and a
     * timestamp without a zone is read in the reader's, so an instance east of the one that recorded a message took
     * its row for expired hours early, and its replay for new. The store refuses to open on such a table.
     */
    @Test
    void tableMadeByADbaWithAnExpiryWithoutTimeZone_isRefused() throws SQLException {
        String url = newDatabase("tz_");
        try (Connection c = new org.postgresql.Driver().connect(url, new Properties()); java.sql.Statement s = c.createStatement()) {
            s.execute(Dialect.POSTGRESQL.createTable.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP"));
            s.execute(Dialect.POSTGRESQL.createIndex);
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
        assertTrue(refused.getMessage().contains("expires_at") && refused.getMessage().contains("TIMESTAMP WITH TIME ZONE"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains(PostgresServer.PASSWORD), refused.getMessage());
    }

    /**
     * PostgreSQL's keys with {@code INCLUDE} (PostgreSQL 11 and later), whose included columns are stored in the index
     * but are not part of its key: {@code ON CONFLICT (prefix, kind, key_digest)} uses a key on those three columns
     * whatever it includes, in any order, and no key on two of them that includes the third (checked with psql on
     * PostgreSQL 15: "there is no unique or exclusion constraint matching the ON CONFLICT specification"). PgJDBC's
     * {@code getIndexInfo} lists the included columns among the key's, so open refused the first (a UNIQUE constraint)
     * and took the last two, on which every request would have failed. The primary key with an INCLUDE is a guard:
     * {@code getPrimaryKeys} lists only its key, and open took it before too. The rows the contract shares with H2
     * cover a unique index that includes a column, and one on two that includes the third.
     */
    @ParameterizedTest(name = "{0}: opens {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            UNIQUE in another order, INCLUDE  | UNIQUE (key_digest, kind, prefix) INCLUDE (owner_token)             | NULL | true
            PRIMARY KEY, INCLUDE two          | PRIMARY KEY (prefix, kind, key_digest) INCLUDE (state, owner_token) | NULL | true
            PRIMARY KEY on two, INCLUDE third | PRIMARY KEY (prefix, kind) INCLUDE (key_digest)                    | NULL | false
            UNIQUE on two, INCLUDE third      | UNIQUE (kind, key_digest) INCLUDE (prefix)                          | NULL | false
            """)
    void open_onAKeyThatIncludesColumns_countsOnlyItsKeyColumns(String what, String key, String index, boolean opens)
            throws SQLException {
        opensOnlyWithAUniqueKey(key, index, opens);
    }

    // ---- a key that PostgreSQL's ON CONFLICT cannot use ----

    /**
     * A DBA's table whose key on (prefix, kind, key_digest) {@code ON CONFLICT (prefix, kind, key_digest)} cannot use:
     * {@code key} in place of the README's primary key (null: none), then {@code setUp} run; the refusal names
     * {@code named} and says {@code wrong}; {@code fix} is the SQL that makes a table the store can use.
     */
    record UnusableKey(String what, String key, List<String> setUp, String named, String wrong, String fix) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static final String ADD_THE_KEY = "ALTER TABLE webhook_filter_keys ADD PRIMARY KEY (prefix, kind, key_digest);"
            + " DROP INDEX wfk_key";

    static Stream<UnusableKey> unusableKeys() {
        String twoRowsOneKey = "INSERT INTO webhook_filter_keys (prefix, kind, key_digest, state, expires_at)"
                + " SELECT 'app', 'dedup', decode(repeat('00', 32), 'hex'), 'done', now() FROM generate_series(1, 2)";
        return Stream.of(
                new UnusableKey("a DEFERRABLE primary key", "PRIMARY KEY (prefix, kind, key_digest) DEFERRABLE", List.of(),
                        "the constraint webhook_filter_keys_pkey on (prefix, kind, key_digest)", "DEFERRABLE",
                        "ALTER TABLE webhook_filter_keys DROP CONSTRAINT webhook_filter_keys_pkey,"
                                + " ADD CONSTRAINT webhook_filter_keys_pkey PRIMARY KEY (prefix, kind, key_digest)"),
                new UnusableKey("the README's key, and beside it a UNIQUE one DEFERRABLE INITIALLY DEFERRED",
                        "PRIMARY KEY (prefix, kind, key_digest),\n"
                                + "    CONSTRAINT wfk_u UNIQUE (key_digest, kind, prefix) DEFERRABLE INITIALLY DEFERRED",
                        List.of(), "the constraint wfk_u on (key_digest, kind, prefix)", "DEFERRABLE",
                        "ALTER TABLE webhook_filter_keys DROP CONSTRAINT wfk_u, ADD CONSTRAINT wfk_u UNIQUE (key_digest, kind, prefix)"),
                // Two rows with one key make the build fail, as duplicates in a table without the key do; they are then
                // deleted, so that the fix can rebuild the index.
                new UnusableKey("a unique index a failed CREATE UNIQUE INDEX CONCURRENTLY left INVALID", null,
                        List.of(twoRowsOneKey, "CREATE UNIQUE INDEX CONCURRENTLY wfk_key ON webhook_filter_keys (prefix, kind, key_digest)",
                                "DELETE FROM webhook_filter_keys"),
                        "the unique index wfk_key on (prefix, kind, key_digest)", "INVALID",
                        "REINDEX INDEX CONCURRENTLY wfk_key"),
                new UnusableKey("a partial unique index", null,
                        List.of("CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (prefix, kind, key_digest) WHERE state <> 'seen'"),
                        "the unique index wfk_key on (prefix, kind, key_digest)", "only WHERE state::text <> 'seen'", ADD_THE_KEY),
                new UnusableKey("a unique index on an expression", null,
                        List.of("CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (prefix, lower(kind), key_digest)"),
                        "the unique index wfk_key on (prefix, lower(kind::text), key_digest)", "not on the columns", ADD_THE_KEY));
    }

    /**
     * {@code open} took the first three tables (DEFERRABLE, INVALID), on which every record and claim then failed
     * (503, fail closed: in a throwaway test, 8 threads racing for a key 50 times got 400 "unavailable" answers and
     * wrote no row); it refused the last two with the general message, which named no index. It refuses each now
     * with one message that names the constraint or index, says what is wrong with it, and gives the SQL that fixes
     * it; that SQL, run as given, makes a table the store records and claims on.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableKeys")
    void open_onAKeyOnConflictCannotUse_isRefusedNamingItAndTheFix(UnusableKey table) throws SQLException {
        String url = newDatabaseWithTable(ddl -> {
            assertTrue(ddl.contains(PRIMARY_KEY), ddl);
            return ddl.replace(PRIMARY_KEY, table.key() == null ? "" : ",\n    " + table.key());
        });
        try (Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            for (String sql : table.setUp()) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    // The failed build that leaves the index INVALID.
                    assertTrue(sql.contains("CONCURRENTLY") && "23505".equals(e.getSQLState()), e.getMessage());
                }
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
        String m = e.getMessage();
        assertTrue(m.startsWith("The table webhook_filter_keys in the webhook store at jdbc:postgresql://127.0.0.1:"), m);
        assertTrue(m.contains(" has " + table.named()), m);
        assertTrue(m.contains(table.wrong()), m);
        assertTrue(m.contains("every request would fail, as PostgreSQL's INSERT ... ON CONFLICT (prefix, kind, key_digest) "), m);
        assertTrue(m.endsWith(": " + table.fix()), m);
        assertFalse(m.contains(PostgresServer.PASSWORD), m);

        try (Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            s.execute(table.fix());
        }
        try (dev.webhookfilter.WebhookStore fixed = new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.FIRST_SEEN, fixed.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.REPLAYED, fixed.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.FIRST, fixed.claim(key("evt"), token(1), LEASE));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.IN_PROGRESS, fixed.claim(key("evt"), token(2), LEASE));
        }
    }

    /**
     * Beside the README's key, which ON CONFLICT uses, an index it cannot use does no harm: a partial one, one on an
     * expression, one INVALID (as a REINDEX CONCURRENTLY that failed leaves a copy; made so here through the catalog,
     * as the test's superuser may). The store opens, and records and claims.
     */
    @Test
    void open_onTheReadmesKey_besideIndexesOnConflictCannotUse_opens() throws SQLException {
        String url = newDatabaseWithTable(ddl -> ddl);
        try (Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX wfk_partial ON webhook_filter_keys (prefix, kind, key_digest) WHERE state <> 'seen'");
            s.execute("CREATE UNIQUE INDEX wfk_expression ON webhook_filter_keys (prefix, lower(kind), key_digest)");
            s.execute("CREATE UNIQUE INDEX wfk_invalid ON webhook_filter_keys (prefix, kind, key_digest)");
            s.execute("UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = CAST('wfk_invalid' AS regclass)");
        }
        try (dev.webhookfilter.WebhookStore dba = new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.FIRST_SEEN, dba.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.REPLAYED, dba.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.FIRST, dba.claim(key("evt"), token(1), LEASE));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.IN_PROGRESS, dba.claim(key("evt"), token(2), LEASE));
        }
    }

    /**
     * A new database with the README's table, granted to a role that logs in but is no superuser, with each of
     * {@code revoke} run in it by its owner first: the role's URL. The role is cluster-wide, so later tests and runs
     * against the same server find it made.
     */
    private String databaseForAUserWho(String... revoke) throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        return grantedToCatalogBlind(owner, revoke);
    }

    private static String grantedToCatalogBlind(String owner, String... revoke) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(owner, new Properties()); java.sql.Statement s = c.createStatement()) {
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys TO PUBLIC");
            for (String sql : revoke) {
                s.execute(sql);
            }
            try {
                s.execute("CREATE ROLE catalog_blind LOGIN PASSWORD 'blind-s3cret'");
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        return owner.replace("user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD,
                "user=catalog_blind&password=blind-s3cret");
    }

    /**
     * A check that the database refuses to answer is skipped, not held against the table: here a DBA revoked a
     * function that only the check of the key calls ({@code quote_ident}). On the README's table, the store opens and
     * works.
     */
    @Test
    void open_whenTheCatalogCannotBeRead_doesNotHoldItAgainstTheTable() throws SQLException {
        String blind = databaseForAUserWho("REVOKE EXECUTE ON FUNCTION pg_catalog.quote_ident(text) FROM PUBLIC");
        try (Connection c = new org.postgresql.Driver().connect(blind, new Properties()); java.sql.Statement s = c.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("SELECT quote_ident('x')"));
            assertEquals("42501", refused.getSQLState(), "permission denied");
        }
        try (dev.webhookfilter.WebhookStore store = new JdbcStoreProvider().open(blind, TIMEOUT, "app")) {
            assertEquals(dev.webhookfilter.ReplayGuard.Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
            assertEquals(dev.webhookfilter.Deduplicator.Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        }
    }

    /**
     * A user who lacks a privilege the store uses on a DBA's table: every request got 503 (a read-only user's), or its
     * releases and clean-up failed (a user without DELETE), found only in production; open opened on each but the first
     * two rows. For those it said "Could not check the table webhook_filter_keys ...: the store's user lacks a
     * privilege on it (the README grants it SELECT, INSERT, UPDATE and DELETE): ERROR: permission denied for table
     * webhook_filter_keys" (no grant), and "The table webhook_filter_keys ... lacks a column the store uses ... create
     * it as the README shows" (SELECT on a few columns), of a table that has every column. It now names the table, the
     * privileges the user lacks and the GRANT that adds them, as {@code has_table_privilege} tells.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no grant                       | REVOKE ALL ON webhook_filter_keys FROM PUBLIC                          | SELECT, INSERT, UPDATE, DELETE
            SELECT on prefix and kind only | GRANT SELECT (prefix, kind) ON webhook_filter_keys TO PUBLIC           | INSERT, UPDATE, DELETE
            a read-only user               | GRANT SELECT ON webhook_filter_keys TO PUBLIC                          | INSERT, UPDATE, DELETE
            SELECT and INSERT              | GRANT SELECT, INSERT ON webhook_filter_keys TO PUBLIC                  | UPDATE, DELETE
            all but DELETE                 | GRANT SELECT, INSERT, UPDATE ON webhook_filter_keys TO PUBLIC          | DELETE
            all but SELECT                 | GRANT INSERT, UPDATE, DELETE ON webhook_filter_keys TO PUBLIC          | SELECT
            """)
    void open_byAUserWhoLacksAPrivilegeTheStoreUses_refusesNamingTheTableThePrivilegesAndTheGrant(String what, String grant,
            String lacks) throws SQLException {
        String user = databaseForAUserWho("REVOKE ALL ON webhook_filter_keys FROM PUBLIC", grant);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(user, TIMEOUT, "app"));
        assertEquals("The store's user lacks " + lacks + " on the table webhook_filter_keys in the webhook store at "
                + user.substring(0, user.indexOf('?')) + ", which the store needs: its records and claims fail without"
                + " SELECT, INSERT and UPDATE, its releases and clean-up without DELETE. Grant " + (lacks.contains(",") ? "them" : "it")
                + ", as the README does: GRANT " + lacks + " ON webhook_filter_keys TO <the store's user>", e.getMessage());
        assertNull(e.getCause());
    }

    /**
     * A user with a privilege on some of the table's columns only, as a DBA's {@code GRANT INSERT (key_digest)} gives:
     * {@code has_any_column_privilege} counted it, and open opened; then every record and claim failed ("ERROR:
     * permission denied for table webhook_filter_keys (SQLState 42501)", 503), or, without SELECT on {@code state}, open
     * failed with "the store's user lacks a privilege on it", naming neither the column nor the grant (on the old code
     * each row but the last: "Expected java.lang.IllegalStateException to be thrown, but nothing was thrown"). The
     * columns each privilege needs come from PostgreSQL, not from the store: with each column's privilege revoked in
     * turn, the store's statements failed without SELECT or INSERT on any column, or UPDATE on {@code owner_token},
     * {@code state} or {@code expires_at}, and ran without UPDATE on the other three. Open now names the column
     * privileges the user lacks, and the GRANTs that add them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            INSERT on key_digest only    | GRANT SELECT, UPDATE, DELETE ON webhook_filter_keys TO PUBLIC; GRANT INSERT (key_digest) ON webhook_filter_keys TO PUBLIC | INSERT (prefix, kind, owner_token, state, expires_at) | INSERT
            UPDATE on state only         | GRANT SELECT, INSERT, DELETE ON webhook_filter_keys TO PUBLIC; GRANT UPDATE (state) ON webhook_filter_keys TO PUBLIC      | UPDATE (owner_token, expires_at)                      | UPDATE
            UPDATE on the key's columns  | GRANT SELECT, INSERT, DELETE ON webhook_filter_keys TO PUBLIC; GRANT UPDATE (prefix, kind, key_digest) ON webhook_filter_keys TO PUBLIC | UPDATE (owner_token, state, expires_at) | UPDATE
            INSERT and UPDATE on a few   | GRANT SELECT, DELETE ON webhook_filter_keys TO PUBLIC; GRANT INSERT (prefix, kind, key_digest, owner_token, state), UPDATE (owner_token, state) ON webhook_filter_keys TO PUBLIC | INSERT (expires_at), UPDATE (expires_at) | INSERT, UPDATE
            SELECT on all but state      | GRANT INSERT, UPDATE, DELETE ON webhook_filter_keys TO PUBLIC; GRANT SELECT (prefix, kind, key_digest, owner_token, expires_at) ON webhook_filter_keys TO PUBLIC | SELECT (state) | SELECT
            """)
    void open_byAUserWithAPrivilegeOnSomeColumnsOnly_refusesNamingTheColumnsAndTheGrants(String what, String grants,
            String lacks, String onTheTable) throws SQLException {
        List<String> setup = new ArrayList<>(List.of("REVOKE ALL ON webhook_filter_keys FROM PUBLIC"));
        setup.addAll(List.of(grants.split("; ")));
        String user = databaseForAUserWho(setup.toArray(new String[0]));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(user, TIMEOUT, "app"));
        assertEquals("The store's user lacks " + lacks + " on the table webhook_filter_keys in the webhook store at "
                + user.substring(0, user.indexOf('?')) + ", which the store needs: it has " + (lacks.contains("), ") ? "those privileges"
                : "that privilege") + " on other columns only, and the store inserts and reads every column and updates"
                + " owner_token, state and expires_at; without them its records, claims, releases or clean-up fail. Grant "
                + (lacks.contains("), ") ? "them" : "it") + ", as the README does: GRANT " + onTheTable + " ON webhook_filter_keys TO"
                + " <the store's user> (or on those columns only: GRANT " + lacks + " ON webhook_filter_keys TO <the store's user>)",
                e.getMessage());
        assertFalse(e.getMessage().contains("blind-s3cret"), e.getMessage());
        assertNull(e.getCause());
    }

    /**
     * A table with row-level security that applies to the store's user: enabled and the user not its owner, or forced on
     * its owner. Open opened on each. With no policy, every record and claim failed ("new row violates row-level security
     * policy", 503). With policies for SELECT, INSERT and UPDATE but none for DELETE, records and claims worked and every
     * DELETE silently found no row: a release answered false and left the claim to block the sender's retries for the
     * whole lease, and the clean-up never deleted a row (on the old code: "Expected java.lang.IllegalStateException to be
     * thrown, but nothing was thrown"). A replay was never taken for new (the key's conflict is found in the unique index,
     * which no policy hides, and an update refused by a policy fails), so this fails closed, but open cannot tell such
     * policies from harmless ones: it now refuses the table wherever PostgreSQL applies row-level security to the store's
     * user ({@code row_security_active}), and opens where it does not: for an owner the table does not force it on, and
     * for a user with {@code BYPASSRLS}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            enabled, no policy                          | catalog_blind | ENABLE ROW LEVEL SECURITY | NULL                                                        | true
            forced on its owner, no DELETE policy       | owner         | FORCE ROW LEVEL SECURITY  | FOR SELECT USING (true); FOR INSERT WITH CHECK (true); FOR UPDATE USING (true) | true
            enabled, for every command, every row       | catalog_blind | ENABLE ROW LEVEL SECURITY | USING (true) WITH CHECK (true)                              | true
            enabled, its owner                          | owner         | ENABLE ROW LEVEL SECURITY | NULL                                                        | false
            enabled, a user with BYPASSRLS              | rls_bypass    | ENABLE ROW LEVEL SECURITY | NULL                                                        | false
            """)
    void open_onATableWithRowLevelSecurityForTheStoresUser_refusesSayingSo(String what, String who, String rls, String policies,
            boolean refused) throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String user = grantedToCatalogBlind(owner);
        try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE webhook_filter_keys ENABLE ROW LEVEL SECURITY");
            if (rls.startsWith("FORCE")) {
                s.execute("ALTER TABLE webhook_filter_keys FORCE ROW LEVEL SECURITY");
            }
            if (policies != null) {
                int n = 0;
                for (String policy : policies.split("; ")) {
                    s.execute("CREATE POLICY p" + n++ + " ON webhook_filter_keys " + policy);
                }
            }
            if (who.equals("owner")) {
                s.execute("ALTER TABLE webhook_filter_keys OWNER TO catalog_blind");
            } else if (who.equals("rls_bypass")) {
                try {
                    s.execute("CREATE ROLE rls_bypass LOGIN BYPASSRLS PASSWORD 'bypass-s3cret'");
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) {
                        throw e;
                    }
                }
                user = user.replace("user=catalog_blind&password=blind-s3cret", "user=rls_bypass&password=bypass-s3cret");
            }
        }
        String url = user;
        if (refused) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
            assertEquals("The table webhook_filter_keys in the webhook store at " + url.substring(0, url.indexOf('?')) + " has"
                    + " row-level security that applies to the store's user (ENABLE ROW LEVEL SECURITY on a table the user does"
                    + " not own, or FORCE ROW LEVEL SECURITY): its policies can refuse the store's statements, or hide rows from"
                    + " them, so that a release, a forget or the clean-up deletes nothing without an error. The store needs"
                    + " every row of its prefix. Turn it off for the table: ALTER TABLE webhook_filter_keys DISABLE ROW LEVEL"
                    + " SECURITY (or NO FORCE ROW LEVEL SECURITY where the store's user owns it); to keep applications apart,"
                    + " give each its own database or schema", e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertNull(e.getCause());
        } else {
            try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
                assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
                assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
                assertTrue(store.release(key("evt"), token(1)));
                assertTrue(store.isAvailable());
            }
        }
    }

    /**
     * Row-level security given to the table after open (open refuses it before): whatever its policies hide or refuse,
     * no replay is taken for new and no claim is won twice. A key recorded and claimed before, and one recorded and
     * claimed after, are recorded and claimed again by a second store; each answer is a refusal or "unavailable". Policies
     * do not hide a row from the unique index that finds the key's conflict, and PostgreSQL fails an upsert whose
     * existing row a policy refuses instead of skipping it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a SELECT policy that hides every row, no other   | FOR SELECT USING (false)
            rows hidden from SELECT, all else allowed        | FOR SELECT USING (false); FOR INSERT WITH CHECK (true); FOR UPDATE USING (true) WITH CHECK (true); FOR DELETE USING (true)
            rows hidden from UPDATE, all else allowed        | FOR SELECT USING (true); FOR INSERT WITH CHECK (true); FOR UPDATE USING (false) WITH CHECK (true); FOR DELETE USING (true)
            every command allowed but DELETE                 | FOR SELECT USING (true); FOR INSERT WITH CHECK (true); FOR UPDATE USING (true) WITH CHECK (true)
            every row hidden, every new row allowed          | USING (false) WITH CHECK (true)
            unexpired rows hidden, every new row allowed     | USING (expires_at < CURRENT_TIMESTAMP) WITH CHECK (true)
            """)
    void rowLevelSecurityGivenAfterOpen_neverTakesAReplayForNew_norGivesAClaimTwice(String what, String policies)
            throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String user = grantedToCatalogBlind(owner);
        try (JdbcStore first = (JdbcStore) new JdbcStoreProvider().open(user, TIMEOUT, "app");
                JdbcStore second = (JdbcStore) new JdbcStoreProvider().open(user, TIMEOUT, "app")) {
            assertEquals(Decision.FIRST_SEEN, first.record(key("before"), inAMinute()));
            assertEquals(Claim.FIRST, first.claim(key("before"), token(1), LEASE));
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys ENABLE ROW LEVEL SECURITY");
                int n = 0;
                for (String policy : policies.split("; ")) {
                    s.execute("CREATE POLICY p" + n++ + " ON webhook_filter_keys " + policy);
                }
            }
            first.record(key("after"), inAMinute());
            first.claim(key("after"), token(1), LEASE);
            for (String k : List.of("before", "after")) {
                Decision again = second.record(key(k), inAMinute());
                assertTrue(again == Decision.REPLAYED || again == Decision.UNAVAILABLE, k + ": " + again);
                Claim claim = second.claim(key(k), token(2), LEASE);
                assertTrue(claim != Claim.FIRST, k + ": " + claim);
            }
        }
    }

    /**
     * The privileges the store uses, had in ways the check must not refuse: through a role the store's user is a member
     * of (as a DBA grants a group role), and by column (each column the store reads, writes or sets, and DELETE). The
     * store opens, records, claims, completes, releases and cleans up.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"through a role", "by column"})
    void open_byAUserWithThePrivilegesThroughARoleOrByColumn_opensAndWorks(String how) throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String role = "writers_" + java.util.UUID.randomUUID().toString().replace("-", "");
        String user = grantedToCatalogBlind(owner, "REVOKE ALL ON webhook_filter_keys FROM PUBLIC");
        try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
            if (how.equals("through a role")) {
                s.execute("CREATE ROLE " + role + " NOLOGIN");
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_filter_keys TO " + role);
                s.execute("GRANT " + role + " TO catalog_blind");
            } else {
                String all = "prefix, kind, key_digest, owner_token, state, expires_at";
                s.execute("GRANT SELECT (" + all + "), INSERT (" + all + "), UPDATE (owner_token, state, expires_at), DELETE"
                        + " ON webhook_filter_keys TO PUBLIC");
            }
        }
        try {
            try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(user, TIMEOUT, "app")) {
                assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
                assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
                assertTrue(store.complete(key("evt"), token(1), TTL));
                assertEquals(Claim.FIRST, store.claim(key("evt2"), token(2), LEASE));
                assertTrue(store.release(key("evt2"), token(2)));
                assertTrue(store.cleanUp(10) >= 0);
                assertTrue(store.isAvailable());
            }
        } finally {
            if (how.equals("through a role")) {
                try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                    s.execute("REVOKE " + role + " FROM catalog_blind");
                }
            }
        }
    }

    /**
     * A database, or the store's user in it, whose transactions are read-only ({@code default_transaction_read_only},
     * as for a read-only user, or a proxy's route to replicas): open opened, and every record and claim answered
     * unavailable (503): "ERROR: cannot execute INSERT in a read-only transaction (SQLState 25006)". Open now refuses,
     * saying why and how to fix it, without the user's name or password.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ALTER DATABASE %s", "ALTER ROLE catalog_blind IN DATABASE %s"})
    void open_whereTheUsersTransactionsAreReadOnly_refusesSayingSo(String alter) throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String user = grantedToCatalogBlind(owner);
        String database = owner.substring(owner.lastIndexOf('/') + 1, owner.indexOf('?'));
        try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
            s.execute(String.format(alter, database) + " SET default_transaction_read_only = on");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(user, TIMEOUT, "app"));
        assertEquals("The webhook store at " + user.substring(0, user.indexOf('?')) + " gives the store's user read-only"
                + " transactions (transaction_read_only is on: default_transaction_read_only is set for that user, its database"
                + " or the server, or a proxy sent it to a read-only server), where every request would fail. Give a writable"
                + " server's address, or turn it off for the store's user: ALTER ROLE <the store's user> SET"
                + " default_transaction_read_only = off", e.getMessage());
        assertFalse(e.getMessage().contains("catalog_blind"), e.getMessage());
        assertFalse(e.getMessage().contains("blind-s3cret"), e.getMessage());
        assertNull(e.getCause());
    }

    /** A store opened for a test, and the WARNINGs its open logged. */
    private record Opened(WebhookStore store, List<String> warnings) {
    }

    /**
     * Opens a store at {@code url} with prefix {@code app}, capturing the WARNINGs its open logs under the store's logger
     * name, {@code dev.webhookfilter.store.jdbc.JdbcStore}, by which users configure them, though {@link TableCheck}
     * logs them.
     */
    private static Opened openLoggingWarnings(String url, Duration timeout) throws SQLException {
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName()).level(Level.ALL)) {
            WebhookStore store = new JdbcStoreProvider().open(url, timeout, "app");
            return new Opened(store, log.messages(Level.WARNING));
        }
    }

    /**
     * Where PostgreSQL refuses open's look at whether it may write (a DBA revoked one of its functions from PUBLIC),
     * open goes on, with one WARNING that says so, as where it cannot read the catalog: a good database is not refused.
     */
    @Test
    void open_whenTheLookAtWhetherItMayWriteIsRefused_opensWithAWarning() throws SQLException {
        String blind = databaseForAUserWho("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_is_in_recovery() FROM PUBLIC");
        Opened opened = openLoggingWarnings(blind, TIMEOUT);
        WebhookStore store = opened.store();
        List<String> warnings = opened.warnings();
        try (store) {
            assertEquals(List.of("The webhook store at " + blind.substring(0, blind.indexOf('?')) + " could not check that it"
                    + " may write to the table webhook_filter_keys (a standby, read-only transactions, a privilege its user"
                    + " lacks), nor that the table has no row-level security for its user: PostgreSQL refused the query"
                    + " (ERROR: permission denied for function pg_is_in_recovery (SQLState 42501)). Where it may not write,"
                    + " every record and claim answers unavailable (503), and the health"
                    + " check answers false."), warnings);
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        }
    }

    /**
     * Where PostgreSQL refuses open's look at the column privileges (a DBA revoked {@code has_column_privilege} from
     * PUBLIC), open goes on with one WARNING that says so, as for its look at whether it may write; the health check,
     * which asks the same, is left to its record, and answers true.
     */
    @Test
    void open_whenTheLookAtColumnPrivilegesIsRefused_opensWithAWarning() throws SQLException {
        String blind = databaseForAUserWho("REVOKE EXECUTE ON FUNCTION pg_catalog.has_column_privilege(oid, text, text) FROM PUBLIC");
        Opened opened = openLoggingWarnings(blind, TIMEOUT);
        WebhookStore store = opened.store();
        List<String> warnings = opened.warnings();
        try (store) {
            assertEquals(List.of("The webhook store at " + blind.substring(0, blind.indexOf('?')) + " could not check that its"
                    + " user has the privileges it needs on each column of the table webhook_filter_keys: PostgreSQL refused"
                    + " the query (ERROR: permission denied for function has_column_privilege (SQLState 42501)). Where it"
                    + " lacks one, the statements that need it answer unavailable (503)."), warnings);
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
            assertTrue(store.isAvailable());
        }
    }

    /**
     * A DBA who revokes SELECT on {@code pg_constraint} from PUBLIC keeps the store's user from reading the key: open
     * failed with "Cannot create the table webhook_filter_keys ... (create it as the README shows): permission denied
     * for table pg_constraint", on the README's table too (PgJDBC's {@code getPrimaryKeys} reads it). It then opened
     * with one WARNING that said it skipped the check, on every table: on one without a key {@code ON CONFLICT} can use
     * the application started and answered every request 503 (fail closed: two instances racing for each key got only
     * UNAVAILABLE and wrote no row). Open now checks the key by a replay record that it rolls back, as the health check
     * does, and refuses those tables as it refuses them by the catalog, naming the table and the fix (on the old code,
     * each row but the README's key failed: "Expected java.lang.IllegalStateException to be thrown, but nothing was
     * thrown"); on the README's key it opens with one WARNING, and two instances record and claim. A store opened
     * before a migration made the key unusable still fails closed, health check included.
     */
    @ParameterizedTest(name = "{0}: refused with {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            the README's key                    | PRIMARY KEY (prefix, kind, key_digest)            | NULL | NULL
            no key                              | NULL                                              | NULL | 42P10
            a key with owner_token              | UNIQUE (prefix, kind, key_digest, owner_token)    | NULL | 42P10
            a PRIMARY KEY on two, INCLUDE third | PRIMARY KEY (prefix, kind) INCLUDE (key_digest)   | NULL | 42P10
            a DEFERRABLE primary key            | PRIMARY KEY (prefix, kind, key_digest) DEFERRABLE | NULL | 55000
            a partial unique index              | NULL | CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (prefix, kind, key_digest) WHERE state <> 'seen' | 42P10
            """)
    void open_whenTheKeyCannotBeRead_checksItByARolledBackRecord_andRefusesATableWithoutAUsableKey(String what, String key,
            String index, String refusal) throws Exception {
        String owner = newDatabaseWithTable(ddl -> ddl.replace(PRIMARY_KEY, key == null ? "" : ",\n    " + key));
        List<String> revoke = new ArrayList<>();
        if (index != null) {
            revoke.add(index);
        }
        revoke.add("REVOKE SELECT ON pg_catalog.pg_constraint FROM PUBLIC");
        String blind = grantedToCatalogBlind(owner, revoke.toArray(String[]::new));
        String at = "The table webhook_filter_keys in the webhook store at " + blind.substring(0, blind.indexOf('?')) + " has ";
        String catalog = ". PostgreSQL refused open's query of its catalog, which would have named the key"
                + " (SQLState 42501: ERROR: permission denied for table pg_constraint)";

        if (refusal != null) {
            List<String> warnings;
            IllegalStateException e;
            try (LogCapture log = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL)) {
                e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(blind, TIMEOUT, "app"));
                warnings = log.messages(Level.WARNING);
            }
            String expected = refusal.equals("55000")
                    ? at + "a DEFERRABLE constraint on (prefix, kind, key_digest): every request would fail, as PostgreSQL's"
                            + " INSERT ... ON CONFLICT (prefix, kind, key_digest) refuses a deferrable constraint: it refused a"
                            + " replay record that open rolled back, ERROR: ON CONFLICT does not support deferrable unique"
                            + " constraints/exclusion constraints as arbiters (SQLState 55000). Make it NOT DEFERRABLE, as the"
                            + " README shows: ALTER TABLE webhook_filter_keys DROP CONSTRAINT <name>, ADD CONSTRAINT <name>"
                            + " PRIMARY KEY (prefix, kind, key_digest) (UNIQUE for a unique constraint; psql's \\d"
                            + " webhook_filter_keys names it)" + catalog
                    : at + "no key that ON CONFLICT (prefix, kind, key_digest) can use: every request would fail, as"
                            + " PostgreSQL's INSERT ... ON CONFLICT (prefix, kind, key_digest) needs a primary key or unique"
                            + " constraint on exactly those columns, valid, without a WHERE and not on expressions: it refused"
                            + " a replay record that open rolled back, ERROR: there is no unique or exclusion constraint"
                            + " matching the ON CONFLICT specification (SQLState 42P10). Add it, as the README shows: ALTER TABLE"
                            + " webhook_filter_keys ADD PRIMARY KEY (prefix, kind, key_digest) (or ADD UNIQUE (prefix, kind,"
                            + " key_digest) where another primary key stays)" + catalog;
            assertEquals(expected, e.getMessage());
            assertNull(e.getCause(), "the driver's exception may repeat the URL");
            assertEquals(List.of(), warnings, "the refusal says it all");
            assertNoRow(owner);
            // The README's key in its place, for the stores below to open on; then a migration makes it unusable again.
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                if (index != null) {
                    s.execute("DROP INDEX wfk_key");
                }
                s.execute("ALTER TABLE webhook_filter_keys" + (key == null ? "" : " DROP CONSTRAINT " + constraintName(c) + ",")
                        + " ADD PRIMARY KEY (prefix, kind, key_digest)");
            }
        }
        Opened opened = openLoggingWarnings(blind, TIMEOUT);
        WebhookStore a = opened.store();
        List<String> warnings = opened.warnings();
        try (a; WebhookStore b = new JdbcStoreProvider().open(blind, TIMEOUT, "app")) {
            assertEquals(List.of("The webhook store at " + blind.substring(0, blind.indexOf('?')) + " could not check the key"
                    + " of the table webhook_filter_keys in PostgreSQL's catalog, which refused the query (SQLState 42501:"
                    + " ERROR: permission denied for table pg_constraint): it checked it by a replay record that it rolled"
                    + " back, which PostgreSQL accepted; for open to check it by the catalog, let the store's user read"
                    + " pg_catalog.pg_index, pg_class, pg_attribute and pg_constraint and call quote_ident, pg_get_expr and"
                    + " pg_get_indexdef (every user may, unless a DBA revoked it)."), warnings);
            assertTrue(a.isAvailable(), "the health check");
            assertTrue(b.isAvailable(), "the other instance's health check");
            if (refusal == null) {
                assertEquals(Decision.FIRST_SEEN, a.record(key("sig"), inAMinute()));
                assertEquals(Decision.REPLAYED, b.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, a.claim(key("evt"), token(1), LEASE));
                assertEquals(Claim.IN_PROGRESS, b.claim(key("evt"), token(2), LEASE));
                return;
            }
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys DROP CONSTRAINT webhook_filter_keys_pkey");
                if (key != null) {
                    s.execute("ALTER TABLE webhook_filter_keys ADD " + key);
                }
                if (index != null) {
                    s.execute(index);
                }
            }
            // Down exactly where every record and claim gets 503; the DEFERRABLE key included.
            assertFalse(a.isAvailable(), "the health check");
            assertFalse(b.isAvailable(), "the other instance's health check");
            List<Object> answers = race(a, b);
            assertEquals(List.of(), answers.stream().filter(x -> x != Decision.UNAVAILABLE
                    && x != Claim.UNAVAILABLE).toList(), "every answer UNAVAILABLE");
        }
        assertNoRow(owner);
    }

    /**
     * The record by which open checks a key it cannot read in the catalog waits for locks that open's reads do not: a
     * {@code CREATE INDEX} (without {@code CONCURRENTLY}) holds SHARE, which writes wait for and reads pass. Open does
     * not hold that against the table, as it would not where it can read the catalog: it opens within its timeout, with
     * a WARNING that says the record failed and why, leaves no session waiting on the server, and its health check says
     * down until the lock is released, then up; the store then records.
     */
    @Tag("lock-waits")
    @Test
    void open_whenTheKeyCannotBeRead_andTheTableIsLockedAgainstWrites_opensWithAWarning() throws Exception {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String blind = grantedToCatalogBlind(owner, "REVOKE SELECT ON pg_catalog.pg_constraint FROM PUBLIC");
        try (Connection migration = java.sql.DriverManager.getConnection(owner); Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE webhook_filter_keys IN SHARE MODE");
            long start = System.nanoTime();
            Opened opened = openLoggingWarnings(blind, OPEN_TIMEOUT);
            WebhookStore store = opened.store();
            List<String> warnings = opened.warnings();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (store) {
                assertTrue(took <= OPEN_BOUND.toMillis(), "open took " + took + " ms; bound " + OPEN_BOUND.toMillis() + " ms");
                assertEquals(1, warnings.size(), warnings.toString());
                String w = warnings.get(0);
                assertTrue(w.startsWith("The webhook store at " + blind.substring(0, blind.indexOf('?')) + " could not check"
                        + " the key of the table webhook_filter_keys in PostgreSQL's catalog, which refused the query (SQLState"
                        + " 42501: ERROR: permission denied for table pg_constraint), nor by a replay record that it rolled"
                        + " back, which failed (another session holds a lock that writes wait for, as a CREATE INDEX does"
                        + " until its transaction ends, or the database did not answer, within 1000 ms: "), w);
                assertTrue(w.contains("(SQLState 57014)). Without a key that ON CONFLICT (prefix, kind, key_digest) can use,"
                        + " every record and claim answers unavailable (503), none is accepted twice, and the health check"
                        + " answers false; for open to check it by the catalog, let the store's user read"), w);
                assertFalse(w.contains("blind-s3cret"), w);
                assertNoConnectionBut(migration, owner);
                assertFalse(store.isAvailable(), "while the lock is held");
                migration.rollback();
                assertTrue(store.isAvailable(), "once it is released");
                assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
            }
        }
    }

    /** The name of the one primary key or unique constraint of the table. */
    private static String constraintName(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement(); ResultSet r = s.executeQuery("SELECT conname FROM pg_catalog.pg_constraint"
                + " WHERE conrelid = CAST('webhook_filter_keys' AS regclass) AND contype IN ('p', 'u')")) {
            assertTrue(r.next(), "a key");
            String name = r.getString(1);
            assertFalse(r.next(), "one key");
            return name;
        }
    }

    private static void assertNoRow(String owner) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(owner); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM webhook_filter_keys")) {
            assertTrue(r.next());
            assertEquals(0, r.getInt(1), "no row written");
        }
    }

    /**
     * Where the store's transactions default to {@code REPEATABLE READ} or {@code SERIALIZABLE} (a DBA's
     * {@code default_transaction_isolation} for the database, the user or the server; here the connections'
     * {@code options}, which set it as they do), a record or a claim that waits for another instance's insert of the
     * same key fails once that commits: its snapshot predates the row, which PostgreSQL then refuses to update ("could not
     * serialize access due to concurrent update", SQLState 40001). It answered unavailable (503, and a WARNING that the
     * store failed) where it is a replay, or a claim in progress, as the two instances racing for one key at READ
     * COMMITTED are told. The other instance's insert is held in a transaction here, so that the wait is sure to happen.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serializable", "repeatable read"})
    void recordAndClaim_whoseKeyAnotherInstanceInsertsMeanwhile_underAStricterIsolation_areReplayedAndInProgress(
            String isolation) throws Exception {
        Properties stricter = new Properties();
        stricter.setProperty("options", "-c default_transaction_isolation=" + isolation.replace(" ", "\\ "));
        String url = POSTGRES.server().url();
        ExecutorService calls = Executors.newFixedThreadPool(2);
        try (JdbcStore strict = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, stricter, 2), url, TIMEOUT,
                prefix, Clock.systemUTC(), false); Connection other = admin()) {
            other.setAutoCommit(false);
            try (PreparedStatement s = other.prepareStatement("INSERT INTO webhook_filter_keys"
                    + " (prefix, kind, key_digest, owner_token, state, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                java.time.OffsetDateTime inAMinute = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(1);
                for (String[] row : List.of(new String[] {"replay", "sig", "seen"}, new String[] {"dedup", "evt", "claimed"})) {
                    s.setString(1, prefix);
                    s.setString(2, row[0]);
                    s.setBytes(3, key(row[1]));
                    s.setBytes(4, token(1));
                    s.setString(5, row[2]);
                    s.setObject(6, inAMinute);
                    s.executeUpdate();
                }
            }
            Future<Decision> record = calls.submit(() -> strict.record(key("sig"), inAMinute()));
            Future<Claim> claim = calls.submit(() -> strict.claim(key("evt"), token(2), LEASE));
            awaitWaitingForALock(2);
            other.commit();
            assertEquals(Decision.REPLAYED, record.get(10, TimeUnit.SECONDS));
            assertEquals(Claim.IN_PROGRESS, claim.get(10, TimeUnit.SECONDS));
            assertEquals(Claim.FIRST, strict.claim(key("evt-2"), token(2), LEASE), "the stricter store works otherwise");
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * At {@code SERIALIZABLE}, PostgreSQL also rolls back a statement whose transaction would close a cycle of
     * read/write dependencies with others, whatever their keys ("could not serialize access due to read/write
     * dependencies among transactions", SQLState 40001): here another transaction read the row, made the store's
     * statement wait by locking it, and wrote into the part of the key's index that statement had read. Among the store's
     * own statements this happens by itself: eight threads that each recorded, claimed and completed or released keys of
     * their own at once had 1 complete of 800 fail so. A complete that failed answered false, and the claim stayed held
     * for its lease: the sender's retry was told "in progress", and after the lease ran the handler again. A release or a
     * forget that failed left the sender's retry refused, as in progress or as a replay. Nothing of the statement holds:
     * the store runs it again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"complete", "release", "forget"})
    void completeReleaseAndForget_rolledBackForAReadWriteCycle_underSerializable_runAgain(String operation) throws Exception {
        String url = newDatabase(); // a table of a few rows: its key's index is one page, which both transactions use
        Properties serializable = new Properties();
        serializable.setProperty("options", "-c default_transaction_isolation=serializable");
        boolean replay = operation.equals("forget");
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName());
                JdbcStore strict = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, serializable, 2), url,
                        TIMEOUT, prefix, Clock.systemUTC(), false);
                Connection other = java.sql.DriverManager.getConnection(url);
                Connection watch = java.sql.DriverManager.getConnection(url)) {
            if (replay) {
                assertEquals(Decision.FIRST_SEEN, strict.record(key("sig"), inAMinute()));
            } else {
                assertEquals(Claim.FIRST, strict.claim(key("evt"), token(1), LEASE));
            }
            other.setAutoCommit(false);
            other.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            lockTheRow(other, replay, "UPDATE");
            Future<Object> call = calls.submit(() -> run(strict, operation));
            awaitWaitingForALock(watch, operation.equals("complete") ? "UPDATE" : "DELETE", 1);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("INSERT INTO webhook_filter_keys (prefix, kind, key_digest, state, expires_at)"
                        + " VALUES ('another-application', 'replay', sha256('other'), 'seen', now() + interval '1 minute')");
            }
            other.commit();
            assertEquals(true, call.get(10, TimeUnit.SECONDS), operation + " answered");
            if (replay) {
                assertEquals(Decision.FIRST_SEEN, strict.record(key("sig"), inAMinute()), "forgotten");
            } else {
                assertEquals(operation.equals("complete") ? Claim.DONE : Claim.FIRST, strict.claim(key("evt"), token(2), LEASE));
            }
            assertEquals(List.of(), log.messages(Level.WARNING));
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * At {@code REPEATABLE READ} (and {@code SERIALIZABLE}), a clean-up batch that meets an expired row which another
     * instance's record took over after the batch's snapshot was taken is rolled back: PostgreSQL refuses to lock a row
     * changed since ("could not serialize access due to concurrent update", SQLState 40001). The run stopped there,
     * leaving the batch's other rows to the next run, with a WARNING that requests were refused, which they were not.
     * Here the batch's snapshot is taken as it waits for the table, which another session holds while it takes the row
     * over. Nothing of the batch holds: the store runs it again, which deletes the other row and leaves the one taken over.
     */
    @Test
    void cleanUp_ofARowTakenOverAfterItsSnapshot_underRepeatableRead_runsAgain() throws Exception {
        String url = newDatabase(); // the batch meets this test's rows only
        Properties repeatableRead = new Properties();
        repeatableRead.setProperty("options", "-c default_transaction_isolation=repeatable\\ read");
        long stale = java.time.Instant.now().getEpochSecond() - JdbcStore.CLEANUP_GRACE.toSeconds() - 60;
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName());
                JdbcStore strict = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, repeatableRead, 2), url,
                        TIMEOUT, prefix, Clock.systemUTC(), false);
                Connection other = java.sql.DriverManager.getConnection(url);
                Connection watch = java.sql.DriverManager.getConnection(url)) {
            assertEquals(Decision.FIRST_SEEN, strict.record(key("taken-over"), stale));
            assertEquals(Decision.FIRST_SEEN, strict.record(key("expired"), stale));
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("LOCK TABLE webhook_filter_keys IN SHARE MODE"); // a DELETE waits for it
            }
            try (PreparedStatement s = other.prepareStatement("UPDATE webhook_filter_keys SET expires_at = now() + interval"
                    + " '1 minute' WHERE prefix = ? AND kind = 'replay' AND key_digest = ?")) {
                s.setString(1, prefix);
                s.setBytes(2, key("taken-over"));
                assertEquals(1, s.executeUpdate());
            }
            Future<Integer> cleanUp = calls.submit(() -> strict.cleanUp(10));
            awaitWaitingForALock(watch, "DELETE", 1);
            other.commit();
            assertEquals(1, cleanUp.get(10, TimeUnit.SECONDS), "the row nobody took over (-1: the batch failed)");
            assertEquals(Decision.REPLAYED, strict.record(key("taken-over"), inAMinute()), "the row taken over is kept");
            assertEquals(List.of(), log.messages(Level.WARNING));
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * Locks the row of the test's message ({@code sig}, replay) or event ({@code evt}, de-duplication) in {@code c}'s
     * transaction, {@code FOR UPDATE} or {@code FOR SHARE}, so that a statement of the store on it waits.
     */
    private void lockTheRow(Connection c, boolean replay, String mode) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM webhook_filter_keys"
                + " WHERE prefix = ? AND kind = ? AND key_digest = ? FOR " + mode)) {
            s.setString(1, prefix);
            s.setString(2, replay ? "replay" : "dedup");
            s.setBytes(3, key(replay ? "sig" : "evt"));
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "the row");
            }
        }
    }

    /**
     * Runs {@code operation} on the test's keys: the event {@code evt} claimed with token 1 (a claim with token 2) or the
     * message {@code sig} recorded; what it answers, true for a forget.
     */
    private Object run(JdbcStore store, String operation) {
        switch (operation) {
            case "complete":
                return store.complete(key("evt"), token(1), TTL);
            case "release":
                return store.release(key("evt"), token(1));
            case "claim":
                return store.claim(key("evt"), token(2), LEASE);
            case "record":
                return store.record(key("sig"), inAMinute());
            default:
                store.forget(key("sig"));
                return true;
        }
    }

    /**
     * A statement of the store that PostgreSQL chose to end a deadlock with ("deadlock detected", SQLState 40P01), at any
     * isolation: here a migration's transaction held a share lock on the row the statement waits for, and asked for the
     * whole table, which the statement holds a lock on. The complete answered false (the claim held for its lease, after
     * which the sender's retry ran the handler again), a release or a forget left the retry refused, a claim or a record
     * answered unavailable (503). PostgreSQL rolls back all the statement did, so the store runs it again, which waits for
     * the migration to end. To make the store's statement the one chosen, deterministically: it waits first for another
     * transaction that shares the row's lock, and only after the migration waits for the table does it wait for the
     * migration, with a shorter {@code deadlock_timeout} than the migration's.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"complete", "release", "forget", "claim", "record"})
    void statementsRolledBackByADeadlock_runAgain(String operation) throws Exception {
        Properties quickToDetect = new Properties();
        quickToDetect.setProperty("options", "-c deadlock_timeout=100");
        String url = POSTGRES.server().url();
        boolean replay = operation.equals("forget") || operation.equals("record");
        ExecutorService calls = Executors.newFixedThreadPool(2);
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName());
                JdbcStore quick = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, quickToDetect, 2), url,
                        TIMEOUT, prefix, Clock.systemUTC(), false);
                Connection first = admin(); Connection migration = admin(); Connection watch = admin()) {
            if (replay) {
                assertEquals(Decision.FIRST_SEEN, quick.record(key("sig"), inAMinute()));
            } else {
                assertEquals(Claim.FIRST, quick.claim(key("evt"), token(1), LEASE));
            }
            for (Connection c : List.of(first, migration)) { // in this order: the statement waits for first, then migration
                c.setAutoCommit(false);
                lockTheRow(c, replay, "SHARE");
            }
            try (Statement s = migration.createStatement()) {
                s.execute("SET LOCAL deadlock_timeout = '60s'");
            }
            Future<Object> call = calls.submit(() -> run(quick, operation));
            String statement = operation.equals("complete") ? "UPDATE" : operation.equals("claim") || operation.equals("record")
                    ? "INSERT INTO" : "DELETE";
            awaitWaitingForALock(watch, statement, 1);
            Future<Boolean> alter = calls.submit(() -> {
                try (Statement s = migration.createStatement()) {
                    return s.execute("LOCK TABLE webhook_filter_keys IN ACCESS EXCLUSIVE MODE");
                }
            });
            awaitWaitingForALock(watch, "LOCK TABLE", 1);
            first.commit(); // the store's statement now waits for the migration, which waits for it
            alter.get(10, TimeUnit.SECONDS);
            migration.commit();
            Object answer = call.get(10, TimeUnit.SECONDS);
            switch (operation) {
                case "claim":
                    assertEquals(Claim.IN_PROGRESS, answer);
                    break;
                case "record":
                    assertEquals(Decision.REPLAYED, answer);
                    break;
                default:
                    assertEquals(true, answer, operation + " answered");
            }
            if (operation.equals("forget")) {
                assertEquals(Decision.FIRST_SEEN, quick.record(key("sig"), inAMinute()), "forgotten");
            } else if (!replay) {
                Claim expected = operation.equals("complete") ? Claim.DONE : operation.equals("release") ? Claim.FIRST
                        : Claim.IN_PROGRESS;
                assertEquals(expected, quick.claim(key("evt"), token(3), LEASE));
            }
            assertEquals(List.of(), log.messages(Level.WARNING));
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * PostgreSQL 14 and later end a session that sits idle longer than {@code idle_session_timeout} (a DBA's setting for
     * the server, the database or the user; here the connection's {@code options}): the store's idle connection was ended
     * between two requests, and the next record, claim or health check on it failed with "FATAL: terminating connection
     * due to idle-session timeout" (SQLState 57P05) and answered unavailable (503, and a WARNING), after every quiet
     * spell longer than the setting, though the server was up. The server sends it while the session is idle outside a
     * transaction, before it reads the statement, so nothing ran: the store runs the call again, once, on a new
     * connection.
     */
    @Test
    void callsOnAConnectionTheServerEndedAsIdle_runAgainOnANewOne() throws Exception {
        try (Connection c = admin(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            assertTrue(r.next());
            org.junit.jupiter.api.Assumptions.assumeTrue(r.getInt(1) >= 14, "idle_session_timeout came with PostgreSQL 14");
        }
        // Long enough that the new connection is not ended too before its statement arrives, on a loaded machine: the
        // store runs a call again once.
        Properties idleFor1s = new Properties();
        idleFor1s.setProperty("options", "-c idle_session_timeout=1000");
        String url = POSTGRES.server().url();
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName()).level(Level.ALL);
                JdbcStore ended = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, idleFor1s, 1), url,
                        TIMEOUT, prefix, Clock.systemUTC(), false)) {
            assertEquals(Decision.FIRST_SEEN, ended.record(key("sig-1"), inAMinute()));
            pause(1150);
            assertEquals(Decision.FIRST_SEEN, ended.record(key("sig-2"), inAMinute()), "a record after a quiet spell");
            assertEquals(Decision.REPLAYED, ended.record(key("sig-1"), inAMinute()));
            pause(1150);
            assertTrue(ended.isAvailable(), "the health check after a quiet spell");
            assertEquals(Claim.FIRST, ended.claim(key("evt"), token(1), LEASE));
            assertEquals(List.of(), log.messages(Level.WARNING));
            assertTrue(log.render().contains("had ended as it sat idle; record runs again on a new one"),
                    "the server ended the connection, and the store ran the record again: " + log.render());
        }
    }

    /**
     * A DBA (or a job that ends idle sessions) ended the store's idle connection with {@code pg_terminate_backend}, as a
     * restart or a failover ends them all: the next statement on it failed with "terminating connection due to
     * administrator command" (SQLState 57P01), or an I/O error (08006). Unlike 57P05's, such a loss may come after the
     * database committed the statement, so a record or a claim is not run again. A complete or a release changes only a
     * claim that holds the call's token, so a second run after a first that committed changes nothing: they run again,
     * once, on a new connection. The complete answered false, and the claim was held for its lease, after which the
     * sender's retry ran the handler again; the release left the retry refused as in progress.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"complete", "release"})
    void completeAndRelease_onAConnectionTheDatabaseEnded_runAgainOnANewOne(String operation) throws Exception {
        Properties named = new Properties();
        String name = "ended-" + java.util.UUID.randomUUID();
        named.setProperty("ApplicationName", name);
        String url = POSTGRES.server().url();
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName());
                JdbcStore ended = JdbcStoreProvider.open(new Pool(new org.postgresql.Driver(), url, named, 1), url, TIMEOUT,
                        prefix, Clock.systemUTC(), false);
                Connection dba = admin(); PreparedStatement s = dba.prepareStatement(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            assertEquals(Claim.FIRST, ended.claim(key("evt"), token(1), LEASE));
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals(1, r.getInt(1), "the store's one connection, ended");
            }
            awaitGone(dba, name);
            boolean done = operation.equals("complete");
            assertTrue(done ? ended.complete(key("evt"), token(1), TTL) : ended.release(key("evt"), token(1)), operation);
            assertEquals(done ? Claim.DONE : Claim.FIRST, ended.claim(key("evt"), token(2), LEASE));
            assertEquals(List.of(), log.messages(Level.WARNING));
        }
    }

    /** Waits until no session named {@code applicationName} is left on the server (within 5 s). */
    private static void awaitGone(Connection on, String applicationName) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (PreparedStatement s = on.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, applicationName);
            int left;
            do {
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    left = r.getInt(1);
                }
                if (left == 0) {
                    return;
                }
                pause(10);
            } while (System.nanoTime() < deadline);
            assertEquals(0, left, "sessions left 5 s after they were ended");
        }
    }

    /** Waits until {@code sessions} records or claims of the store on the test's database wait for a lock (within 5 s). */
    private void awaitWaitingForALock(int sessions) throws SQLException {
        try (Connection c = admin()) {
            awaitWaitingForALock(c, "INSERT INTO", sessions);
        }
    }

    /**
     * Waits until {@code sessions} statements of the store that start with {@code statement} ({@code INSERT INTO},
     * {@code UPDATE}, {@code DELETE FROM}) wait for a lock in {@code on}'s database (within 5 s).
     */
    private static void awaitWaitingForALock(Connection on, String statement, int sessions) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (PreparedStatement s = on.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE ? AND pid <> pg_backend_pid()")) {
            s.setString(1, statement + " %webhook_filter_keys%");
            int waiting;
            do {
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    waiting = r.getInt(1);
                }
                if (waiting >= sessions) {
                    return;
                }
                pause(10);
            } while (System.nanoTime() < deadline);
            assertEquals(sessions, waiting, "statements waiting for the other instance's row after 5 s");
        }
    }

    /**
     * Eight threads, half on each store, released together for each of 5 keys: each records the key, then claims it.
     * Every answer, in order.
     */
    private static List<Object> race(WebhookStore a, WebhookStore b) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Object> answers = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                byte[] k = key("race-" + round);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<List<Object>>> each = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    WebhookStore store = t % 2 == 0 ? a : b;
                    byte[] own = token(t + 1);
                    each.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return List.<Object>of(store.record(k, inAMinute()), store.claim(k, own, LEASE));
                    }));
                }
                for (Future<List<Object>> f : each) {
                    answers.addAll(f.get(30, TimeUnit.SECONDS));
                }
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- a database that holds open up ----

    /** The store's default timeout, {@code storeTimeoutMillis}. */
    private static final Duration OPEN_TIMEOUT = Duration.ofMillis(1000);
    /**
     * How long a blocked open may take: the timeout, rounded up to whole seconds as JDBC's query timeout counts, plus a
     * second for the cancel request the driver sends and for scheduling.
     */
    private static final Duration OPEN_BOUND = Duration.ofSeconds(2);

    /**
     * Another session holds the table locked, as a migration's {@code ALTER TABLE} does until its transaction ends
     * ({@code LOCK TABLE ... IN ACCESS EXCLUSIVE MODE} takes the same lock, which every read waits for). Through either
     * kind of connection, open failed in 2.1 s with "Cannot create the table webhook_filter_keys ... (create it as the
     * README shows): ERROR: relation "webhook_filter_keys" already exists (SQLState 42P07)": its look for the table
     * waited out its query timeout and took that for a missing table, the CREATE found the table there, and the look
     * that follows a failed CREATE waited out a second timeout. Open now fails at the first timeout, saying the table
     * is locked or the database did not answer, and leaves no thread and no connection behind; the session holding the
     * lock is never disturbed.
     */
    @Tag("lock-waits")
    @ParameterizedTest(name = "through {0}")
    @ValueSource(strings = {"the store's pool", "a DataSource"})
    void open_whileAnotherSessionHoldsTheTableLocked_failsInTimeSayingSo_andLeavesNothingBehind(String through)
            throws Exception {
        String url = newDatabaseWithTable(ddl -> ddl);
        try (Connection migration = java.sql.DriverManager.getConnection(url); Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE webhook_filter_keys IN ACCESS EXCLUSIVE MODE");
            String m = openFailsInTime(through, url);
            assertTrue(m.startsWith("Could not check the table webhook_filter_keys in the webhook store at "
                    + (through.equals("a DataSource") ? "a DataSource" : url.substring(0, url.indexOf('?'))) + ": "), m);
            assertTrue(m.contains("it is locked by another session"), m);
            assertTrue(m.contains("or the database did not answer, within 1000 ms"), m);
            assertTrue(m.contains("(SQLState 57014)"), m);
            assertNoConnectionBut(migration, url);
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM webhook_filter_keys")) {
                assertTrue(r.next(), "the session that holds the lock goes on");
            }
            migration.rollback();
        }
        try (WebhookStore store = open(through, url)) {
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()), "once the lock is released");
        }
    }

    /**
     * The check of the key had no query timeout. Held up by a lock on a catalog it reads ({@code pg_constraint}, locked
     * here as a {@code VACUUM FULL} or {@code REINDEX} of it does; the table has no CHECK constraint, so that the looks
     * before it, which would read them, pass), open through a DataSource without a socketTimeout waited for as long as
     * the lock was held (it answered 24 ms after the lock was released, 20 s on); through the store's pool, the socket
     * timeout cut the connection after 2.1 s ("Cannot create the table ... An I/O error occurred while sending to the
     * backend"), and the server's session went on waiting for the lock. The check now has a query timeout, like every
     * statement of open: it is cancelled on the server's side too.
     */
    @ParameterizedTest(name = "through {0}")
    @ValueSource(strings = {"the store's pool", "a DataSource"})
    void open_whileACatalogTheKeyCheckReadsIsLocked_failsInTime_andLeavesNothingBehind(String through) throws Exception {
        String url = newDatabaseWithTable(ddl -> {
            String unchecked = ddl.replaceAll("(?m)^\\s*CHECK .*\n", "").replaceAll("(?m) CHECK \\(.*\\),$", ",");
            assertFalse(unchecked.contains("CHECK"), unchecked);
            return unchecked;
        });
        try (Connection dba = java.sql.DriverManager.getConnection(url); Statement s = dba.createStatement()) {
            dba.setAutoCommit(false);
            s.execute("LOCK TABLE pg_catalog.pg_constraint IN ACCESS EXCLUSIVE MODE");
            String m = openFailsInTime(through, url);
            assertTrue(m.startsWith("Could not check the table webhook_filter_keys in the webhook store at "), m);
            assertTrue(m.contains("or the database did not answer, within 1000 ms"), m);
            assertNoConnectionBut(dba, url);
            dba.rollback();
        }
        try (WebhookStore store = open(through, url)) {
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()), "once the lock is released");
        }
    }

    /**
     * PgJDBC's own catalog query, which has no query timeout: asked a column's type name, PgJDBC first looks whether
     * the column is auto-increment, reading pg_class, pg_attribute and pg_attrdef. Open's look at the columns asked it.
     * Held up by a lock on pg_attrdef, which only that query reads (locked here as a {@code VACUUM FULL} of it does),
     * open through a DataSource without a socketTimeout waited for as long as the lock was held (its statement waiting
     * for the lock on the server); through the store's pool, the socket timeout cut the connection after 2.1 s
     * ("Could not check the table ...: An I/O error occurred while sending to the backend. (SQLState 08006)"), and
     * the server's session went on waiting. Open now reads the columns' types with pg_typeof, in a statement of its
     * own with the query timeout, and reads no pg_attrdef: it opens, and the store records, while the lock is held.
     */
    @ParameterizedTest(name = "through {0}")
    @ValueSource(strings = {"the store's pool", "a DataSource"})
    void open_whileACatalogOnlyPgJdbcsOwnQueryReadsIsLocked_opensInTime(String through) throws Exception {
        String url = newDatabaseWithTable(ddl -> ddl);
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try (Connection dba = java.sql.DriverManager.getConnection(url); Statement s = dba.createStatement()) {
            dba.setAutoCommit(false);
            s.execute("LOCK TABLE pg_catalog.pg_attrdef IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            Future<WebhookStore> opening = opener.submit(() -> open(through, url));
            WebhookStore store;
            try {
                store = opening.get(OPEN_BOUND.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("open still waits " + (OPEN_BOUND.toMillis() + 10_000) + " ms on", e);
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (store) {
                assertTrue(took <= OPEN_BOUND.toMillis(), "open took " + took + " ms; bound " + OPEN_BOUND.toMillis() + " ms");
                assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()), "while the lock is held");
            }
            assertNoConnectionBut(dba, url);
            dba.rollback();
        } finally {
            opener.shutdownNow();
        }
    }

    /**
     * The clean-up while another session holds the table locked: SKIP LOCKED skips rows that other transactions hold,
     * not a lock on the table, which the clean-up's DELETE waits for (ACCESS EXCLUSIVE, as a migration's ALTER TABLE
     * takes; SHARE, as a CREATE INDEX takes). Its batch has a query timeout, so the run gives up within the store's
     * timeout, with the store's WARNING, instead of waiting for the lock or trying again at once; the next run, once
     * the lock is gone, deletes the rows. This passed before the changes to open as well: a guard, not a fix.
     */
    @Tag("lock-waits")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ACCESS EXCLUSIVE", "SHARE"})
    void cleanUp_whileAnotherSessionHoldsTheTableLocked_givesUpWithinTheTimeout_andTheNextRunDeletes(String mode)
            throws SQLException {
        deleteWhatOtherTestsLeft();
        insertExpired("locked-", 3);
        try (Connection migration = admin(); Statement s = migration.createStatement();
                LogCapture log = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL)) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE webhook_filter_keys IN " + mode + " MODE");
            long start = System.nanoTime();
            assertEquals(0, store.cleanUpExpired(JdbcStore.CLEANUP_RUN_TIME), "nothing deleted while the lock is held");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took <= TIMEOUT.toMillis() + 1_000, "the run gave up after " + took + " ms");
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(" failed cleanUp; requests that need it are refused until it works again"), warnings.get(0));
            assertTrue(warnings.get(0).contains("SQLState 57014"), warnings.get(0));
            migration.rollback();
        }
        assertEquals(3, store.cleanUpExpired(JdbcStore.CLEANUP_RUN_TIME), "the next run, once the lock is gone");
        assertEquals(0, rows());
    }

    /**
     * The health check while another session holds the table locked, as a migration does: every record and claim
     * waits out its timeout and answers unavailable (503), so the health check must say the store is down, not
     * answer {@code SELECT 1} past the lock; once the lock is gone it says up again.
     */
    /**
     * A change after open that open would refuse: the health check answered true on each, as its rolled-back record
     * (expiring now) still ran, while the store's other statements failed: without DELETE every release and clean-up;
     * without SELECT on {@code state} the claim of a key already claimed (UNAVAILABLE); under row-level security whose
     * policies allow every command but DELETE, releases found no row; under one that hides unexpired rows, every record
     * of a fresh message (on the old code: "expected: <false> but was: <true>"). The health check now asks what open
     * asks of the privileges and row-level security, and answers false, as a restart's open refuses the database; true
     * again once the change is undone.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            DELETE revoked                   | REVOKE DELETE ON webhook_filter_keys FROM PUBLIC | GRANT DELETE ON webhook_filter_keys TO PUBLIC
            SELECT on state revoked          | REVOKE SELECT ON webhook_filter_keys FROM PUBLIC; GRANT SELECT (prefix, kind, key_digest, owner_token, expires_at) ON webhook_filter_keys TO PUBLIC | GRANT SELECT ON webhook_filter_keys TO PUBLIC
            RLS, every command but DELETE    | ALTER TABLE webhook_filter_keys ENABLE ROW LEVEL SECURITY; CREATE POLICY p0 ON webhook_filter_keys FOR SELECT USING (true); CREATE POLICY p1 ON webhook_filter_keys FOR INSERT WITH CHECK (true); CREATE POLICY p2 ON webhook_filter_keys FOR UPDATE USING (true) | ALTER TABLE webhook_filter_keys DISABLE ROW LEVEL SECURITY
            RLS, unexpired rows hidden       | ALTER TABLE webhook_filter_keys ENABLE ROW LEVEL SECURITY; CREATE POLICY p0 ON webhook_filter_keys USING (expires_at < CURRENT_TIMESTAMP) WITH CHECK (true) | ALTER TABLE webhook_filter_keys DISABLE ROW LEVEL SECURITY
            """)
    void isAvailable_afterAChangeOpenWouldRefuse_isFalse_andTrueOnceUndone(String what, String change, String undo)
            throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String user = grantedToCatalogBlind(owner);
        try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(user, TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            assertEquals(Claim.FIRST, store.claim(key("held"), token(1), LEASE));
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                for (String sql : change.split("; ")) {
                    s.execute(sql);
                }
            }
            Claim again = store.claim(key("held"), token(2), LEASE);
            boolean released = store.release(key("held"), token(1));
            Decision fresh = store.record(key("fresh"), inAMinute());
            System.out.println(what + ": a second claim " + again + ", released " + released + ", a fresh record " + fresh);
            assertTrue(again == Claim.UNAVAILABLE || !released || fresh == Decision.UNAVAILABLE,
                    what + ": no request failed");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(user, TIMEOUT, "app").close(), "open refuses it");
            assertFalse(refused.getMessage().contains("blind-s3cret"), refused.getMessage());
            assertFalse(store.isAvailable(), what);
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute(undo);
            }
            assertTrue(store.isAvailable(), what + ", undone");
        }
    }

    /**
     * {@code expires_at} altered to a {@code TIMESTAMP} without a time zone after open, which open refuses (a session's
     * time zone then moves every expiry it reads or writes: instances in other zones take replays for new). Requests go
     * on without an error, and the health check answered true (on the old code: "expected: <false> but was: <true>"). It
     * now reads the column's type, and answers false until it is altered back.
     */
    @Test
    void isAvailable_afterExpiresAtLostItsTimeZone_isFalse_andTrueOnceAlteredBack() throws SQLException {
        String owner = newDatabaseWithTable(ddl -> ddl);
        String user = grantedToCatalogBlind(owner);
        try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(user, TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys ALTER COLUMN expires_at TYPE TIMESTAMP");
            }
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()), "no request fails");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(user, TIMEOUT, "app").close(), "open refuses it");
            assertTrue(refused.getMessage().contains("has expires_at of type timestamp without time zone"), refused.getMessage());
            assertFalse(store.isAvailable());
            try (Connection c = java.sql.DriverManager.getConnection(owner); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE webhook_filter_keys ALTER COLUMN expires_at TYPE TIMESTAMP WITH TIME ZONE");
            }
            assertTrue(store.isAvailable());
        }
    }

    @Tag("lock-waits")
    @Test
    void isAvailable_whileAnotherSessionHoldsTheTableLocked_isFalseWithinTheTimeout_andTrueOnceReleased()
            throws SQLException {
        try (Connection migration = admin(); Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            s.execute("LOCK TABLE webhook_filter_keys IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            assertFalse(store.isAvailable(), "a store whose table no request can use");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took <= TIMEOUT.toMillis() + 1_000, "the health check answered after " + took + " ms");
            migration.rollback();
        }
        assertTrue(store.isAvailable(), "once the lock is gone");
    }

    /**
     * Health checks of several instances at once: one that stalls with its row written but not yet rolled back (its
     * JVM paused, say) holds nothing that another's waits for, as each writes a key of its own. With one fixed probe
     * key, every other instance's health check would wait for that row's transaction, and say down at its timeout.
     */
    @Test
    void isAvailable_whileAnotherInstancesHealthCheckStallsBeforeItsRollback_answersUpAtOnce() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        StallsBeforeRollback stalling = new StallsBeforeRollback(
                new Pool(new org.postgresql.Driver(), POSTGRES.server().url(), new Properties(), 1), written, resume);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (JdbcStore stalled = JdbcStoreProvider.open(stalling, POSTGRES.server().url(), TIMEOUT, prefix, Clock.systemUTC(), false)) {
            stalling.armed = true;
            Future<Boolean> first = other.submit(stalled::isAvailable);
            assertTrue(written.await(30, TimeUnit.SECONDS), "the first health check wrote its row");

            long start = System.nanoTime();
            assertTrue(store.isAvailable(), "another instance's health check, while the first holds its row");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < TIMEOUT.toMillis(), "it answered after " + took + " ms");

            resume.countDown();
            assertTrue(first.get(30, TimeUnit.SECONDS), "the first, once it rolled back");
        } finally {
            resume.countDown();
            other.shutdownNow();
        }
        assertEquals(0, rows(), "neither health check's row");
    }

    /** The store's pool, whose connections' {@code rollback()} waits, once armed, until the test resumes it. */
    private static final class StallsBeforeRollback implements ConnectionSource {

        private final Pool pool;
        private final CountDownLatch reached;
        private final CountDownLatch resume;
        volatile boolean armed;

        StallsBeforeRollback(Pool pool, CountDownLatch reached, CountDownLatch resume) {
            this.pool = pool;
            this.reached = reached;
            this.resume = resume;
        }

        @Override
        public Connection borrow(long deadline) throws SQLException {
            Connection real = pool.borrow(deadline);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    new Holding(real));
        }

        private final class Holding implements InvocationHandler {

            final Connection real;

            Holding(Connection real) {
                this.real = real;
            }

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                if (armed && method.getName().equals("rollback") && args == null) {
                    reached.countDown();
                    assertTrue(resume.await(30, TimeUnit.SECONDS), "the test never resumed the rollback");
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }

        @Override
        public void giveBack(Connection connection, boolean healthy) {
            pool.giveBack(((Holding) Proxy.getInvocationHandler(connection)).real, healthy);
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    private static WebhookStore open(String through, String url) {
        if (through.equals("a DataSource")) {
            // Without a socketTimeout, as an application's own DataSource may be: only the store's timeouts bound it.
            org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setUrl(url);
            return new JdbcStoreProvider().open(dataSource, OPEN_TIMEOUT, "app");
        }
        return new JdbcStoreProvider().open(url, OPEN_TIMEOUT, "app");
    }

    /**
     * Opens the store at {@code url} through {@code through} on a thread of the test's, which must fail within
     * {@link #OPEN_BOUND} without the password, and leave no thread behind: the message.
     */
    private static String openFailsInTime(String through, String url) throws Exception {
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try {
            opener.submit(() -> null).get(); // the test's own thread, started before the look at threads
            Set<Thread> before = Threads.running();
            long start = System.nanoTime();
            Future<WebhookStore> opening = opener.submit(() -> open(through, url));
            Throwable failure;
            try {
                opening.get(OPEN_BOUND.toMillis() + 30_000, TimeUnit.MILLISECONDS).close();
                throw new AssertionError("open succeeded");
            } catch (TimeoutException e) {
                throw new AssertionError("open still waits " + (OPEN_BOUND.toMillis() + 30_000) + " ms on", e);
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("open through " + through + " failed in " + took + " ms: " + failure.getMessage());
            assertTrue(failure instanceof IllegalStateException, failure::toString);
            assertTrue(took <= OPEN_BOUND.toMillis(), "open failed in " + took + " ms; bound " + OPEN_BOUND.toMillis() + " ms");
            assertFalse(failure.getMessage().contains(PostgresServer.PASSWORD), failure.getMessage());
            assertNull(failure.getCause(), "the driver's exception may repeat the URL");
            Threads.assertNoneLeftSince(before, Duration.ofSeconds(10));
            return failure.getMessage();
        } finally {
            opener.shutdownNow();
        }
    }

    /**
     * Waits a while for every session of the database at {@code url} to end but that of {@code own}, and for none to
     * wait for a lock: a statement that gave up on the client's side but still waits on the server's would run once the
     * lock is released.
     */
    private void assertNoConnectionBut(Connection own, String url) throws SQLException {
        String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        int pid;
        try (Statement s = own.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            assertTrue(r.next());
            pid = r.getInt(1);
        }
        List<String> others = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement("SELECT pid, state, wait_event_type, query"
                + " FROM pg_stat_activity WHERE datname = ? AND pid <> ?")) {
            s.setString(1, database);
            s.setInt(2, pid);
            do {
                others = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        others.add(r.getInt(1) + " " + r.getString(2) + " waiting for " + r.getString(3) + ": " + r.getString(4));
                    }
                }
                if (others.isEmpty()) {
                    return;
                }
                pause(50);
            } while (System.nanoTime() < deadline);
        }
        assertEquals(List.of(), others, "sessions left on the server 5 s on");
    }
}
