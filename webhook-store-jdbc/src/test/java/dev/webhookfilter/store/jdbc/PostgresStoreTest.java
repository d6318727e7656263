package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's contract on a real PostgreSQL server. */
class PostgresStoreTest extends StoreContract {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        server = PostgresServer.startOrSkip();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static JdbcStore open(PostgresServer server, String prefix, Clock clock, java.time.Duration timeout, int poolSize) {
        Pool pool = new Pool(new org.postgresql.Driver(), server.url(), new Properties(), poolSize);
        return JdbcStoreProvider.open(pool, server.url(), timeout, prefix, clock, false);
    }

    @Override
    JdbcStore open(String prefix, Clock clock) {
        return open(server, prefix, clock, TIMEOUT, JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    Connection admin() throws SQLException {
        return new org.postgresql.Driver().connect(server.url(), new Properties());
    }

    @Test
    void open_wrongPassword_failsWithoutRepeatingIt() {
        String wrong = server.url().replace(PostgresServer.PASSWORD, "wr0ng-s3cret");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcStoreProvider().open(wrong, TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
        assertTrue(e.getMessage().contains("28P01"), "the SQLState of a failed authentication: " + e.getMessage());
        assertFalse(e.getMessage().contains("wr0ng-s3cret"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void open_publicApi_withThePasswordInTheUrl_neverShowsIt() {
        try (dev.webhookfilter.WebhookStore store = new JdbcStoreProvider().open(server.url(), TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            assertFalse(store.toString().contains(PostgresServer.PASSWORD), store.toString());
        }
    }
}
