package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A load on two application instances (two {@link EmbeddedJetty} servers) whose filters share one store
 * named by the {@code store} init-param, for the stores' load tests; public for them, through the test-jar.
 *
 * <p>{@value #CLIENTS} client threads (or {@value #LIGHT_CLIENTS}), half on each instance, send a bounded mix: genuine events with new
 * ids; duplicates of earlier ids, signed again with a timestamp of their own as a sender's retry is (so
 * replay protection does not decide between them, de-duplication must), sometimes while the first
 * delivery is still in flight; exact replays of a request that ran the handler, which must get
 * {@code 401 replayed}; and forgeries (a secret the servers do not have, or a body changed after
 * signing), which must get 401. The handler counts its runs per id. Every choice comes from a seeded
 * {@link Random} per client, so two runs send the same mix; what is in flight differs.
 *
 * <p>Each run starts its own two instances and uses ids of its own, so a {@code memory} baseline and a
 * shared store measured in the same JVM do not see each other's records. Nothing here asserts a time.
 *
 * <p>{@link #measure} is the procedure of record: both stores loaded by {@value #CLIENTS} clients, which
 * keeps the 2 cores of a small machine busy (clients, servers and the store share them), for throughput;
 * then by {@value #LIGHT_CLIENTS}, one per instance, where a request's time is mostly its own work and
 * the difference to {@code memory} is what the store adds to each request.
 */
public final class SharedStoreLoad {

    /** Client threads over both instances, for throughput. */
    public static final int CLIENTS = 16;
    /** Client threads over both instances, for the latency a store adds to a request on a machine not saturated. */
    public static final int LIGHT_CLIENTS = 2;
    public static final String SECRET = "load-secret-7c1e0b9d4a2f68e3";
    public static final String ID_HEADER = "webhook-id";
    static final String PATH = "/webhooks/load";
    private static final String WRONG_SECRET = "load-not-the-servers-secret-93b5";

    /** What a request was meant to be, which decides the answers it may get. */
    public enum Kind {
        /** The first delivery of a new id. */
        NEW,
        /** The same id again, signed again: handled, 200 duplicate, or 409 while another delivery holds it. */
        DUPLICATE,
        /**
         * A byte-for-byte copy of a request that ran the handler: 401 replayed on a shared store. (A copy
         * of one answered "200 duplicate" is answered so again, by design: the filter forgets the replay
         * record of a request whose handler did not run, so that the sender's retry of it is not refused.)
         */
        REPLAY,
        /** Not signed with the servers' secret, or its body changed after signing: 401. */
        FORGED
    }

    /** A request as sent, kept so that it can be replayed exactly. */
    private record Sent(String id, byte[] body, String signature) {
    }

    private final String label;
    private final Map<String, String> initParams;
    private final int requests;
    private final int clients;
    private final long seed;

    private SharedStoreLoad(String label, Map<String, String> initParams, int requests, int clients, long seed) {
        this.label = label;
        this.initParams = initParams;
        this.requests = requests;
        this.clients = clients;
        this.seed = seed;
    }

    /**
     * The procedure of record for a shared store: a warm-up on it, then the same mix on {@code store=memory}
     * and on it, with {@value #CLIENTS} clients ({@code requests} requests) and with {@value #LIGHT_CLIENTS}
     * (a quarter as many). Asserts the {@linkplain Result#assertSharedStoreGuarantees guarantees} on every
     * run of the shared store, and prints one line of figures.
     *
     * @param label the store's name in the line, for example {@code redis}
     * @param shared the init-params that name the store ({@code store} among them)
     * @return the line printed
     */
    public static String measure(String label, Map<String, String> shared, int requests) throws Exception {
        new SharedStoreLoad("warm-up", shared, requests / 4, CLIENTS, 1).run().assertSharedStoreGuarantees();
        Map<String, String> memory = Map.of("store", "memory");
        Result memoryLoaded = new SharedStoreLoad("memory", memory, requests, CLIENTS, 7).run();
        Result loaded = new SharedStoreLoad(label, shared, requests, CLIENTS, 7).run();
        Result memoryLight = new SharedStoreLoad("memory-light", memory, requests / 4, LIGHT_CLIENTS, 11).run();
        Result light = new SharedStoreLoad(label + "-light", shared, requests / 4, LIGHT_CLIENTS, 11).run();
        String line = Result.line(label, memoryLoaded, loaded, memoryLight, light);
        System.out.println(line);
        assertAll(loaded::assertSharedStoreGuarantees, light::assertSharedStoreGuarantees);
        return line;
    }

    private void configure(ServletContext context, Map<String, AtomicInteger> runs) {
        FilterRegistration.Dynamic filter = context.addFilter("webhooks", WebhookSignatureFilter.class);
        filter.setInitParameter("secrets", SECRET);
        filter.setInitParameter("replayProtection", "true");
        filter.setInitParameter("deduplicate", "true");
        filter.setInitParameter("idHeader", ID_HEADER);
        initParams.forEach(filter::setInitParameter);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, PATH);
        context.addServlet("handler", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                runs.computeIfAbsent(request.getHeader(ID_HEADER), k -> new AtomicInteger()).incrementAndGet();
                request.getInputStream().readAllBytes();
                response.setStatus(200);
            }
        }).addMapping(PATH);
    }

    private Result run() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        String prefix = label + "-" + Long.toHexString(System.nanoTime()) + "-";
        // Every genuine delivery of an id is signed at base - attempt: distinct per delivery (a retry is
        // signed again, so it is not a replay) and well inside the 300 s tolerance for a run of seconds.
        long base = Instant.now().getEpochSecond();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(requests);
        AtomicInteger idCount = new AtomicInteger();
        AtomicReferenceArray<Sent> accepted = new AtomicReferenceArray<>(requests);
        AtomicInteger acceptedCount = new AtomicInteger();
        Outcomes outcomes = new Outcomes();
        long[] nanos = new long[requests];
        Kind[] kinds = new Kind[requests];

        EmbeddedJetty[] instances = new EmbeddedJetty[2];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long heapUsed;
        double seconds;
        try {
            for (int i = 0; i < instances.length; i++) {
                instances[i] = EmbeddedJetty.start(context -> configure(context, runs));
            }
            long start = System.nanoTime();
            List<Future<?>> senders = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                EmbeddedJetty to = instances[c % 2];
                senders.add(pool.submit(() -> {
                    Random random = new Random(seed * 31 + client);
                    // Client c sends requests c, c + clients, c + 2 * clients, ...
                    for (int n = client; n < requests; n += clients) {
                        int roll = random.nextInt(100);
                        Kind kind = roll < 50 ? Kind.NEW : roll < 75 ? Kind.DUPLICATE : roll < 88 ? Kind.REPLAY : Kind.FORGED;
                        Sent sent;
                        if (kind == Kind.DUPLICATE && idCount.get() > 0) {
                            String id = pick(ids, idCount, random);
                            sent = genuine(id, base - attempts.get(id).incrementAndGet());
                        } else if (kind == Kind.REPLAY && acceptedCount.get() > 0) {
                            sent = pick(accepted, acceptedCount, random);
                        } else if (kind == Kind.FORGED) {
                            sent = forged(prefix + "forged-" + n, base, random.nextBoolean());
                        } else {
                            kind = Kind.NEW;
                            String id = prefix + n;
                            attempts.put(id, new AtomicInteger());
                            ids.set(idCount.getAndIncrement(), id); // known to duplicates from now on, in flight
                            sent = genuine(id, base);
                        }
                        long begin = System.nanoTime();
                        RawResponse response = post(to, sent);
                        nanos[n] = System.nanoTime() - begin;
                        kinds[n] = kind;
                        boolean duplicate = response.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent();
                        outcomes.count(kind, response.status(), duplicate, response.text(), sent.id());
                        if (response.status() / 100 == 2 && !duplicate && kind != Kind.REPLAY) {
                            accepted.set(acceptedCount.getAndIncrement(), sent);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(5, TimeUnit.MINUTES);
            }
            seconds = (System.nanoTime() - start) / 1e9;
            heapUsed = heapUsedAfterGc();
        } finally {
            pool.shutdownNow();
            for (EmbeddedJetty instance : instances) {
                if (instance != null) {
                    instance.close();
                }
            }
        }
        return new Result(label, requests, clients, seconds, nanos, kinds, heapUsed, outcomes, runs);
    }

    private static <T> T pick(AtomicReferenceArray<T> items, AtomicInteger count, Random random) {
        T item;
        do {
            item = items.get(random.nextInt(count.get())); // null while its slot is being filled
        } while (item == null);
        return item;
    }

    private static byte[] body(String id) {
        return ("{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"amount\":4200,\"currency\":\"EUR\","
                + "\"note\":\"load test event, about two hundred bytes like a small real one\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Sent genuine(String id, long timestamp) {
        byte[] body = body(id);
        return new Sent(id, body, WebhookSigner.of(SECRET).sign(body, timestamp));
    }

    private static Sent forged(String id, long timestamp, boolean wrongSecret) {
        byte[] body = body(id);
        if (wrongSecret) {
            return new Sent(id, body, WebhookSigner.of(WRONG_SECRET).sign(body, timestamp));
        }
        String signature = WebhookSigner.of(SECRET).sign(body, timestamp);
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 0x01;
        return new Sent(id, changed, signature);
    }

    private static RawResponse post(EmbeddedJetty to, Sent sent) throws IOException {
        return to.send(RawRequest.post(PATH).header("X-Webhook-Signature", sent.signature()).header(ID_HEADER, sent.id())
                .body(sent.body()).contentLength(sent.body().length));
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The answers, by kind of request; the ids that got a 2xx or were forged. */
    private static final class Outcomes {
        final Map<String, AtomicInteger> byAnswer = new ConcurrentHashMap<>();
        final Map<String, Boolean> acceptedIds = new ConcurrentHashMap<>();
        final Map<String, Boolean> forgedIds = new ConcurrentHashMap<>();
        final AtomicInteger handled = new AtomicInteger();

        void count(Kind kind, int status, boolean duplicate, String body, String id) {
            String answer = status / 100 == 2 ? (duplicate ? status + " duplicate" : Integer.toString(status))
                    : status + " " + rejection(body);
            byAnswer.computeIfAbsent(kind + " " + answer, k -> new AtomicInteger()).incrementAndGet();
            if (status / 100 == 2) {
                acceptedIds.put(id, Boolean.TRUE);
                if (!duplicate) {
                    handled.incrementAndGet();
                }
            }
            if (kind == Kind.FORGED) {
                forgedIds.put(id, Boolean.TRUE);
            }
        }

        /** The rejection whose message ends the body of a refusal ("webhook rejected: replayed"). */
        private static String rejection(String body) {
            for (RejectionReason r : OutcomeReporter.REASONS) {
                if (body.strip().endsWith(": " + r.message())) {
                    return r.name();
                }
            }
            return "'" + body.strip() + "'";
        }
    }

    /** What one run measured and what it answered. */
    public static final class Result {
        private final String label;
        private final int requests;
        private final int clients;
        private final double seconds;
        private final long[] sortedNanos;
        private final long[] sortedNewNanos;
        /** The JVM's heap in use after a full GC at the end of the run, both instances still up (one JVM). */
        private final long heapUsed;
        private final Outcomes outcomes;
        private final Map<String, AtomicInteger> runs;

        Result(String label, int requests, int clients, double seconds, long[] nanos, Kind[] kinds, long heapUsed, Outcomes outcomes,
               Map<String, AtomicInteger> runs) {
            this.label = label;
            this.requests = requests;
            this.clients = clients;
            this.seconds = seconds;
            this.sortedNanos = nanos.clone();
            Arrays.sort(sortedNanos);
            this.sortedNewNanos = java.util.stream.IntStream.range(0, nanos.length)
                    .filter(i -> kinds[i] == Kind.NEW).mapToLong(i -> nanos[i]).sorted().toArray();
            this.heapUsed = heapUsed;
            this.outcomes = outcomes;
            this.runs = runs;
        }

        public double requestsPerSecond() {
            return requests / seconds;
        }

        /** The {@code q}-quantile (0.5, 0.99) of every request's time from send to answer, in ms. */
        public double latencyMillis(double q) {
            return quantile(sortedNanos, q) / 1e6;
        }

        /** The same over new ids only: a replay record, a claim and a completion each. */
        public double newIdLatencyMillis(double q) {
            return quantile(sortedNewNanos, q) / 1e6;
        }

        private static double quantile(long[] sorted, double q) {
            return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
        }

        /** The answers, as "KIND answer" (for example {@code DUPLICATE 200 duplicate}) to how many. */
        public Map<String, Integer> answers() {
            Map<String, Integer> all = new TreeMap<>();
            outcomes.byAnswer.forEach((k, v) -> all.put(k, v.get()));
            return all;
        }

        /** How many ids ran the handler more than once: none on a shared store; on {@code memory}, the price of not sharing. */
        public long idsRunTwice() {
            return runs.values().stream().filter(n -> n.get() > 1).count();
        }

        /**
         * The guarantees a store shared by both instances gives: every id that got a 2xx ran the handler
         * exactly once and no other id ran it more than once; each handler run answered 200 without the
         * duplicate header; a replay got 401 replayed and a forgery 401 and neither ran the handler; no 5xx.
         */
        public void assertSharedStoreGuarantees() {
            List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
            for (String id : outcomes.acceptedIds.keySet()) {
                checks.add(() -> assertEquals(1, runsOf(id), label + ": handler runs of " + id + ", which got a 2xx"));
            }
            for (Map.Entry<String, AtomicInteger> e : runs.entrySet()) {
                checks.add(() -> assertTrue(e.getValue().get() <= 1, label + ": handler runs of " + e.getKey()));
            }
            for (String id : outcomes.forgedIds.keySet()) {
                checks.add(() -> assertEquals(0, runsOf(id), label + ": handler runs of forged " + id));
            }
            int handlerRuns = runs.values().stream().mapToInt(AtomicInteger::get).sum();
            checks.add(() -> assertEquals(outcomes.handled.get(), handlerRuns, label + ": 200s from the handler"));
            Map<String, Integer> answers = answers();
            for (Map.Entry<String, Integer> e : answers.entrySet()) {
                String answer = e.getKey();
                boolean expected = answer.equals("NEW 200") || answer.equals("NEW 409 IN_PROGRESS")
                        || answer.equals("NEW 200 duplicate") // its duplicate, sent while it was in flight, ran first
                        || answer.equals("DUPLICATE 200") || answer.equals("DUPLICATE 200 duplicate")
                        || answer.equals("DUPLICATE 409 IN_PROGRESS")
                        || answer.equals("REPLAY 401 REPLAYED")
                        || answer.equals("FORGED 401 NO_MATCHING_SIGNATURE");
                checks.add(() -> assertTrue(expected, label + ": " + e.getValue() + " × " + answer + " in " + answers));
            }
            checks.add(() -> assertTrue(answers.getOrDefault("REPLAY 401 REPLAYED", 0) > 0, label + ": no replay was sent"));
            assertAll(checks);
        }

        private int runsOf(String id) {
            AtomicInteger n = runs.get(id);
            return n == null ? 0 : n.get();
        }

        /**
         * One line: a store's runs against {@code memory}'s with as many clients in the same JVM;
         * throughput as a ratio, latency as a difference (ms, every request and new ids only).
         */
        static String line(String label, Result memoryLoaded, Result loaded, Result memoryLight, Result light) {
            return String.format(Locale.ROOT, "LOAD %s (memory in the same run): %d clients, %d requests in %.1f s:"
                            + " %.0f req/s = %.2fx memory's %.0f, p50 %s, p99 %s; %d clients, %d requests:"
                            + " p50 %s, p99 %s, new ids p50 %s, p99 %s; heap after %.0f MiB (memory %.0f MiB);"
                            + " %s; on memory %d ids ran twice; load average %s",
                    label, loaded.clients, loaded.requests, loaded.seconds, loaded.requestsPerSecond(),
                    loaded.requestsPerSecond() / memoryLoaded.requestsPerSecond(), memoryLoaded.requestsPerSecond(),
                    added(loaded.latencyMillis(0.5), memoryLoaded.latencyMillis(0.5)),
                    added(loaded.latencyMillis(0.99), memoryLoaded.latencyMillis(0.99)),
                    light.clients, light.requests,
                    added(light.latencyMillis(0.5), memoryLight.latencyMillis(0.5)),
                    added(light.latencyMillis(0.99), memoryLight.latencyMillis(0.99)),
                    added(light.newIdLatencyMillis(0.5), memoryLight.newIdLatencyMillis(0.5)),
                    added(light.newIdLatencyMillis(0.99), memoryLight.newIdLatencyMillis(0.99)),
                    loaded.heapUsed / 1048576.0, memoryLoaded.heapUsed / 1048576.0, loaded.answers(),
                    memoryLoaded.idsRunTwice(), loadAverage());
        }

        private static String added(double millis, double memoryMillis) {
            return String.format(Locale.ROOT, "%.2f ms (%+.2f)", millis, millis - memoryMillis);
        }

        private static String loadAverage() {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }
}
