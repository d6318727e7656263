package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Deque;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's own small pool of connections, for a JDBC URL: at most {@code size} connections,
 * made by the driver on demand and kept while they work. A caller waits for a free one no later
 * than its deadline. A connection that failed is closed, and so is every connection made before
 * the failure when it is next taken (after the database restarted they are all dead), so the pool
 * recovers by itself with new connections. Thread-safe.
 */
final class Pool implements ConnectionSource {

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final boolean postgresql;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();
    // Bumped on every failure; an idle connection from an older generation is closed, not reused.
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean closed;

    private static final class Idle {
        final Connection connection;
        final long generation;

        Idle(Connection connection, long generation) {
            this.connection = connection;
            this.generation = generation;
        }
    }

    /**
     * @param driver the driver that accepts {@code url}
     * @param url the JDBC URL, credentials and all (never logged)
     * @param properties the driver's properties besides the URL's (user, password), copied
     * @param size the most connections at once
     */
    Pool(Driver driver, String url, Properties properties, int size) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.url = Objects.requireNonNull(url, "url");
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.postgresql = url.startsWith("jdbc:postgresql:");
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection borrow(long deadline) throws SQLException {
        if (closed) {
            throw new SQLException("the store is closed", "08003");
        }
        try {
            if (!permits.tryAcquire(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SQLTimeoutException("no connection came free within the timeout", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", "08001", e);
        }
        try {
            long current = generation.get();
            for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
                if (i.generation == current) {
                    return i.connection;
                }
                closeQuietly(i.connection);
            }
            return connect(deadline);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection connect(long deadline) throws SQLException {
        Properties connect = new Properties();
        connect.putAll(properties);
        if (postgresql) {
            // PgJDBC's own bounds, in seconds: the TCP connect, the whole login, the cancel request
            // that a query timeout sends (a statement waits for it to finish; 10 s unless set), and any
            // one read (which ends a read from a server that hangs; the query timeout only asks it to cancel).
            String seconds = Integer.toString(JdbcStore.seconds(deadline - System.nanoTime()));
            connect.putIfAbsent("connectTimeout", seconds);
            connect.putIfAbsent("loginTimeout", seconds);
            connect.putIfAbsent("cancelSignalTimeout", seconds);
            connect.putIfAbsent("socketTimeout", Integer.toString(JdbcStore.seconds(deadline - System.nanoTime()) + 1));
        }
        Connection connection = driver.connect(url, connect);
        if (connection == null) {
            throw new SQLException("the driver did not take the URL", "08001");
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    @Override
    public void giveBack(Connection connection, boolean healthy) {
        try {
            if (healthy && !closed) {
                idle.offerFirst(new Idle(connection, generation.get()));
            } else {
                if (!healthy) {
                    generation.incrementAndGet();
                }
                closeQuietly(connection);
            }
        } finally {
            permits.release();
        }
        if (closed) {
            drain();
        }
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
            closeQuietly(i.connection);
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // Nothing to do: the connection is gone either way.
        }
    }
}
