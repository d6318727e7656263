package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.LogCapture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code open} on a PostgreSQL older than the oldest README supports (zonky's builds of 10 and 11, which the pom
 * unpacks): it refuses, through a URL and through a DataSource, naming the store and the server's version, before it
 * creates anything. It opened both: 11 silently (the store works there, but for the {@code REINDEX INDEX CONCURRENTLY}
 * it gives as the fix for an {@code INVALID} key, which 11 does not have); 10 with a WARNING that it "did not check
 * that the table webhook_filter_keys has a key that ON CONFLICT (prefix, kind, key_digest) can use: PostgreSQL refused
 * the query of its catalog (SQLState 42703: ERROR: column x.indnkeyatts does not exist", the skip README explains as
 * a DBA's revoked privilege, where the server was only too old for the query ({@code indnkeyatts} is new in 11).
 */
class PostgresTooOldTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"10", "11"})
    void open_onAPostgresOlderThanTheReadmeSays_refusesNamingTheStoreAndTheVersion_andCreatesNothing(String major)
            throws Exception {
        int minimum = PostgresStoreTest.minimumInReadme();
        assertTrue(Integer.parseInt(major) < minimum, "README's minimum is " + minimum);
        try (PostgresServer server = PostgresServer.startOrSkip(major)) {
            String version = query(server, "SHOW server_version");
            assertTrue(version.startsWith(major + "."), version);
            String refusal = " runs PostgreSQL " + version + "; the store needs PostgreSQL " + minimum + " or later";

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(server.url());
            List<String> warnings;
            IllegalStateException byUrl;
            IllegalStateException byDataSource;
            try (LogCapture log = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL)) {
                byUrl = assertThrows(IllegalStateException.class,
                        () -> new JdbcStoreProvider().open(server.url(), TIMEOUT, "app").close());
                byDataSource = assertThrows(IllegalStateException.class,
                        () -> new JdbcStoreProvider().open(dataSource, TIMEOUT, "app").close());
                warnings = log.messages(Level.WARNING);
            }
            assertEquals("The webhook store at jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres" + refusal,
                    byUrl.getMessage());
            assertEquals("The webhook store at a DataSource" + refusal, byDataSource.getMessage());
            for (IllegalStateException e : List.of(byUrl, byDataSource)) {
                assertFalse(e.getMessage().contains(PostgresServer.PASSWORD), e.getMessage());
                assertNull(e.getCause());
            }
            assertEquals(List.of(), warnings);
            assertEquals("", query(server, "SELECT COALESCE(CAST(to_regclass('" + JdbcStore.TABLE + "') AS text), '')"),
                    "open created the table");
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
