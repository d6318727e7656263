package dev.webhookfilter.it.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.it.Forgery;
import dev.webhookfilter.testing.http.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every deployment of the example WAR on a standalone server must do, checked over real HTTP:
 * genuine events reach the handler byte for byte, everything else gets a 4xx and is never
 * recorded, and the server's logs hold neither the secret nor a problem from the filter. Beside it,
 * the WAR with each {@linkplain MisMappedWar mistake in the filter's mapping} does not start.
 *
 * <p>A subclass supplies the running server, with {@link MisMappedWar#deployBesideEach} deployed, and
 * the context path. The log check runs last, after the traffic it inspects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DeployedWarContract {

    /** The secret the servers get in WEBHOOK_SECRET: new each run, so that finding it in a log means a leak. */
    static final String SECRET = randomToken("whsec_it_");
    /** The example WAR's web.xml sets maxBodyBytes to 1 MiB. */
    static final int MAX_BODY_BYTES = 1_048_576;
    /** The filter's start-up line (INFO), which proves that the logs read are the right ones. */
    static final String FILTER_STARTED = "WebhookSignatureFilter 'webhookSignature' verifies X-Webhook-Signature with 1 secret";
    static final String WEBHOOK_PATH = "/webhooks/events";
    /** The url-pattern of the handler, and of the filter in front of it, in the example's web.xml. */
    static final String WEBHOOK_PATTERN = "/webhooks/*";
    /** The start of the filter's message when it refuses to start. */
    static final String FILTER_REFUSED =
            "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start";

    private final WebhookSigner signer = WebhookSigner.of(SECRET);
    /** Every v1 value sent, genuine or forged: none may show up in a log. */
    private final Set<String> signaturesSent = ConcurrentHashMap.newKeySet();
    private WebhookClient client;

    /** The server, started with {@link #SECRET}. */
    abstract StandaloneServer server();

    /** Where the WAR is deployed on it, such as {@code /example}. */
    abstract String contextPath();

    private WebhookClient client() {
        if (client == null) {
            client = new WebhookClient(server().uri(contextPath()));
        }
        return client;
    }

    @Test
    void signedJsonEvent_reachesTheHandlerByteForByte() throws Exception {
        long before = client().eventsTotal();
        String eventId = "evt_" + UUID.randomUUID();
        byte[] body = ("{\"eventId\":\"" + eventId + "\",\"eventType\":{\"name\":\"invoice.paid\"},"
                + "\"data\":{\"amount\":4200,\"note\":\"caf\u00e9 \u2713 \\u0000\"}}").getBytes(StandardCharsets.UTF_8);

        RawResponse reply = client().post(WEBHOOK_PATH, body, "application/json", sign(body));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(sha256(body), WebhookClient.json(reply, "sha256"));
        assertEquals(Integer.toString(body.length), WebhookClient.json(reply, "bytes"));
        RawResponse events = client().get("/events");
        assertEquals(Long.toString(before + 1), WebhookClient.json(events, "total"));
        assertTrue(events.text().contains("\"eventId\":\"" + eventId + "\""), events::toString);
    }

    @Test
    void signedBinaryBody_reachesTheHandlerByteForByte() throws Exception {
        byte[] body = pseudoRandomBytes(64 * 1024, 1);

        RawResponse reply = client().post(WEBHOOK_PATH, body, "application/octet-stream", sign(body));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(sha256(body), WebhookClient.json(reply, "sha256"));
    }

    @Test
    void signedChunkedBody_reachesTheHandlerByteForByte() throws Exception {
        byte[] body = pseudoRandomBytes(100_000, 2);
        List<byte[]> chunks = List.of(slice(body, 0, 1), slice(body, 1, 8192), slice(body, 8192, 60_000),
                slice(body, 60_000, body.length));

        RawResponse reply = client().postChunked(WEBHOOK_PATH, chunks, "application/octet-stream", sign(body));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(sha256(body), WebhookClient.json(reply, "sha256"));
        assertEquals(Integer.toString(body.length), WebhookClient.json(reply, "bytes"));
    }

    @Test
    void signedBodyOfExactlyTheLimit_isAccepted() throws Exception {
        byte[] body = pseudoRandomBytes(MAX_BODY_BYTES, 3);

        RawResponse reply = client().post(WEBHOOK_PATH, body, "application/octet-stream", sign(body));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(sha256(body), WebhookClient.json(reply, "sha256"));
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void unverifiedRequest_gets401_andIsNeverRecorded(Forgery forgery) throws Exception {
        long before = client().eventsTotal();
        String eventId = "forged_" + UUID.randomUUID();
        byte[] body = ("{\"eventId\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8);

        RawResponse reply = client().post(WEBHOOK_PATH, forgery.sentBody(body), "application/json", forge(forgery, body));

        assertEquals(401, reply.status(), reply::toString);
        assertTrue(reply.header("WWW-Authenticate").isPresent(), reply::toString);
        RawResponse events = client().get("/events");
        assertEquals(Long.toString(before), WebhookClient.json(events, "total"));
        assertFalse(events.text().contains(eventId), events::toString);
    }

    @Test
    void contentLengthOverTheLimit_gets413_withoutTheBodyBeingSent() throws Exception {
        long before = client().eventsTotal();
        // A fresh, well-formed header: the length is judged after the header, before any body byte.
        String signature = sign(new byte[0]);

        RawResponse reply = client().postHeadersOnly(WEBHOOK_PATH, MAX_BODY_BYTES + 1L, signature);

        assertEquals(413, reply.status(), reply::toString);
        assertEquals("close", reply.header("Connection").orElse(null), reply::toString);
        assertEquals(before, client().eventsTotal());
    }

    @Test
    void concurrentSenders_eachGetTheRightAnswer() throws Exception {
        int senders = 8;
        int requestsEach = 50;
        long before = client().eventsTotal();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<String> wrong = new ArrayList<>();
        int genuine = 0;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                results.add(pool.submit(() -> {
                    go.await();
                    return send(sender, requestsEach);
                }));
            }
            go.countDown();
            for (Future<List<String>> result : results) {
                wrong.addAll(result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < requestsEach; i++) {
            genuine += isForged(i) ? 0 : senders;
        }

        assertEquals(List.of(), wrong);
        assertEquals(before + genuine, client().eventsTotal());
    }

    /** Every fifth request is forged, the kinds of forgery in turn; the rest are genuine. */
    private static boolean isForged(int request) {
        return request % 5 == 4;
    }

    private List<String> send(int sender, int requests) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            byte[] body = ("{\"eventId\":\"load-" + sender + "-" + i + "\",\"padding\":\"" + "x".repeat(i * 37) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            Forgery forgery = Forgery.values()[(sender + i) % Forgery.values().length];
            boolean forged = isForged(i);
            RawResponse reply = forged
                    ? client().post(WEBHOOK_PATH, forgery.sentBody(body), "application/json", forge(forgery, body))
                    : client().post(WEBHOOK_PATH, body, "application/json", sign(body));
            int expected = forged ? 401 : 200;
            if (reply.status() != expected) {
                wrong.add("sender " + sender + " request " + i + (forged ? " forged " + forgery : " genuine")
                        + ": expected " + expected + ", got " + reply);
            } else if (!forged && !sha256(body).equals(WebhookClient.json(reply, "sha256"))) {
                wrong.add("sender " + sender + " request " + i + ": the handler saw other bytes: " + reply);
            }
        }
        return wrong;
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void logs_showTheFilterStarting_andNeitherTheSecretNorAProblemFromIt() throws Exception {
        // Tomcat writes its log files from a queue; once this event's line is there, all before it are too.
        String marker = "flush_" + UUID.randomUUID();
        byte[] body = ("{\"eventId\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(200, client().post(WEBHOOK_PATH, body, "application/json", sign(body)).status());
        ServerLogs logs = awaitLogsContaining(server(), marker);

        assertTrue(logs.contains(FILTER_STARTED), "the filter's start-up line is missing; logs read:\n" + logs);
        assertFalse(logs.contains(SECRET), "the secret is in the logs");
        assertFalse(logs.contains(Forgery.FORGERS_SECRET), "the forger's secret is in the logs");
        List<String> signaturesLogged = signaturesSent.stream().filter(logs::contains).toList();
        assertEquals(List.of(), signaturesLogged, "signatures in the logs");
        // The refusals of the mis-mapped WARs beside this one are meant; no other problem is.
        assertEquals(List.of(), logs.problemsMentioning("webhook").stream()
                .filter(r -> !MisMappedWar.isAbout(server(), r)).toList());
        List<String> problems = logs.problems().stream().filter(r -> !MisMappedWar.isAbout(server(), r)).toList();
        System.out.printf("[standalone] %s%s: %d KiB of logs, %d signatures sent, none logged; WARN+ records: %s,"
                        + " and %d about the mis-mapped WARs%n", server(), contextPath(), logs.length() / 1024,
                signaturesSent.size(), problems.stream().map(DeployedWarContract::firstLine).toList(),
                logs.problems().size() - problems.size());
    }

    /**
     * Beside this deployment, the WAR whose filter-mapping has {@code mistake}: the server does not start it,
     * in its own way ({@link StandaloneServer#failedStart}); a request for its handler, unsigned, gets the
     * status the server gives a web application that is not there; and the log says why, naming the pattern.
     * Before the filter checked its mappings, that application started and its handler was reached unguarded.
     */
    @ParameterizedTest
    @EnumSource(MisMappedWar.class)
    void besideIt_theWarWithAMappingThatReachesNoServlet_doesNotStart(MisMappedWar mistake) throws Exception {
        String path = mistake.contextPath(contextPath());
        WebhookClient misMapped = new WebhookClient(server().uri(path));
        byte[] body = ("{\"eventId\":\"unguarded_" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);

        RawResponse unsigned = misMapped.post(WEBHOOK_PATH, body, "application/json", null);
        RawResponse events = misMapped.get("/events");

        assertEquals(server().unavailableStatus(), unsigned.status(), () -> path + ": " + unsigned);
        assertEquals(server().unavailableStatus(), events.status(), () -> path + ": " + events);
        ServerLogs logs = server().logs();
        assertTrue(server().failedStart(path).matcher(logs.toString()).find(),
                () -> "no record that " + path + " failed to start; logs:\n" + logs);
        List<String> refusals = logs.problemsMentioning(mistake.refusal(path)).stream()
                .filter(r -> r.contains(FILTER_REFUSED)).toList();
        assertFalse(refusals.isEmpty(), () -> "no problem record with '" + mistake.refusal(path) + "'; logs:\n" + logs);
        System.out.printf("[standalone] %s%s (%s): not started; POST %d, GET /events %d; %d problem records with the"
                        + " refusal%n", server(), path, mistake.pattern(path), unsigned.status(), events.status(),
                refusals.size());
    }

    /**
     * Starts {@code server} without WEBHOOK_SECRET and checks that every context refuses every
     * request, the signed ones included, and that the log says why.
     */
    static void assertFailsClosedWithoutSecret(StandaloneServer server, Path war) throws Exception {
        server.install(war);
        server.start(null);
        byte[] body = "{\"eventId\":\"evt_while_misconfigured\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSigner.of(SECRET).sign(body);
        for (String contextPath : server.contextPaths()) {
            WebhookClient client = new WebhookClient(server.uri(contextPath));

            RawResponse post = client.post(WEBHOOK_PATH, body, "application/json", signature);
            RawResponse events = client.get("/events");

            assertEquals(server.unavailableStatus(), post.status(), () -> contextPath + ": " + post);
            assertEquals(server.unavailableStatus(), events.status(), () -> contextPath + ": " + events);
        }
        ServerLogs logs = server.logs();
        List<String> reasons = logs.problemsMentioning("environment variable WEBHOOK_SECRET is not set");
        // The container logs the filter's exception, and since issue 9 the filter logs it too through its
        // own logger (Tomcat shows that one in catalina.log and on the console): one or more per context.
        long named = reasons.stream()
                .filter(r -> r.contains(FILTER_REFUSED)).count();
        assertTrue(named >= server.contextPaths().size(),
                () -> "at least one problem record per context naming the variable; logs:\n" + logs);
        assertFalse(logs.contains(FILTER_STARTED), "a filter started without its secret");
        System.out.printf("[standalone] %s without %s: %s%n", server, StandaloneServer.SECRET_VARIABLE,
                reasons.stream().map(DeployedWarContract::firstLine).toList());
    }

    private static String firstLine(String record) {
        String line = record.split("\n", 2)[0];
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    private static ServerLogs awaitLogsContaining(StandaloneServer server, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ServerLogs logs = server.logs();
        while (!logs.contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            logs = server.logs();
        }
        assertTrue(logs.contains(text), "the handler's line for " + text + " never reached the logs:\n" + logs);
        return logs;
    }

    private String sign(byte[] body) {
        return remember(signer.sign(body));
    }

    /** The signature header of {@code forgery} for {@code body} (null for none), against {@link #SECRET}. */
    private String forge(Forgery forgery, byte[] body) {
        String header = forgery.header(SECRET, body, System.currentTimeMillis() / 1000);
        return header == null ? null : remember(header);
    }

    private String remember(String header) {
        for (String element : header.split(",")) {
            if (element.startsWith("v1=")) {
                signaturesSent.add(element.substring(3));
            }
        }
        return header;
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Bytes of every value, CR, LF and NUL included, the same for the same seed. */
    private static byte[] pseudoRandomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static String randomToken(String prefix) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }
}
