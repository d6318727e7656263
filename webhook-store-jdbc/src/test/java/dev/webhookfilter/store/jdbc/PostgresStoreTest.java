package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @Test
    void open_wrongPassword_failsWithoutRepeatingIt() {
        String wrong = POSTGRES.server().url().replace(PostgresServer.PASSWORD, "wr0ng-s3cret");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(wrong, TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + POSTGRES.server().port()), e.getMessage());
        assertTrue(e.getMessage().contains("28P01"), "the SQLState of a failed authentication: " + e.getMessage());
        assertFalse(e.getMessage().contains("wr0ng-s3cret"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void open_publicApi_withThePasswordInTheUrl_neverShowsIt() {
        try (dev.webhookfilter.WebhookStore store = new JdbcStoreProvider().open(POSTGRES.server().url(), TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            assertFalse(store.toString().contains(PostgresServer.PASSWORD), store.toString());
        }
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
}
