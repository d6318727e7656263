package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.WebhookStore;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WebhookStore} in one table, {@value #TABLE}, shared by every instance that points at the
 * same database: one row per key, told apart by the store's prefix and the row's kind
 * ({@code replay} or {@code dedup}). Each transition is one atomic statement; expiry is the row's
 * {@code expires_at}, and rows past it are deleted in bounded batches on a timer.
 *
 * <p>Leases and completions expire by the database's clock, the one clock every instance shares.
 * A replay record is taken over only once it has expired by the database's clock and by this JVM's
 * (the one that judged the signature fresh), so a replay is refused whichever clock runs ahead, and
 * {@link #CLEANUP_GRACE} after that, as on Redis.
 *
 * <p>Every call waits no longer than the timeout (rounded up to whole seconds, the unit of JDBC's
 * query timeout) per step, and any {@link SQLException} answers "unavailable" instead of throwing. A
 * record or a claim that fails once its statement was sent is deleted afterwards on the store's thread if
 * its row still holds the call's random mark or token: the database may have committed it, answer lost.
 * What open and the health check ask of the database and the table is {@link TableCheck}'s. Thread-safe.
 */
final class JdbcStore implements WebhookStore {

    /** The one table; several applications share it through their prefixes. */
    static final String TABLE = "webhook_filter_keys";
    /** Rows deleted by one clean-up statement: one short transaction, so that no row stays locked long. */
    static final int CLEANUP_BATCH = 1000;
    /** How often the timer starts a clean-up run. */
    static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);
    /**
     * How long one run starts new batches, at most. A run goes on while its batches come back full, so it
     * keeps up with as many expired rows as the database can delete, and stops before the next run is due.
     */
    static final Duration CLEANUP_RUN_TIME = Duration.ofSeconds(50);
    /**
     * How long a row is kept past its expiry before clean-up deletes it, and a replay row before a record takes it
     * over. Clean-up asks only the cleaner's clock and the database's, a takeover the verifying instance's too, so this
     * is how far behind them an instance's clock may run; and how much longer than the recording instance's an
     * instance's {@code toleranceSeconds} may be, while a longer one rolls out. Five minutes, the default tolerance, as
     * Redis's {@code RedisStore.CLOCK_SKEW_SECONDS}; keeping a replay row longer costs only its bytes, since a replay
     * after it fails the freshness check anyway.
     */
    static final Duration CLEANUP_GRACE = Duration.ofMinutes(5);
    /**
     * Rows expired before this are deleted: the earlier of the database's and this JVM's clock (the
     * parameter), less the grace.
     */
    static final String CLEANUP_CUTOFF = "(LEAST(CURRENT_TIMESTAMP, CAST(? AS TIMESTAMP WITH TIME ZONE)) - INTERVAL '"
            + CLEANUP_GRACE.toSeconds() + "' SECOND)";
    /**
     * Upserts a record or a claim runs at most: again when another's write of the key failed it
     * ({@link #changedNothingForAConcurrentWrite}), or, for a claim, changed the row between the upsert and the look at
     * its state.
     */
    static final int CLAIM_ATTEMPTS = 3;
    /**
     * Runs a complete, a release, a forget, a clean-up batch or a drop takes at most: again when PostgreSQL rolled its
     * transaction back for a concurrent one, a serialization failure or a deadlock ({@link #rolledBackForAConcurrentTransaction}).
     */
    static final int STATEMENT_ATTEMPTS = 3;
    /**
     * Drops of rows whose answer was lost that may wait at once, at most: beyond it a failed call leaves its
     * row to expire, so that a long outage cannot grow the queue without bound.
     */
    static final int MAX_PENDING_DROPS = 1000;
    /** The random mark of a replay record, which tells the call's own row from another's. */
    static final int MARK_BYTES = 16;
    /** The length of a key: a SHA-256 digest. */
    static final int KEY_BYTES = 32;
    /** The longest owner token a claim takes. */
    static final int MAX_TOKEN_BYTES = 64;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final System.Logger LOG = System.getLogger(JdbcStore.class.getName());

    private static final String SELECT_STATE = "SELECT state FROM " + TABLE
            + " WHERE prefix = ? AND kind = 'dedup' AND key_digest = ? AND expires_at >= CURRENT_TIMESTAMP";
    private static final String RELEASE = "DELETE FROM " + TABLE
            + " WHERE prefix = ? AND kind = 'dedup' AND key_digest = ? AND owner_token = ? AND state = 'claimed'";
    private static final String DROP_RECORD = "DELETE FROM " + TABLE
            + " WHERE prefix = ? AND kind = 'replay' AND key_digest = ? AND owner_token = ?";
    private static final String FORGET = "DELETE FROM " + TABLE
            + " WHERE prefix = ? AND kind = 'replay' AND key_digest = ?";
    private static final String DELETE_KEY = "DELETE FROM " + TABLE + " WHERE prefix = ? AND kind = ? AND key_digest = ?";

    private final ConnectionSource connections;
    private final Dialect dialect;
    private final String prefix;
    private final Duration timeout;
    private final long timeoutNanos;
    private final String description;
    private final String url;
    private final Clock clock;
    /** Open's and the health check's checks of the database and the table. */
    private final TableCheck table;
    /** The clean-up timer and the drops of rows whose answer was lost: one daemon thread, started when first needed. */
    private final ScheduledExecutorService background;
    /** The threads {@link #background} made (one: a scheduled task that throws does not end its thread), for close to join. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingDrops = new AtomicInteger();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);
    private volatile boolean closed;

    /**
     * @param connections where connections come from; the store closes it
     * @param dialect the database's SQL
     * @param prefix the application's prefix, at most 200 characters
     * @param timeout the most each step of a call may wait: the wait for a connection, each statement
     * @param url the URL or JNDI name, for scrubbing driver messages (never logged as it is)
     * @param clock this JVM's clock, for replay expiry
     * @param cleanUpOnTimer whether the store's thread cleans up every {@link #CLEANUP_INTERVAL}
     */
    JdbcStore(ConnectionSource connections, Dialect dialect, String prefix, Duration timeout, String url,
            Clock clock, boolean cleanUpOnTimer) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timeoutNanos = timeout.toNanos();
        this.url = url;
        this.description = JdbcUrls.describe(url);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.table = new TableCheck(dialect, prefix, timeout, url, clock, this::recordReplay);
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-store-jdbc");
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        if (cleanUpOnTimer) {
            long every = CLEANUP_INTERVAL.toMillis();
            background.scheduleAtFixedRate(this::cleanUpExpired, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Creates the table and its index unless the table exists, then checks it ({@link TableCheck#prepare}). Called once,
     * by the provider.
     *
     * @param deadline a {@link System#nanoTime()} by which the connection and the statements should be done
     * @throws SQLException if no connection could be had
     * @throws IllegalStateException if the database cannot be written, or the table is not one the store can use, or a
     *         look at it failed, as {@link TableCheck#prepare} says
     */
    void prepare(long deadline) throws SQLException {
        Connection c = connections.borrow(deadline);
        boolean healthy = false;
        try {
            healthy = table.prepare(c, deadline);
        } finally {
            connections.giveBack(c, healthy);
        }
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        if (!validKey(key)) {
            return Decision.UNAVAILABLE;
        }
        // expiresAt is the last second at which the message is fresh: the row expires when it has passed.
        OffsetDateTime expires = OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.min(expiresAt, LATEST_EXPIRY)).plusSeconds(1), ZoneOffset.UTC);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        // A random value marks this call's row, so that a row whose answer was lost can be dropped without
        // touching another call's.
        byte[] mark = new byte[MARK_BYTES];
        ThreadLocalRandom.current().nextBytes(mark);
        Integer count = call("record", (c, seconds) -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    int recorded = recordReplay(c, seconds, key, mark, expires, now);
                    if (recorded > 0) {
                        checkOneRow(c, seconds, "replay", key);
                    }
                    return recorded;
                } catch (SQLException e) {
                    if (!changedNothingForAConcurrentWrite(e) || attempt == CLAIM_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }, () -> dropLater("record", DROP_RECORD, key, mark));
        if (count == null) {
            return Decision.UNAVAILABLE;
        }
        return count > 0 ? Decision.FIRST_SEEN : Decision.REPLAYED;
    }

    /** Runs {@link Dialect#recordReplay}: its update count. */
    private int recordReplay(Connection c, int seconds, byte[] key, byte[] mark, OffsetDateTime expires, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(dialect.recordReplay)) {
            s.setQueryTimeout(seconds);
            s.setString(1, prefix);
            s.setBytes(2, key);
            s.setBytes(3, mark);
            s.setObject(4, expires);
            s.setObject(5, now);
            return s.executeUpdate();
        }
    }

    /** The rows of one key: one at most, while the table has its unique key. */
    private static final String COUNT_ROWS = "SELECT COUNT(*) FROM " + TABLE + " WHERE prefix = ? AND kind = ? AND key_digest = ?";

    /**
     * On H2, after a record or a claim took a key: fails if the table now holds more than one row of it, which only a
     * table that lost its unique key after open allows (a migration's {@code DROP PRIMARY KEY}). Two of H2's
     * {@code MERGE}s of one key at once then each find no row and both insert, and both would answer first. Each runs
     * this read after its own commit, so the later of the two to commit sees both rows and fails (its row is dropped as
     * a failed call's is): at most one of them answers first. PostgreSQL's {@code ON CONFLICT} fails without the key,
     * so there it is not needed.
     *
     * @throws SQLException if the key has more than one row, or the read failed
     */
    private void checkOneRow(Connection c, int seconds, String kind, byte[] key) throws SQLException {
        if (dialect != Dialect.H2) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(COUNT_ROWS)) {
            s.setQueryTimeout(seconds);
            s.setString(1, prefix);
            s.setString(2, kind);
            s.setBytes(3, key);
            try (ResultSet r = s.executeQuery()) {
                if (r.next() && r.getLong(1) > 1) {
                    throw new SQLException("The table " + TABLE + " holds " + r.getLong(1) + " rows of one key: it has no"
                            + " primary key or unique constraint on (prefix, kind, key_digest) any more (dropped since open?),"
                            + " so two instances could both take a message for new. Add it back: ALTER TABLE " + TABLE
                            + " ADD PRIMARY KEY (prefix, kind, key_digest), after deleting the duplicate rows");
                }
            }
        }
    }

    @Override
    public void forget(byte[] key) {
        if (validKey(key)) {
            call("forget", again((c, seconds) -> update(c, seconds, FORGET, prefix, key)));
        }
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        if (!validKey(key) || !validToken(token) || lease == null || lease.isNegative() || lease.isZero()) {
            return Claim.UNAVAILABLE;
        }
        long leaseMillis = millis(lease);
        Claim claim = call("claim", (c, seconds) -> {
            for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
                int count;
                try (PreparedStatement s = c.prepareStatement(dialect.claim)) {
                    s.setQueryTimeout(seconds);
                    s.setString(1, prefix);
                    s.setBytes(2, key);
                    s.setBytes(3, token);
                    s.setLong(4, leaseMillis);
                    count = s.executeUpdate();
                } catch (SQLException e) {
                    if (changedNothingForAConcurrentWrite(e)) {
                        continue;
                    }
                    throw e;
                }
                if (count > 0) {
                    checkOneRow(c, seconds, "dedup", key);
                    return Claim.FIRST;
                }
                try (PreparedStatement s = c.prepareStatement(SELECT_STATE)) {
                    s.setQueryTimeout(seconds);
                    s.setString(1, prefix);
                    s.setBytes(2, key);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            return "done".equals(r.getString(1)) ? Claim.DONE : Claim.IN_PROGRESS;
                        }
                    }
                }
                // Released, or expired, between the two statements: try to claim it again.
            }
            // Still changing under us: someone is working on it; the sender retries later.
            return Claim.IN_PROGRESS;
        }, () -> dropLater("claim", RELEASE, key, token));
        return claim == null ? Claim.UNAVAILABLE : claim;
    }

    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        if (!validKey(key) || !validToken(token) || ttl == null || ttl.isNegative()) {
            return false;
        }
        long ttlMillis = millis(ttl);
        Integer count = call("complete", null, true, again((c, seconds) -> {
            try (PreparedStatement s = c.prepareStatement(dialect.complete)) {
                s.setQueryTimeout(seconds);
                s.setLong(1, ttlMillis);
                s.setString(2, prefix);
                s.setBytes(3, key);
                s.setBytes(4, token);
                return s.executeUpdate();
            }
        }));
        return count != null && count > 0;
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        if (!validKey(key) || !validToken(token)) {
            return false;
        }
        Integer count = call("release", null, true, again((c, seconds) -> update(c, seconds, RELEASE, prefix, key, token)));
        return count != null && count > 0;
    }

    /**
     * Whether a request's statement would work now, and open would still accept the store's user and table
     * ({@link TableCheck#healthCheck}). Not {@code SELECT 1}, which said "up" while every request got 503: on a table
     * another session held locked, or one whose key {@code ON CONFLICT} cannot use. Nor, on PostgreSQL, the rolled-back
     * record alone, which passed a user without DELETE (whose releases and forgets failed) or without SELECT on
     * {@code state} (whose claims of a held key failed), row-level security whose policies let its row through and
     * refused a request's, and an {@code expires_at} altered to a {@code TIMESTAMP} without a time zone, which its record
     * and every request wrote without an error. On H2 a read of the table said "up" after a migration dropped its key or
     * a column.
     */
    @Override
    public boolean isAvailable() {
        Boolean answered = call("isAvailable", (c, seconds) -> {
            table.healthCheck(c, seconds);
            return true;
        });
        return Boolean.TRUE.equals(answered);
    }

    /**
     * Deletes up to {@code batch} rows that expired more than {@link #CLEANUP_GRACE} ago, by both clocks.
     *
     * @param batch the most rows to delete
     * @return how many were deleted, or -1 if the database could not be reached
     */
    int cleanUp(int batch) {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Integer count = call("cleanUp", again((c, seconds) -> {
            try (PreparedStatement s = c.prepareStatement(dialect.cleanUp)) {
                s.setQueryTimeout(seconds);
                int i = 1;
                for (int n = 0; n < dialect.cutoffs; n++) {
                    s.setObject(i++, cutoff);
                }
                s.setInt(i, batch);
                return dialect.cleanUpSelects ? deleteSelected(c, s, seconds) : s.executeUpdate();
            }
        }));
        return count == null ? -1 : count;
    }

    /**
     * Runs {@code select}, which locks the rows of a batch and skips those another transaction holds, and
     * deletes them by key before the transaction ends, so that no other instance can take a row over in
     * between.
     *
     * @return how many rows were deleted
     */
    private static int deleteSelected(Connection c, PreparedStatement select, int seconds) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement delete = c.prepareStatement(DELETE_KEY)) {
            delete.setQueryTimeout(seconds);
            int rows = 0;
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    delete.setString(1, r.getString(1));
                    delete.setString(2, r.getString(2));
                    delete.setBytes(3, r.getBytes(3));
                    delete.addBatch();
                    rows++;
                }
            }
            int deleted = 0;
            if (rows > 0) {
                for (int count : delete.executeBatch()) {
                    deleted += count;
                }
            }
            c.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * One run of the timer: {@link #cleanUpExpired(Duration)} for at most {@link #CLEANUP_RUN_TIME}.
     *
     * @return the rows deleted in this run
     */
    long cleanUpExpired() {
        return cleanUpExpired(CLEANUP_RUN_TIME);
    }

    /**
     * Deletes batch after batch until one comes back short, the store closes, the database fails, or
     * {@code runTime} has passed since the run began (checked after each batch, so at least one batch
     * runs). Running out of time after a full batch most likely leaves expired rows: logged as a
     * WARNING, since a table that gains expired rows faster than the runs delete them grows without bound.
     *
     * @param runTime how long to keep starting batches
     * @return the rows deleted in this run
     */
    long cleanUpExpired(Duration runTime) {
        long start = System.nanoTime();
        long deleted = 0;
        while (!closed) {
            int count = cleanUp(CLEANUP_BATCH);
            if (count < 0) {
                return deleted; // unavailable() has said why
            }
            deleted += count;
            if (count < CLEANUP_BATCH) {
                return deleted;
            }
            long elapsed = System.nanoTime() - start;
            if (elapsed >= runTime.toNanos()) {
                long total = deleted;
                LOG.log(Level.WARNING, () -> "The webhook store at " + description + " ran out of time with expired rows"
                        + " left: a clean-up run deleted " + total + " in " + TimeUnit.NANOSECONDS.toSeconds(elapsed)
                        + " s and its last batch came back full; the next run, due within a minute, goes on. If this"
                        + " repeats, rows expire faster than the clean-up deletes them, and the table grows.");
                return deleted;
            }
        }
        return deleted;
    }

    /**
     * After a record or a claim failed once its statement was sent: the database may have committed it while
     * its answer was lost or late, and the row would refuse the sender's retry as a replay, or as a claim in
     * progress, until it expires. Deletes the row on the store's thread if it still holds this call's mark or
     * token, within the store's timeout, without making the failed call wait; best effort. Skipped, with a
     * DEBUG line, when {@link #MAX_PENDING_DROPS} drops wait already or the store is closed.
     *
     * @param sql a DELETE of prefix, key and owner token
     */
    private void dropLater(String operation, String sql, byte[] key, byte[] owner) {
        if (closed) {
            return;
        }
        if (pendingDrops.incrementAndGet() > MAX_PENDING_DROPS) {
            pendingDrops.decrementAndGet();
            LOG.log(Level.DEBUG, () -> "The webhook store at " + description + " has " + MAX_PENDING_DROPS + " rows waiting to"
                    + " be dropped after failed calls; this failed " + operation + " leaves its row, if any, to expire");
            return;
        }
        byte[] k = key.clone();
        byte[] o = owner.clone(); // the caller's arrays may change once the call has answered
        try {
            background.execute(() -> {
                try {
                    call("drop after a failed " + operation, again((c, seconds) -> update(c, seconds, sql, prefix, k, o)));
                } finally {
                    pendingDrops.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pendingDrops.decrementAndGet(); // closed meanwhile
        }
    }

    /** How many drops wait or run now. */
    int pendingDrops() {
        return pendingDrops.get();
    }

    /**
     * Closes the pool and ends the store's thread, waiting for it to end at most the timeout and a second (a statement it
     * runs may not heed an interrupt, but has that timeout): a thread that outlives the store holds the web
     * application's class loader after an undeploy, and Tomcat warns of it. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        background.shutdownNow();
        connections.close();
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        try {
            // The executor terminates as its thread leaves the task loop, a moment before the thread has ended.
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0 && t != Thread.currentThread()) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code d} in milliseconds, at most {@link WebhookStore#LONGEST}. */
    private static long millis(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST.toMillis() : d.toMillis();
    }

    @Override
    public String toString() {
        return "JdbcStore[" + description + ", table " + TABLE + ", timeout " + timeout.toMillis() + " ms]";
    }

    /** One unit of work on a borrowed connection, given the query timeout to set, in seconds. */
    private interface Work<T> {
        T run(Connection connection, int queryTimeoutSeconds) throws SQLException;
    }

    /** Runs {@code work} within the timeout; null if the database could not answer. */
    private <T> T call(String operation, Work<T> work) {
        return call(operation, null, false, work);
    }

    /** Runs {@code work} within the timeout, as {@link #call(String, Runnable, boolean, Work)} does. */
    private <T> T call(String operation, Work<T> work, Runnable afterFailedWork) {
        return call(operation, afterFailedWork, false, work);
    }

    /**
     * Runs {@code work} within the timeout; null if the database could not answer. Runs it once more, on a new
     * connection and by the same deadline, where the server had ended the connection as it sat idle
     * ({@link #endedWhileIdle}), or, for work that may run twice, where the connection was lost with time left
     * ({@link #lostConnection}).
     *
     * @param afterFailedWork run when {@code work} failed, whose statements may have taken effect; null for none
     * @param mayRunTwice whether a second run of {@code work} after a first that the database committed, its answer
     *        lost, changes nothing: a complete or a release, which change only a claim that holds the call's token, and
     *        leave it in a state they do not match
     */
    private <T> T call(String operation, Runnable afterFailedWork, boolean mayRunTwice, Work<T> work) {
        if (closed) {
            return null;
        }
        long deadline = deadline();
        for (boolean first = true; ; first = false) {
            Connection c;
            try {
                c = connections.borrow(deadline);
            } catch (SQLException | RuntimeException e) {
                unavailable(operation, e);
                return null;
            }
            boolean healthy = false;
            try {
                T result = work.run(c, seconds(deadline - System.nanoTime()));
                healthy = true;
                return result;
            } catch (SQLException | RuntimeException e) {
                if (first && endedWhileIdle(e)) {
                    LOG.log(Level.DEBUG, () -> "The webhook store at " + description + " found a connection the database"
                            + " had ended as it sat idle; " + operation + " runs again on a new one");
                    continue; // the connection goes back as failed: the pool closes it and every idle one
                }
                if (first && mayRunTwice && lostConnection(e) && System.nanoTime() - deadline < 0) {
                    LOG.log(Level.DEBUG, () -> "The webhook store at " + description + " lost a connection (SQLState "
                            + ((SQLException) e).getSQLState() + "); " + operation + " runs again on a new one");
                    continue;
                }
                unavailable(operation, e);
                if (afterFailedWork != null) {
                    afterFailedWork.run();
                }
                return null;
            } finally {
                connections.giveBack(c, healthy);
            }
        }
    }

    /**
     * Whether PostgreSQL ended the connection for sitting idle longer than {@code idle_session_timeout} (PostgreSQL 14
     * and later; SQLState 57P05): it does so only between statements, outside a transaction, before reading the
     * statement that then meets the end, so that statement did not run. A call's statements before it, on the same
     * connection, changed nothing: a claim's upsert that took no row, its look at the row's state, the health check's
     * look. Any other loss of a connection may come after the database committed the statement, and is not run again.
     */
    private static boolean endedWhileIdle(Exception e) {
        return e instanceof SQLException && "57P05".equals(((SQLException) e).getSQLState());
    }

    /**
     * Whether the connection was lost: the server ended it ({@code pg_terminate_backend}, a restart, a failover: SQLState
     * 57P01, "terminating connection due to administrator command") or the driver lost it (class 08, as an I/O error).
     * Unlike {@link #endedWhileIdle}, this may come after the database committed the statement.
     */
    private static boolean lostConnection(Exception e) {
        String state = e instanceof SQLException ? ((SQLException) e).getSQLState() : null;
        return state != null && (state.equals("57P01") || state.startsWith("08"));
    }

    /**
     * {@code work}, run again on the same connection, up to {@link #STATEMENT_ATTEMPTS} runs in all, each with the call's
     * query timeout, where PostgreSQL rolled its transaction back for a concurrent one
     * ({@link #rolledBackForAConcurrentTransaction}). Only for work that is one statement, or one transaction that it
     * rolls back when it fails, so that a failed run left nothing behind.
     */
    private static <T> Work<T> again(Work<T> work) {
        return (c, seconds) -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return work.run(c, seconds);
                } catch (SQLException e) {
                    if (!rolledBackForAConcurrentTransaction(e) || attempt == STATEMENT_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        };
    }

    private static int update(Connection c, int seconds, String sql, String prefix, byte[] key, byte[]... token)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(seconds);
            s.setString(1, prefix);
            s.setBytes(2, key);
            if (token.length > 0) {
                s.setBytes(3, token[0]);
            }
            return s.executeUpdate();
        }
    }

    private void unavailable(String operation, Exception e) {
        String state = e instanceof SQLException ? ((SQLException) e).getSQLState() : null;
        String why = e.getClass().getSimpleName() + (state == null ? "" : " (SQLState " + state + ")")
                + ": " + JdbcUrls.scrub(e.getMessage(), url);
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            // Failed, not "did not answer": the database may have refused the statement (a privilege, a lock, a type).
            LOG.log(Level.WARNING, () -> "The webhook store at " + description + " failed " + operation
                    + "; requests that need it are refused until it works again (this warning repeats at most once a"
                    + " minute): " + why);
        } else {
            LOG.log(Level.DEBUG, () -> "The webhook store at " + description + " failed " + operation + ": " + why);
        }
    }

    private long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /** A remaining time in whole seconds, rounded up, at least 1: JDBC's query timeout has no finer unit. */
    static int seconds(long nanos) {
        long s = (Math.max(0L, nanos) + 999_999_999L) / 1_000_000_000L;
        return (int) Math.max(1L, Math.min(Integer.MAX_VALUE, s));
    }

    /**
     * Whether a record's or a claim's upsert failed for another's write of its key, having changed nothing, so that the
     * same statement run again sees that row: H2's {@code MERGE} meets a row a concurrent {@code MERGE} inserted as a
     * duplicate key (23505); PostgreSQL, where transactions default to {@code REPEATABLE READ} or {@code SERIALIZABLE}
     * ({@code default_transaction_isolation}), refuses to update a row committed after the statement's snapshot was taken
     * (40001, serialization_failure), which an instance that inserted the key at the same moment commits; and at any
     * isolation, PostgreSQL may end a deadlock with it ({@link #rolledBackForAConcurrentTransaction}).
     */
    private static boolean changedNothingForAConcurrentWrite(SQLException e) {
        return "23505".equals(e.getSQLState()) || rolledBackForAConcurrentTransaction(e);
    }

    /**
     * Whether PostgreSQL failed a statement with a serialization failure (SQLState 40001) or ended a deadlock with it
     * (40P01), either of which rolls its transaction back whole, so that running it again is safe, as PostgreSQL's manual
     * advises (Serialization Failure Handling). Where transactions default to {@code REPEATABLE READ} or
     * {@code SERIALIZABLE}, a statement meets the first where it did not conflict at {@code READ COMMITTED}: a row changed
     * since its snapshot (a clean-up batch that meets an expired row another instance took over), and, at
     * {@code SERIALIZABLE}, a cycle of read/write dependencies with concurrent transactions on other keys (a complete, a
     * release, a forget). The second at any isolation, where another transaction (a migration's) holds a lock on the row
     * the statement waits for and waits for a lock on the table the statement holds. H2 gives 40001 to a deadlock, which
     * rolls the transaction back too.
     */
    private static boolean rolledBackForAConcurrentTransaction(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private static boolean validKey(byte[] key) {
        return key != null && key.length == KEY_BYTES;
    }

    private static boolean validToken(byte[] token) {
        return token != null && token.length > 0 && token.length <= MAX_TOKEN_BYTES;
    }
}
