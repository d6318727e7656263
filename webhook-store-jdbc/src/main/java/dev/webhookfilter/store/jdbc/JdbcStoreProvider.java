package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import dev.webhookfilter.internal.Spelling;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Opens the JDBC store: replay protection and de-duplication in one table of a PostgreSQL (or H2)
 * database that every instance of the application shares. Found by {@link java.util.ServiceLoader}
 * for the {@code store} init-param's values:
 * <ul>
 *   <li>{@code jdbc:postgresql://host:port/database?user=...&password=...}, PostgreSQL
 *       {@value #MIN_POSTGRES_MAJOR} or later: the application brings the driver
 *       ({@code org.postgresql:postgresql}); the store keeps a pool of at most {@value #POOL_SIZE}
 *       connections;</li>
 *   <li>{@code jdbc:h2:...}, for a quick start ({@code jdbc:h2:mem:webhooks;DB_CLOSE_DELAY=-1}
 *       within one JVM, or an H2 server shared by several);</li>
 *   <li>{@code java:comp/env/jdbc/...}: a {@link DataSource} the container gives the application
 *       (Tomcat's {@code <Resource>}), looked up with {@link InitialContext}; its pool is used as it is.</li>
 * </ul>
 * Code that has a DataSource already calls {@link #open(DataSource, Duration, String)}.
 *
 * <p>The table, {@code webhook_filter_keys}, is created if it is missing. A URL's credentials never
 * appear in a message or a log line: only its scheme, host, port and database do. Thread-safe.
 */
public final class JdbcStoreProvider implements WebhookStoreProvider {

    /** The most connections the store's own pool opens to a JDBC URL. */
    static final int POOL_SIZE = 8;
    /** The longest prefix the table's {@code prefix} column holds. */
    static final int MAX_PREFIX_LENGTH = 200;
    /**
     * The oldest PostgreSQL {@code open} accepts: the statements need 9.5 ({@code ON CONFLICT}, {@code SKIP LOCKED}),
     * the check of the table's key 11 ({@code pg_index.indnkeyatts}), and the fix it gives for an {@code INVALID}
     * index 12 ({@code REINDEX INDEX CONCURRENTLY}).
     */
    static final int MIN_POSTGRES_MAJOR = 12;

    private static final System.Logger LOG = System.getLogger(JdbcStoreProvider.class.getName());

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JdbcStoreProvider() {
        // Stateless.
    }

    @Override
    public boolean supports(String uri) {
        return uri != null && (uri.startsWith("jdbc:postgresql:") || uri.startsWith("jdbc:h2:")
                || uri.startsWith("java:comp/env/jdbc/"));
    }

    /**
     * Opens the store at a JDBC URL or a JNDI name and creates its table if missing.
     *
     * @param uri {@code jdbc:postgresql:...}, {@code jdbc:h2:...} or {@code java:comp/env/jdbc/...}
     * @param timeout the most the wait for a connection, and then each statement, waits, rounded up to whole seconds
     * @param keyPrefix the application's prefix, at most {@value #MAX_PREFIX_LENGTH} characters
     * @return the store, ready
     * @throws IllegalArgumentException if the URI is not one this provider takes, a PostgreSQL URL has a parameter its
     *         driver does not know (which it would ignore), or the timeout or prefix is bad
     * @throws IllegalStateException if the database cannot be reached, is not PostgreSQL or H2, is a PostgreSQL older
     *         than 12, cannot be written (a PostgreSQL standby, read-only transactions, a read-only H2 database, a user
     *         without SELECT, INSERT, UPDATE or DELETE on the table), cannot hold the key prefix (a NUL, a character its
     *         encoding lacks), fails a look at the table (another session holds it locked past the timeout, the connection is
     *         lost, ...), or the table cannot be created, or a table made by hand lacks a column, has a column that
     *         cannot hold what the store writes (an {@code expires_at} without a time zone), or has no unique key on
     *         {@code (prefix, kind, key_digest)}
     */
    @Override
    public WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        if (!supports(uri)) {
            throw new IllegalArgumentException("The JDBC store takes jdbc:postgresql:, jdbc:h2: or java:comp/env/jdbc/ URIs, not "
                    + (uri == null ? "null" : JdbcUrls.describe(uri)));
        }
        checkArguments(timeout, keyPrefix);
        if (!uri.startsWith(JdbcUrls.JNDI_PREFIX) && JdbcUrls.hasUserInfo(uri)) {
            // Before any driver sees it. Neither driver reads one: PgJDBC takes user:password@db for a host and port,
            // and logs what it took for the port at WARNING when that is no number ("JDBC URL invalid port number:
            // password@db"), or the whole URL when a / in the password splits it ("JDBC URL contains too many /
            // characters"); H2 quotes the URL up to its first ; in its message, where a password may hold one. Nor is it
            // described: a password holding a /, ? or ; hides where the user-info ends.
            // A port that is no number is told apart from nothing else: hooks:pa of //hooks:pa/ss@db is one too.
            throw new IllegalArgumentException("The JDBC URL " + uri.substring(0, uri.indexOf("//") + 2) + "... has a"
                    + " user-info (user:password@ before the host), which " + database(uri) + "'s driver does not read,"
                    + " or a port that is not a number; the URL is not repeated, as it may hold a password: write a port"
                    + " in digits alone, and give a user and password as "
                    + (uri.startsWith("jdbc:h2:") ? "settings, ;USER=...;PASSWORD=...; H2 decodes no %XX, so a"
                    + " database's path after a server holds no @" : "parameters, ?user=...&password=..."
                    + " (percent-encoded), and write an @ in a database's name as %40"));
        }
        if (uri.startsWith(JdbcUrls.JNDI_PREFIX)) {
            return open(new DataSourceConnections(lookUp(uri)), uri, timeout, keyPrefix, true);
        }
        if (uri.startsWith("jdbc:h2:mem:") && !uri.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_DELAY=-1")) {
            LOG.log(Level.WARNING, () -> "The webhook store at " + JdbcUrls.describe(uri) + " is an H2 in-memory database"
                    + " without ;DB_CLOSE_DELAY=-1: it vanishes, table and all, once its last connection closes"
                    + " (the store closes its connections after an error)");
        }
        Driver driver = driverFor(uri);
        Properties properties = new Properties();
        String connectWith = uri;
        if (uri.startsWith("jdbc:postgresql:")) {
            refuseUnknownParameters(driver, uri);
            // PgJDBC logs the URL it connects with at FINE: the password goes in the properties instead.
            connectWith = JdbcUrls.withoutPasswords(uri, properties);
        }
        return open(new Pool(driver, connectWith, properties, POOL_SIZE), uri, timeout, keyPrefix, true);
    }

    /**
     * Opens the store on a DataSource the application has already (a pool of its own), and creates
     * its table if missing. The DataSource's pool bounds how long a connection is waited for: keep its
     * maximum wait within {@code timeout}. Closing the store leaves the DataSource open.
     *
     * @param dataSource connections to PostgreSQL or H2
     * @param timeout the most any one statement waits, rounded up to whole seconds
     * @param keyPrefix the application's prefix, at most {@value #MAX_PREFIX_LENGTH} characters
     * @return the store, ready
     * @throws IllegalArgumentException if the timeout or prefix is bad
     * @throws IllegalStateException if the database cannot be reached, is not PostgreSQL or H2, is a PostgreSQL older
     *         than 12, cannot be written (a PostgreSQL standby, read-only transactions, a read-only H2 database, a user
     *         without SELECT, INSERT, UPDATE or DELETE on the table), cannot hold the key prefix (a NUL, a character its
     *         encoding lacks), fails a look at the table (another session holds it locked past the timeout, the connection is
     *         lost, ...), or the table cannot be created, or a table made by hand lacks a column, has a column that
     *         cannot hold what the store writes (an {@code expires_at} without a time zone), or has no unique key on
     *         {@code (prefix, kind, key_digest)}
     */
    public WebhookStore open(DataSource dataSource, Duration timeout, String keyPrefix) {
        Objects.requireNonNull(dataSource, "dataSource");
        checkArguments(timeout, keyPrefix);
        return open(new DataSourceConnections(dataSource), "a DataSource", timeout, keyPrefix, true);
    }

    private static JdbcStore open(ConnectionSource connections, String uri, Duration timeout, String keyPrefix,
            boolean cleanUpOnTimer) {
        return open(connections, uri, timeout, keyPrefix, Clock.systemUTC(), cleanUpOnTimer);
    }

    /** Opens with a given clock, with or without the clean-up timer (tests clean up by hand). */
    static JdbcStore open(ConnectionSource connections, String uri, Duration timeout, String keyPrefix, Clock clock,
            boolean cleanUpOnTimer) {
        String where = JdbcUrls.describe(uri);
        Dialect dialect;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Connection c = connections.borrow(deadline);
            boolean healthy = false;
            try {
                DatabaseMetaData metaData = c.getMetaData();
                String product = metaData.getDatabaseProductName();
                dialect = Dialect.of(product);
                if (dialect == null) {
                    throw new IllegalStateException("The webhook store at " + where + " is " + product
                            + "; the JDBC store supports PostgreSQL and H2");
                }
                // The driver's version of the server: PgJDBC has it from the server's greeting (server_version), so this
                // sends nothing and cannot wait, where SHOW server_version_num would be one more statement to bound.
                if (dialect == Dialect.POSTGRESQL && metaData.getDatabaseMajorVersion() < MIN_POSTGRES_MAJOR) {
                    throw new IllegalStateException("The webhook store at " + where + " runs PostgreSQL "
                            + metaData.getDatabaseMajorVersion() + "." + metaData.getDatabaseMinorVersion()
                            + "; the store needs PostgreSQL " + MIN_POSTGRES_MAJOR + " or later");
                }
                healthy = true;
            } finally {
                connections.giveBack(c, healthy);
            }
        } catch (SQLException e) {
            connections.close();
            if (PROTOCOL_VIOLATION.equals(e.getSQLState())) {
                // Something answered, but the driver could not read it: another kind of server on that port.
                throw new IllegalStateException("The webhook store at " + where + " does not answer as " + database(uri)
                        + " does (is that its host and port?): " + JdbcUrls.why(e, uri), null);
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith(INVALID_AUTHORIZATION)) {
                // The server answered, and refused the login: "Cannot reach ... within" read as one that did not answer.
                throw new IllegalStateException("The webhook store at " + where + " refuses the store's user and password: "
                        + JdbcUrls.why(e, uri) + "; check the user and password " + (uri.startsWith("jdbc:h2:")
                        ? "the URL gives (;USER=...;PASSWORD=...)" : uri.startsWith("jdbc:")
                        ? "the URL gives (?user=...&password=..., each percent-encoded)" : "the DataSource gives")
                        + ", and that the server lets that user in from this host", null);
            }
            throw new IllegalStateException("Cannot reach the webhook store at " + where + " within " + timeout.toMillis()
                    + " ms: " + JdbcUrls.why(e, uri), null);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        JdbcStore store = new JdbcStore(connections, dialect, keyPrefix, timeout, uri, clock, cleanUpOnTimer);
        try {
            store.prepare(deadline);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        } catch (SQLException e) {
            // prepare says what failed in its looks at the table; this is the wait for its connection.
            store.close();
            throw new IllegalStateException("Cannot reach the webhook store at " + where + " within " + timeout.toMillis()
                    + " ms: " + JdbcUrls.why(e, uri), null);
        }
        LOG.log(Level.INFO, () -> "Webhook store: " + dialect.name().toLowerCase(java.util.Locale.ROOT) + " at " + where
                + ", table " + JdbcStore.TABLE + ", timeout " + timeout.toMillis() + " ms");
        return store;
    }

    private static void checkArguments(Duration timeout, String keyPrefix) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The JDBC store's timeout must be positive, not " + timeout);
        }
        if (keyPrefix == null || keyPrefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("The JDBC store's key prefix must be at most " + MAX_PREFIX_LENGTH
                    + " characters" + (keyPrefix == null ? ", not null" : ""));
        }
    }

    private static DataSource lookUp(String name) {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("No DataSource named " + name + " (declare it as a <Resource> in the"
                    + " container's context and a <resource-ref> in web.xml): " + e.getMessage(), null);
        }
        if (!(found instanceof DataSource)) {
            throw new IllegalStateException(name + " names " + (found == null ? "nothing" : "a " + found.getClass().getName())
                    + ", not a javax.sql.DataSource");
        }
        return (DataSource) found;
    }

    /**
     * The driver for a URL: first from the class path of the application (where a WAR's
     * {@code WEB-INF/lib} is, which {@link DriverManager} may not see), then from DriverManager. The drivers are
     * asked about the URL without its parameters first, and about the URL itself only once one takes that and its
     * parameters are percent-encoded: PgJDBC logs a URL it cannot parse whole, password and all, at WARNING
     * ({@code JDBC URL must contain a / at the end of the host or port: ...}), or at FINE when it cannot
     * percent-decode a parameter.
     */
    private static Driver driverFor(String url) {
        String bare = JdbcUrls.describe(url);
        if (accepting(bare) == null) {
            if (url.startsWith("jdbc:postgresql:") && accepting(PGJDBC_PROBE) != null) {
                throw new IllegalArgumentException("PgJDBC does not take the URL " + bare + ": write"
                        + " jdbc:postgresql://host[:port][,host[:port]...]/database[?parameters], with one / after the"
                        + " hosts, a port from 1 to 65535, and none in the database's name (%2F), which PgJDBC"
                        + " percent-decodes (a % as %25)");
            }
            String artifact = url.startsWith("jdbc:h2:") ? "com.h2database:h2" : "org.postgresql:postgresql";
            throw new IllegalStateException("No JDBC driver for " + bare + " on the class path;"
                    + " add " + artifact + " to the application", null);
        }
        Driver driver = percentEncoded(url) ? accepting(url) : null;
        if (driver != null) {
            return driver;
        }
        // PgJDBC refuses a URL whose parameter it cannot percent-decode (a password with a bare %).
        throw new IllegalStateException("The JDBC driver does not take the URL " + bare + " with its parameters:"
                + " percent-encode each parameter's value (a % as %25, an & as %26)", null);
    }

    /** A URL that PgJDBC takes, for telling a URL it does not take from a class path without it. */
    private static final String PGJDBC_PROBE = "jdbc:postgresql://localhost/postgres";

    /** Whether each value of a PostgreSQL URL's parameters can be percent-decoded, as PgJDBC decodes them. */
    private static boolean percentEncoded(String url) {
        int query = url.indexOf('?');
        if (!url.startsWith("jdbc:postgresql:") || query < 0) {
            return true;
        }
        for (String part : url.substring(query + 1).split("&")) {
            try {
                URLDecoder.decode(part.substring(part.indexOf('=') + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The names PgJDBC reads from a URL's parameters besides those it lists as its properties: the keys of
     * {@code pg_service.conf}, which it translates to its own.
     */
    private static final List<String> SERVICE_KEYS = List.of("host", "port", "dbname");

    /**
     * Refuses a PostgreSQL URL with a parameter that its driver does not know. PgJDBC keeps such a parameter without a
     * word, and reads none of it: a misspelled {@code sslmode} left the connection to its default ({@code prefer}, TLS
     * only where the server offers it, the certificate unchecked), a misspelled {@code socketTimeout} to the store's.
     * A driver that lists no properties is left to decide for itself.
     *
     * @throws IllegalArgumentException naming the parameter only when it is a misspelling of a known one, as its name
     *         could otherwise be a secret typed in the wrong place
     */
    private static void refuseUnknownParameters(Driver driver, String uri) {
        Set<String> known = new LinkedHashSet<>();
        try {
            for (DriverPropertyInfo p : driver.getPropertyInfo(uri, new Properties())) {
                known.add(p.name);
            }
        } catch (SQLException | RuntimeException e) {
            return;
        }
        if (known.isEmpty()) {
            return;
        }
        known.addAll(SERVICE_KEYS);
        List<String> names = JdbcUrls.parameterNames(uri);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (known.contains(name)) {
                continue;
            }
            String meant = Spelling.nearest(name, known, 2);
            throw new IllegalArgumentException("The JDBC URL " + JdbcUrls.describe(uri) + " has a parameter that PgJDBC"
                    + " does not know, and would ignore: " + (meant != null ? "'" + name + "' (did you mean " + meant + "?)"
                    : "the " + ordinal(i + 1) + " (not quoted, as it may hold a secret)")
                    + "; PgJDBC's parameters are case-sensitive");
        }
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        String suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
        return n + suffix;
    }

    /**
     * The driver that accepts {@code url}, or null.
     *
     * @throws IllegalArgumentException if a driver throws when asked whether it takes the URL (PgJDBC's
     *         StringIndexOutOfBoundsException for an empty host), saying so without the URL's parameters
     */
    private static Driver accepting(String url) {
        RuntimeException thrown = null;
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), JdbcStoreProvider.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            try {
                for (Driver d : ServiceLoader.load(Driver.class, loader)) {
                    try {
                        if (d.acceptsURL(url)) {
                            return d;
                        }
                    } catch (RuntimeException e) {
                        thrown = e;
                    }
                }
            } catch (SQLException | RuntimeException | LinkageError e) {
                // A broken driver on the class path: try the next place.
            }
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            if (thrown == null) {
                return null;
            }
        } catch (RuntimeException e) {
            thrown = e;
        }
        throw new IllegalArgumentException("The JDBC driver cannot read the URL " + JdbcUrls.describe(url) + " ("
                + thrown.getClass().getName() + "): check its hosts, port and database", null);
    }

    /** SQLState 08P01, protocol_violation: PgJDBC's answer to bytes it cannot read as PostgreSQL's protocol. */
    private static final String PROTOCOL_VIOLATION = "08P01";

    /**
     * SQLState class 28, invalid authorization specification: PostgreSQL's failed password (28P01) or login refused by
     * pg_hba.conf (28000), H2's wrong user name or password (28000).
     */
    private static final String INVALID_AUTHORIZATION = "28";

    /** The database a URL names, for messages. */
    private static String database(String uri) {
        return uri.startsWith("jdbc:postgresql:") ? "PostgreSQL" : uri.startsWith("jdbc:h2:") ? "H2" : "a database";
    }
}
