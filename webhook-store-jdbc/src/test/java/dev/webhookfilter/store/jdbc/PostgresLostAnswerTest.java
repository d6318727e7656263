package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lost answer on a real PostgreSQL server: its own statements, and its own handling of a failed one. */
class PostgresLostAnswerTest extends LostAnswerContract {

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();

    @Override
    Pool pool() {
        return new Pool(new org.postgresql.Driver(), POSTGRES.server().url(), new Properties(), JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    String url() {
        return POSTGRES.server().url();
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Connection admin() throws SQLException {
        return new org.postgresql.Driver().connect(POSTGRES.server().url(), new Properties());
    }
}
