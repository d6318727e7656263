package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code open} on a hot standby, a read replica's address given by mistake: a real one, made by {@code pg_basebackup -R}
 * of the test's server (Debian's binaries; zonky's builds have no {@code pg_basebackup}, so the postgres-12 and
 * postgres-18 runs leave this class out).
 */
class PostgresStandbyTest {

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * The standby has the primary's table, streamed from it, and every read works there, so open opened; then every
     * record and claim answered unavailable (503), "ERROR: cannot execute INSERT in a read-only transaction (SQLState
     * 25006)", found only in production. Open now refuses, through a URL and through a DataSource, naming the host and
     * not the password, and says to give the primary's address; the primary opens as before. A URL that lists the
     * standby before the primary is refused as well, as PgJDBC connects to the first host that answers, unless it is
     * given {@code targetServerType=primary}.
     */
    @Test
    void open_onAHotStandby_refusesNamingItsHost_andThePrimaryOpens() throws Exception {
        PostgresServer primary = POSTGRES.server();
        try (WebhookStore store = new JdbcStoreProvider().open(primary.url(), TIMEOUT, "app")) {
            assertEquals(Decision.FIRST_SEEN, store.record(StoreContract.key("sig"), StoreContract.inAMinute()),
                    "the primary, which made the table");
        }
        try (PostgresServer standby = primary.standby()) {
            assertEquals("t", query(standby, "SELECT pg_is_in_recovery()"), "the fixture's standby is in recovery");
            awaitTable(standby);

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(standby.url());
            IllegalStateException byUrl = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(standby.url(), TIMEOUT, "app").close());
            IllegalStateException byDataSource = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(dataSource, TIMEOUT, "app").close());
            String refusal = " is a standby (read-only, in recovery), where every request would fail; give the primary's address";
            assertEquals("The webhook store at jdbc:postgresql://127.0.0.1:" + standby.port() + "/postgres" + refusal,
                    byUrl.getMessage());
            assertEquals("The webhook store at a DataSource" + refusal, byDataSource.getMessage());
            for (IllegalStateException e : List.of(byUrl, byDataSource)) {
                assertFalse(e.getMessage().contains(PostgresServer.PASSWORD), e.getMessage());
                assertNull(e.getCause());
            }

            // Hosts listed for a failover: PgJDBC takes the first that answers, a standby too, unless the URL asks for the
            // primary (README, "What the database must keep").
            String hosts = "jdbc:postgresql://127.0.0.1:" + standby.port() + ",127.0.0.1:" + primary.port() + "/postgres";
            String credentials = primary.url().substring(primary.url().indexOf('?'));
            IllegalStateException standbyFirst = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(hosts + credentials, TIMEOUT, "app").close());
            assertEquals("The webhook store at " + hosts + refusal, standbyFirst.getMessage());
            try (WebhookStore store = new JdbcStoreProvider().open(hosts + credentials + "&targetServerType=primary", TIMEOUT,
                    "app")) {
                assertEquals(Decision.FIRST_SEEN, store.record(StoreContract.key("sig-2"), StoreContract.inAMinute()),
                        "the primary, found among the hosts");
            }
        }
        try (WebhookStore store = new JdbcStoreProvider().open(primary.url(), TIMEOUT, "app")) {
            assertTrue(store.isAvailable(), "the primary still opens");
        }
    }

    /** Waits until the table the primary made has reached the standby (pg_basebackup copied it; this is a guard). */
    private static void awaitTable(PostgresServer standby) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (query(standby, "SELECT CAST(to_regclass('" + JdbcStore.TABLE + "') AS text)") == null) {
            assertTrue(System.nanoTime() < deadline, "the table never reached the standby");
            Thread.sleep(100);
        }
    }

    private static String query(PostgresServer server, String sql) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(server.url(), new Properties());
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next());
            return r.getString(1);
        }
    }
}
