package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Connections from a DataSource that pools them itself (a container's, found by JNDI, or an
 * application's): borrowed for one call and closed, which gives them back to that pool. How long
 * {@link #borrow} may wait is that pool's setting ({@code maxWaitMillis} in Tomcat's), which the
 * README tells users to keep within the store's timeout. Thread-safe.
 */
final class DataSourceConnections implements ConnectionSource {

    private final DataSource dataSource;
    private volatile boolean closed;

    DataSourceConnections(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Connection borrow(long deadline) throws SQLException {
        if (closed) {
            throw new SQLException("the store is closed", "08003");
        }
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            Pool.closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    @Override
    public void giveBack(Connection connection, boolean healthy) {
        // The DataSource's pool decides whether a connection that failed is reused (its validation query).
        Pool.closeQuietly(connection);
    }

    @Override
    public void close() {
        // The DataSource belongs to the container or the application, which closes it.
        closed = true;
    }
}
