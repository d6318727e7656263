package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An H2 database in memory for one test class, as a static {@code @RegisterExtension} field: made by its first
 * connection, kept while no connection is open ({@code DB_CLOSE_DELAY=-1}), and dropped after the class's last test.
 */
final class H2Database implements AfterAllCallback {

    final String url;

    H2Database(String name) {
        this.url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** A new connection of the test's own. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** A new pool of the store's own. */
    Pool pool() {
        return new Pool(new org.h2.Driver(), url, new Properties(), JdbcStoreProvider.POOL_SIZE);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
