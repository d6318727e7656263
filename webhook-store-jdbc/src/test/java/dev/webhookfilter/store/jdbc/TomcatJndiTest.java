package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookStore;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store opened by its JNDI name inside a web application, as a WAR on Tomcat does: embedded
 * Tomcat with naming on, a {@code <Resource>} for PostgreSQL's own DataSource, and a servlet that opens
 * {@code java:comp/env/jdbc/webhooks} at init and claims keys over HTTP on loopback.
 */
class TomcatJndiTest {

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private static Tomcat tomcat;
    private static Path base;
    private static String initialFactory;
    private static String urlPackages;

    /** Opens the store by its JNDI name when Tomcat starts it; claims ?id= with ?token=. */
    public static final class ClaimServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private transient WebhookStore store;

        @Override
        public void init() throws ServletException {
            store = new JdbcStoreProvider().open("java:comp/env/jdbc/webhooks", Duration.ofSeconds(2), "tomcat");
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int t = Integer.parseInt(req.getParameter("token"));
            resp.setContentType("text/plain");
            resp.getWriter().print(store.claim(key(req.getParameter("id")), token(t), Duration.ofSeconds(60)));
        }

        @Override
        public void destroy() {
            store.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        initialFactory = System.getProperty("java.naming.factory.initial");
        urlPackages = System.getProperty("java.naming.factory.url.pkgs");
        base = Files.createTempDirectory("webhook-store-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.enableNaming();
        Context context = tomcat.addContext("", base.toString());

        // What <Resource name="jdbc/webhooks" type="org.postgresql.ds.PGSimpleDataSource" factory=... .../> declares.
        ContextResource resource = new ContextResource();
        resource.setName("jdbc/webhooks");
        resource.setType("org.postgresql.ds.PGSimpleDataSource");
        resource.setAuth("Container");
        resource.setProperty("factory", "org.postgresql.ds.common.PGObjectFactory");
        resource.setProperty("serverName", "127.0.0.1");
        resource.setProperty("portNumber", Integer.toString(POSTGRES.server().port()));
        resource.setProperty("databaseName", "postgres");
        resource.setProperty("user", PostgresServer.USER);
        resource.setProperty("password", PostgresServer.PASSWORD);
        context.getNamingResources().addResource(resource);

        org.apache.catalina.Wrapper claim = Tomcat.addServlet(context, "claim", new ClaimServlet());
        claim.setLoadOnStartup(1);
        claim.addMapping("/claim");
        tomcat.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            restore("java.naming.factory.initial", initialFactory);
            restore("java.naming.factory.url.pkgs", urlPackages);
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static String get(String pathAndQuery) throws IOException {
        int port = tomcat.getConnector().getLocalPort();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + pathAndQuery).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            assertEquals(200, c.getResponseCode());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void webApplication_opensTheStoreByItsJndiName() throws IOException {
        assertEquals("FIRST", get("/claim?id=evt-1&token=1"));
        assertEquals("IN_PROGRESS", get("/claim?id=evt-1&token=2"));
        assertEquals("FIRST", get("/claim?id=evt-2&token=3"));
    }
}
