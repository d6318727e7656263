package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two application instances (two {@link EmbeddedJetty} servers) whose filters share one store, named by the
 * {@code store} init-param, with replay protection and de-duplication on, while the store's server fails: killed,
 * frozen, slow, started again. For the stores' outage tests; public for them, through the test-jar.
 *
 * <p>What each scenario holds the instances to: while the store fails, every request that needs it gets 503 with
 * {@code Retry-After} within a bound (both the replay record's and the claim's timeout, plus scheduling) and never
 * reaches the handler; the handler runs once per id that was answered 200; once the store is back, both instances
 * take requests again without a restart, and the sender's retry of each refused id runs the handler once; no thread
 * outlives the outage but those of the pools named, and the server counts as many connections as before.
 */
public final class StoreOutage implements AutoCloseable {

    static final String SECRET = "outage-secret-0123456789abcdef";
    static final String ID_HEADER = "webhook-id";
    /**
     * The claims' lease: short, so that a claim left by a failed mark-done lapses within a test, yet longer than a
     * Redis outage of that test lasts (its keys expire by its clock, which runs on while it is frozen).
     */
    static final int LEASE_SECONDS = 5;

    /** The store's server, as the test controls it. */
    public interface Server {
        /** SIGKILL, as a crash. */
        void kill() throws Exception;

        /** Starts it again on its port (after {@link #kill}). */
        void restart() throws Exception;

        /** SIGSTOP: it keeps its connections and answers nothing. */
        void freeze() throws Exception;

        /** SIGCONT. */
        void thaw() throws Exception;

        /** How many client connections the server counts now. */
        int connections() throws Exception;

        /**
         * The most connections the two instances may hold once the store is back: for a client of one connection,
         * as many as before the outage; for a pool, as many as both pools hold at most.
         */
        default int connectionsAfter(int before) {
            return before;
        }
    }

    private final Map<String, String> parameters;
    private final Server server;
    private final long boundMillis;
    private final String[] pools;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    /** Ids starting with {@code hold-} wait in the handler until this opens. */
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    final EmbeddedJetty a;
    final EmbeddedJetty b;

    /**
     * Starts the two instances.
     *
     * @param store the {@code store} init-param, a password in it
     * @param timeoutMillis {@code storeTimeoutMillis}
     * @param boundMillis the most one request may take while the store fails
     * @param server the store's server
     * @param pools the starts of the names of the store's own threads, from bounded pools that start them as first
     *        needed and end them when idle, which may be new after an outage (Lettuce's event loops, PgJDBC's one
     *        timer for query timeouts); the test checks their number itself where it can
     */
    public StoreOutage(String store, int timeoutMillis, long boundMillis, Server server, String... pools)
            throws Exception {
        this.parameters = Map.of("secrets", SECRET, "replayProtection", "true", "deduplicate", "true",
                "idHeader", ID_HEADER, "store", store, "storeKeyPrefix", "outage:",
                "storeTimeoutMillis", Integer.toString(timeoutMillis), "leaseSeconds", Integer.toString(LEASE_SECONDS));
        this.server = server;
        this.boundMillis = boundMillis;
        this.pools = pools;
        EmbeddedJetty first = start();
        try {
            this.b = start();
        } catch (Exception e) {
            first.close();
            throw e;
        }
        this.a = first;
    }

    /** Another instance with the same init-params (the store's server may be down: then it must refuse to start). */
    public EmbeddedJetty start() throws Exception {
        return EmbeddedJetty.start(context -> {
            FilterRegistration.Dynamic filter = context.addFilter("webhookSignature", WebhookSignatureFilter.class);
            filter.setInitParameters(parameters);
            filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/webhooks/*");
            handler(context);
        });
    }

    private void handler(ServletContext context) {
        context.addServlet("handler", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String id = request.getHeader(ID_HEADER);
                runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                request.getInputStream().readAllBytes();
                try {
                    if (id.startsWith("hold-")) {
                        held.countDown();
                        holding.await(30, TimeUnit.SECONDS);
                    }
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.setStatus(200);
            }
        }).addMapping("/webhooks/*");
    }

    static RawResponse deliver(EmbeddedJetty to, String id, long timestamp) throws IOException {
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSigner.of(SECRET).sign(body, timestamp);
        return to.send(RawRequest.post("/webhooks/orders").header("X-Webhook-Signature", signature).header(ID_HEADER, id)
                .body(body).contentLength(body.length));
    }

    int runsOf(String id) {
        AtomicInteger n = runs.get(id);
        return n == null ? 0 : n.get();
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    /** One request's id, answer and time taken. */
    record Sent(String id, int status, boolean retryAfter, long millis, String text) {
    }

    /** Four senders of new ids, two to each instance, each request timed, until closed. */
    final class Traffic implements AutoCloseable {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final List<Future<?>> senders = new ArrayList<>();

        Traffic() {
            for (int s = 0; s < 4; s++) {
                EmbeddedJetty to = s % 2 == 0 ? a : b;
                senders.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String id = "load-" + UUID.randomUUID();
                        long start = System.nanoTime();
                        RawResponse r = deliver(to, id, now());
                        sent.add(new Sent(id, r.status(), r.header("Retry-After").isPresent(),
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), r.text()));
                    }
                    return null;
                }));
            }
        }

        long count(int status) {
            return sent.stream().filter(s -> s.status == status).count();
        }

        void awaitMore(int status, long more) throws InterruptedException {
            long target = count(status) + more;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (count(status) < target && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(count(status) >= target, "waited for " + more + " more answers of " + status + "; answers: "
                    + sent.stream().map(Sent::status).distinct().toList());
        }

        /** Stops the senders; each must have its last answer within the bound. */
        List<Sent> stop() throws Exception {
            stop.set(true);
            for (Future<?> f : senders) {
                f.get(boundMillis * 2, TimeUnit.MILLISECONDS);
            }
            return new ArrayList<>(sent);
        }

        @Override
        public void close() {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** Every answer 200 (the handler ran once) or 503 with Retry-After (it did not run), each within the bound. */
    void assertOutageAnswers(List<Sent> sent) {
        for (Sent s : sent) {
            if (s.status == 200) {
                assertEquals(1, runsOf(s.id), s.toString());
            } else {
                assertEquals(503, s.status, s.toString());
                assertTrue(s.retryAfter, s.toString());
                assertEquals(0, runsOf(s.id), "a 503 ran the handler: " + s);
            }
            assertTrue(s.millis <= boundMillis, "answered in " + s.millis + " ms: " + s);
        }
    }

    /**
     * The sender's retry of each refused id, signed anew, now that the store is back: 200, and the handler runs once.
     * A 409 is asked again for up to 1.5 s, then, if the claim still holds, the lease is waited out (printed, so that
     * it shows): a claim sent just before a freeze can run when the server thaws after its call answered "unavailable".
     * The Redis store sends its release again once Redis answers (its drops refused while disconnected are kept,
     * {@code RedisFaultTest} holds it to that); the JDBC store's delete of such a row is best effort and, failing
     * during the freeze too, leaves the row to the lease, as README says.
     */
    void retryRefused(List<Sent> sent) throws Exception {
        long t = now();
        int n = 0;
        List<String> held = new ArrayList<>();
        for (Sent s : sent) {
            if (s.status != 200) {
                EmbeddedJetty to = n++ % 2 == 0 ? a : b;
                RawResponse r = deliver(to, s.id, t + 1);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (r.status() == 409 && System.nanoTime() < until) {
                    Thread.sleep(50);
                    r = deliver(to, s.id, t + 1);
                }
                if (r.status() == 409) {
                    held.add(s.id);
                    continue;
                }
                assertEquals(200, r.status(), s.id + ": " + r.text());
                assertEquals(1, runsOf(s.id), s.id);
            }
        }
        if (!held.isEmpty()) {
            System.out.println("StoreOutage: " + held.size() + " refused ids were still claimed after the outage (409)");
            Thread.sleep(LEASE_SECONDS * 1000L + 300);
            for (String id : held) {
                RawResponse r = deliver(a, id, t + 2);
                assertEquals(200, r.status(), id + ": " + r.text());
                assertEquals(1, runsOf(id), id);
            }
        }
    }

    /** Both instances take a new id again, without a restart, within 20 s. */
    void awaitRecovery() throws Exception {
        for (EmbeddedJetty to : new EmbeddedJetty[] {a, b}) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RawResponse r;
            do {
                r = deliver(to, "probe-" + UUID.randomUUID(), now());
                if (r.status() != 200) {
                    Thread.sleep(50);
                }
            } while (r.status() != 200 && System.nanoTime() < until);
            assertEquals(200, r.status(), "recovered without a restart: " + r.text());
        }
    }

    /**
     * The server counts no more connections than {@link Server#connectionsAfter} allows, within 5 s (a connection closed
     * after a timeout is replaced): none was left behind by the outage.
     */
    void assertConnections(int before) throws Exception {
        int most = server.connectionsAfter(before);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connections() > most && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        int now = server.connections();
        assertTrue(now <= most, now + " connections to the store's server after recovery; at most " + most);
    }

    /**
     * No thread started since {@code before} is left but the two instances' own (Jetty's schedulers, one each, and
     * the request pools, which start threads while requests wait on a frozen store and end them after a minute idle:
     * bounded, and they outlive the scenario) and the store's pools.
     */
    void assertNoThreadLeftSince(Set<Thread> before) throws InterruptedException {
        String[] ignored = new String[pools.length + 2];
        System.arraycopy(pools, 0, ignored, 0, pools.length);
        ignored[pools.length] = "Scheduler-";
        ignored[pools.length + 1] = "qtp";
        Threads.assertNoneLeftSince(before, Duration.ofSeconds(5), ignored);
    }

    /** The server killed while requests are in flight, then started again on its port. */
    public void killedUnderTraffic_thenRestarted() throws Exception {
        Set<Thread> threads = Threads.running();
        int connections = server.connections();
        List<Sent> sent;
        try (Traffic traffic = new Traffic()) {
            traffic.awaitMore(200, 50);
            server.kill();
            traffic.awaitMore(503, 50);
            sent = traffic.stop();
        }
        assertOutageAnswers(sent);
        server.restart();
        awaitRecovery();
        retryRefused(sent);
        assertConnections(connections);
        assertNoThreadLeftSince(threads);
    }

    /** The server killed while no request is in flight: both instances answer 503, then take the retry once it is back. */
    public void killedWhileIdle_thenRestarted() throws Exception {
        String id = "idle-" + UUID.randomUUID();
        assertEquals(200, deliver(a, "before-" + UUID.randomUUID(), now()).status());
        server.kill();
        long t = now();
        for (EmbeddedJetty to : new EmbeddedJetty[] {a, b, a, b}) {
            long start = System.nanoTime();
            RawResponse r = deliver(to, id, t--);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(503, r.status(), r.text());
            assertTrue(r.header("Retry-After").isPresent());
            assertTrue(took <= boundMillis, "answered in " + took + " ms");
        }
        assertEquals(0, runsOf(id));
        server.restart();
        awaitRecovery();
        assertEquals(200, deliver(b, id, t--).status());
        RawResponse again = deliver(a, id, t);
        assertEquals("true", again.header(WebhookSignatureFilter.DUPLICATE_HEADER).orElse(null), again.text());
        assertEquals(1, runsOf(id));
    }

    /** The server frozen under traffic past the store's timeout, then thawed. */
    public void frozenUnderTraffic_thenThawed() throws Exception {
        Set<Thread> threads = Threads.running();
        int connections = server.connections();
        List<Sent> sent;
        try (Traffic traffic = new Traffic()) {
            traffic.awaitMore(200, 50);
            server.freeze();
            try {
                traffic.awaitMore(503, 8);
            } finally {
                server.thaw();
            }
            traffic.awaitMore(200, 50);
            sent = traffic.stop();
        }
        assertOutageAnswers(sent);
        retryRefused(sent);
        assertConnections(connections);
        assertNoThreadLeftSince(threads);
    }

    /**
     * The server frozen for moments under traffic (150, 300 and 600 ms, twice): a store that answers slowly. Each
     * request is answered within the bound, 200 or 503, and runs the handler at most once.
     */
    public void slowForMoments() throws Exception {
        List<Sent> sent;
        try (Traffic traffic = new Traffic()) {
            traffic.awaitMore(200, 20);
            for (int pause = 0; pause < 6; pause++) {
                server.freeze();
                try {
                    Thread.sleep(150L << (pause % 3));
                } finally {
                    server.thaw();
                }
                traffic.awaitMore(200, 10);
            }
            sent = traffic.stop();
        }
        assertOutageAnswers(sent);
        retryRefused(sent);
    }

    /**
     * A claim taken before the outage, whose mark-done fails during it: the sender gets the handler's 200; its retry
     * during the outage gets 503. After recovery the retry is a duplicate (the server ran the mark-done once it could),
     * or gets 409 while the claim's lease holds and then runs the handler again once it has lapsed: at least once, as
     * README says, and never a second run while the first one's claim holds.
     */
    public void markDoneFailsDuringTheOutage() throws Exception {
        String id = "hold-" + UUID.randomUUID();
        long t = now();
        long claimed;
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            Future<RawResponse> first = one.submit(() -> deliver(a, id, t));
            assertTrue(held.await(10, TimeUnit.SECONDS));
            claimed = System.nanoTime(); // the claim was taken a moment before
            server.freeze();
            try {
                holding.countDown();
                RawResponse r = first.get(boundMillis, TimeUnit.MILLISECONDS);
                assertEquals(200, r.status(), "the handler's answer");
                RawResponse retry = deliver(b, id, t + 1);
                assertEquals(503, retry.status(), retry.text());
                assertTrue(retry.header("Retry-After").isPresent());
            } finally {
                server.thaw();
            }
        } finally {
            one.shutdownNow();
        }
        assertEquals(1, runsOf(id));
        awaitRecovery();
        RawResponse after = deliver(b, id, t + 2);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimed);
        System.out.println("StoreOutage: after a mark-done that failed, the retry " + elapsed + " ms after the claim got "
                + after.status() + (after.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent() ? " duplicate" : ""));
        if (after.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent()) {
            assertEquals(200, after.status());
            assertEquals(1, runsOf(id));
            return;
        }
        if (after.status() == 409) {
            assertEquals(Integer.toString(LEASE_SECONDS), after.header("Retry-After").orElse(null));
            long lapse = LEASE_SECONDS * 1000L + 300 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimed);
            Thread.sleep(Math.max(lapse, 0));
            after = deliver(a, id, t + 3);
        } else {
            // Run again: only once the first run's claim can have lapsed (taken at most a second before it ran).
            assertTrue(elapsed >= LEASE_SECONDS * 1000L - 1000, "ran again " + elapsed + " ms after the first run's claim,"
                    + " which holds " + LEASE_SECONDS + " s: " + after.status());
        }
        assertEquals(200, after.status(), after.text());
        assertEquals(2, runsOf(id));
    }

    /**
     * The server down before a third instance starts: it refuses to start, with a message that says {@code says} and
     * does not quote {@code password}; the server is started again after.
     */
    public void unreachableAtStartUp(String says, String password) throws Exception {
        server.kill();
        try {
            Exception e = assertThrows(Exception.class, () -> start().close());
            String message = String.valueOf(e.getMessage());
            assertFalse(message.contains(password), message);
            assertTrue(message.contains(says), message);
        } finally {
            server.restart();
        }
    }

    @Override
    public void close() throws Exception {
        holding.countDown();
        Exception first = null;
        for (EmbeddedJetty jetty : new EmbeddedJetty[] {a, b}) {
            try {
                jetty.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
