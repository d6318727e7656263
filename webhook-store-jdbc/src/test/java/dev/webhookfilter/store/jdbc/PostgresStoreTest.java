package dev.webhookfilter.store.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
