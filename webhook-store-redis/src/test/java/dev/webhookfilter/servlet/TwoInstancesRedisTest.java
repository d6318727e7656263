package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import dev.webhookfilter.testing.redis.RedisServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two application instances, two embedded Jetty servers, whose filters share one real redis-server
 * through the Redis store: what one accepted, the other refuses as a replay; a duplicate delivered to
 * both at the same moment runs the handler once; a failure on one lets the retry on the other run.
 */
class TwoInstancesRedisTest {

    static final String SECRET = "two-instances-secret-0123456789";
    static final String ID_HEADER = "webhook-id";

    @TempDir
    static Path dir;
    static RedisServer redis;
    static EmbeddedJetty a;
    static EmbeddedJetty b;
    /** Handler runs per message id, over both instances (one JVM). */
    static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    /** Counts a run per id; holds the request a moment so that racing duplicates overlap; fails where asked. */
    static final class Handler extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
            String id = request.getHeader(ID_HEADER);
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = request.getInputStream().readAllBytes();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.setStatus(new String(body, StandardCharsets.UTF_8).contains("\"fail\":true") ? 500 : 200);
        }
    }

    /** Each instance's init-params: replay protection and de-duplication on the one Redis. */
    private static Map<String, String> initParameters(int toleranceSeconds) {
        return Map.of("secrets", SECRET, "replayProtection", "true", "deduplicate", "true", "idHeader", ID_HEADER,
                "store", "redis://" + redis.hostPort(), "storeKeyPrefix", "two-instances:",
                "toleranceSeconds", Integer.toString(toleranceSeconds));
    }

    static void instance(ServletContext context) {
        instance(context, 300);
    }

    static void instance(ServletContext context, int toleranceSeconds) {
        FilterRegistration.Dynamic filter = context.addFilter("webhookSignature", WebhookSignatureFilter.class);
        filter.setInitParameters(initParameters(toleranceSeconds));
        filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/webhooks/*");
        context.addServlet("handler", new Handler()).addMapping("/webhooks/*");
    }

    /** As {@link #instance}, through a Jetty holder that is given no name: Jetty makes one up, which no other instance has. */
    static void unnamedHolder(ServletContext context) {
        FilterHolder holder = new FilterHolder(WebhookSignatureFilter.class);
        holder.setInitParameters(initParameters(300));
        ServletContextHandler.getServletContextHandler(context).addFilter(holder, "/webhooks/*",
                EnumSet.allOf(DispatcherType.class));
        context.addServlet("handler", new Handler()).addMapping("/webhooks/*");
    }

    /**
     * Runs {@code start}, up to three times while it fails because an instance's store did not open in time: each
     * instance opens its store within {@code storeTimeoutMillis} (1 s), which the JVM's first open (loading Lettuce and
     * Netty) took longer than under load, as did later ones pinned to one core. What the tests time is the instances'
     * calls once started; any other refusal is thrown at once. {@code RedisStoreTest.openUnderLoad} does the same for
     * the store's own tests.
     */
    static <T> T startUnderLoad(Callable<T> start) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return start.call();
            } catch (Exception e) {
                String m = String.valueOf(e.getMessage());
                if (attempt == 3 || !(m.contains(" cannot be reached, or does not answer as Redis does (")
                        || m.contains(" within PT"))) {
                    throw e;
                }
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(dir);
        a = startUnderLoad(() -> EmbeddedJetty.start(TwoInstancesRedisTest::instance));
        b = startUnderLoad(() -> EmbeddedJetty.start(TwoInstancesRedisTest::instance));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static RawResponse deliver(EmbeddedJetty to, String id, String signature, byte[] body) throws Exception {
        return to.send(RawRequest.post("/webhooks/orders").header("X-Webhook-Signature", signature).header(ID_HEADER, id)
                .body(body).contentLength(body.length));
    }

    static int runsOf(String id) {
        AtomicInteger n = runs.get(id);
        return n == null ? 0 : n.get();
    }

    @Test
    void aRequestAcceptedByAAndReplayedToB_isRefused() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSigner.of(SECRET).sign(body);
        assertEquals(200, deliver(a, id, signature, body).status());
        RawResponse replayed = deliver(b, id, signature, body);
        assertEquals(401, replayed.status(), replayed.text());
        assertEquals(401, deliver(a, id, signature, body).status());
        assertEquals(1, runsOf(id));
    }

    /**
     * The sender's retry of a processed event, signed anew, is answered 200 duplicate by B; a captured copy of it, sent
     * to A under another id (the default scheme signs none), is refused as a replay: on main, B forgot the retry's
     * message as it forgets a refusal's, and the copy ran the handler a second time for one event.
     */
    @Test
    void aCopyOfARetryAnsweredAsADuplicate_sentUnderAnotherId_isAReplay() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        assertEquals(200, deliver(a, id, WebhookSigner.of(SECRET).sign(body, now - 1), body).status());
        String retry = WebhookSigner.of(SECRET).sign(body, now);
        RawResponse duplicate = deliver(b, id, retry, body);
        assertEquals("true", duplicate.header(WebhookSignatureFilter.DUPLICATE_HEADER).orElse(null), duplicate.text());
        String another = UUID.randomUUID().toString();
        RawResponse copy = deliver(a, another, retry, body);
        assertEquals(401, copy.status(), copy.text());
        assertEquals(1, runsOf(id) + runsOf(another));
    }

    /**
     * An instance whose {@code toleranceSeconds} is longer (600 s, while it rolls out) takes a message for fresh after
     * the last fresh second of A's record (300 s): Redis keeps the record five minutes past that second, so the replay
     * is still refused, as on the JDBC store.
     */
    @Test
    void aRequestAcceptedByA_replayedToAnInstanceWithALongerTolerance_isRefused() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond() - 299; // A's last fresh second is t + 300, a second from now
        String signature = WebhookSigner.of(SECRET).sign(body, t);
        assertEquals(200, deliver(a, id, signature, body).status());
        try (EmbeddedJetty longer = EmbeddedJetty.start(context -> instance(context, 600))) {
            while (Instant.now().getEpochSecond() <= t + 301) {
                Thread.sleep(200); // until A's record's last fresh second has passed
            }
            RawResponse replayed = deliver(longer, id, signature, body);
            assertEquals(401, replayed.status(), replayed.text());
        }
        assertEquals(1, runsOf(id));
    }

    /**
     * The store keeps its keys under the filter's name. Jetty names an unnamed holder after the class and the holder's
     * hash code: on main, two such instances kept their records apart, and a request accepted by one was accepted again
     * when replayed to the other (200, the handler ran twice), as was the sender's re-signed retry.
     */
    @Test
    void aFilterWhoseNameJettyMadeUp_stopsTheStart() {
        Exception e = assertThrows(Exception.class, () -> EmbeddedJetty.start(TwoInstancesRedisTest::unnamedHolder).close());
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("was made up by the container"), message);
        assertTrue(message.contains("FilterHolder.setName"), message);
    }

    @Test
    void aDuplicateDeliveredToBothAtTheSameMoment_runsTheHandlerOnce() throws Exception {
        int rounds = 300;
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<String> ids = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            bodies.add(("{\"id\":\"" + id + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        // The sender's two deliveries of one event carry the same id but are signed apart (a retry is
        // signed again), so replay protection does not decide between them: de-duplication must.
        int[][] status = new int[2][rounds];
        boolean[][] duplicate = new boolean[2][rounds];
        long now = Instant.now().getEpochSecond();
        String[][] signatures = new String[2][rounds];
        for (int i = 0; i < rounds; i++) {
            signatures[0][i] = WebhookSigner.of(SECRET).sign(bodies.get(i), now);
            signatures[1][i] = WebhookSigner.of(SECRET).sign(bodies.get(i), now - 1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int side = s;
                EmbeddedJetty to = s == 0 ? a : b;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        barrier.await();
                        RawResponse r = deliver(to, ids.get(i), signatures[side][i], bodies.get(i));
                        status[side][i] = r.status();
                        duplicate[side][i] = r.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent();
                    }
                    return null;
                }));
            }
            for (Future<?> f : senders) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int inProgress = 0;
        int duplicates = 0;
        for (int i = 0; i < rounds; i++) {
            assertEquals(1, runsOf(ids.get(i)), "handler runs for round " + i);
            int handled = 0;
            for (int side = 0; side < 2; side++) {
                int code = status[side][i];
                if (code == 200 && !duplicate[side][i]) {
                    handled++;
                } else if (code == 409) {
                    inProgress++;
                } else {
                    assertTrue(code == 200 && duplicate[side][i], "round " + i + ": " + code);
                    duplicates++;
                }
            }
            assertEquals(1, handled, "responses from the handler in round " + i);
        }
        System.out.printf("%d rounds: %d answered 409 (in progress), %d 200 duplicate%n", rounds, inProgress, duplicates);
    }

    @Test
    void aHandlerFailureOnA_letsTheRetryOnBRun() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":\"" + id + "\",\"fail\":true}").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        assertEquals(500, deliver(a, id, WebhookSigner.of(SECRET).sign(body, now - 1), body).status());
        assertEquals(1, runsOf(id));
        // The retry: the same event, signed again. The handler runs again on B (and fails again here).
        assertEquals(500, deliver(b, id, WebhookSigner.of(SECRET).sign(body, now), body).status());
        assertEquals(2, runsOf(id));
    }
}
