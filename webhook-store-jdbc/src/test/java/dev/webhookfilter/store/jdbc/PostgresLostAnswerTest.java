package dev.webhookfilter.store.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lost answer on a real PostgreSQL server: its own statements, and its own handling of a failed one. */
class PostgresLostAnswerTest extends LostAnswerContract {

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

    @Override
    Pool pool() {
        return new Pool(new org.postgresql.Driver(), server.url(), new Properties(), JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    String url() {
        return server.url();
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Connection admin() throws SQLException {
        return new org.postgresql.Driver().connect(server.url(), new Properties());
    }
}
