package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.servlet.StoreOutage;
import dev.webhookfilter.servlet.StoreOutageContract;
import dev.webhookfilter.testing.LogCapture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances sharing one PostgreSQL ({@link StoreOutage}), its URL holding the password, while the server is killed
 * (SIGKILL to every process, as a crash), frozen (SIGSTOP) past the store's timeout or for moments, and started again
 * on its port with its data kept ({@link StoreOutageContract}). No log line holds the password.
 */
class TwoInstancesPostgresOutageTest extends StoreOutageContract {

    static final int TIMEOUT_MILLIS = 2000;
    /** A record and a claim, each bounded as {@code PostgresFaultTest} bounds one call. */
    static final long BOUND_MILLIS = 2 * (TIMEOUT_MILLIS + 4_000);

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    /** Every logger down to DEBUG (JUL's FINER), the driver's included. */
    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest("").level(Level.FINER);

    /** How many client connections the server counts, but the one that asks. */
    static int clients(PostgresServer server) throws Exception {
        java.util.Properties login = new java.util.Properties();
        String url = JdbcUrls.withoutPasswords(server.url(), login); // PgJDBC logs the URL at FINE
        try (Connection c = DriverManager.getConnection(url, login); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    @BeforeAll
    static void warmUp() throws Exception {
        POSTGRES.server().warmUp();
    }

    @BeforeEach
    void start() throws Exception {
        PostgresServer server = POSTGRES.server();
        outage = new StoreOutage(server.url(), TIMEOUT_MILLIS, BOUND_MILLIS, new StoreOutage.Server() {
            @Override
            public void kill() throws Exception {
                server.kill();
            }

            @Override
            public void restart() throws Exception {
                server.start();
            }

            @Override
            public void freeze() throws Exception {
                server.freeze();
            }

            @Override
            public void thaw() throws Exception {
                server.thaw();
            }

            @Override
            public int connections() throws Exception {
                return clients(server);
            }

            @Override
            public int connectionsAfter(int before) {
                return 2 * JdbcStoreProvider.POOL_SIZE;
            }
        }, "PostgreSQL-JDBC-SharedTimer-");
    }

    @AfterEach
    void stop() throws Exception {
        if (outage != null) {
            outage.close();
        }
        List<String> leaks = logs.render().lines().filter(line -> line.contains(PostgresServer.PASSWORD)).toList();
        assertEquals(List.of(), leaks, "log lines that hold the password");
    }

    @Override
    protected String unreachableSays() {
        return "store";
    }

    @Override
    protected String password() {
        return PostgresServer.PASSWORD;
    }
}
