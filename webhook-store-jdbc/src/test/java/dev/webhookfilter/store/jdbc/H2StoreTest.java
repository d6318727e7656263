package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store's contract on H2 in memory, the quick start's database. */
class H2StoreTest extends StoreContract {

    static final String URL = "jdbc:h2:mem:webhook-store-test;DB_CLOSE_DELAY=-1";
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
    JdbcStore open(String prefix, Clock clock) {
        Pool pool = new Pool(new org.h2.Driver(), URL, new Properties(), JdbcStoreProvider.POOL_SIZE);
        return JdbcStoreProvider.open(pool, URL, TIMEOUT, prefix, clock, false);
    }

    @Override
    Connection admin() throws SQLException {
        return DriverManager.getConnection(URL);
    }
}
