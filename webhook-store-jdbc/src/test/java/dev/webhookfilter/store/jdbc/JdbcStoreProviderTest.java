package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import dev.webhookfilter.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.logging.Level;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcStoreProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final JdbcStoreProvider provider = new JdbcStoreProvider();

    @ParameterizedTest
    @CsvSource({
        "jdbc:postgresql://db:5432/app, true",
        "jdbc:h2:mem:webhooks, true",
        "java:comp/env/jdbc/webhooks, true",
        "jdbc:mysql://db/app, false",
        "redis://localhost:6379, false",
        "memory, false",
        "java:comp/env/mail/Session, false",
    })
    void supports_postgresqlH2AndJndiDataSources(String uri, boolean supported) {
        assertEquals(supported, provider.supports(uri));
    }

    @Test
    void serviceLoader_findsTheProvider() {
        long found = ServiceLoader.load(WebhookStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof JdbcStoreProvider && p.supports("jdbc:postgresql://db/app"))
                .count();
        assertEquals(1, found);
    }

    @Test
    void open_unsupportedUri_isRefusedWithoutItsCredentials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:mysql://hooks:s3cret@db/app?password=s3cret", TIMEOUT, "app"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:mysql://db/app"), e.getMessage());
    }

    /** PgJDBC does not take a URL whose parameter holds a % not followed by two hex digits: the driver is there all the same. */
    @ParameterizedTest
    @ValueSource(strings = {"pa%ss", "pa%zzss"})
    void open_postgresqlUrlWithAPasswordNotPercentEncoded_saysSo_notThatTheDriverIsMissing(String password) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> provider.open("jdbc:postgresql://127.0.0.1:1/app?user=hooks&password=" + password, TIMEOUT, "app"));
        assertFalse(e.getMessage().contains("No JDBC driver"), e.getMessage());
        assertTrue(e.getMessage().contains("percent-encode"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/app"), e.getMessage());
        assertFalse(e.getMessage().contains(password), e.getMessage());
    }

    /**
     * PgJDBC logs a URL it cannot parse, whole and at WARNING ("JDBC URL must contain a / at the end of the host or
     * port: ..."), or the text it took for a port ("JDBC URL invalid port number: pw@db", from a user-info, which it
     * does not read), or at FINE one whose parameter it cannot percent-decode: the store never hands it such a URL.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://127.0.0.1:1?user=hooks&password=FAKE-pw-1",
        "jdbc:postgresql://127.0.0.1:1/app/x?user=hooks&password=FAKE-pw-1",
        "jdbc:postgresql://127.0.0.1:1,?user=hooks&password=FAKE-pw-1",
        "jdbc:postgresql://hooks:FAKE-pw-1@127.0.0.1/app",
        "jdbc:postgresql://hooks:FAKE-pw-1@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:FAKE;pw-1@127.0.0.1:1/app",
        "jdbc:postgresql://FAKE-pw-1@127.0.0.1:1/app",
        "jdbc:postgresql://127.0.0.1:1/app?user=hooks&password=FAKE-pw-1%zz",
    })
    void open_postgresqlUrlThatPgJdbcWouldLog_isRefusedBeforeTheDriverSeesIt(String url) {
        try (LogCapture driverLog = LogCapture.of("org.postgresql").level(Level.ALL)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> provider.open(url, TIMEOUT, "app"));

            assertFalse(e.getMessage().contains("FAKE"), e.getMessage());
            assertFalse(e.getMessage().contains("No JDBC driver"), e.getMessage());
            assertFalse(driverLog.render().contains("FAKE"), driverLog.render());
        }
    }

    /**
     * H2 reads no user-info either: it takes {@code sa:pw@host} for its server, and its message quotes the URL up to
     * its first {@code ;}, where a password may hold one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:tcp://sa:FAKE;pw@127.0.0.1:1/~/hooks", "jdbc:h2:tcp://sa:FAKE-pw@127.0.0.1:1/~/hooks",
        "jdbc:h2:tcp://FAKE;pw@127.0.0.1:1/~/hooks;USER=sa"})
    void open_h2UrlWithAUserInfo_isRefusedWithoutIt(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.open(url, TIMEOUT, "app"));

        assertFalse(e.getMessage().contains("FAKE"), e.getMessage());
        assertFalse(e.getMessage().contains("sa:"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:h2:tcp://... has a user-info"), e.getMessage());
        // H2 takes a database's name as written: %40 would name another file.
        assertFalse(e.getMessage().contains("%40"), e.getMessage());
    }

    /**
     * Hostile user-infos and URLs PgJDBC cannot split, from a second review (helper rev32a), who found each leaking
     * before the fixes of 33a23fc and 6800fbe: a password holding a {@code /}, {@code ?} or {@code ;} read as the end of
     * the host ("No JDBC driver for jdbc:postgresql://hooks:s3cr/et@127.0.0.1:1/app ..."), PgJDBC logging the whole
     * URL at WARNING ("JDBC URL contains too many / characters: ..."), H2 quoting a part of it. Each is refused as
     * misconfigured, the password neither in the message nor in PgJDBC's log.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://hooks:s3cr/et@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3c?ret@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3c;ret@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3c/r?et@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3c/r;et@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3c/r?e=t@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:s3cret@127.0.0.1:1/app",
        "jdbc:postgresql://s3cret@127.0.0.1:1/app",
        "jdbc:h2:tcp://hooks:s3cr/et@127.0.0.1:1/mem:x",
        "jdbc:postgresql://127.0.0.1:1?user=hooks&password=s3cret",
        "jdbc:postgresql://127.0.0.1:1/app/x?user=hooks&password=s3cret",
        "jdbc:postgresql://127.0.0.1:1//app?user=hooks&password=s3cret",
        "jdbc:postgresql://hooks:5432;s3c=ret@127.0.0.1/app",
        "jdbc:postgresql://s3cret?a=b@127.0.0.1:1/app",
        "jdbc:postgresql://hooks:5432?a=s3cret@127.0.0.1:1/app",
        "jdbc:h2:tcp://s3c;ret=x@127.0.0.1:1/mem:x",
    })
    void open_hostileUserInfoOrUnsplittableUrl_isRefusedWithoutThePassword(String url) {
        String logged;
        RuntimeException e;
        try (LogCapture log = LogCapture.of("org.postgresql")) {
            e = assertThrows(RuntimeException.class, () -> provider.open(url, Duration.ofSeconds(1), "app"));
            logged = log.render();
        }
        assertTrue(e instanceof IllegalArgumentException, e.toString());
        assertFalse(e.getMessage().contains("s3c"), e.getMessage());
        assertFalse(logged.contains("s3c"), logged);
    }

    /**
     * A port that is not a number is refused by the same rule as a user-info, as hooks:pa of //hooks:pa/ss@db/app may be
     * a password's beginning: the refusal names the port too, not a user-info alone that the URL does not have.
     */
    @Test
    void open_portThatIsNoNumber_isNamedInTheRefusal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:postgresql://127.0.0.1:54x2/app", TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("or a port that is not a number"), e.getMessage());
    }

    /**
     * PgJDBC percent-decodes a database's name, and takes no URL whose name holds a % that begins no escape: the refusal
     * says how to write one, not only where the / go.
     */
    @Test
    void open_databaseNameWithABarePercent_isRefusedSayingHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:postgresql://127.0.0.1:1/100%?password=s3cret", TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("(a % as %25)"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    /**
     * PgJDBC 42.7 throws StringIndexOutOfBoundsException from {@code acceptsURL} for an empty host: it escaped open, and
     * the filter's init, which reports IllegalArgumentException and IllegalStateException as a misconfiguration.
     */
    @Test
    void open_urlTheDriverThrowsOn_isRefusedAsAUrlItCannotRead() {
        String url = "jdbc:postgresql://,/app?user=hooks&password=s3cret";
        RuntimeException e = assertThrows(RuntimeException.class, () -> provider.open(url, TIMEOUT, "app"));
        assertTrue(e instanceof IllegalArgumentException, e.toString());
        assertTrue(e.getMessage().startsWith("The JDBC driver cannot read the URL jdbc:postgresql://,/app"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    /** An {@code @} in a parameter's value is not user-info: an Azure user is written {@code user@server}. */
    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://127.0.0.1:1/app?user=hooks@server&password=p@ss",
        "jdbc:postgresql://127.0.0.1:1/app?ApplicationName=a/b@c",
        "jdbc:h2:tcp://127.0.0.1:1/mem:x;USER=hooks@server",
    })
    void open_atInAParameter_isNotTakenForUserInfo(String url) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> provider.open(url, Duration.ofSeconds(1), "app"));
        assertTrue(e.getMessage().contains("Cannot reach"), e.getMessage());
    }

    /**
     * A {@code //} after where a URL's parameters begin is in a parameter's value, not before a host: it was taken for
     * an authority, the URL refused for a user-info it does not have, and the refusal quoted the URL up to it, the
     * password before it too ("The JDBC URL jdbc:postgresql:app?PGPORT=1&password=s3cret&ApplicationName=svc://...").
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql:app?PGPORT=1&password=s3cret&ApplicationName=svc://a@b",
        "jdbc:h2:mem:x;PASSWORD=s3cret;INIT=RUNSCRIPT FROM 'http://u@127.0.0.1:1/x.sql'",
    })
    void open_slashesInAParametersValue_areNoUserInfo_andThePasswordIsNotQuoted(String url) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> provider.open(url, Duration.ofSeconds(1), "app"));
        assertFalse(e.getMessage().contains("user-info"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void open_timeoutNotPositive_isRefused(long millis) {
        assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:h2:mem:x", Duration.ofMillis(millis), "app"));
    }

    @Test
    void open_prefixTooLong_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> provider.open("jdbc:h2:mem:x", TIMEOUT, "p".repeat(JdbcStoreProvider.MAX_PREFIX_LENGTH + 1)));
    }

    @Test
    void open_h2Url_createsTheTable_andHidesThePassword() {
        String url = "jdbc:h2:mem:provider-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=h2-s3cret";
        try (WebhookStore store = provider.open(url, TIMEOUT, "app")) {
            assertTrue(store.isAvailable());
            assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), Instant.now().getEpochSecond() + 60));
            assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), Duration.ofSeconds(60)));
            assertFalse(store.toString().contains("s3cret"), store.toString());
        }
    }

    @Test
    void open_tableWhoseExpiryHasNoTimeZone_isRefused() throws Exception {
        String url = "jdbc:h2:mem:provider-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=h2-s3cret";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            s.execute(Dialect.H2.createTable.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.open(url, TIMEOUT, "app"));
            assertTrue(e.getMessage().contains("expires_at") && e.getMessage().contains("TIMESTAMP WITH TIME ZONE"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void open_h2UrlWithWrongPassword_failsWithoutIt() {
        String url = "jdbc:h2:mem:provider-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=right";
        try (WebhookStore store = provider.open(url, TIMEOUT, "app")) { // creates the database, with its password
            assertTrue(store.isAvailable());
            String wrong = url.replace("PASSWORD=right", "PASSWORD=wr0ng-s3cret");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.open(wrong, TIMEOUT, "app"));
            assertFalse(e.getMessage().contains("wr0ng-s3cret"), e.getMessage());
            assertNull(e.getCause(), "the driver's exception may repeat the URL");
            assertTrue(e.getMessage().startsWith("The webhook store at jdbc:h2:mem:provider-") && e.getMessage().contains(
                    " refuses the store's user and password: Wrong user name or password [28000-"), e.getMessage());
        }
    }

    @Test
    void open_nothingListening_failsWithinTheTimeout() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/app?user=hooks&password=pg-s3cret";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> provider.open(url, Duration.ofSeconds(1), "app"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertFalse(e.getMessage().contains("pg-s3cret"), e.getMessage());
    }

    @Nested
    class Jndi {

        private static final String NAME = "java:comp/env/jdbc/webhooks";

        @BeforeAll
        static void bind() {
            System.setProperty("java.naming.factory.initial", TestNaming.class.getName());
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:jndi-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            TestNaming.BOUND.put(NAME, h2);
            TestNaming.BOUND.put("java:comp/env/jdbc/notADataSource", "a string");
        }

        @AfterAll
        static void unbind() {
            TestNaming.BOUND.clear();
            System.clearProperty("java.naming.factory.initial");
        }

        @Test
        void open_jndiName_usesTheContainersDataSource() {
            try (WebhookStore store = provider.open(NAME, TIMEOUT, "app")) {
                assertTrue(store.isAvailable());
                assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), Duration.ofSeconds(60)));
                assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(2), Duration.ofSeconds(60)));
                assertTrue(store.toString().contains(NAME), store.toString());
            }
        }

        @Test
        void open_unboundName_saysToDeclareTheResource() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> provider.open("java:comp/env/jdbc/missing", TIMEOUT, "app"));
            assertTrue(e.getMessage().contains("<Resource>"), e.getMessage());
        }

        @Test
        void open_nameOfSomethingElse_isRefused() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> provider.open("java:comp/env/jdbc/notADataSource", TIMEOUT, "app"));
            assertTrue(e.getMessage().contains("not a javax.sql.DataSource"), e.getMessage());
        }

        @Test
        void open_dataSource_leavesItOpen() throws Exception {
            JdbcDataSource h2 = (JdbcDataSource) TestNaming.BOUND.get(NAME);
            provider.open(h2, TIMEOUT, "app").close();
            try (var c = h2.getConnection()) {
                assertTrue(c.isValid(1));
            }
        }
    }
}
