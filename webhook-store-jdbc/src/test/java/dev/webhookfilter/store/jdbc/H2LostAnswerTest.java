package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lost answer on H2 in memory. */
class H2LostAnswerTest extends LostAnswerContract {

    private static final String URL = "jdbc:h2:mem:webhook-store-lost-answer;DB_CLOSE_DELAY=-1";
    private static Connection keepAlive;

    @BeforeAll
    static void createDatabase() throws SQLException {
        keepAlive = DriverManager.getConnection(URL);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (var s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Override
    Pool pool() {
        return new Pool(new org.h2.Driver(), URL, new Properties(), JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    String url() {
        return URL;
    }

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    Connection admin() throws SQLException {
        return DriverManager.getConnection(URL);
    }
}
