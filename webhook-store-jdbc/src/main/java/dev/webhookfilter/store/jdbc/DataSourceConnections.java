package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Connections from a DataSource that pools them itself (a container's, found by JNDI, or an
 * application's): borrowed for one call and closed, which gives them back to that pool. How long
 * {@link #borrow} may wait is that pool's setting ({@code maxWaitMillis} in Tomcat's), which the
 * README tells users to keep within the store's timeout. Each read on a connection lent is bounded by the
 * call's timeout plus a second (JDBC's network timeout; PgJDBC's socket timeout), as on the store's own pool, and the
 * connection is given back with the network timeout it came with. Thread-safe.
 */
final class DataSourceConnections implements ConnectionSource {

    /** Runs what a driver gives it at once: PgJDBC does not use a network timeout's executor; other drivers may. */
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    /** The network timeout of each connection lent whose own the store changed, to be put back as it goes back. */
    private final Map<Connection, Integer> lent = Collections.synchronizedMap(new IdentityHashMap<>());
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
        boundReads(connection, deadline);
        return connection;
    }

    /**
     * Bounds each read on {@code connection} by what is left of the call's timeout plus a second, unless the connection's
     * own bound is shorter. Without it, a connection whose driver has no socket timeout (PgJDBC's default) read from a
     * server that hung until it answered again: a statement's query timeout only sends a cancel request, which a hung
     * server does not answer either, and the request's thread waited as long as the outage lasted.
     */
    private void boundReads(Connection connection, long deadline) {
        int bound = (int) Math.min(Integer.MAX_VALUE, (JdbcStore.seconds(deadline - System.nanoTime()) + 1) * 1000L);
        try {
            int own = connection.getNetworkTimeout();
            if (own == 0 || own > bound) {
                connection.setNetworkTimeout(DIRECT, bound);
                lent.put(connection, own);
            }
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            // A driver without network timeouts (H2's, one older than JDBC 4.1): its own settings bound the reads.
        }
    }

    @Override
    public void giveBack(Connection connection, boolean healthy) {
        // The DataSource's pool decides whether a connection that failed is reused (its validation query).
        Integer own = lent.remove(connection);
        if (own != null) {
            try {
                connection.setNetworkTimeout(DIRECT, own);
            } catch (SQLException | RuntimeException | AbstractMethodError e) {
                // A connection that failed may refuse it; the pool's validation then drops it.
            }
        }
        Pool.closeQuietly(connection);
    }

    @Override
    public void close() {
        // The DataSource belongs to the container or the application, which closes it.
        closed = true;
    }
}
