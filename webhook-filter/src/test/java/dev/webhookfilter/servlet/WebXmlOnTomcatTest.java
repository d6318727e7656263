package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter declared in a WAR's {@code web.xml} on embedded Tomcat 10.1, with what Tomcat's {@code conf/web.xml}
 * gives every application: its {@code DefaultServlet} on {@code /} and its JSP engine on {@code *.jsp} and
 * {@code *.jspx}. A valid url-pattern that covers none of the application's servlets (a typo, the context path in
 * it) left the filter guarding nothing while Tomcat started the application; now the application does not start.
 * {@link ErrorPages}: an error page of one endpoint in another endpoint's path.
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

    /** The filter stopped the application, and said why in one line: {@code problem}. */
    private void assertStopped(String problem) {
        assertFalse(context.getState().isAvailable(), context.getState()::toString);
        String message = "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:\n" + problem;
        assertEquals(List.of(message), logs.messages(Level.SEVERE));
    }

    /** As {@link #assertStopped}, for the application at {@code /app}, which no request then reaches. */
    private void assertAppStopped(String problem) throws IOException {
        assertStopped(problem);
        assertEquals(404, post("/app/webhooks/", null), "Tomcat maps no request to a context that failed");
        assertEquals(0, HANDLER_RUNS.get());
    }

    @Test
    void aTypoInThePatternStopsTheApplication() throws Exception {
        deploy("/app", "/webhook/*");

        assertAppStopped("url-pattern '/webhook/*' of its filter-mapping reaches no servlet of the application (servlets:"
                + " handler on /webhooks/*), so the filter would guard nothing; check it for a typo, and leave the context"
                + " path out of it: patterns are matched after the context path (/webhooks/*, not /app/webhooks/*, for an"
                + " application at /app)");
    }

    @Test
    void theContextPathInThePatternStopsTheApplication() throws Exception {
        deploy("/app", "/app/webhooks/*");

        assertAppStopped("url-pattern '/app/webhooks/*' of its filter-mapping reaches no servlet of the application"
                + " (servlets: handler on /webhooks/*), so the filter would guard nothing; it begins with the context"
                + " path /app, but patterns are matched after the context path: write /webhooks/*");
    }

    /**
     * Tomcat merges // into / and resolves . segments before it matches, and leaves path parameters out: a filter
     * on these ran on no request, and an unsigned POST sent where the pattern says reached the handler (200).
     */
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
            /webhooks//events => /webhooks//events => holds an empty segment (//): Tomcat merges a request's // into one / before it matches (Jetty refuses the request), so the filter would guard nothing, and a servlet mapped otherwise would serve the request unverified on Tomcat; write a single /
            /webhooks/./events => /webhooks/./events => holds a . or .. segment: containers resolve those in a request's path before they match, so the filter would guard nothing, and a servlet mapped otherwise would serve the request unverified; write the path they resolve to
            /webhooks/events;v=1 => /webhooks/events;v=1 => holds a ';': containers match a request's path without its path parameters (what follows a ';' in a segment), so the filter would guard nothing, and a servlet mapped otherwise would serve the request unverified; leave the parameters out
            """)
    void aPatternTomcatMatchesNoRequestToStopsTheApplication(String pattern, String target, String reason)
            throws Exception {
        deploy("/app", pattern);

        assertEquals(404, post("/app" + target, null), "an unsigned POST reached the handler");
        assertEquals(0, HANDLER_RUNS.get());
        assertStopped("url-pattern '" + pattern + "' of its filter-mapping " + reason);
    }

    /**
     * A no-break space after the path, as copied from a web page: Tomcat trims a url-pattern's spaces and tabs, not
     * this. The filter guarded only the path with it, and an unsigned POST to the path meant reached the handler (200).
     */
    @Test
    void aPatternWithAnInvisibleCharacterStopsTheApplication() throws Exception {
        deploy("/app", "/webhooks/payments\u00a0");

        assertEquals(404, post("/app/webhooks/payments", null), "an unsigned POST reached the handler");
        assertEquals(0, HANDLER_RUNS.get());
        assertStopped("url-pattern '/webhooks/payments\u00a0' of its filter-mapping holds an invisible character, U+00A0"
                + " (one that shows as nothing or as a space): no sender's path holds one, so it is taken for a copying"
                + " slip; the filter would guard only the path with it, and a servlet mapped on the path without it"
                + " would serve those requests unverified; delete it");
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

        assertStopped("url-pattern '/legacy/*' of its filter-mapping reaches no servlet of the application (servlets:"
                + " handler on /webhooks/*), so the filter would guard nothing; check it for a typo, and leave the context"
                + " path out of it: patterns are matched after the context path (/webhooks/*, not /app/webhooks/*, for an"
                + " application at /app)");
    }

    /**
     * Error pages in a webhook path. Tomcat dispatches its own request to an error page, not the filter's wrapper;
     * the filter of the error page's path knows from the request's attributes who verified it, and checks again one
     * that another endpoint's filter verified, against its own secret, from the bytes that filter read.
     */
    @Nested
    class ErrorPages {

        /** How {@link Failing} fails: {@code sendError}, {@code throw}, or {@code timeout} of an async request. */
        static volatile String failure;
        static final AtomicInteger PAGE_RUNS = new AtomicInteger();
        static volatile byte[] pageBody;

        /** Endpoint a's handler: reads the body to its end, then fails as {@link #failure} says. */
        public static final class Failing extends HttpServlet {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                HANDLER_RUNS.incrementAndGet();
                request.getInputStream().readAllBytes();
                if (failure.equals("throw")) {
                    throw new IllegalStateException("the application failed");
                }
                if (failure.equals("timeout")) {
                    request.startAsync().setTimeout(100);
                    return;
                }
                response.sendError(500);
            }
        }

        /** Outside the filters' paths: sets the timestamp attribute, as anyone may, and fails. */
        public static final class Pretender extends HttpServlet {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.setAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, 1L);
                response.sendError(500);
            }
        }

        /** The error page: counts its runs and keeps the body it read. */
        public static final class Page extends HttpServlet {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                PAGE_RUNS.incrementAndGet();
                pageBody = request.getInputStream().readAllBytes();
                response.getWriter().write("the error page");
            }
        }

        @BeforeEach
        void reset() {
            PAGE_RUNS.set(0);
            pageBody = null;
        }

        /**
         * Endpoint a on /a/* (secret {@code secretA}, handler {@link Failing}); endpoint b on /b/* (secret
         * {@code secretB}, handler {@link Page}), where the error page for 500 is; both filters mapped as README's;
         * {@link Pretender} on /public/*.
         */
        private void deployTwoEndpoints(String secretA, String secretB, String errorPage) throws Exception {
            deployWebXml("", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                    %s
                    %s
                      <servlet>
                        <servlet-name>a</servlet-name><servlet-class>%s</servlet-class><async-supported>true</async-supported>
                      </servlet>
                      <servlet-mapping><servlet-name>a</servlet-name><url-pattern>/a/*</url-pattern></servlet-mapping>
                      <servlet><servlet-name>page</servlet-name><servlet-class>%s</servlet-class></servlet>
                      <servlet-mapping><servlet-name>page</servlet-name><url-pattern>/b/*</url-pattern></servlet-mapping>
                      <servlet-mapping><servlet-name>page</servlet-name><url-pattern>/a/error</url-pattern></servlet-mapping>
                      <servlet><servlet-name>pretender</servlet-name><servlet-class>%s</servlet-class></servlet>
                      <servlet-mapping><servlet-name>pretender</servlet-name><url-pattern>/public/*</url-pattern></servlet-mapping>
                      <error-page><error-code>500</error-code><location>%s</location></error-page>
                    </web-app>
                    """.formatted(filter("a", secretA, "/a/*"), filter("b", secretB, "/b/*"), Failing.class.getName(),
                    Page.class.getName(), Pretender.class.getName(), errorPage));
        }

        /** README's filter and mapping, for {@code name} on {@code pattern}. */
        private String filter(String name, String secret, String pattern) {
            String section = Readme.between("\n## `web.xml`\n", "\n### Parameters\n");
            return Readme.codeBlocks(section, "xml").get(0).replace("webhookSignature", name)
                    .replace("env:WEBHOOK_SECRET", secret).replace("/webhooks/*", pattern);
        }

        private RawResponse postToA(String secret) throws IOException {
            try (RawClient client = new RawClient(tomcat.getConnector().getLocalPort())) {
                return client.exchange(RawRequest.post("/a/x").body(BODY).contentLength(BODY.length)
                        .header("X-Webhook-Signature", WebhookSigner.of(secret).sign(BODY)));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"sendError", "throw", "timeout"})
        void anErrorPageInAnotherEndpointIsCheckedAgainstThatEndpointsSecret(String how) throws Exception {
            failure = how;
            deployTwoEndpoints(SECRET, "another endpoint's secret", "/b/error");

            RawResponse response = postToA(SECRET);
            assertEquals(1, HANDLER_RUNS.get());
            assertEquals(0, PAGE_RUNS.get(), "b's handler ran on a message b's sender did not sign");
            assertEquals(500, response.status(), response::text);
            assertEquals("", response.text(), "neither the page nor a rejection");
        }

        @ParameterizedTest
        @ValueSource(strings = {"sendError", "throw", "timeout"})
        void anErrorPageInAnotherEndpointOfTheSameSecretRunsWithTheWholeBody(String how) throws Exception {
            failure = how;
            deployTwoEndpoints(SECRET, SECRET, "/b/error");

            RawResponse response = postToA(SECRET);
            assertEquals(1, PAGE_RUNS.get());
            assertArrayEquals(BODY, pageBody, "a's handler read the body to its end before it failed");
            assertEquals(500, response.status());
            assertEquals("the error page", response.text());
        }

        /** The timestamp attribute alone proves nothing: b's filter verifies the request as if it were new. */
        @Test
        void theTimestampAttributeWithoutTheFiltersRecordIsVerifiedAfresh() throws Exception {
            deployTwoEndpoints(SECRET, SECRET, "/b/error");

            try (RawClient client = new RawClient(tomcat.getConnector().getLocalPort())) {
                RawResponse response = client.exchange(RawRequest.post("/public/x").body(BODY)
                        .contentLength(BODY.length).header("X-Webhook-Signature", "t=1,v1=forged"));
                assertEquals(0, PAGE_RUNS.get(), "b's handler ran on a request nobody verified");
                assertEquals(500, response.status());
            }
        }

        @Test
        void anErrorPageInTheSameEndpointPassesAsVerified() throws Exception {
            failure = "sendError";
            deployTwoEndpoints(SECRET, "another endpoint's secret", "/a/error");

            RawResponse response = postToA(SECRET);
            assertEquals(1, PAGE_RUNS.get());
            assertArrayEquals(new byte[0], pageBody, "the container's own request: a's handler read its stream");
            assertEquals("the error page", response.text());
        }
    }

    /**
     * An async request that times out, on Tomcat, with replay protection: judged once it completes, by the status
     * the sender gets. Unanswered, Tomcat answers 500 and the message is forgotten, so the sender's retry runs the
     * handler; answered 202 by the application's own listener, it is remembered, and a copy sent again is a replay.
     */
    @Nested
    class AsyncTimeouts {

        /** What {@link TimingOut} answers when its async request times out, or {@code null} to leave it unanswered. */
        static volatile Integer answer;

        /** Reads the body, starts async mode and lets it time out after 100 ms, answering {@link #answer} then. */
        public static final class TimingOut extends HttpServlet {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                HANDLER_RUNS.incrementAndGet();
                request.getInputStream().readAllBytes();
                Integer status = answer;
                if (status == null) {
                    request.startAsync().setTimeout(100);
                } else {
                    AnswerAtTimeout.start(request, response, status);
                }
            }
        }

        /** README's filter with {@code replayProtection=true}, in front of {@link TimingOut}. */
        private void deployWithReplayProtection() throws Exception {
            String section = Readme.between("\n## `web.xml`\n", "\n### Parameters\n");
            String filter = Readme.codeBlocks(section, "xml").get(0).replace("env:WEBHOOK_SECRET", SECRET)
                    .replace("</filter>", "  <init-param><param-name>replayProtection</param-name>"
                            + "<param-value>true</param-value></init-param>\n</filter>");
            deployWebXml("", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                    %s
                      <servlet>
                        <servlet-name>handler</servlet-name><servlet-class>%s</servlet-class>
                        <async-supported>true</async-supported>
                      </servlet>
                      <servlet-mapping><servlet-name>handler</servlet-name><url-pattern>/webhooks/*</url-pattern></servlet-mapping>
                    </web-app>
                    """.formatted(filter, TimingOut.class.getName()));
        }

        @Test
        void unansweredIsForgottenSoTheRetryRuns() throws Exception {
            answer = null;
            deployWithReplayProtection();
            String signature = WebhookSigner.of(SECRET).sign(BODY);

            assertEquals(500, post("/webhooks/", signature));
            // Tomcat may send its 500 before it runs onComplete, where the filter forgets the message: a retry sent
            // at once can still meet the record (401); no sender retries that soon. Within 5 s it must run again.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int retry;
            do {
                retry = post("/webhooks/", signature);
            } while (retry == 401 && System.nanoTime() < deadline);
            assertEquals(500, retry, "the retry ran the handler, which timed out again");
            assertEquals(2, HANDLER_RUNS.get());
        }

        @Test
        void answeredWith202IsRemembered() throws Exception {
            answer = 202;
            deployWithReplayProtection();
            String signature = WebhookSigner.of(SECRET).sign(BODY);

            assertEquals(202, post("/webhooks/", signature));
            assertEquals(401, post("/webhooks/", signature), "a copy sent again");
            assertEquals(1, HANDLER_RUNS.get());
        }
    }

    /**
     * A handler that throws once its answer is written, with replayProtection and de-duplication: Tomcat 10.1 says a
     * response is committed once its Content-Length is written in full, the bytes still in its buffer, and on the
     * exception sent 500 instead. The filter had judged the 200 it was told was committed: the message stayed recorded
     * and its id done, so the sender's retry of that 500 was answered as a duplicate, and the handler never ran again.
     */
    @Nested
    class AnExceptionAfterTheAnswer {

        /** Reads the body, answers 200 with its Content-Length written in full, then throws. */
        public static final class AnswersThenThrows extends HttpServlet {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                HANDLER_RUNS.incrementAndGet();
                request.getInputStream().readAllBytes();
                response.setContentLength(2);
                response.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                throw new IllegalStateException("the application failed after answering");
            }
        }

        private RawResponse deliver(String id, long t) throws IOException {
            try (RawClient client = new RawClient(tomcat.getConnector().getLocalPort())) {
                return client.exchange(RawRequest.post("/webhooks/").body(BODY).contentLength(BODY.length)
                        .header("X-Webhook-Signature", WebhookSigner.of(SECRET).sign(BODY, t)).header("Webhook-Id", id));
            }
        }

        @Test
        void theSenderGetsTheAnswerTheFilterJudged() throws Exception {
            deployWebXml("", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                      <filter>
                        <filter-name>webhookSignature</filter-name>
                        <filter-class>dev.webhookfilter.servlet.WebhookSignatureFilter</filter-class>
                        <init-param><param-name>secrets</param-name><param-value>%s</param-value></init-param>
                        <init-param><param-name>replayProtection</param-name><param-value>true</param-value></init-param>
                        <init-param><param-name>deduplicate</param-name><param-value>true</param-value></init-param>
                        <init-param><param-name>idHeader</param-name><param-value>Webhook-Id</param-value></init-param>
                      </filter>
                      <filter-mapping><filter-name>webhookSignature</filter-name><url-pattern>/webhooks/*</url-pattern></filter-mapping>
                      <servlet><servlet-name>handler</servlet-name><servlet-class>%s</servlet-class></servlet>
                      <servlet-mapping><servlet-name>handler</servlet-name><url-pattern>/webhooks/*</url-pattern></servlet-mapping>
                    </web-app>
                    """.formatted(SECRET, AnswersThenThrows.class.getName()));
            long now = java.time.Instant.now().getEpochSecond();

            RawResponse first = deliver("msg_1", now);
            assertEquals(200, first.status(), first::text);
            assertEquals("ok", first.text());
            // The filter flushes the 200 before it marks the id done: a retry sent at once may find it still claimed (409,
            // which runs nothing), for the milliseconds until the first request's thread gets there.
            RawResponse retry = deliver("msg_1", now + 1);
            for (int i = 0; retry.status() == 409 && i < 100; i++) {
                Thread.sleep(50);
                retry = deliver("msg_1", now + 1);
            }
            assertEquals("true", retry.header("Webhook-Duplicate").orElse(null), retry::text);
            assertEquals(401, deliver("msg_2", now).status(), "a copy of the first under another id");
            assertEquals(1, HANDLER_RUNS.get());
        }
    }
}
