package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.inAMinute;
import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.ReplayGuard.Decision;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lost answer on H2 in memory, and the bound on drops waiting at once, which is the store's alone: on
 * PostgreSQL its thousand failed calls would each open a connection (the pool closes the one that failed), a
 * minute of connecting that tests nothing the other tests do not.
 */
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

    @Test
    void drops_pendingAtOnce_areBounded() {
        faults.failAlways(dialect().recordReplay);
        faults.holdDrops();
        int calls = JdbcStore.MAX_PENDING_DROPS + 5;
        for (int i = 0; i < calls; i++) {
            assertEquals(Decision.UNAVAILABLE, store.record(key("sig-" + i), inAMinute()));
        }
        assertEquals(JdbcStore.MAX_PENDING_DROPS, store.pendingDrops());

        faults.releaseDrops();
        await(() -> store.pendingDrops() == 0);
    }
}
