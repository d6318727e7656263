package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two application instances, A and B (two embedded Jetty servers, each with its own filter and its own
 * store, that is its own connection pool), behind an imagined load balancer, sharing one PostgreSQL.
 * The events are signed with {@link WebhookSigner} at send time; what is under test is that the shared
 * store refuses across instances what one instance's memory could not.
 */
class TwoInstancesTest {

    private static final String SECRET = "whsec-two-instances-" + UUID.randomUUID();
    private static final String PATH = "/webhooks";

    private static PostgresServer server;
    private static Instance a;
    private static Instance b;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** An application instance: Jetty, the filter with a verifier on its own JDBC store, a handler that counts runs. */
    static final class Instance implements AutoCloseable {
        final Server jetty = new Server();
        final JdbcStore store;
        final Map<String, AtomicInteger> runs;
        int port;

        Instance(String name, Map<String, AtomicInteger> runs) throws Exception {
            this.runs = runs;
            store = PostgresStoreTest.open(server, "two-instances", Clock.systemUTC(), Duration.ofSeconds(2), 8);
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).replayGuard(store).build();
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addFilter(new FilterHolder(WebhookSignatureFilter.builder().verifier(verifier).build()), PATH, null);
            context.addServlet(new ServletHolder(name, new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String event = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    runs.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
                    resp.setStatus(event.startsWith("fail-once") && runs.get(event).get() == 1 ? 500 : 200);
                }
            }), PATH);
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            jetty.setHandler(context);
            jetty.start();
            port = connector.getLocalPort();
        }

        int post(String signature, String body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                    .header("X-Webhook-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void close() throws Exception {
            jetty.stop();
            store.close();
        }
    }

    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.startOrSkip();
        a = new Instance("a", RUNS);
        b = new Instance("b", RUNS);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static int runs(String event) {
        AtomicInteger n = RUNS.get(event);
        return n == null ? 0 : n.get();
    }

    @Test
    void acceptedByA_replayedToB_isRefused() throws Exception {
        String event = "evt-" + UUID.randomUUID();
        String signature = WebhookSigner.of(SECRET).sign(event.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, a.post(signature, event));
        assertEquals(401, b.post(signature, event), "the replay to the other instance");
        assertEquals(401, a.post(signature, event), "and to the same one");
        assertEquals(1, runs(event));
    }

    @Test
    void handlerFailedOnA_senderRetryOnB_runsAgain() throws Exception {
        String event = "fail-once-" + UUID.randomUUID();
        String signature = WebhookSigner.of(SECRET).sign(event.getBytes(StandardCharsets.UTF_8));
        assertEquals(500, a.post(signature, event));
        assertEquals(200, b.post(signature, event), "A forgot it in the shared store, so B takes the retry");
        assertEquals(401, a.post(signature, event));
        assertEquals(2, runs(event));
    }

    @Test
    void sameRequestToBothAtTheSameMoment_runsTheHandlerOnce() throws Exception {
        int rounds = 50;
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<String> events = new ArrayList<>();
            List<String> signatures = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                String event = "race-" + r + "-" + UUID.randomUUID();
                events.add(event);
                signatures.add(WebhookSigner.of(SECRET).sign(event.getBytes(StandardCharsets.UTF_8)));
            }
            List<Future<List<Integer>>> sides = new ArrayList<>();
            for (Instance instance : new Instance[] {a, b}) {
                sides.add(two.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        barrier.await(30, TimeUnit.SECONDS);
                        statuses.add(instance.post(signatures.get(r), events.get(r)));
                    }
                    return statuses;
                }));
            }
            List<Integer> fromA = sides.get(0).get(120, TimeUnit.SECONDS);
            List<Integer> fromB = sides.get(1).get(120, TimeUnit.SECONDS);
            for (int r = 0; r < rounds; r++) {
                List<Integer> both = List.of(fromA.get(r), fromB.get(r));
                assertTrue(both.contains(200) && both.contains(401), "round " + r + ": " + both);
                assertEquals(1, runs(events.get(r)), "round " + r);
            }
        } finally {
            two.shutdownNow();
        }
    }
}
