package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store's connections come from: its own small pool over a driver, or a container's DataSource. */
interface ConnectionSource extends AutoCloseable {

    /**
     * A connection in auto-commit mode, waiting no later than {@code deadline}.
     *
     * @param deadline a {@link System#nanoTime()} by which to give up
     * @return a connection to give back with {@link #giveBack}
     * @throws SQLException if none could be had in time
     */
    Connection borrow(long deadline) throws SQLException;

    /**
     * Takes back a borrowed connection.
     *
     * @param connection what {@link #borrow} gave
     * @param healthy false after an error: the connection is closed, not reused
     */
    void giveBack(Connection connection, boolean healthy);

    /** Closes what is idle and refuses to lend more. Never throws. */
    @Override
    void close();
}
