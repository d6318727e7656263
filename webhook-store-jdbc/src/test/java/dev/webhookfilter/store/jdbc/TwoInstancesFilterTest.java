package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two application instances configured as a user would, with init-params only: {@code store} naming
 * one PostgreSQL (found through {@code ServiceLoader}), {@code replayProtection} and {@code deduplicate}
 * on {@code webhook-id}. Each instance is an embedded Jetty with its own filter, so its own store and
 * pool. The handler counts its runs per message id.
 */
class TwoInstancesFilterTest {

    private static final String SECRET = "whsec-filter-instances-" + UUID.randomUUID();
    private static final String FILTER_NAME = "webhooks";
    private static final String PATH = "/webhooks";
    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private static Instance a;
    private static Instance b;

    /** One application instance: Jetty, the filter from init-params, a handler that counts runs per id. */
    static final class Instance implements AutoCloseable {
        final Server jetty = new Server();
        final int port;
        final RawClient client;

        Instance(String name) throws Exception {
            this(name, 300);
        }

        Instance(String name, int toleranceSeconds) throws Exception {
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            FilterHolder filter = new FilterHolder(WebhookSignatureFilter.class);
            filter.setName(FILTER_NAME);
            filter.setInitParameter("secrets", SECRET);
            filter.setInitParameter("toleranceSeconds", Integer.toString(toleranceSeconds));
            filter.setInitParameter("replayProtection", "true");
            filter.setInitParameter("deduplicate", "true");
            filter.setInitParameter("idHeader", "webhook-id");
            filter.setInitParameter("leaseSeconds", "60");
            filter.setInitParameter("store", POSTGRES.server().url());
            filter.setInitParameter("storeTimeoutMillis", "2000");
            context.addFilter(filter, PATH, null);
            context.addServlet(new ServletHolder(name, new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String id = req.getHeader("webhook-id");
                    int run = RUNS.computeIfAbsent(id, e -> new AtomicInteger()).incrementAndGet();
                    try {
                        Thread.sleep(5); // a handler takes a moment, so that concurrent duplicates overlap
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    resp.setStatus(id.startsWith("fail-once") && run == 1 ? 500 : 200);
                }
            }), PATH);
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            jetty.setHandler(context);
            jetty.start();
            port = connector.getLocalPort();
            client = new RawClient(port);
        }

        /** Posts {@code body} with id {@code id}, signed afresh at {@code timestamp}, as a sender's (re)delivery. */
        RawResponse deliver(String id, String body, long timestamp) throws IOException {
            String signature = WebhookSigner.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8), timestamp);
            return post(id, body, signature);
        }

        RawResponse post(String id, String body, String signature) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return client.exchange(RawRequest.post(PATH).header("X-Webhook-Signature", signature)
                    .header("webhook-id", id).body(bytes).contentLength(bytes.length));
        }

        @Override
        public void close() throws Exception {
            client.close();
            jetty.stop();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        a = new Instance("a");
        b = new Instance("b");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static int runs(String id) {
        AtomicInteger n = RUNS.get(id);
        return n == null ? 0 : n.get();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    @Test
    void acceptedByA_replayedToB_isRefused() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        String signature = WebhookSigner.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, a.post(id, body, signature).status());
        assertEquals(401, b.post(id, body, signature).status(), "the same signed request replayed to B");
        assertEquals(1, runs(id));
    }

    /**
     * An instance whose {@code toleranceSeconds} is longer (600 s, while it rolls out) takes a message for fresh after
     * the last fresh second of A's record (300 s): the record is kept five minutes past that second, as on Redis, so the
     * replay is still refused. The row was taken over at once, and the replay passed (answered as a duplicate here).
     */
    @Test
    void acceptedByA_replayedToAnInstanceWithALongerTolerance_isRefused() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        long t = now() - 299; // A's last fresh second is t + 300, a second from now
        String signature = WebhookSigner.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8), t);
        assertEquals(200, a.post(id, body, signature).status());
        try (Instance longer = new Instance("longer", 600)) {
            while (now() <= t + 301) {
                StoreContract.pause(200); // until A's record has expired by every clock
            }
            RawResponse replay = longer.post(id, body, signature);
            assertEquals(401, replay.status(), replay::text);
        }
        assertEquals(1, runs(id));
    }

    /**
     * B answers the sender's re-signed retry of what A processed as a duplicate; a captured copy of that retry, sent to A under another id
     * (the default scheme signs none), is a replay. Before the filter kept a duplicate's message, it ran the handler a
     * second time for one event (as {@code TwoInstancesRedisTest} shows on Redis).
     */
    @Test
    void processedByA_redeliveredToB_isADuplicate_andACopyOfThatRetryUnderAnotherId_isAReplay() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        long t = now();
        assertEquals(200, a.deliver(id, body, t).status());
        RawResponse duplicate = b.deliver(id, body, t - 1); // re-signed, so not a replay
        assertEquals(200, duplicate.status());
        assertEquals("true", duplicate.header(WebhookSignatureFilter.DUPLICATE_HEADER).orElse(null), duplicate.text());
        String another = "msg_" + UUID.randomUUID();
        RawResponse copy = a.deliver(another, body, t - 1);
        assertEquals(401, copy.status(), copy.text());
        assertEquals(1, runs(id) + runs(another));
    }

    @Test
    void handlerFailedOnA_retryOnB_runsAgain() throws Exception {
        String id = "fail-once-" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        long t = now();
        assertEquals(500, a.deliver(id, body, t).status());
        assertEquals(200, b.deliver(id, body, t - 1).status(), "A released its claim");
        assertEquals(2, runs(id));
        assertEquals("true", a.deliver(id, body, t - 2)
                .header(WebhookSignatureFilter.DUPLICATE_HEADER).orElse(null));
    }

    @Test
    void instanceDiedMidRequest_retryAfterTheLease_runs() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        // An instance that claimed the id, with its filter's prefix and key, then died: never completed.
        try (JdbcStore dead = PostgresStoreTest.open(POSTGRES.server(), "webhook-filter:", java.time.Clock.systemUTC(),
                Duration.ofSeconds(2), 1)) {
            assertEquals(Deduplicator.Claim.FIRST,
                    dead.claim(Deduplicator.key(FILTER_NAME, id), StoreContract.token(1), Duration.ofSeconds(1)));
        }
        long t = now();
        assertEquals(409, b.deliver(id, body, t).status(), "the dead instance's claim holds for its lease");
        assertEquals(0, runs(id));
        StoreContract.pause(1200);
        assertEquals(200, b.deliver(id, body, t - 1).status(), "the lease lapsed: the retry runs");
        assertEquals(1, runs(id));
    }

    @Test
    void databaseStopped_bothInstancesAnswer503_andRecoverWhenItIsBack() throws Exception {
        String id = "outage-" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        long t = now();
        POSTGRES.server().stop();
        try {
            for (Instance instance : new Instance[] {a, b}) {
                long start = System.nanoTime();
                RawResponse refused = instance.deliver(id, body, t);
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(503, refused.status());
                assertTrue(refused.header("Retry-After").isPresent());
                assertTrue(took < 2000 + 4000, "answered in " + took + " ms");
            }
            assertEquals(0, runs(id), "no handler run without a claim");
        } finally {
            POSTGRES.server().start();
        }
        // No restart of either application: its store reconnects by itself.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status;
        long timestamp = t;
        do {
            status = a.deliver(id, body, --timestamp).status();
        } while (status == 503 && System.nanoTime() < until);
        assertEquals(200, status);
        assertEquals(1, runs(id));
        RawResponse again = b.deliver(id, body, --timestamp);
        assertEquals("true", again.header(WebhookSignatureFilter.DUPLICATE_HEADER).orElse(null));
        assertEquals(1, runs(id));
    }

    @Test
    void handlerFailedOnA_theSameSignedRequestOnB_runsAgain() throws Exception {
        String id = "fail-once-" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\"}";
        String signature = WebhookSigner.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(500, a.post(id, body, signature).status());
        assertEquals(200, b.post(id, body, signature).status(), "A forgot the signed message and released the id");
        assertEquals(401, a.post(id, body, signature).status(), "now it is a replay");
        assertEquals(2, runs(id));
    }

    /** The same signed request to both instances: one records it and runs, the other is refused as a replay. */
    @Test
    void theSameSignedRequestToBothAtTheSameMoment_runsTheHandlerOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        String[] signatures = new String[50];
        for (int r = 0; r < signatures.length; r++) {
            signatures[r] = WebhookSigner.of(SECRET).sign(body(run, r).getBytes(StandardCharsets.UTF_8));
        }
        List<List<Integer>> rounds = atTheSameMoment(signatures.length,
                (instance, r) -> instance.post("replay-" + run + "-" + r, body(run, r), signatures[r]));
        for (int r = 0; r < rounds.size(); r++) {
            assertEquals(1, runs("replay-" + run + "-" + r), "round " + r + ": " + rounds.get(r));
            assertTrue(rounds.get(r).containsAll(List.of(200, 401)), "round " + r + ": " + rounds.get(r));
        }
    }

    @Test
    void duplicateToBothAtTheSameMoment_runsTheHandlerOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        long t = now();
        // Each delivery signed afresh (A at t, B at t - 1): a duplicate, not a replay.
        List<List<Integer>> rounds = atTheSameMoment(100, (instance, r) -> instance.deliver("race-" + run + "-" + r,
                body(run, r), instance == a ? t : t - 1));
        int inProgress = 0;
        for (int r = 0; r < rounds.size(); r++) {
            List<Integer> both = rounds.get(r);
            assertEquals(1, runs("race-" + run + "-" + r), "round " + r + ": " + both);
            // One ran (200); the other was told it is in progress (409) or a duplicate (200 with the header).
            assertTrue(both.contains(200) && (both.contains(409) || both.contains(-200)), "round " + r + ": " + both);
            inProgress += both.contains(409) ? 1 : 0;
        }
        System.out.println("TwoInstancesFilterTest: " + rounds.size() + " rounds, " + inProgress
                + " answered 409 in progress, the rest 200 duplicate; the handler ran once in each");
    }

    /** A body no other test sends, so that no other test's signed message makes it a replay. */
    private static String body(String run, int round) {
        return "{\"run\":\"" + run + "\",\"round\":" + round + "}";
    }

    /** A request to each instance. */
    @FunctionalInterface
    interface Send {
        RawResponse to(Instance instance, int round) throws Exception;
    }

    /**
     * Sends round after round to A and B, both sides released together by a barrier each round; per
     * round, A's status then B's, negated when the answer says {@code Webhook-Duplicate}.
     */
    private static List<List<Integer>> atTheSameMoment(int rounds, Send send) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<Future<List<Integer>>> sides = new ArrayList<>();
            for (Instance instance : new Instance[] {a, b}) {
                sides.add(two.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        barrier.await(30, TimeUnit.SECONDS);
                        RawResponse response = send.to(instance, r);
                        boolean duplicate = response.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent();
                        statuses.add(duplicate ? -response.status() : response.status());
                    }
                    return statuses;
                }));
            }
            List<Integer> fromA = sides.get(0).get(120, TimeUnit.SECONDS);
            List<Integer> fromB = sides.get(1).get(120, TimeUnit.SECONDS);
            List<List<Integer>> both = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                both.add(List.of(fromA.get(r), fromB.get(r)));
            }
            return both;
        } finally {
            two.shutdownNow();
        }
    }
}
