package dev.webhookfilter.micrometer;

import static dev.webhookfilter.Vectors.EMPTY_A;
import static dev.webhookfilter.Vectors.EMPTY_BODY;
import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.EmbeddedJetty;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.Readme;
import dev.webhookfilter.testing.http.RawRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MicrometerVerificationListenerTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    /** The names and tag values are the metrics' contract: written out here, not read from the code. */
    private static final String SCHEME = "wealthkernel-2022";
    /** Every outcome the filter can give: verified, duplicate, the verifier's 7 rejections, its own 9. */
    private static final List<String> EVERY_OUTCOME = List.of("verified none", "duplicate none",
            "rejected MISSING_HEADER", "rejected MALFORMED_HEADER", "rejected STALE_TIMESTAMP",
            "rejected FUTURE_TIMESTAMP", "rejected NO_MATCHING_SIGNATURE", "rejected REPLAYED",
            "rejected REPLAY_CHECK_UNAVAILABLE", "rejected BODY_TOO_LARGE", "rejected BODY_INCOMPLETE",
            "rejected TOO_MANY_PARAMETERS", "rejected QUERY_STRING", "rejected BUSY", "rejected METHOD_NOT_ALLOWED",
            "rejected MISSING_ID", "rejected IN_PROGRESS", "rejected STORE_UNAVAILABLE");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Every webhooks.requests counter, "endpoint scheme outcome reason" to its count (another type's is left out). */
    private Map<String, Double> counters() {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().equals("webhooks.requests") && m instanceof Counter)
                .collect(Collectors.toMap(m -> tags(m, "endpoint", "scheme", "outcome", "reason"),
                        m -> ((Counter) m).count(), (a, b) -> a + b, TreeMap::new));
    }

    /** Every webhooks.verification timer, "endpoint scheme outcome" to its count. */
    private Map<String, Long> timers() {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().equals("webhooks.verification"))
                .collect(Collectors.toMap(m -> tags(m, "endpoint", "scheme", "outcome"),
                        m -> ((Timer) m).count(), (a, b) -> a + b, TreeMap::new));
    }

    /** The values of exactly these tags, in this order; any other tag fails the test. */
    private static String tags(Meter meter, String... keys) {
        assertEquals(keys.length, meter.getId().getTags().size(), meter.getId().toString());
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            String value = meter.getId().getTag(key);
            assertTrue(value != null, key + " missing on " + meter.getId());
            text.append(text.length() == 0 ? "" : " ").append(value);
        }
        return text.toString();
    }

    /** The counters that moved since {@code before}, and by how much. */
    private Map<String, Double> movedSince(Map<String, Double> before) {
        Map<String, Double> moved = new TreeMap<>();
        counters().forEach((id, count) -> {
            double delta = count - before.getOrDefault(id, 0.0);
            if (delta != 0) {
                moved.put(id, delta);
            }
        });
        return moved;
    }

    private Map<String, Long> timersMovedSince(Map<String, Long> before) {
        Map<String, Long> moved = new TreeMap<>();
        timers().forEach((id, count) -> {
            long delta = count - before.getOrDefault(id, 0L);
            if (delta != 0) {
                moved.put(id, delta);
            }
        });
        return moved;
    }

    @Nested
    class OverHttp {

        private EmbeddedJetty jetty;

        static final class Ok extends HttpServlet {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.getInputStream().readAllBytes();
            }
        }

        /**
         * The filter is given two listeners on the one registry, as by an application that adds its own beside the
         * starter's: each request still moves its counter by one (it moved by two).
         */
        @BeforeEach
        void start() throws Exception {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                    .replayGuard(new InMemoryReplayGuard(10, AT_T)).build();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).maxBodyBytes(64)
                    .listener(new MicrometerVerificationListener(registry))
                    .listener(new MicrometerVerificationListener(registry)).build();
            jetty = EmbeddedJetty.start(context -> {
                context.addFilter("orders", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
                context.addServlet("handler", new Ok()).addMapping("/webhooks/*");
            });
        }

        @AfterEach
        void stop() throws Exception {
            jetty.close();
        }

        /** Sends one request and checks that exactly one counter and one timer moved, by one. */
        private void expect(int status, String counter, String timer, String signature, byte[] body) throws Exception {
            Map<String, Double> before = counters();
            Map<String, Long> timersBefore = timers();
            assertEquals(status, jetty.post("/webhooks/", signature, body).status());
            assertEquals(Map.of(counter, 1.0), movedSince(before));
            assertEquals(Map.of(timer, 1L), timersMovedSince(timersBefore));
        }

        @Test
        void eachOutcomeMovesExactlyItsCounter() throws Exception {
            expect(200, "orders " + SCHEME + " verified none", "orders " + SCHEME + " verified",
                    header(SIMPLE_A), SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected REPLAYED", "orders " + SCHEME + " rejected",
                    header(SIMPLE_A), SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected MISSING_HEADER", "orders " + SCHEME + " rejected",
                    null, SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected MALFORMED_HEADER", "orders " + SCHEME + " rejected",
                    "t=1700000000", SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected STALE_TIMESTAMP", "orders " + SCHEME + " rejected",
                    "t=1600000000,v1=" + SIMPLE_A, SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected FUTURE_TIMESTAMP", "orders " + SCHEME + " rejected",
                    "t=1800000000,v1=" + SIMPLE_A, SIMPLE_BODY);
            expect(401, "orders " + SCHEME + " rejected NO_MATCHING_SIGNATURE", "orders " + SCHEME + " rejected",
                    header(SIMPLE_B), SIMPLE_BODY);
            expect(413, "orders " + SCHEME + " rejected BODY_TOO_LARGE", "orders " + SCHEME + " rejected",
                    header(SIMPLE_A), new byte[65]);
            expect(200, "orders " + SCHEME + " verified none", "orders " + SCHEME + " verified",
                    header(EMPTY_A), EMPTY_BODY);
        }

        /**
         * README's table of meters, read from README itself, against the meters the registry holds after one
         * accepted and one rejected request: the same names, types and tag keys, and the same values where
         * README lists them ({@code outcome} and {@code reason} of {@code webhooks.requests}).
         */
        @Test
        void theRegisteredMetersAreReadmesTable() throws Exception {
            assertEquals(200, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
            assertEquals(401, jetty.post("/webhooks/", header(SIMPLE_B), SIMPLE_BODY).status());
            Map<String, Map<String, java.util.Set<String>>> registered = new TreeMap<>();
            for (Meter meter : registry.getMeters()) {
                String type = meter instanceof Counter ? "counter" : meter instanceof Timer ? "timer" : meter.getClass().getName();
                Map<String, java.util.Set<String>> tags = registered.computeIfAbsent(
                        "`" + meter.getId().getName() + "` " + type, k -> new TreeMap<>());
                for (Tag tag : meter.getId().getTags()) {
                    tags.computeIfAbsent(tag.getKey(), k -> new java.util.TreeSet<>()).add(tag.getValue());
                }
            }
            Map<String, Map<String, java.util.Set<String>>> readme = readmesMeters();
            // Where README lists no values (endpoint and scheme, the timer's outcome), only the key is compared.
            registered.forEach((meter, tags) -> tags.forEach((key, values) -> {
                if (readme.getOrDefault(meter, Map.of()).getOrDefault(key, java.util.Set.of("")).isEmpty()) {
                    values.clear();
                }
            }));
            assertEquals(readme, registered);
        }

        /**
         * README's Metrics table: for each row, "`name` type", then each tag key (a code span outside
         * parentheses) with the values that follow it in parentheses (the code spans after a colon, if any).
         */
        private Map<String, Map<String, java.util.Set<String>>> readmesMeters() throws IOException {
            Map<String, Map<String, java.util.Set<String>>> meters = new TreeMap<>();
            for (String row : Readme.tableRows("| Meter | Type | Tags |")) {
                String[] cells = row.split(" \\| ");
                Map<String, java.util.Set<String>> tags = new TreeMap<>();
                meters.put(cells[0].substring(2) + " " + cells[1], tags);
                String cell = cells[2].substring(0, cells[2].length() - 2);
                java.util.regex.Matcher key = java.util.regex.Pattern.compile("`([^`]+)`( \\(([^)]*)\\))?").matcher(cell);
                while (key.find()) {
                    java.util.Set<String> values = new java.util.TreeSet<>();
                    if (key.group(3) != null) {
                        String list = key.group(3);
                        java.util.regex.Matcher value = java.util.regex.Pattern.compile("`([^`]+)`")
                                .matcher(list.substring(list.indexOf(':') + 1));
                        while (value.find()) {
                            values.add(value.group(1));
                        }
                    }
                    tags.put(key.group(1), values);
                }
            }
            return meters;
        }

        @Test
        void deduplicationMovesDuplicateAndItsRejections() throws Exception {
            jetty.close();
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier)
                    .deduplicate("webhook-id").listener(new MicrometerVerificationListener(registry)).build();
            jetty = EmbeddedJetty.start(context -> {
                context.addFilter("orders", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
                context.addServlet("handler", new Ok()).addMapping("/webhooks/*");
            });
            expectWithId(200, "verified none", "verified", "msg_1");
            expectWithId(200, "duplicate none", "duplicate", "msg_1");
            expectWithId(400, "rejected MISSING_ID", "rejected", null);
        }

        /** Answers as its path says, on every dispatch; a dispatch other than the request's answers 200 (500 for an error page). */
        static final class Dispatching extends HttpServlet {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws IOException, jakarta.servlet.ServletException {
                jakarta.servlet.DispatcherType type = request.getDispatcherType();
                String path = request.getRequestURI();
                if (type != jakarta.servlet.DispatcherType.REQUEST || path.endsWith("/ok")) {
                    request.getInputStream().readAllBytes();
                    response.setStatus(type == jakarta.servlet.DispatcherType.ERROR ? 500 : 200);
                } else if (path.endsWith("/throws")) {
                    throw new IllegalStateException("the handler failed");
                } else if (path.endsWith("/send-error")) {
                    response.sendError(500);
                } else if (path.endsWith("/forward")) {
                    request.getRequestDispatcher("/webhooks/ok").forward(request, response);
                } else if (path.endsWith("/async")) {
                    request.startAsync().dispatch();
                }
            }
        }

        /**
         * Mapped on every dispatcher type ({@code register}, as the starter does), with an error page under its own
         * pattern: a verified request that the application forwards, dispatches again or fails counts once.
         */
        @Test
        void eachDispatchOfAVerifiedRequestCountsItOnce() throws Exception {
            jetty.close();
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build();
            jetty = EmbeddedJetty.start(pages -> pages.addErrorPage(500, "/webhooks/error"), context -> {
                WebhookSignatureFilter.builder().verifier(verifier).listener(new MicrometerVerificationListener(registry))
                        .register(context, "orders", "/webhooks/*");
                jakarta.servlet.ServletRegistration.Dynamic handler = context.addServlet("handler", new Dispatching());
                handler.setAsyncSupported(true);
                handler.addMapping("/webhooks/*");
            });
            for (String exit : List.of("200 /webhooks/forward", "200 /webhooks/async", "500 /webhooks/throws",
                    "500 /webhooks/send-error")) {
                Map<String, Double> before = counters();
                Map<String, Long> timersBefore = timers();
                String path = exit.substring(4);
                assertEquals(Integer.parseInt(exit.substring(0, 3)), jetty.post(path, header(SIMPLE_A), SIMPLE_BODY).status(),
                        path);
                assertEquals(Map.of("orders " + SCHEME + " verified none", 1.0), movedSince(before), path);
                assertEquals(Map.of("orders " + SCHEME + " verified", 1L), timersMovedSince(timersBefore), path);
            }
        }

        private void expectWithId(int status, String counter, String timer, String id) throws Exception {
            Map<String, Double> before = counters();
            Map<String, Long> timersBefore = timers();
            RawRequest request = RawRequest.post("/webhooks/").header("X-Webhook-Signature", header(SIMPLE_A))
                    .body(SIMPLE_BODY);
            int answered = jetty.send(id == null ? request : request.header("webhook-id", id)).status();
            assertEquals(status, answered);
            assertEquals(Map.of("orders " + SCHEME + " " + counter, 1.0), movedSince(before));
            assertEquals(Map.of("orders " + SCHEME + " " + timer, 1L), timersMovedSince(timersBefore));
        }

        @Test
        void theFilterStartRegistersEveryOutcomeOfTheEndpointAtZero() throws Exception {
            List<String> outcomes = EVERY_OUTCOME;
            Map<String, Double> atStart = counters();
            assertEquals(outcomes.stream().map(o -> "orders " + SCHEME + " " + o).collect(Collectors.toSet()),
                    atStart.keySet());
            assertTrue(atStart.values().stream().allMatch(count -> count == 0.0), atStart.toString());

            jetty.send(RawRequest.post("/webhooks/").contentLength(0));
            Map<String, Double> counters = counters();
            assertEquals(outcomes.size(), counters.size(), counters.toString());
            assertEquals(1.0, counters.get("orders " + SCHEME + " rejected MISSING_HEADER"));
            assertEquals(0.0, counters.get("orders " + SCHEME + " verified none"));
            assertEquals(0.0, counters.get("orders " + SCHEME + " duplicate none"));
            assertEquals(0.0, counters.get("orders " + SCHEME + " rejected BODY_INCOMPLETE"));
            assertEquals(Map.of("orders " + SCHEME + " verified", 0L, "orders " + SCHEME + " rejected", 1L,
                    "orders " + SCHEME + " duplicate", 0L), timers());
        }
    }

    /**
     * A meter the registry refuses to register, as it clashes with one of the application's, costs that meter alone:
     * the endpoint's others count, the registration is tried once, not again on each request, and no answer changes.
     */
    @Nested
    class AMeterTheRegistryRefuses {

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(MicrometerVerificationListener.class.getName())
                .level(Level.ALL);

        /** The tags of the endpoint's counter of {@code outcome} ("rejected NO_MATCHING_SIGNATURE"). */
        private Tags counterTags(String endpoint, String outcome) {
            String[] parts = outcome.split(" ");
            return Tags.of("endpoint", endpoint, "scheme", SCHEME, "outcome", parts[0], "reason", parts[1]);
        }

        /** Sends one verified request, one with a wrong signature and one with none, and checks their answers. */
        private void sendThree(MeterRegistry meters) throws Exception {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier)
                    .listener(new MicrometerVerificationListener(meters)).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                context.addFilter("orders", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
                context.addServlet("handler", new OverHttp.Ok()).addMapping("/webhooks/*");
            })) {
                assertEquals(200, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
                assertEquals(401, jetty.post("/webhooks/", header(SIMPLE_B), SIMPLE_BODY).status());
                assertEquals(401, jetty.post("/webhooks/", null, SIMPLE_BODY).status());
            }
        }

        /** No secret, signature or body in any message. */
        private void assertNothingOfTheRequests(List<String> messages) {
            for (String message : messages) {
                for (String secret : List.of(SECRET_A, SIMPLE_A, SIMPLE_B, new String(SIMPLE_BODY, StandardCharsets.UTF_8))) {
                    assertTrue(!message.contains(secret), message);
                }
            }
        }

        /** The application's own gauge has the name and tags of one counter: a meter of another type. */
        @Test
        void aCounterClashingWithTheApplicationsGauge_costsThatCounterAlone() throws Exception {
            registry.gauge("webhooks.requests", counterTags("orders", "rejected NO_MATCHING_SIGNATURE"), new AtomicInteger(7));

            sendThree(registry);

            assertEquals(EVERY_OUTCOME.stream().filter(o -> !o.equals("rejected NO_MATCHING_SIGNATURE"))
                    .map(o -> "orders " + SCHEME + " " + o).collect(Collectors.toCollection(java.util.TreeSet::new)), counters().keySet());
            assertEquals(1.0, counters().get("orders " + SCHEME + " verified none"));
            assertEquals(1.0, counters().get("orders " + SCHEME + " rejected MISSING_HEADER"));
            assertEquals(Map.of("orders " + SCHEME + " verified", 1L, "orders " + SCHEME + " rejected", 2L,
                    "orders " + SCHEME + " duplicate", 0L), timers());
            // The application's meter stays its own.
            assertTrue(registry.get("webhooks.requests").tags(counterTags("orders", "rejected NO_MATCHING_SIGNATURE"))
                    .meter() instanceof Gauge);
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("webhooks.requests{endpoint=orders,outcome=rejected,"
                    + "reason=NO_MATCHING_SIGNATURE,scheme=" + SCHEME + "}"), warnings.get(0));
            assertTrue(warnings.get(0).contains("java.lang.IllegalArgumentException"), warnings.get(0));
            assertNothingOfTheRequests(warnings);
        }

        /**
         * A Prometheus registry made to throw on a failed registration, beside the application's own gauge
         * {@code webhooks.requests}: it refuses each of the endpoint's counters, once, and the timers count on.
         */
        @Test
        void prometheusRefusesEveryCounter_eachIsTriedOnce_andTheTimersCountOn() throws Exception {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            List<String> refused = new CopyOnWriteArrayList<>();
            prometheus.config().onMeterRegistrationFailed((id, reason) -> refused.add(
                    id.getName() + " " + id.getTag("outcome") + " " + id.getTag("reason")));
            prometheus.throwExceptionOnRegistrationFailure();
            prometheus.gauge("webhooks.requests", new AtomicInteger(3));

            sendThree(prometheus);

            // Each counter tried once (at the filter's start), not again on each request.
            Map<String, Long> once = new TreeMap<>();
            EVERY_OUTCOME.forEach(outcome -> once.put("webhooks.requests " + outcome, 1L));
            assertEquals(once, refused.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new,
                    Collectors.counting())));
            String scrape = prometheus.scrape();
            for (String timer : List.of("outcome=\"verified\",scheme=\"" + SCHEME + "\"} 1",
                    "outcome=\"rejected\",scheme=\"" + SCHEME + "\"} 2")) {
                assertTrue(scrape.contains("webhooks_verification_seconds_count{endpoint=\"orders\"," + timer), scrape);
            }
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertEquals(EVERY_OUTCOME.size() - 1, logs.messages(Level.FINE).size());
            assertNothingOfTheRequests(warnings);
        }

        /** The application's {@code MeterFilter} throws on one timer: only that timer is missing, and tried once. */
        @Test
        void aMeterFilterThatThrows_costsThatMeterAlone() {
            AtomicInteger attempts = new AtomicInteger();
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public Meter.Id map(Meter.Id id) {
                    if (id.getName().equals("webhooks.verification") && "verified".equals(id.getTag("outcome"))) {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("the message of the application's filter");
                    }
                    return id;
                }
            });
            MicrometerVerificationListener listener = new MicrometerVerificationListener(registry);
            listener.started("orders", SCHEME, List.of());
            listener.verified("orders", SCHEME, 1);
            listener.verified("orders", SCHEME, 1);

            assertEquals(2.0, counters().get("orders " + SCHEME + " verified none"));
            assertEquals(Map.of("orders " + SCHEME + " rejected", 0L, "orders " + SCHEME + " duplicate", 0L), timers());
            assertEquals(1, attempts.get());
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("webhooks.verification{endpoint=orders,outcome=verified,scheme=" + SCHEME
                    + "} (java.lang.IllegalStateException thrown)"), warnings.get(0));
            assertTrue(!warnings.get(0).contains("the message of"), warnings.get(0));
        }

        /** One WARNING a minute, whatever the number of refusals; the others at DEBUG. */
        @Test
        void refusalsDrawOneWarningAMinute() {
            for (String endpoint : List.of("orders", "payments", "refunds")) {
                registry.gauge("webhooks.requests", counterTags(endpoint, "verified none"), new AtomicInteger());
            }
            AtomicLong now = new AtomicLong(-5);
            MicrometerVerificationListener listener = new MicrometerVerificationListener(registry, now::get);
            listener.started("orders", SCHEME, List.of());
            now.addAndGet(TimeUnit.SECONDS.toNanos(60) - 1);
            listener.started("payments", SCHEME, List.of());
            now.addAndGet(1);
            listener.started("refunds", SCHEME, List.of());

            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("endpoint=orders,"), warnings.get(0));
            assertTrue(warnings.get(1).contains("endpoint=refunds,"), warnings.get(1));
            List<String> debug = logs.messages(Level.FINE);
            assertEquals(1, debug.size(), debug.toString());
            assertTrue(debug.get(0).contains("endpoint=payments,"), debug.get(0));
            // A request of an endpoint with a refused counter is counted, and tries nothing again.
            listener.verified("payments", SCHEME, 1);
            listener.rejected("payments", SCHEME, Rejection.REPLAYED, 1);
            assertEquals(1.0, counters().get("payments " + SCHEME + " rejected REPLAYED"));
            assertEquals(1L, registry.get("webhooks.verification").tags("endpoint", "payments", "outcome", "verified")
                    .timer().count());
            assertEquals(3, logs.messages(Level.WARNING).size() + logs.messages(Level.FINE).size());
        }
    }

    /**
     * README's PromQL, read from README itself, against the scrape of a Prometheus registry the filter counted into:
     * each metric a query names is there, with each label it groups or matches by, and each value it matches.
     */
    @Test
    void readmesPromqlNamesWhatAPrometheusScrapeHolds() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build())
                .listener(new MicrometerVerificationListener(prometheus)).build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
            context.addFilter("orders", filter).addMappingForUrlPatterns(null, false, "/webhooks/*");
            context.addServlet("handler", new OverHttp.Ok()).addMapping("/webhooks/*");
        })) {
            assertEquals(200, jetty.post("/webhooks/", header(SIMPLE_A), SIMPLE_BODY).status());
            assertEquals(401, jetty.post("/webhooks/", header(SIMPLE_B), SIMPLE_BODY).status());
        }
        List<String> scrape = List.of(prometheus.scrape().split("\n"));
        List<String> queries = Readme.codeBlocks(Readme.between("\n## Metrics\n", "\n## "), "promql");
        assertTrue(!queries.isEmpty(), "README's Metrics has no promql block");
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(webhooks_[a-z_]+)(\\{([^}]*)})?");
        java.util.regex.Pattern matcher = java.util.regex.Pattern.compile("([a-z_]+)(=~|=)\"([^\"]*)\"");
        java.util.regex.Pattern by = java.util.regex.Pattern.compile("\\bby \\(([^)]*)\\)");
        int checked = 0;
        for (String query : String.join("", queries).split("\n")) {
            java.util.regex.Matcher name = metric.matcher(query);
            while (name.find()) {
                String series = name.group(1) + "{";
                List<String> lines = scrape.stream().filter(line -> line.startsWith(series)).collect(Collectors.toList());
                assertTrue(!lines.isEmpty(), name.group(1) + " of README's \"" + query + "\" is not in the scrape:\n" + scrape);
                java.util.regex.Matcher label = matcher.matcher(name.group(3) == null ? "" : name.group(3));
                while (label.find()) {
                    for (String value : label.group(3).split("\\|")) {
                        String pair = label.group(1) + "=\"" + value + "\"";
                        assertTrue(lines.stream().anyMatch(line -> line.contains(pair)),
                                pair + " of README's \"" + query + "\" is on no " + name.group(1) + ":\n" + lines);
                        checked++;
                    }
                }
                java.util.regex.Matcher groups = by.matcher(query);
                while (groups.find()) {
                    for (String key : groups.group(1).split(", ")) {
                        assertTrue(lines.stream().allMatch(line -> line.contains(key + "=\"")),
                                key + " of README's \"" + query + "\" is not a label of " + name.group(1));
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "no label of README's PromQL was checked");
    }

    /**
     * {@code web.xml} can name the listener only by a class with a public no-arg constructor: that one counts
     * into Micrometer's global registry, and so into each registry the application adds to it, before the
     * filter starts or after.
     */
    @Nested
    class ByInitParam {

        private final SimpleMeterRegistry addedLater = new SimpleMeterRegistry();

        @AfterEach
        void removeFromTheGlobalRegistry() {
            Metrics.removeRegistry(registry);
            Metrics.removeRegistry(addedLater);
        }

        @Test
        void theListenerInitParam_countsIntoTheGlobalRegistry() throws Exception {
            Metrics.addRegistry(registry);
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                FilterRegistration.Dynamic filter = context.addFilter("invoices", WebhookSignatureFilter.class);
                filter.setInitParameter("secrets", SECRET_A);
                filter.setInitParameter("listener", "dev.webhookfilter.micrometer.MicrometerVerificationListener");
                filter.addMappingForUrlPatterns(null, false, "/webhooks/*");
                context.addServlet("handler", new OverHttp.Ok()).addMapping("/webhooks/*");
            })) {
                assertEquals(0.0, counters().get("invoices " + SCHEME + " rejected MISSING_HEADER"));
                Metrics.addRegistry(addedLater);

                assertEquals(401, jetty.send(RawRequest.post("/webhooks/").contentLength(0)).status());

                assertEquals(1.0, counters().get("invoices " + SCHEME + " rejected MISSING_HEADER"));
                assertEquals(1.0, addedLater.get("webhooks.requests").tags("endpoint", "invoices",
                        "outcome", "rejected", "reason", "MISSING_HEADER").counter().count());
            }
        }
    }

    @Test
    void countsDuplicatesAndRecordsTheGivenTime() {
        MicrometerVerificationListener listener = new MicrometerVerificationListener(registry);
        listener.duplicate("payments", SCHEME, 1_500_000);
        listener.verified("payments", SCHEME, 2_000_000);
        listener.rejected("payments", SCHEME, Rejection.REPLAY_CHECK_UNAVAILABLE, 3_000_000);
        assertEquals(1.0, counters().get("payments " + SCHEME + " duplicate none"));
        assertEquals(1.0, counters().get("payments " + SCHEME + " rejected REPLAY_CHECK_UNAVAILABLE"));
        Timer duplicate = registry.get("webhooks.verification").tag("outcome", "duplicate").timer();
        assertEquals(1.5, duplicate.totalTime(TimeUnit.MILLISECONDS));
        Timer verified = registry.get("webhooks.verification").tag("outcome", "verified").timer();
        assertEquals(2.0, verified.totalTime(TimeUnit.MILLISECONDS));
        Timer rejected = registry.get("webhooks.verification").tag("outcome", "rejected").timer();
        assertEquals(3.0, rejected.totalTime(TimeUnit.MILLISECONDS));
    }

    @Test
    void keepsEndpointsAndSchemesApart() {
        MicrometerVerificationListener listener = new MicrometerVerificationListener(registry);
        listener.verified("orders", SCHEME, 1);
        listener.verified("payments", SCHEME, 1);
        listener.verified("payments", SCHEME, 1);
        listener.verified("payments", "another-scheme", 1);
        assertEquals(1.0, counters().get("orders " + SCHEME + " verified none"));
        assertEquals(2.0, counters().get("payments " + SCHEME + " verified none"));
        assertEquals(1.0, counters().get("payments another-scheme verified none"));
    }

    @Test
    void startedWithNoReasonsShowsAnEndpointBeforeItsFirstRequest() {
        new MicrometerVerificationListener(registry).started("orders", SCHEME, List.of());
        // verified, duplicate and the verifier's 7 rejections, whatever reasons the caller listed.
        assertEquals(Map.of("orders " + SCHEME + " verified none", 0.0, "orders " + SCHEME + " duplicate none", 0.0,
                "orders " + SCHEME + " rejected MISSING_HEADER", 0.0, "orders " + SCHEME + " rejected MALFORMED_HEADER", 0.0,
                "orders " + SCHEME + " rejected STALE_TIMESTAMP", 0.0, "orders " + SCHEME + " rejected FUTURE_TIMESTAMP", 0.0,
                "orders " + SCHEME + " rejected NO_MATCHING_SIGNATURE", 0.0, "orders " + SCHEME + " rejected REPLAYED", 0.0,
                "orders " + SCHEME + " rejected REPLAY_CHECK_UNAVAILABLE", 0.0), counters());
        assertEquals(Map.of("orders " + SCHEME + " verified", 0L, "orders " + SCHEME + " rejected", 0L,
                "orders " + SCHEME + " duplicate", 0L), timers());
    }

    @Test
    void twoListenersOnOneRegistryShareTheMeters() {
        new MicrometerVerificationListener(registry).verified("orders", SCHEME, 1);
        new MicrometerVerificationListener(registry).verified("orders", SCHEME, 1);
        assertEquals(2.0, counters().get("orders " + SCHEME + " verified none"));
    }

    @Test
    void listenersAreEqualExactlyWhenTheirRegistryIsTheSame() {
        MicrometerVerificationListener one = new MicrometerVerificationListener(registry);
        MicrometerVerificationListener same = new MicrometerVerificationListener(registry);
        MicrometerVerificationListener other = new MicrometerVerificationListener(new SimpleMeterRegistry());
        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertNotEquals(one, other);
        assertNotEquals(one, (Object) "a registry");
    }

    @Test
    void refusesANullRegistry() {
        assertThrows(NullPointerException.class, () -> new MicrometerVerificationListener(null));
    }

    @Test
    void tagsCarryOnlyTheFourKeys() {
        new MicrometerVerificationListener(registry).rejected("orders", SCHEME, Rejection.STALE_TIMESTAMP, 1);
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertTrue(java.util.Set.of("endpoint", "scheme", "outcome", "reason").contains(tag.getKey()),
                        meter.getId().toString());
            }
        }
    }
}
