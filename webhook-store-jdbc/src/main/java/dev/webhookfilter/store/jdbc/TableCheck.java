package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.JdbcStore.KEY_BYTES;
import static dev.webhookfilter.store.jdbc.JdbcStore.MARK_BYTES;
import static dev.webhookfilter.store.jdbc.JdbcStore.MAX_TOKEN_BYTES;
import static dev.webhookfilter.store.jdbc.JdbcStore.TABLE;
import static dev.webhookfilter.store.jdbc.JdbcStore.seconds;
import static dev.webhookfilter.store.jdbc.JdbcUrls.why;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The checks that the store's open ({@link #prepare}) and its health check ({@link #healthCheck}) run on the database
 * and its table {@value JdbcStore#TABLE}: that the store may write there (no standby, no read-only transactions, no
 * read-only H2 database), that its user has the privileges the store's statements need and no row-level security
 * applies to it, and that the table has the columns, the types and the unique key they need. Each refusal names the
 * table and what fixes it (a GRANT, the README's DDL, an {@code ALTER TABLE}); no message holds a URL's secrets.
 * {@link JdbcStore} holds one, and runs the store's operations. Thread-safe: it keeps no state between calls.
 */
final class TableCheck {

    /** The store's logger: open's WARNINGs keep the name they always had. */
    private static final System.Logger LOG = System.getLogger(JdbcStore.class.getName());

    /** The store's replay record, the statement every request runs ({@code JdbcStore.recordReplay}): its update count. */
    interface ReplayRecord {
        int run(Connection c, int seconds, byte[] key, byte[] mark, OffsetDateTime expires, OffsetDateTime now)
                throws SQLException;
    }

    private final Dialect dialect;
    private final String prefix;
    private final Duration timeout;
    private final String url;
    private final String description;
    private final Clock clock;
    private final ReplayRecord recordReplay;

    /**
     * @param dialect the database's SQL
     * @param prefix the store's prefix, which the table's {@code prefix} column must hold
     * @param timeout the store's timeout, for messages
     * @param url the URL or JNDI name, for scrubbing driver messages (never shown as it is)
     * @param clock this JVM's clock, for the rolled-back record's expiry
     * @param recordReplay the store's replay record, which the rolled-back record runs
     */
    TableCheck(Dialect dialect, String prefix, Duration timeout, String url, Clock clock, ReplayRecord recordReplay) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.url = url;
        this.description = JdbcUrls.describe(url);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recordReplay = Objects.requireNonNull(recordReplay, "recordReplay");
    }

    /**
     * Creates the table and its index unless the table exists, then checks it: open's work once it has a connection.
     * Each statement waits what is left until {@code deadline} (at least a second, as JDBC counts), and one that waits it
     * out ends open: a table that another session holds locked (an {@code ALTER TABLE}, {@code LOCK TABLE} or
     * {@code VACUUM FULL} until its transaction ends) fails it within the timeout, rounded up to whole seconds.
     *
     * @param deadline a {@link System#nanoTime()} by which the statements should be done
     * @return whether the connection may be used again: false after a failure, or a rolled-back record that failed
     * @throws IllegalStateException if the database cannot be written: a PostgreSQL standby, a session whose transactions
     *         are read-only ({@code default_transaction_read_only}), a user that lacks SELECT, INSERT, UPDATE or DELETE on
     *         the table or on a column the store uses, a table with row-level security that applies to the store's user,
     *         or a read-only H2 database; if the database cannot hold the store's prefix ({@link #checkPrefix}); or if a
     *         look at the table failed (a statement waited out its query timeout or a lock
     *         timeout, the connection was lost, ...), the table is missing and cannot be created, the table lacks a
     *         column, a column's type cannot hold what the store writes (its {@code expires_at} has no time zone, say), or
     *         the table has no unique key on {@link #KEY_COLUMNS} (on PostgreSQL: none that {@code ON CONFLICT} can use,
     *         told by the catalog or, where its user may not read the catalog, by a replay record that is rolled back)
     */
    boolean prepare(Connection c, long deadline) {
        try {
            checkWritable(c, deadline);
            checkPrefix(c, deadline);
            if (!tableExists(c, deadline)) {
                create(c, deadline);
            }
            checkColumnPrivileges(c, deadline);
            checkColumns(c, deadline);
            if (dialect == Dialect.POSTGRESQL) {
                return checkPostgresKey(c, deadline);
            }
            checkKeyIsUnique(c);
            return true;
        } catch (SQLException e) {
            throw couldNotCheck(e);
        }
    }

    /**
     * The health check's work on a connection ({@link JdbcStore#isAvailable}): it fails where a request's statement
     * would, or where open would now refuse the store's user or table, and changes nothing.
     * <ul>
     *   <li>On PostgreSQL, {@link #checkStillUsable}, then {@link #recordRolledBack}: {@link Dialect#recordReplay}
     *       itself, for a random key, in a transaction that is always rolled back, which fails wherever a request's
     *       statement fails, on a table another session holds locked or one whose key {@code ON CONFLICT} cannot use. An
     *       upsert of no row ({@code INSERT ... SELECT ... WHERE 1 = 0 ON CONFLICT}) would be planned as a request's is,
     *       key inference and the INSERT's lock included, but a {@code DEFERRABLE} key passed it: PostgreSQL refuses one
     *       as {@code ON CONFLICT}'s arbiter only as a row is inserted. The look comes first, as the record meets neither
     *       DELETE nor SELECT on {@code state}, and writes an {@code expires_at} without a time zone as well.</li>
     *   <li>On H2, open's checks again ({@link #checkH2StillOpens}). A rolled-back {@code MERGE} would pass a table
     *       without its key, which H2's {@code MERGE} does not need, and open's checks are all in H2's metadata or in
     *       statements that change nothing.</li>
     * </ul>
     *
     * @param seconds the query timeout the whole check has
     * @throws SQLException if a look or the record failed, or IllegalStateException with open's message (on H2)
     */
    void healthCheck(Connection c, int seconds) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (dialect == Dialect.POSTGRESQL) {
            checkStillUsable(c, deadline);
            recordRolledBack(c, seconds(deadline - System.nanoTime()));
        } else {
            checkH2StillOpens(c, deadline);
        }
    }

    /**
     * H2's health check ({@link #healthCheck}): the checks {@link #prepare} runs on a table that
     * exists, so that it fails where open would now refuse the store, as after a migration dropped the table's key (two
     * instances could then both take a message for new; {@code JdbcStore.checkOneRow} fails the later) or a column (every
     * request fails), or altered {@code expires_at} to a {@code TIMESTAMP} without a time zone, or a DBA revoked a
     * privilege the store needs ({@link #checkH2Privileges}); its read of each column fails, too, on a table another
     * session holds locked. Its statements have the query timeout; the key is read from H2's metadata, as open reads
     * it, without one, as JDBC's metadata calls take none. An {@code INFORMATION_SCHEMA} query with the timeout would
     * bound nothing more: H2 2.5 answered the metadata at once while another session held a row {@code FOR UPDATE} or
     * an uncommitted write, in memory and through its TCP server, and where it did make statements wait (another
     * session's {@code SET EXCLUSIVE 1}), such a query waited past its query timeout while the metadata did not.
     *
     * @throws SQLException if a look failed, or IllegalStateException with open's message if it would refuse the store
     */
    private void checkH2StillOpens(Connection c, long deadline) throws SQLException {
        checkWritable(c, deadline);
        checkColumns(c, deadline);
        checkKeyIsUnique(c);
    }

    /**
     * PostgreSQL's health check ({@link #healthCheck}), and open's check of a key it cannot read in
     * PostgreSQL's catalog: a replay record, the statement every request runs, of a random key, in a transaction that is
     * rolled back whatever happens, so that nothing it wrote is ever seen or kept.
     * A random key, not a fixed one, so that the health checks of several instances at once never wait for each
     * other's row. The connection is in auto-commit mode again when this returns, and when it throws, unless the
     * connection failed (then {@code JdbcStore.call} gives it back as failed, and it is closed).
     *
     * <p>A connection marked read-only (PgJDBC's {@code readOnly=true}, a pool's {@code defaultReadOnly}) is unmarked
     * for the record, and marked again after it: PgJDBC begins a transaction on it {@code READ ONLY}, where the record
     * would fail, and leaves the auto-commit statements of requests alone, which write. Where its marking does make
     * every statement read-only ({@code readOnlyMode=always}), open refused the database already.
     *
     * @throws SQLException if the record failed (the table is locked, its key is {@code DEFERRABLE}, ...) or the
     *         connection did
     */
    private void recordRolledBack(Connection c, int seconds) throws SQLException {
        byte[] key = new byte[KEY_BYTES];
        byte[] mark = new byte[MARK_BYTES];
        ThreadLocalRandom.current().nextBytes(key);
        ThreadLocalRandom.current().nextBytes(mark);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean readOnly = c.isReadOnly();
        if (readOnly) {
            c.setReadOnly(false);
        }
        c.setAutoCommit(false);
        try {
            recordReplay.run(c, seconds, key, mark, now, now);
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            try {
                restore(c, readOnly);
            } catch (SQLException a) {
                e.addSuppressed(a);
            }
            throw e;
        }
        restore(c, readOnly);
    }

    /** Puts {@code c} back in auto-commit mode, and marks it read-only again if it was. */
    private static void restore(Connection c, boolean readOnly) throws SQLException {
        c.setAutoCommit(true);
        if (readOnly) {
            c.setReadOnly(true);
        }
    }

    /**
     * Open's one look at whether the store may write, on PostgreSQL: whether the server is a standby, whether this
     * session's transactions are read-only ({@code default_transaction_read_only} set for the user, the database or the
     * server, which a hot standby forces too), and, where the table exists, whether the store's user has each privilege
     * the store uses (SELECT, INSERT and UPDATE on the table or on some of its columns, DELETE on the table; through a
     * role it is a member of, too; {@link #checkColumnPrivileges} then asks about each column, once the table is known
     * to exist), and whether PostgreSQL applies row-level security on the table to the store's user
     * ({@code row_security_active}: enabled, and the user neither owns the table without {@code FORCE} nor has
     * {@code BYPASSRLS}). NULL privileges and row-level security where the table is missing ({@code to_regclass}): open
     * creates it, and owns it then. These functions read no catalog the store's user needs a grant for, and take no lock
     * on the table.
     */
    private static final String POSTGRES_WRITABLE = "SELECT pg_catalog.pg_is_in_recovery(),"
            + " pg_catalog.current_setting('transaction_read_only') = 'on',"
            + " pg_catalog.has_any_column_privilege(t, 'SELECT'), pg_catalog.has_any_column_privilege(t, 'INSERT'),"
            + " pg_catalog.has_any_column_privilege(t, 'UPDATE'), pg_catalog.has_table_privilege(t, 'DELETE'),"
            + " pg_catalog.row_security_active(t)"
            + " FROM (SELECT pg_catalog.to_regclass('" + TABLE + "') AS t) AS x";

    /** A read of the table that returns no row: open's look for it, and H2's probe of SELECT. */
    private static final String READ_TABLE = "SELECT 1 FROM " + TABLE + " WHERE 1 = 0";

    /**
     * The privileges the store needs on the table, in the order open names them: those {@link #POSTGRES_WRITABLE} asks
     * about, in its order from its third column, and those {@link #H2_PRIVILEGE_PROBES} probes.
     */
    private static final List<String> PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    /** Open's look at whether an H2 database is read-only ({@code ACCESS_MODE_DATA=r}, or a read-only file). */
    private static final String H2_READ_ONLY = "SELECT READONLY()";

    /**
     * Refuses a database the store can never write to, where every record and claim would answer unavailable (503):
     * on PostgreSQL what {@link #POSTGRES_WRITABLE} finds, in one statement; on H2, a read-only database, or a user that
     * lacks one of the {@link #PRIVILEGES} ({@link #checkH2Privileges}), in five. Each within open's timeout. Where
     * PostgreSQL refuses its statement ({@link #askPostgres}: a DBA revoked one of its functions from PUBLIC), open goes
     * on with a WARNING: the requests on a database it cannot write to fail closed.
     *
     * @throws IllegalStateException if the store could not write to the database
     * @throws SQLException if the look failed otherwise (it waited out its timeout, the connection was lost)
     */
    private void checkWritable(Connection c, long deadline) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            try (Statement s = statement(c, deadline); ResultSet r = s.executeQuery(H2_READ_ONLY)) {
                if (r.next() && r.getBoolean(1)) {
                    throw new IllegalStateException("The webhook store at " + description + " is a read-only H2 database"
                            + " (ACCESS_MODE_DATA=r, or a file it may not write), where every request would fail; give a"
                            + " writable one");
                }
            }
            checkH2Privileges(c, deadline);
            return;
        }
        SQLException refused = askPostgres(c, deadline, POSTGRES_WRITABLE, this::refuseUnwritable);
        if (refused != null) {
            LOG.log(Level.WARNING, () -> "The webhook store at " + description + " could not check that it may write to the"
                    + " table " + TABLE + " (a standby, read-only transactions, a privilege its user lacks), nor that the"
                    + " table has no row-level security for its user: PostgreSQL refused the query (" + why(refused, url)
                    + "). Where it may not write, every record and claim answers unavailable (503), and the health check"
                    + " answers false.");
        }
    }

    /** Refuses what the row of {@link #POSTGRES_WRITABLE} says the store could not write to. */
    private void refuseUnwritable(ResultSet r) throws SQLException {
        oneRow(r);
        if (r.getBoolean(1)) {
            throw new IllegalStateException("The webhook store at " + description + " is a standby (read-only, in"
                    + " recovery), where every request would fail; give the primary's address");
        }
        if (r.getBoolean(2)) {
            throw new IllegalStateException("The webhook store at " + description + " gives the store's user read-only"
                    + " transactions (transaction_read_only is on: default_transaction_read_only is set for that user,"
                    + " its database or the server, or a proxy sent it to a read-only server), where every request would"
                    + " fail. Give a writable server's address, or turn it off for the store's user: ALTER ROLE"
                    + " <the store's user> SET default_transaction_read_only = off");
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < PRIVILEGES.size(); i++) {
            if (!r.getBoolean(3 + i) && !r.wasNull()) {
                missing.add(PRIVILEGES.get(i));
            }
        }
        boolean rowLevelSecurity = r.getBoolean(3 + PRIVILEGES.size());
        if (!missing.isEmpty()) {
            throw lacks(missing, "");
        }
        if (rowLevelSecurity) {
            // Not probed: a policy is any expression of the row, the session or the time, so a rolled-back record would
            // tell only that its own row passed. Policies never let a replay through (the key's conflict is found in the
            // unique index, which they do not hide), but they can fail every request, or hide rows from a DELETE, which
            // then deletes nothing without an error.
            throw new IllegalStateException("The table " + TABLE + " in the webhook store at " + description + " has"
                    + " row-level security that applies to the store's user (ENABLE ROW LEVEL SECURITY on a table the user"
                    + " does not own, or FORCE ROW LEVEL SECURITY): its policies can refuse the store's statements, or hide"
                    + " rows from them, so that a release, a forget or the clean-up deletes nothing without an error. The"
                    + " store needs every row of its prefix. Turn it off for the table: ALTER TABLE " + TABLE + " DISABLE ROW"
                    + " LEVEL SECURITY (or NO FORCE ROW LEVEL SECURITY where the store's user owns it); to keep applications"
                    + " apart, give each its own database or schema");
        }
    }

    /** What open says of a user without {@code missing}, of {@link #PRIVILEGES}: the GRANT that adds them. */
    private IllegalStateException lacks(List<String> missing, String note) {
        String privileges = String.join(", ", missing);
        return lacks(privileges, missing.size() > 1, "its records and claims fail without SELECT, INSERT and UPDATE, its"
                + " releases and clean-up without DELETE." + note, privileges, "");
    }

    /**
     * Open's refusal of a user that lacks privileges the store needs, the one way open says it, on the table or on
     * columns: what the user lacks, why the store needs it, and the GRANT that adds it, as the README grants it.
     *
     * @param what the privileges, or the privileges by column ({@link #byColumn})
     * @param several whether more than one privilege is missing
     * @param needs why the store needs them: a sentence
     * @param privileges what the README's GRANT on the table then names
     * @param orElse what follows that GRANT: another way to grant them, or nothing
     */
    private IllegalStateException lacks(String what, boolean several, String needs, String privileges, String orElse) {
        return new IllegalStateException("The " + userLacks(what) + " in the webhook store at " + description
                + ", which the store needs: " + needs + " Grant " + (several ? "them" : "it") + ", as the README does: "
                + grant(privileges) + orElse);
    }

    /**
     * {@code store's user lacks <what> on the table webhook_filter_keys}: how open's refusal (after "The") and the
     * health check's answer (after "the") say what the store's user lacks.
     */
    private static String userLacks(String what) {
        return "store's user lacks " + what + " on the table " + TABLE;
    }

    /** {@code GRANT <privileges> ON webhook_filter_keys TO <the store's user>}, the SQL that adds {@code privileges}. */
    private static String grant(String privileges) {
        return "GRANT " + privileges + " ON " + TABLE + " TO <the store's user>";
    }

    /**
     * For each of {@link #PRIVILEGES}, by name, a statement that changes nothing, which H2 refuses
     * ({@value #H2_NOT_ENOUGH_RIGHTS}) to a user without that privilege in the same place, on the table or its schema,
     * to the user or a role it has (H2 works that out; its {@code INFORMATION_SCHEMA} lists grants, not what they add up
     * to). H2 also refuses an UPDATE or a DELETE with a WHERE to a user without SELECT.
     */
    private static final Map<String, String> H2_PRIVILEGE_PROBES = Map.of(
            "SELECT", READ_TABLE,
            "INSERT", "INSERT INTO " + TABLE + " (prefix, kind, key_digest, state, expires_at)"
                    + " SELECT 'probe', 'replay', X'00', 'seen', CURRENT_TIMESTAMP WHERE 1 = 0",
            "UPDATE", "UPDATE " + TABLE + " SET state = state WHERE 1 = 0",
            "DELETE", "DELETE FROM " + TABLE + " WHERE 1 = 0");

    /** H2's SQLState for a privilege the user lacks ({@code ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1}). */
    private static final String H2_NOT_ENOUGH_RIGHTS = "90096";

    /**
     * On H2, refuses a user that lacks a privilege the store needs on an existing table, as {@link #checkWritable} does on
     * PostgreSQL, with the same message: every record and claim failed ("Not enough rights for object"). The probe of
     * each privilege ({@link #H2_PRIVILEGE_PROBES}), in the order of {@link #PRIVILEGES}, runs with what is left of the
     * timeout, and changes nothing. A table that is missing passes: open creates it, and its creator may use it; so
     * does a probe that names a column the table lacks, which {@link #checkColumns} then names.
     *
     * @throws IllegalStateException if the user lacks a privilege, naming each and the GRANT that adds them
     * @throws SQLException if a probe failed otherwise
     */
    private void checkH2Privileges(Connection c, long deadline) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String privilege : PRIVILEGES) {
            try (Statement s = statement(c, deadline)) {
                s.execute(H2_PRIVILEGE_PROBES.get(privilege));
            } catch (SQLException e) {
                if (privilege.equals("SELECT") && UNDEFINED_TABLE.contains(e.getSQLState())) {
                    return; // the first probe, the read, finds no table
                }
                if (UNDEFINED_COLUMN.contains(e.getSQLState())) {
                    continue; // checkColumns names it
                }
                if (!H2_NOT_ENOUGH_RIGHTS.equals(e.getSQLState())) {
                    throw e;
                }
                missing.add(privilege);
            }
        }
        if (!missing.isEmpty()) {
            throw lacks(missing, missing.contains("SELECT") && (missing.contains("UPDATE") || missing.contains("DELETE"))
                    ? " H2 lets no UPDATE or DELETE through without SELECT, so they are named with it whether the user has"
                            + " them or not."
                    : "");
        }
    }

    /** Open's look at the store's prefix: the database gives it back as its {@code prefix} column would hold it. */
    private static final String PREFIX_AS_HELD = "SELECT CAST(? AS VARCHAR(" + JdbcStoreProvider.MAX_PREFIX_LENGTH + "))";

    /**
     * Refuses a prefix the database cannot hold as it is, with which every record and claim would fail (503): PostgreSQL
     * takes no NUL in a text (SQLState 22021), and no character its database's encoding lacks (22P05: Cyrillic in a
     * {@code LATIN1} database); a prefix given back changed is refused as well (PgJDBC sends a lone surrogate as
     * {@code ?}, so that two such prefixes would share their rows). No table needed, nothing changed.
     *
     * @throws IllegalStateException if the database refused the prefix as data (SQLState class 22), or gave it back changed
     * @throws SQLException if the look failed otherwise
     */
    private void checkPrefix(Connection c, long deadline) throws SQLException {
        String held;
        try (PreparedStatement s = c.prepareStatement(PREFIX_AS_HELD)) {
            s.setQueryTimeout(seconds(deadline - System.nanoTime()));
            s.setString(1, prefix);
            try (ResultSet r = s.executeQuery()) {
                oneRow(r);
                held = r.getString(1);
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || !state.startsWith("22")) {
                throw e;
            }
            rollbackQuietly(c);
            throw prefixRefused(why(e, url));
        }
        if (!prefix.equals(held)) {
            throw prefixRefused("the database gave it back changed");
        }
    }

    private IllegalStateException prefixRefused(String why) {
        return new IllegalStateException("The webhook store at " + description + " cannot hold the key prefix it was given,"
                + " with which every request would fail: " + why + ". Give a prefix of characters the database's encoding"
                + " holds, without NUL");
    }

    /**
     * What {@code open} says when a look at the table failed, not for what the table is: the connection lost, a
     * privilege missing, a statement that waited out its timeout (another session holds the table locked, say).
     */
    private IllegalStateException couldNotCheck(SQLException e) {
        String why = timedOut(e)
                ? "it is locked by another session (an ALTER TABLE, LOCK TABLE or VACUUM FULL holds its lock until its transaction"
                        + " ends), or the database did not answer, within " + timeout.toMillis() + " ms (rounded up to whole seconds): "
                : INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
                        ? "the store's user lacks a privilege on it (the README grants it SELECT, INSERT, UPDATE and DELETE): "
                        : "";
        return new IllegalStateException("Could not check the table " + TABLE + " in the webhook store at " + description + ": "
                + why + why(e, url), null);
    }

    /**
     * Creates the table and its index. A failure is forgiven if the table is there after all: another instance may
     * have created it at the same moment.
     *
     * @throws IllegalStateException if the table cannot be created
     */
    private void create(Connection c, long deadline) throws SQLException {
        try {
            try (Statement s = statement(c, deadline)) {
                s.execute(dialect.createTable);
            }
            try (Statement s = statement(c, deadline)) {
                s.execute(dialect.createIndex);
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (!tableExists(c, deadline)) {
                throw new IllegalStateException("Cannot create the table " + TABLE + " in the webhook store at " + description
                        + (timedOut(e) ? ": another session holds a lock it needs (one that creates the same table holds it"
                                + " until its transaction ends), or the database did not answer, within " + timeout.toMillis()
                                + " ms (rounded up to whole seconds): " : " (create it as the README shows): ") + why(e, url), null);
            }
        }
    }

    /** The table's columns, in the order {@link #checkColumns} reads them. */
    private static final List<String> COLUMNS = List.of("prefix", "kind", "key_digest", "owner_token", "state", "expires_at");

    /** The columns the store's upserts name as the conflict: one row per prefix, kind and key. */
    private static final List<String> KEY_COLUMNS = List.of("prefix", "kind", "key_digest");

    /** The columns of {@link #COLUMNS} that the store's upserts and its complete set (UPDATE). */
    private static final List<String> UPDATED_COLUMNS = List.of("owner_token", "state", "expires_at");

    /** Each privilege the store needs on a column, and the column: {privilege, column}; made once, from the two above. */
    private static final List<String[]> COLUMN_PRIVILEGES = columnPrivileges();

    /**
     * Whether the store's user has each privilege the store's statements need on each column they need it on, in the
     * order of {@link #COLUMN_PRIVILEGES}: SELECT and INSERT on every one of {@link #COLUMNS} (the upserts insert them
     * all, infer the key from three and read {@code expires_at}; the claim's look at a row, the complete and the deletes
     * read the rest), and UPDATE on {@link #UPDATED_COLUMNS}. PostgreSQL's {@code has_column_privilege} counts a grant on the table, one on
     * the column, and one to a role the user is a member of; it reads no catalog the user needs a grant for, and takes no
     * lock on the table.
     */
    private static final String POSTGRES_COLUMN_PRIVILEGES = "SELECT " + columnPrivilegesOfT() + ofTheTable();

    /**
     * The health check's look, on PostgreSQL, at what open refuses and the health check's rolled-back record does not
     * meet: the column privileges of {@link #POSTGRES_COLUMN_PRIVILEGES} (the record reads every column but
     * {@code state}, which the claim's look at a row, the complete and the deletes read), DELETE on the table, and
     * row-level security for the store's user (whose policies may let the record's row, which expires now, through and
     * refuse a request's), and the type of {@code expires_at}, which the record writes as well without a time zone
     * (where instances in other time zones then take replays for new). One statement, on no catalog the user needs a
     * grant for; its {@code LEFT JOIN ... ON false} reads no row, and takes the lock a read takes.
     */
    private static final String POSTGRES_STILL_USABLE = "SELECT " + columnPrivilegesOfT()
            + ", pg_catalog.has_table_privilege(t, 'DELETE'), pg_catalog.row_security_active(t),"
            + " CAST(pg_catalog.pg_typeof(w.expires_at) AS text)" + ofTheTable() + " LEFT JOIN " + TABLE + " w ON false";

    /** The table as {@code t}, NULL where it is missing, for the functions of PostgreSQL that take its OID. */
    private static String ofTheTable() {
        return " FROM (SELECT pg_catalog.to_regclass('" + TABLE + "') AS t) AS x";
    }

    /** {@code has_column_privilege} of {@code t} for each of {@link #COLUMN_PRIVILEGES}, in its order. */
    private static String columnPrivilegesOfT() {
        return COLUMN_PRIVILEGES.stream().map(p -> "pg_catalog.has_column_privilege(t, '" + p[1] + "', '" + p[0] + "')")
                .collect(Collectors.joining(", "));
    }

    /**
     * {@link #COLUMN_PRIVILEGES}, made: SELECT and INSERT on each of {@link #COLUMNS}, UPDATE on each of
     * {@link #UPDATED_COLUMNS}.
     */
    private static List<String[]> columnPrivileges() {
        List<String[]> all = new ArrayList<>();
        for (String privilege : List.of("SELECT", "INSERT", "UPDATE")) {
            for (String column : privilege.equals("UPDATE") ? UPDATED_COLUMNS : COLUMNS) {
                all.add(new String[] {privilege, column});
            }
        }
        return all;
    }

    /**
     * On PostgreSQL, refuses a user whose SELECT, INSERT or UPDATE on the table covers only some of the columns the store
     * needs it on ({@link #POSTGRES_COLUMN_PRIVILEGES}): {@link #checkWritable} counted a grant on any column, and every
     * request's statement then failed. Runs once the table exists, as PostgreSQL refuses the question about a column the
     * table lacks ({@code undefined_column}): {@link #checkColumns} then names the column. Where PostgreSQL refuses the
     * query otherwise (SQLState class 42: a DBA revoked {@code has_column_privilege} from PUBLIC), open goes on with a
     * WARNING, as {@link #checkWritable} does.
     *
     * @throws IllegalStateException if the user lacks a privilege on a column, naming each and the GRANT that adds it
     * @throws SQLException if the look failed otherwise (it waited out its timeout, the connection was lost)
     */
    private void checkColumnPrivileges(Connection c, long deadline) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        SQLException refused = askPostgres(c, deadline, POSTGRES_COLUMN_PRIVILEGES, this::refuseMissingColumnPrivileges);
        // An undefined column is not a refusal to warn of: checkColumns names it.
        if (refused != null && !UNDEFINED_COLUMN.contains(refused.getSQLState())) {
            LOG.log(Level.WARNING, () -> "The webhook store at " + description + " could not check that its user has the"
                    + " privileges it needs on each column of the table " + TABLE + ": PostgreSQL refused the query ("
                    + why(refused, url) + "). Where it lacks one, the statements that need it answer unavailable (503).");
        }
    }

    /** Refuses the user whose lack of a privilege on a column the row of {@link #POSTGRES_COLUMN_PRIVILEGES} shows. */
    private void refuseMissingColumnPrivileges(ResultSet r) throws SQLException {
        oneRow(r);
        Map<String, List<String>> missing = missingColumnPrivileges(r);
        if (!missing.isEmpty()) {
            String columns = byColumn(missing);
            boolean several = missing.size() > 1;
            throw lacks(columns, several, "it has " + (several ? "those privileges" : "that privilege") + " on other columns"
                    + " only, and the store inserts and reads every column and updates owner_token, state and expires_at;"
                    + " without them its records, claims, releases or clean-up fail.", String.join(", ", missing.keySet()),
                    " (or on those columns only: " + grant(columns) + ")");
        }
    }

    /**
     * The privileges of {@link #COLUMN_PRIVILEGES} that {@code r}'s first columns say the user lacks: the columns of
     * each, by privilege, in that order. A NULL (the table is missing) is not counted.
     */
    private static Map<String, List<String>> missingColumnPrivileges(ResultSet r) throws SQLException {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (int i = 0; i < COLUMN_PRIVILEGES.size(); i++) {
            if (!r.getBoolean(1 + i) && !r.wasNull()) {
                String[] lacked = COLUMN_PRIVILEGES.get(i);
                missing.computeIfAbsent(lacked[0], p -> new ArrayList<>()).add(lacked[1]);
            }
        }
        return missing;
    }

    /** {@code SELECT (state), UPDATE (owner_token, expires_at)}: each privilege and its columns, as GRANT takes them. */
    private static String byColumn(Map<String, List<String>> privileges) {
        return privileges.entrySet().stream().map(m -> m.getKey() + " (" + String.join(", ", m.getValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * The health check's look at what open refuses and its record does not meet ({@link #POSTGRES_STILL_USABLE}), on
     * PostgreSQL: a privilege revoked, row-level security turned on, or {@code expires_at} altered to a type without a
     * time zone, since open. Where PostgreSQL refuses the statement (SQLState class 42: a DBA revoked one of its
     * functions from PUBLIC, as open's WARNING said; the table or a column is gone, or its user may not read
     * {@code expires_at}, which the record then meets), the record alone decides.
     *
     * @throws SQLException if the store's user lacks a privilege the store needs, or row-level security applies to it
     *         (saying which, without the URL), or the look failed otherwise
     */
    private void checkStillUsable(Connection c, long deadline) throws SQLException {
        askPostgres(c, deadline, POSTGRES_STILL_USABLE, TableCheck::failIfOpenWouldRefuse); // if refused, the record decides
    }

    /** Fails if the row of {@link #POSTGRES_STILL_USABLE} shows what open would refuse now. */
    private static void failIfOpenWouldRefuse(ResultSet r) throws SQLException {
        oneRow(r);
        Map<String, List<String>> missing = missingColumnPrivileges(r);
        int next = COLUMN_PRIVILEGES.size() + 1;
        boolean delete = r.getBoolean(next) || r.wasNull();
        boolean rowLevelSecurity = r.getBoolean(next + 1);
        String expiresAt = r.getString(next + 2);
        List<String> why = new ArrayList<>();
        if (!delete || !missing.isEmpty()) {
            why.add("the " + userLacks((delete ? "" : "DELETE" + (missing.isEmpty() ? "" : ", ")) + byColumn(missing)));
        }
        if (rowLevelSecurity) {
            why.add("the table " + TABLE + " has row-level security that applies to the store's user");
        }
        if (!POSTGRES_TIMESTAMPTZ.equals(expiresAt)) {
            why.add("the table " + TABLE + " has expires_at of type " + expiresAt + ", not TIMESTAMP WITH TIME ZONE");
        }
        if (!why.isEmpty()) {
            throw new SQLException(String.join("; ", why) + ", which open would refuse now, naming the GRANT or the change"
                    + " that fixes it");
        }
    }

    /**
     * Refuses a table whose columns cannot hold what the store writes, each of which would fail every request or
     * mix keys up: {@code key_digest} and {@code owner_token} binary, of at least 32 and 64 bytes (as text, or
     * shorter, the digests do not go in as they are); {@code prefix}, {@code kind} and {@code state} of
     * {@code VARCHAR}'s kind, long enough for this store's prefix, {@code replay} and {@code claimed} (a
     * {@code CHAR} pads {@code done}, which a claim then no longer reads as done); and {@code expires_at}
     * {@code TIMESTAMP WITH TIME ZONE}: a timestamp without a zone is written and read in each session's time zone
     * (PgJDBC's is its JVM's), so an instance in a zone east of the one that recorded a message would find the row
     * expired hours early, and take its replay for new. A length the driver does not report is not held against
     * the table.
     */
    private void checkColumns(Connection c, long deadline) throws SQLException {
        try (Statement s = statement(c, deadline)) {
            ResultSet r;
            try {
                r = s.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE + " WHERE 1 = 0");
            } catch (SQLException e) {
                if (!UNDEFINED_COLUMN.contains(e.getSQLState())) {
                    throw e;
                }
                rollbackQuietly(c);
                throw new IllegalStateException("The table " + TABLE + " in the webhook store at " + description
                        + " lacks a column the store uses (prefix, kind, key_digest, owner_token, state, expires_at):"
                        + " create it as the README shows: " + JdbcUrls.scrub(e.getMessage(), url), null);
            }
            try (r) {
                ResultSetMetaData m = r.getMetaData();
                List<String> types = typeNames(c, deadline, m);
                checkText(m, types, 1, prefix.length());
                checkText(m, types, 2, "replay".length());
                checkBinary(m, types, 3, KEY_BYTES, dialect.keyType);
                checkBinary(m, types, 4, MAX_TOKEN_BYTES, dialect.tokenType);
                checkText(m, types, 5, "claimed".length());
                // PgJDBC reports timestamptz as Types.TIMESTAMP: by its name only.
                if (m.getColumnType(6) != Types.TIMESTAMP_WITH_TIMEZONE && !POSTGRES_TIMESTAMPTZ.equals(types.get(5))) {
                    throw new IllegalStateException("The table " + TABLE + " in the webhook store at " + description
                            + " has expires_at of type " + types.get(5) + ", not TIMESTAMP WITH TIME ZONE:"
                            + " instances in other time zones would read each other's expiry hours apart and take replays"
                            + " for new messages. Make it TIMESTAMP WITH TIME ZONE, as the README shows");
                }
            }
        }
    }

    /** The type of each of {@link #COLUMNS} on PostgreSQL, by name ({@link #typeNames}). */
    private static final String POSTGRES_TYPES = COLUMNS.stream().map(column -> "CAST(pg_typeof(t." + column + ") AS text)")
            .collect(Collectors.joining(", ", "SELECT ", " FROM (VALUES (1)) AS one (x) LEFT JOIN " + TABLE + " t ON false"));

    /** What PostgreSQL's {@code pg_typeof} calls {@code timestamptz}. */
    private static final String POSTGRES_TIMESTAMPTZ = "timestamp with time zone";

    /**
     * The type of each column {@code m} describes, by name. On PostgreSQL, by {@code pg_typeof}, in a statement of
     * open's with what is left of its timeout: PgJDBC's {@code getColumnTypeName} first asks whether the column is
     * auto-increment, by a catalog query of its own that has no query timeout, so a lock on a catalog only that query
     * reads ({@code pg_attrdef}, as a {@code VACUUM FULL} of it holds) kept open waiting past its timeout. The one row
     * of a {@code LEFT JOIN ... ON false} holds a NULL of each column's type, whether the table has rows or not.
     */
    private List<String> typeNames(Connection c, long deadline, ResultSetMetaData m) throws SQLException {
        List<String> names = new ArrayList<>(COLUMNS.size());
        if (dialect != Dialect.POSTGRESQL) {
            for (int i = 1; i <= COLUMNS.size(); i++) {
                names.add(m.getColumnTypeName(i));
            }
            return names;
        }
        try (Statement s = statement(c, deadline); ResultSet r = s.executeQuery(POSTGRES_TYPES)) {
            if (!r.next()) {
                throw new SQLException("no row from a LEFT JOIN of one row");
            }
            for (int i = 1; i <= COLUMNS.size(); i++) {
                names.add(r.getString(i));
            }
        }
        return names;
    }

    private void checkBinary(ResultSetMetaData m, List<String> types, int column, int bytes, String readmeType)
            throws SQLException {
        int type = m.getColumnType(column);
        boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY;
        checkType(m, types, column, binary, bytes, "a binary type (" + readmeType + ")", bytes + " bytes");
    }

    private void checkText(ResultSetMetaData m, List<String> types, int column, int characters) throws SQLException {
        int type = m.getColumnType(column);
        boolean text = type == Types.VARCHAR || type == Types.NVARCHAR || type == Types.LONGVARCHAR || type == Types.LONGNVARCHAR;
        checkType(m, types, column, text, characters, "VARCHAR", characters + " characters");
    }

    private void checkType(ResultSetMetaData m, List<String> types, int column, boolean rightType, int length, String type,
            String holds) throws SQLException {
        int precision = m.getPrecision(column);
        if (!rightType || (precision > 0 && precision < length)) {
            String name = m.getColumnName(column).toLowerCase(Locale.ROOT);
            String declared = types.get(column - 1) + (precision > 0 && precision < Integer.MAX_VALUE ? "(" + precision + ")" : "");
            throw new IllegalStateException("The table " + TABLE + " in the webhook store at " + description + " has " + name
                    + " of type " + declared + "; the store needs " + type + " that holds " + holds
                    + ". Create it as the README shows");
        }
    }

    /**
     * On H2, refuses a table without a primary key or unique constraint on exactly {@link #KEY_COLUMNS} (in any order,
     * without a {@code WHERE}), read from the driver's metadata: without one, two of H2's {@code MERGE}s for the same
     * key at once can both find no row and both insert, and two instances both take the same message for new. Metadata
     * that cannot be read fails {@code open}: nothing else would stop those duplicates.
     */
    private void checkKeyIsUnique(Connection c) throws SQLException {
        DatabaseMetaData m = c.getMetaData();
        String table = m.storesUpperCaseIdentifiers() ? TABLE.toUpperCase(Locale.ROOT) : TABLE;
        String schema = c.getSchema();
        Map<String, Set<String>> keys = new HashMap<>();
        try (ResultSet r = m.getPrimaryKeys(null, schema, table)) {
            while (r.next()) {
                keys.computeIfAbsent("primary key", k -> new HashSet<>()).add(lower(r.getString("COLUMN_NAME")));
            }
        }
        Set<String> partial = new HashSet<>();
        try (ResultSet r = m.getIndexInfo(null, schema, table, true, true)) {
            while (r.next()) {
                String index = r.getString("INDEX_NAME");
                if (r.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic || index == null || r.getBoolean("NON_UNIQUE")) {
                    continue;
                }
                String filter = r.getString("FILTER_CONDITION");
                if (filter != null && !filter.isEmpty()) {
                    partial.add(index);
                }
                // An expression (COLUMN_NAME null on some drivers) matches no column.
                keys.computeIfAbsent("index " + index, k -> new HashSet<>()).add(lower(r.getString("COLUMN_NAME")));
            }
        }
        for (String p : partial) {
            keys.remove("index " + p);
        }
        if (!keys.containsValue(Set.copyOf(KEY_COLUMNS))) {
            throw noKey();
        }
    }

    private IllegalStateException noKey() {
        String why = dialect == Dialect.POSTGRESQL
                ? "every request would fail, as its INSERT ... ON CONFLICT (prefix, kind, key_digest) needs one"
                : "two instances that record the same message at once could both take it for new";
        return new IllegalStateException("The table " + TABLE + " in the webhook store at " + description
                + " has no primary key or unique constraint on (prefix, kind, key_digest): " + why
                + ". Create it as the README shows, with PRIMARY KEY (prefix, kind, key_digest)");
    }

    /**
     * The unique indexes of the table this session finds, as PostgreSQL's {@code ON CONFLICT} sees them: name; name
     * and type of the constraint that made it, if any; valid; immediate (not {@code DEFERRABLE}); the predicate of a
     * partial index; the number of key entries; the plain columns among them; each key entry as written.
     */
    private static final String POSTGRES_UNIQUE_INDEXES = "SELECT quote_ident(i.relname), quote_ident(k.conname), k.contype,"
            + " x.indisvalid, x.indimmediate, pg_catalog.pg_get_expr(x.indpred, x.indrelid, true), x.indnkeyatts,"
            + " ARRAY(SELECT a.attname::text FROM generate_series(0, x.indnkeyatts - 1) n JOIN pg_catalog.pg_attribute a"
            + " ON a.attrelid = x.indrelid AND a.attnum = x.indkey[n] ORDER BY n),"
            + " ARRAY(SELECT pg_catalog.pg_get_indexdef(x.indexrelid, n, true) FROM generate_series(1, x.indnkeyatts) n ORDER BY n)"
            + " FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
            + " LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u')"
            + " WHERE x.indrelid = CAST('" + TABLE + "' AS regclass) AND x.indisunique ORDER BY i.relname";

    /**
     * On PostgreSQL, refuses a table without a key that {@code ON CONFLICT (prefix, kind, key_digest)} can use, which
     * fails every request, as that statement infers it: a primary key, unique constraint or unique index whose key
     * columns are exactly {@link #KEY_COLUMNS}, in any order, valid, immediate and without a predicate; the columns of
     * its {@code INCLUDE} do not count (PgJDBC's {@code getIndexInfo}, which H2's {@link #checkKeyIsUnique} reads,
     * lists them among the key's, with nothing to tell them apart; hence this query of the catalog). A key on those
     * columns that {@code ON CONFLICT} cannot use is named with the SQL that fixes it: a {@code DEFERRABLE} one
     * (refused even beside a usable key, as PostgreSQL refuses it as an arbiter), and, where no usable key exists, a
     * unique index that is on expressions, partial, or {@code INVALID} (as a failed {@code CREATE INDEX CONCURRENTLY}
     * leaves it).
     *
     * <p>If PostgreSQL refuses the query (SQLState class 42: its user may not read a catalog or call a function there,
     * as a DBA may revoke), the key is checked as a request meets it instead ({@link #checkKeyByRecord}), and a WARNING
     * says so.
     *
     * @return whether the connection may be used again: false after that check's record failed
     * @throws SQLException if the database fails otherwise
     */
    private boolean checkPostgresKey(Connection c, long deadline) throws SQLException {
        SQLException refused = askPostgres(c, deadline, POSTGRES_UNIQUE_INDEXES, this::refuseUnusableKey);
        return refused == null || checkKeyByRecord(c, deadline, refused);
    }

    /** Refuses a table of whose unique indexes ({@link #POSTGRES_UNIQUE_INDEXES}) {@code ON CONFLICT} can use none. */
    private void refuseUnusableKey(ResultSet r) throws SQLException {
        boolean usable = false;
        IllegalStateException unusable = null;
        while (r.next()) {
            String index = r.getString(1);
            String constraint = r.getString(2);
            String predicate = r.getString(6);
            int entries = r.getInt(7);
            List<String> columns = List.of((String[]) r.getArray(8).getArray());
            String key = "(" + String.join(", ", (String[]) r.getArray(9).getArray()) + ")";
            boolean onExpressions = columns.size() < entries;
            boolean meantAsTheKey = KEY_COLUMNS.containsAll(columns)
                    && (onExpressions ? entries == KEY_COLUMNS.size() : columns.containsAll(KEY_COLUMNS));
            if (!meantAsTheKey) {
                continue;
            }
            String addKey = "Add the README's key in its place: ALTER TABLE " + TABLE
                    + " ADD PRIMARY KEY (prefix, kind, key_digest); DROP INDEX " + index;
            IllegalStateException why = null;
            if (onExpressions) {
                why = unusableKey("the unique index " + index + " on " + key + ", not on the columns (prefix, kind, key_digest)",
                        "cannot use an index on expressions", addKey);
            } else if (predicate != null) {
                why = unusableKey("the unique index " + index + " on " + key + " only WHERE " + predicate,
                        "cannot use a partial index", addKey);
            } else if (!r.getBoolean(4)) {
                why = unusableKey("the unique index " + index + " on " + key
                        + " marked INVALID (as a failed CREATE INDEX CONCURRENTLY leaves it)", "does not use an invalid index",
                        "Rebuild it (after deleting duplicate rows, if that is why it failed): REINDEX INDEX CONCURRENTLY " + index);
            } else if (!r.getBoolean(5)) {
                throw unusableKey("the constraint " + constraint + " on " + key + " DEFERRABLE",
                        "refuses a deferrable constraint", "Make it NOT DEFERRABLE, as the README shows: ALTER TABLE " + TABLE
                                + " DROP CONSTRAINT " + constraint + ", ADD CONSTRAINT " + constraint
                                + ("p".equals(r.getString(3)) ? " PRIMARY KEY " : " UNIQUE ") + key);
            } else {
                usable = true;
            }
            unusable = unusable == null ? why : unusable;
        }
        if (!usable) {
            throw unusable != null ? unusable : noKey();
        }
    }

    /** PostgreSQL's SQLState for an {@code ON CONFLICT} whose arbiter is {@code DEFERRABLE}: object_not_in_prerequisite_state. */
    private static final String DEFERRABLE_ARBITER = "55000";
    /** PostgreSQL's SQLState for an {@code ON CONFLICT} that finds no key to use: invalid_column_reference. */
    private static final String NO_ARBITER = "42P10";

    /**
     * Where PostgreSQL refused {@link #checkPostgresKey}'s query of its catalog: checks the key by the request's own
     * statement, a replay record of a random key in a transaction that is rolled back ({@link #recordRolledBack}, the
     * health check), as PostgreSQL judges the key as a row is inserted. A table whose key {@code ON CONFLICT} cannot use
     * is refused, by PostgreSQL's SQLState: {@value #DEFERRABLE_ARBITER} for a {@code DEFERRABLE} key,
     * {@value #NO_ARBITER} for none it can infer (no key on exactly those columns, or one that is partial, on
     * expressions or {@code INVALID}); without the catalog, open cannot say which key.
     *
     * <p>Any other failure of the record (it waited out its timeout for a lock that writes wait for and reads do not,
     * as a {@code CREATE INDEX} holds; the connection lost; no INSERT privilege) is not held against the table: open
     * goes on, as it does where it can read the catalog (which takes no lock a write takes), with a WARNING that says
     * so. That fails closed: on a table without a usable key every record and claim answers unavailable, none is
     * accepted twice, and the health check answers false.
     *
     * @param catalog PostgreSQL's refusal of the query of its catalog
     * @return whether the connection may be used again: false if the record failed
     * @throws IllegalStateException if PostgreSQL refused the record for the table's key
     */
    private boolean checkKeyByRecord(Connection c, long deadline, SQLException catalog) {
        String state = catalog.getSQLState();
        String refusal = "SQLState " + state + ": " + JdbcUrls.scrub(catalog.getMessage(), url);
        SQLException failed = null;
        try {
            recordRolledBack(c, seconds(deadline - System.nanoTime()));
        } catch (SQLException e) {
            String tail = ". PostgreSQL refused open's query of its catalog, which would have named the key (" + refusal + ")";
            if (DEFERRABLE_ARBITER.equals(e.getSQLState())) {
                throw unusableKey("a DEFERRABLE constraint on (prefix, kind, key_digest)", "refuses a deferrable constraint:"
                        + " it refused a replay record that open rolled back, " + why(e, url), "Make it NOT DEFERRABLE, as the"
                        + " README shows: ALTER TABLE " + TABLE + " DROP CONSTRAINT <name>, ADD CONSTRAINT <name> PRIMARY KEY"
                        + " (prefix, kind, key_digest) (UNIQUE for a unique constraint; psql's \\d " + TABLE + " names it)" + tail);
            }
            if (NO_ARBITER.equals(e.getSQLState())) {
                throw unusableKey("no key that ON CONFLICT (prefix, kind, key_digest) can use", "needs a primary key or unique"
                        + " constraint on exactly those columns, valid, without a WHERE and not on expressions: it refused a"
                        + " replay record that open rolled back, " + why(e, url), "Add it, as the README shows: ALTER TABLE "
                        + TABLE + " ADD PRIMARY KEY (prefix, kind, key_digest) (or ADD UNIQUE (prefix, kind, key_digest) where"
                        + " another primary key stays)" + tail);
            }
            failed = e;
        }
        String grant = INSUFFICIENT_PRIVILEGE.equals(state) ? "; for open to check it by the catalog, let the store's user"
                + " read pg_catalog.pg_index, pg_class, pg_attribute and pg_constraint and call quote_ident, pg_get_expr and"
                + " pg_get_indexdef (every user may, unless a DBA revoked it)" : "";
        String checked = failed == null
                ? ": it checked it by a replay record that it rolled back, which PostgreSQL accepted"
                : ", nor by a replay record that it rolled back, which failed (" + (timedOut(failed) ? "another session holds"
                        + " a lock that writes wait for, as a CREATE INDEX does until its transaction ends, or the database did"
                        + " not answer, within " + timeout.toMillis() + " ms: " : "") + failed.getClass().getSimpleName() + ": "
                        + why(failed, url) + "). Without a key that ON CONFLICT (prefix, kind, key_digest) can use, every record"
                        + " and claim answers unavailable (503), none is accepted twice, and the health check answers false";
        LOG.log(Level.WARNING, () -> "The webhook store at " + description + " could not check the key of the table " + TABLE
                + " in PostgreSQL's catalog, which refused the query (" + refusal + ")" + checked + grant + ".");
        return failed == null;
    }

    /** PostgreSQL's SQLState for a privilege the session lacks. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private IllegalStateException unusableKey(String what, String why, String fix) {
        return new IllegalStateException("The table " + TABLE + " in the webhook store at " + description + " has " + what
                + ": every request would fail, as PostgreSQL's INSERT ... ON CONFLICT (prefix, kind, key_digest) " + why
                + ". " + fix);
    }

    private static String lower(String identifier) {
        return identifier == null ? "" : identifier.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the table exists: false only when the database says it knows no such table, so that a look that waited out
     * its timeout on a locked table, or failed for any other reason, is not taken for a missing table.
     *
     * @throws SQLException if the database fails otherwise
     */
    private boolean tableExists(Connection c, long deadline) throws SQLException {
        try (Statement s = statement(c, deadline)) {
            s.executeQuery(READ_TABLE).close();
            return true;
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.contains(e.getSQLState())) {
                throw e;
            }
            rollbackQuietly(c);
            return false;
        }
    }

    /** Reads a query's result, and throws what open or the health check says of it. */
    private interface Reader {
        void read(ResultSet r) throws SQLException;
    }

    /**
     * Runs {@code sql}, a query of PostgreSQL's functions or catalog, with what is left until {@code deadline}, and gives
     * its result to {@code read}. Where PostgreSQL refuses the query (SQLState class 42: its user may not call one of the
     * functions or read a catalog, as a DBA may revoke from PUBLIC; or the query names a column the table lacks), it
     * rolls back what the query began and returns the refusal: the caller goes on without the answer, with a WARNING or
     * another check.
     *
     * @return PostgreSQL's refusal, or null where {@code read} had the answer
     * @throws SQLException if the query failed otherwise (it waited out its timeout, the connection was lost)
     */
    private static SQLException askPostgres(Connection c, long deadline, String sql, Reader read) throws SQLException {
        try (Statement s = statement(c, deadline); ResultSet r = s.executeQuery(sql)) {
            read.read(r);
            return null;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || !state.startsWith("42")) {
                throw e;
            }
            rollbackQuietly(c);
            return e;
        }
    }

    /** Moves {@code r} to the one row of a query of one row. */
    private static void oneRow(ResultSet r) throws SQLException {
        if (!r.next()) {
            throw new SQLException("no row from a SELECT of one row");
        }
    }

    /**
     * A statement whose query timeout is what is left until {@code deadline}, at least a second: every statement of
     * open's, and of the health check's looks, has one, so that a lock another session holds, or a database that does
     * not answer, fails it in time.
     */
    private static Statement statement(Connection c, long deadline) throws SQLException {
        Statement s = c.createStatement();
        try {
            s.setQueryTimeout(seconds(deadline - System.nanoTime()));
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The SQLStates of a table the database does not know: PostgreSQL's {@code undefined_table}; H2's, which says
     * 42S03 where it names a near match and 42S04 where it has no table at all.
     */
    private static final Set<String> UNDEFINED_TABLE = Set.of("42P01", "42S02", "42S03", "42S04");

    /** The SQLStates of a column the table does not have: PostgreSQL's {@code undefined_column}, and H2's. */
    private static final Set<String> UNDEFINED_COLUMN = Set.of("42703", "42S22");

    /**
     * The SQLStates of a statement that waited out its query timeout, or a lock timeout: {@code query_canceled}
     * (PostgreSQL and H2), PostgreSQL's {@code lock_not_available} (its {@code lock_timeout}) and H2's lock timeout.
     */
    private static final Set<String> TIMED_OUT = Set.of("57014", "55P03", "HYT00");

    /** Whether {@code e} says that a statement waited out its query timeout or a lock timeout. */
    private static boolean timedOut(SQLException e) {
        return e instanceof SQLTimeoutException || TIMED_OUT.contains(e.getSQLState());
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // The connection is given back as failed anyway when it matters.
        }
    }
}
