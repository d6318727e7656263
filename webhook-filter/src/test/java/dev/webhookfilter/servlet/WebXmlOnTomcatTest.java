package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.Readme;
import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter declared in a WAR's {@code web.xml} on embedded Tomcat 10.1, with what Tomcat's {@code conf/web.xml}
 * gives every application: its {@code DefaultServlet} on {@code /} and its JSP engine on {@code *.jsp} and
 * {@code *.jspx}. A valid url-pattern that covers none of the application's servlets (a typo, the context path in
 * it) left the filter guarding nothing while Tomcat started the application; now the application does not start.
 */
public class WebXmlOnTomcatTest {

    private static final String SECRET = "whsec_web_xml_on_tomcat_secret";
    private static final byte[] BODY = "{\"eventId\":\"whevt-tomcat\"}".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger HANDLER_RUNS = new AtomicInteger();

    /** The application's handler, declared in web.xml on /webhooks/*. */
    public static final class Handler extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HANDLER_RUNS.incrementAndGet();
            request.getInputStream().readAllBytes();
        }
    }

    @TempDir
    Path base;
    private Tomcat tomcat;
    private Context context;
    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

    @BeforeEach
    void resetHandler() {
        HANDLER_RUNS.set(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /**
     * A handler that goes async, as README's mapping for {@code ASYNC} dispatches has in mind: it reads the body
     * on a container thread of the async context and answers {@code bytes=N}.
     */
    public static final class AsyncHandler extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    HANDLER_RUNS.incrementAndGet();
                    int bytes = request.getInputStream().readAllBytes().length;
                    response.getWriter().write("bytes=" + bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** Deploys a WAR directory at {@code contextPath} whose web.xml maps the filter on {@code filterPattern}. */
    private void deploy(String contextPath, String filterPattern, String... files) throws Exception {
        deployWebXml(contextPath, """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <filter>
                    <filter-name>webhookSignature</filter-name>
                    <filter-class>dev.webhookfilter.servlet.WebhookSignatureFilter</filter-class>
                    <init-param>
                      <param-name>secrets</param-name>
                      <param-value>%s</param-value>
                    </init-param>
                  </filter>
                  <filter-mapping>
                    <filter-name>webhookSignature</filter-name>
                    <url-pattern>%s</url-pattern>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>handler</servlet-name>
                    <servlet-class>%s</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>handler</servlet-name>
                    <url-pattern>/webhooks/*</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(SECRET, filterPattern, Handler.class.getName()), files);
    }

    /** Deploys a WAR directory at {@code contextPath} with this {@code web.xml} and these (empty) files. */
    private void deployWebXml(String contextPath, String webXml, String... files) throws Exception {
        Path war = Files.createDirectories(base.resolve("war"));
        Files.createDirectories(war.resolve("WEB-INF"));
        Files.writeString(war.resolve("WEB-INF/web.xml"), webXml);
        for (String file : files) {
            Path path = war.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "<%-- a page --%>");
        }

        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        context = tomcat.addWebapp(contextPath, war.toString());
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false); // the test class path is no WAR's WEB-INF/lib
        context.setJarScanner(scanner);
        // As conf/web.xml declares them; the JSP engine is never loaded here (Jasper is not on this class path).
        Wrapper defaultServlet = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        defaultServlet.setOverridable(true);
        context.addServletMappingDecoded("/", "default");
        Wrapper jsp = Tomcat.addServlet(context, "jsp", "org.apache.jasper.servlet.JspServlet");
        jsp.setOverridable(true);
        context.addServletMappingDecoded("*.jsp", "jsp");
        context.addServletMappingDecoded("*.jspx", "jsp");
        tomcat.start();
    }

    private int post(String path, String signature) throws IOException {
        try (RawClient client = new RawClient(tomcat.getConnector().getLocalPort())) {
            RawRequest request = RawRequest.post(path).body(BODY).contentLength(BODY.length);
            return client.exchange(signature == null ? request : request.header("X-Webhook-Signature", signature))
                    .status();
        }
    }

    private void assertRefused(String problem) {
        String message = "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:\n" + problem;
        assertEquals(List.of(message), logs.messages(Level.SEVERE));
    }

    @Test
    void aTypoInThePatternStopsTheApplication() throws Exception {
        deploy("/app", "/webhook/*");

        assertFalse(context.getState().isAvailable(), context.getState()::toString);
        assertEquals(404, post("/app/webhooks/", null), "Tomcat maps no request to a context that failed");
        assertEquals(0, HANDLER_RUNS.get());
        assertRefused("url-pattern '/webhook/*' of its filter-mapping reaches no servlet of the application (servlets:"
                + " handler on /webhooks/*), so the filter would guard nothing; check it for a typo, and leave the context"
                + " path out of it: patterns are matched after the context path (/webhooks/*, not /app/webhooks/*, for an"
                + " application at /app)");
    }

    @Test
    void theContextPathInThePatternStopsTheApplication() throws Exception {
        deploy("/app", "/app/webhooks/*");

        assertFalse(context.getState().isAvailable(), context.getState()::toString);
        assertEquals(404, post("/app/webhooks/", null));
        assertEquals(0, HANDLER_RUNS.get());
        assertRefused("url-pattern '/app/webhooks/*' of its filter-mapping reaches no servlet of the application"
                + " (servlets: handler on /webhooks/*), so the filter would guard nothing; it begins with the context"
                + " path /app, but patterns are matched after the context path: write /webhooks/*");
    }

    @Test
    void thePatternAfterTheContextPathGuardsTheHandler() throws Exception {
        deploy("/app", "/webhooks/*");

        assertTrue(context.getState().isAvailable(), context.getState()::toString);
        assertEquals(401, post("/app/webhooks/", null));
        assertEquals(200, post("/app/webhooks/", WebhookSigner.of(SECRET).sign(BODY)));
        assertEquals(1, HANDLER_RUNS.get());
        assertEquals(List.of(), logs.messages(Level.WARNING));
    }

    /**
     * README's {@code web.xml} maps the filter for {@code ASYNC} dispatches, for a handler that goes async; the
     * filter must then say it supports async too, or Tomcat refuses {@code startAsync()} to every servlet behind
     * it (an {@code IllegalStateException}, 500).
     */
    @Test
    void readmesWebXmlLetsAnAsyncHandlerStartAsync() throws Exception {
        String section = Readme.between("\n## `web.xml`\n", "\n### Parameters\n");
        String filter = Readme.codeBlocks(section, "xml").get(0).replace("env:WEBHOOK_SECRET", SECRET);
        deployWebXml("", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                %s
                  <servlet>
                    <servlet-name>handler</servlet-name>
                    <servlet-class>%s</servlet-class>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>handler</servlet-name>
                    <url-pattern>/webhooks/*</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(filter, AsyncHandler.class.getName()));

        try (RawClient client = new RawClient(tomcat.getConnector().getLocalPort())) {
            RawResponse response = client.exchange(RawRequest.post("/webhooks/").body(BODY).contentLength(BODY.length)
                    .header("X-Webhook-Signature", WebhookSigner.of(SECRET).sign(BODY)));
            assertEquals(200, response.status(), response::text);
            assertEquals("bytes=" + BODY.length, response.text());
        }
        assertEquals(1, HANDLER_RUNS.get());
    }

    /** The JSP engine serves the WAR's JSPs, which are application code: a pattern over one guards it. */
    @Test
    void aPatternOverAJspOfTheWarStarts() throws Exception {
        deploy("", "/legacy/*", "legacy/receive.jsp", "static/logo.svg");

        // The application starts. (A request for the page gets 404 here: Tomcat answers so for a servlet it cannot
        // load, before any filter, and Jasper is not on this class path.)
        assertTrue(context.getState().isAvailable(), context.getState()::toString);
        assertEquals(List.of(), logs.messages(Level.SEVERE));
    }

    @Test
    void aPatternOverNoJspOfTheWarStopsTheApplication() throws Exception {
        deploy("", "/legacy/*", "legacy/readme.txt", "pages/receive.jsp");

        assertFalse(context.getState().isAvailable(), context.getState()::toString);
        assertRefused("url-pattern '/legacy/*' of its filter-mapping reaches no servlet of the application (servlets:"
                + " handler on /webhooks/*), so the filter would guard nothing; check it for a typo, and leave the context"
                + " path out of it: patterns are matched after the context path (/webhooks/*, not /app/webhooks/*, for an"
                + " application at /app)");
    }
}
