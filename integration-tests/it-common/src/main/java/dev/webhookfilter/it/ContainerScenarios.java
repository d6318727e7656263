package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts a container with the example WAR once per test class and checks after every test that
 * it answered no request with 5xx and logged no warning or error. The WAR is the one the reactor
 * built, copied by maven-dependency-plugin; failsafe passes its path as {@code it.war}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContainerScenarios {

    private static final AtomicInteger PATHS = new AtomicInteger();

    private final Container container;
    /** The running container; set before the first test. */
    protected DeployedApp app;
    private int exchangeMark;
    private int logMark;
    private List<String> startupLog = List.of();
    /**
     * The paths of the streams on connections whose framing Tomcat lost ({@link #overHttp2}): Tomcat may log them 400
     * or 500, for what it made of bytes the client did not send.
     */
    private final Set<String> framingLost = ConcurrentHashMap.newKeySet();

    protected ContainerScenarios(Container container) {
        this.container = container;
    }

    /** The connector's idle timeout for this class; a class about slow clients shortens it. */
    protected Duration idleTimeout() {
        return Container.DEFAULT_IDLE_TIMEOUT;
    }

    /** Whether the connector also speaks HTTP/2 cleartext (h2c, prior knowledge); HTTP/1.1 only by default. */
    protected boolean h2c() {
        return false;
    }

    /** The certificate of a second connector that speaks TLS ({@link Container#start}); none by default. */
    protected TestCertificate tls() throws Exception {
        return null;
    }

    /** The contexts this class adds beside the WAR and the probe; none by default. */
    protected List<? extends AddedContext> probeContexts() {
        return List.of();
    }

    /** The copies of the WAR this class deploys beside it, each configured otherwise; none by default. */
    protected List<RedeployedWar> redeployedWars(Path war) throws IOException {
        return List.of();
    }

    /**
     * Whether a response with status 5xx is what this class's scenario expects (a 503 that asks
     * the sender to retry later); by default none is.
     */
    protected boolean isExpectedServerError(Exchange exchange) {
        return false;
    }

    @BeforeAll
    final void startContainer() throws Exception {
        ServerLog.install();
        String war = System.getProperty("it.war");
        if (war == null || !Files.isRegularFile(Path.of(war))) {
            throw new IllegalStateException("no WAR at it.war=" + war + ": run the ITs through Maven"
                    + " (mvn -B verify), which copies the reactor's example-war there");
        }
        int mark = ServerLog.size();
        app = container.start(Path.of(war), idleTimeout(), h2c(), tls(), probeContexts(), redeployedWars(Path.of(war)));
        startupLog = ServerLog.since(mark);
    }

    /** The warnings and errors logged while the container started, as {@link ServerLog#since} gives them. */
    protected final List<String> startupLog() {
        return startupLog;
    }

    @AfterAll
    final void stopContainer() throws Exception {
        if (app == null) {
            return;
        }
        app.close();
        // Requests the container finished after their test ended (an aborted one, say) count too.
        assertEquals(List.of(), serverErrors(app.exchanges()), "responses with status 5xx");
    }

    @BeforeEach
    final void markTestStart() {
        exchangeMark = app.exchanges().size();
        logMark = ServerLog.size();
    }

    @AfterEach
    final void containerStayedHealthy() {
        List<Exchange> exchanges = app.exchanges();
        assertEquals(List.of(), serverErrors(exchanges.subList(exchangeMark, exchanges.size())),
                "responses with status 5xx during this test");
        assertEquals(List.of(), ServerLog.since(logMark), "warnings and errors logged during this test");
    }

    /** A new connection to the container. */
    protected final RawConnection connect() throws IOException {
        return RawConnection.open(app.port());
    }

    /**
     * Runs {@code step} on a new HTTP/2 connection from {@code open}, closed after it, once more on another where
     * Tomcat lost the framing of the first as it started ({@link H2cConnection#againIfTomcatLostFraming}, which says
     * what is matched); the paths of the first connection's streams may then be logged 5xx, which is not counted.
     */
    protected final <T> T overHttp2(H2cConnection.Opener open, H2cConnection.Step<T> step) throws Exception {
        return H2cConnection.againIfTomcatLostFraming(app.serverInfo().startsWith("Apache Tomcat"), open, step,
                (seen, paths) -> {
                    framingLost.addAll(paths);
                    System.out.println(app.serverInfo() + ": the container lost the framing of the HTTP/2 connection"
                            + " of " + paths + " (" + seen + "): done again on a new connection");
                });
    }

    /** How many events the WAR's handler has received. */
    protected final long eventsTotal() {
        return Webhooks.eventsTotal(app.port());
    }

    /** Sends {@code request} on a new connection; asserts that the handler received exactly {@code body}, once. */
    protected final void assertDeliveredOnce(RawRequest request, byte[] body) throws IOException {
        long before = eventsTotal();
        try (RawConnection connection = connect()) {
            Webhooks.assertDelivered(body, connection.exchange(request));
        }
        assertEquals(before + 1, eventsTotal(), "events delivered to the handler");
    }

    /** Runs what a client does, then asserts that meanwhile the handler received no event. */
    protected final void assertHandlerNotRun(ClientAction action) throws Exception {
        assertHandlerReceives(0, "none", action);
    }

    /**
     * Runs what a client does, then asserts that meanwhile the handler received {@code events} events;
     * {@code which} says which ones, for the failure message ("the genuine one only").
     */
    protected final void assertHandlerReceives(long events, String which, ClientAction action) throws Exception {
        long before = eventsTotal();
        action.run();
        assertEquals(before + events, eventsTotal(), "events delivered to the handler: " + which);
    }

    /** What a test's client does against the container. */
    @FunctionalInterface
    protected interface ClientAction {
        void run() throws Exception;
    }

    /** A path under {@code /webhooks/} that no other request in this JVM uses, to find its log entry. */
    protected static String uniquePath(String label) {
        return "/webhooks/" + label + "-" + PATHS.incrementAndGet();
    }

    /**
     * Waits until the container has logged a finished request for {@code uri}: after a client
     * vanished, that is how a test knows the server is done with the request.
     */
    protected final Exchange awaitExchange(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (Exchange exchange : app.exchanges()) {
                if (uri.equals(exchange.uri())) {
                    return exchange;
                }
            }
            Thread.sleep(20);
        }
        return fail("the container logged no finished request for " + uri);
    }

    /**
     * Waits until the filter has read {@code bytes} of the body of the request to {@code uri}, which is in flight
     * (path as sent, under {@link ProbeContext#COUNTED_PATTERN} of a {@link ProbeContext}); fails once the request has
     * ended short of that, or after 30 s, saying what the container logged for it and what the filter noted.
     */
    protected final void awaitBodyBytesRead(String uri, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProbeContext.bodyBytesRead(uri) < bytes) {
            if (System.nanoTime() > deadline || !ProbeContext.rejections(uri, 0).isEmpty()) {
                fail("the filter read " + ProbeContext.bodyBytesRead(uri) + " bytes of " + uri + ", not " + bytes
                        + "; the container logged " + app.exchanges().stream().filter(e -> uri.equals(e.uri())).toList()
                        + ", the filter noted " + ProbeContext.rejections(uri, 0));
            }
            Thread.sleep(10);
        }
    }

    private List<Exchange> serverErrors(List<Exchange> exchanges) {
        return exchanges.stream()
                .filter(e -> e.status() >= 500 && !isExpectedServerError(e) && !framingLost.contains(e.uri())).toList();
    }
}
