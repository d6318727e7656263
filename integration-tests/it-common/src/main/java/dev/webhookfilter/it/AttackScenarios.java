package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.it.ProbeContext.Mapping;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of issue 9, each performed over real HTTP against the real filter jar in the
 * container, in {@link ProbeContext}s configured for it beside the example WAR. Every test here
 * failed on the filter as it was when the issue was filed (commit 3ea6974 of main): the
 * application ran for a replay, for a stale body, for a request signed with a misspelled secret
 * reference, the DEBUG line carried the path parameters, or the context refused the new
 * init-params ({@code register()} did not exist); except the four about forwards and error pages
 * with a descriptor's mapping, which pass there too: the filter already verified the dispatches it
 * was mapped for, and the fix is the mapping that the README now recommends. The two about an error page
 * in another endpoint's path failed until commit 1894ea8, as they did on its parent; the error page of the
 * endpoint itself passed there too.
 *
 * <p>Signatures are computed by the openssl command line ({@link OpenSsl}), so that what the
 * filter accepts or refuses does not depend on the library's own signer.
 */
public abstract class AttackScenarios extends ContainerScenarios {

    /** The tolerance of {@link #FRESH}: short, so that a request goes stale within the test. */
    static final int SHORT_TOLERANCE_SECONDS = 2;
    /** The {@code maxBufferedBytes} of {@link #BUSY}: what all its in-flight requests may buffer together. */
    static final int SMALL_BUFFER_BUDGET = 64 * 1024;

    /** Replay protection on, the probe's two secrets: secret rotation. */
    static final ProbeContext REPLAY = ProbeContext.withProbeSecrets("/replay",
            Map.of("replayProtection", "true"));
    /** Replay protection on and a tolerance of {@value #SHORT_TOLERANCE_SECONDS} s. */
    static final ProbeContext FRESH = ProbeContext.withProbeSecrets("/fresh",
            Map.of("replayProtection", "true", "toleranceSeconds", Integer.toString(SHORT_TOLERANCE_SECONDS)));
    /** A buffer budget of {@value #SMALL_BUFFER_BUDGET} bytes for all requests in flight. */
    static final ProbeContext BUSY = ProbeContext.withProbeSecrets("/busy",
            Map.of("maxBufferedBytes", Integer.toString(SMALL_BUFFER_BUDGET),
                    // The budget may not be smaller than one body: the filter refuses that configuration.
                    "maxBodyBytes", Integer.toString(SMALL_BUFFER_BUDGET)));
    static final ProbeContext QUERY_REJECT = ProbeContext.withProbeSecrets("/query-reject",
            Map.of("queryString", "reject"));
    static final ProbeContext QUERY_ALLOW = ProbeContext.withProbeSecrets("/query-allow",
            Map.of("queryString", "allow"));
    /** The README's recommended mapping: all five dispatcher types. */
    static final ProbeContext DISPATCH = ProbeContext.withProbeSecrets("/dispatch", Map.of());
    /** Registered by {@code WebhookSignatureFilter.Builder#register}, which maps every dispatcher type. */
    static final ProbeContext REGISTERED = new ProbeContext("/registered",
            Map.of("secrets", "env:WEBHOOK_SECRET"), Mapping.BUILDER_REGISTER);
    /** The mapping the README showed before issue 9: REQUEST only. */
    static final ProbeContext REQUEST_ONLY = new ProbeContext("/request-only",
            ProbeServlet.filterParameters(), Mapping.REQUEST_ONLY);

    /** Misspelled secret references, each of which used to be taken as a literal secret. */
    static final List<String> SECRET_TYPOS = List.of("ENV:WEBHOOK_SECRET", "Env:WEBHOOK_SECRET",
            "env :WEBHOOK_SECRET", "File:/tmp/x", "${WEBHOOK_SECRET}", "%WEBHOOK_SECRET%");
    /** The first line of {@link #SECRETS_FILE}'s file: a comment, not a secret. */
    static final String COMMENT_LINE = "# comment";

    /** {@code file:} secrets whose file starts with a {@code #} line; created when the container starts. */
    private ProbeContext secretsFile;

    protected AttackScenarios(Container container) {
        super(container);
    }

    @BeforeAll
    static void needsOpenssl() {
        OpenSsl.require();
    }

    @Override
    protected List<ProbeContext> probeContexts() {
        List<ProbeContext> contexts = new ArrayList<>(List.of(REPLAY, FRESH, BUSY, QUERY_REJECT, QUERY_ALLOW,
                DISPATCH, REGISTERED, REQUEST_ONLY));
        for (int i = 0; i < SECRET_TYPOS.size(); i++) {
            contexts.add(typoContext(i));
        }
        contexts.add(secretsFileContext());
        return contexts;
    }

    /** The budget's refusal is a 503 by design; so is the 500 of a handler that fails with it, for its error page. */
    @Override
    protected boolean isExpectedServerError(Exchange exchange) {
        return exchange.status() == 503 && exchange.uri().startsWith(BUSY.path() + "/")
                || exchange.status() == 500 && exchange.uri().startsWith(REGISTERED.target(ProbeContext.failsWith(500, "")));
    }

    // ---------------------------------------------------------------- 1. replay during secret rotation

    /**
     * A captured request that carries one {@code v1} per secret (the documented rotation) is
     * accepted once; replaying it whole, or with only either {@code v1}, is refused: the replay
     * key does not depend on which secret matched. Before the fix the replay with only the second
     * {@code v1} matched the second secret, was recorded under another key and ran the application again.
     */
    @Test
    void replayKeepingOnlyOneOfTheRotationSignaturesIsRefused() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_rotation_replay");
        long t = Webhooks.now();
        String v1 = v1(OpenSsl.sign(Webhooks.secret(), body, t));
        String v2 = v1(OpenSsl.sign(ProbeServlet.PREVIOUS_SECRET, body, t));
        String path = REPLAY.target(uniquePath("rotation"));
        int runsBefore = REPLAY.handlerRuns();

        RawResponse both = post(path, "t=" + t + ",v1=" + v1 + ",v1=" + v2, body);
        RawResponse bothAgain = post(path, "t=" + t + ",v1=" + v1 + ",v1=" + v2, body);
        RawResponse secondOnly = post(path, "t=" + t + ",v1=" + v2, body);
        RawResponse firstOnly = post(path, "t=" + t + ",v1=" + v1, body);

        assertEquals(200, both.status(), both::text);
        assertEquals(List.of(401, 401, 401), List.of(bothAgain.status(), secondOnly.status(), firstOnly.status()),
                "the same request again, then with only the second v1, then with only the first");
        assertEquals(1, REPLAY.handlerRuns() - runsBefore, "runs of the application");
        assertEquals(List.of("none", "REPLAYED", "REPLAYED", "REPLAYED"), ProbeContext.rejections(path, 4));
        for (RawResponse refused : List.of(bothAgain, secondOnly, firstOnly)) {
            // The client learns the short reason only: never a signature, a secret or which secret matched.
            assertEquals("webhook rejected: replayed\n", refused.text());
        }
    }

    // ---------------------------------------------------------------- 2. freshness judged when the body has arrived

    /**
     * The replay's headers and all but its last byte arrive while its timestamp is fresh, and
     * pass the early check; the last byte arrives once it is stale, after the replay guard may
     * have let go of the signature. Before the fix the application ran a second time.
     */
    @Test
    void replayWhoseLastByteArrivesAfterTheToleranceIsRefused() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_late_last_byte", 2000);
        long t = Webhooks.now();
        String header = OpenSsl.sign(Webhooks.secret(), body, t);
        String path = FRESH.target(uniquePath("late-last-byte"));
        int runsBefore = FRESH.handlerRuns();

        RawResponse genuine = post(path, header, body);
        assertEquals(200, genuine.status(), genuine::text);
        RawResponse replay;
        try (RawConnection connection = connect()) {
            RawRequest request = RawRequest.post(path).header(Webhooks.HEADER, header).body(body);
            connection.send(request.head());
            connection.send(body, 0, body.length - 1);
            awaitStale(t);
            connection.send(body, body.length - 1, 1);
            replay = connection.read("POST");
        }

        assertEquals(401, replay.status(), replay::text);
        assertEquals(1, FRESH.handlerRuns() - runsBefore, "runs of the application");
        assertEquals(List.of("none", "STALE_TIMESTAMP"), ProbeContext.rejections(path, 2));
    }

    /**
     * A captured request never delivered, its body trickled so that it completes after the
     * tolerance: before the fix it was accepted however late it ended.
     */
    @Test
    void requestTrickledPastTheToleranceIsRefused() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_trickled_past_tolerance", 2000);
        long t = Webhooks.now();
        String path = FRESH.target(uniquePath("trickled"));
        RawRequest request = RawRequest.post(path)
                .header(Webhooks.HEADER, OpenSsl.sign(Webhooks.secret(), body, t))
                .body(body);
        int runsBefore = FRESH.handlerRuns();

        RawResponse response;
        try (RawConnection connection = connect()) {
            connection.send(request.head());
            int piece = body.length / 4;
            for (int from = 0; from < body.length - piece; from += piece) {
                connection.send(body, from, piece); // each piece well inside the connector's idle timeout
                Thread.sleep(SHORT_TOLERANCE_SECONDS * 1000L / 3);
            }
            awaitStale(t);
            int sent = (body.length / piece - 1) * piece;
            connection.send(body, sent, body.length - sent);
            response = connection.read("POST");
        }

        assertEquals(401, response.status(), response::text);
        assertEquals(0, FRESH.handlerRuns() - runsBefore, "runs of the application");
        assertEquals(List.of("STALE_TIMESTAMP"), ProbeContext.rejections(path, 1));
    }

    /** Sleeps until the wall clock is more than a second past {@code t}'s tolerance. */
    private static void awaitStale(long t) throws InterruptedException {
        while (Webhooks.now() <= t + SHORT_TOLERANCE_SECONDS + 1) {
            Thread.sleep(100);
        }
    }

    // ---------------------------------------------------------------- 3. the buffer budget

    /**
     * While one request holds 60 KiB of the context's 64 KiB budget, a second that needs 10 KiB
     * gets 503 with {@code Retry-After} and does not reach the application; once the first
     * completes, genuine events flow again. Before the fix {@code maxBufferedBytes} did not exist
     * (the context did not start) and each request allocated its whole declared length up front.
     */
    @Test
    void requestOverTheBufferBudgetGets503AndTrafficRecovers() throws Exception {
        byte[] large = Webhooks.jsonEvent("evt_holds_the_budget", 61 * 1024);
        byte[] small = Webhooks.jsonEvent("evt_over_the_budget", 10 * 1024);
        String largePath = BUSY.target(ProbeContext.counted(uniquePath("holder")));
        String smallPath = BUSY.target(uniquePath("over-budget"));
        int runsBefore = BUSY.handlerRuns();

        RawResponse refused;
        RawResponse holder;
        try (RawConnection holding = connect()) {
            RawRequest request = RawRequest.post(largePath)
                    .header(Webhooks.HEADER, OpenSsl.sign(Webhooks.secret(), large, Webhooks.now()))
                    .body(large);
            holding.send(request.head());
            holding.send(large, 0, 60 * 1024);
            awaitBodyBytesRead(largePath, 60 * 1024); // the 60 KiB are in the filter's buffer, taken from the budget
            try (RawConnection second = connect()) {
                refused = answerWithoutTheBody(second, RawRequest.post(smallPath)
                        .header(Webhooks.HEADER, OpenSsl.sign(Webhooks.secret(), small, Webhooks.now()))
                        .body(small));
            }
            holding.send(large, 60 * 1024, large.length - 60 * 1024);
            holder = holding.read("POST");
        }
        RawResponse after = post(BUSY.target(uniquePath("after-busy")),
                OpenSsl.sign(Webhooks.secret(), small, Webhooks.now()), small);

        assertEquals(503, refused.status(), refused::text);
        assertTrue(refused.header("Retry-After").isPresent(), refused::toString);
        assertEquals(List.of("BUSY"), ProbeContext.rejections(smallPath, 1));
        assertEquals(200, holder.status(), holder::text);
        assertEquals("bytes=" + large.length, holder.text().strip());
        assertEquals(200, after.status(), after::text);
        assertEquals(2, BUSY.handlerRuns() - runsBefore, "runs of the application: the holder and the one after");
    }

    /**
     * Sends the head alone and reads the answer: a refusal that the declared length decides needs no byte of
     * the body, so it must come while the body is still unsent. The wait is long (the whole read timeout), so
     * that a slow machine is not mistaken for a filter that waits for the body; such a filter fails here.
     */
    private static RawResponse answerWithoutTheBody(RawConnection connection, RawRequest request) throws IOException {
        connection.send(request.head());
        try {
            return connection.read(request.method());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer in " + RawConnection.READ_TIMEOUT.toSeconds() + " s to a request over"
                    + " the budget whose body was not sent: the refusal waited for the body", e);
        }
    }

    // ---------------------------------------------------------------- 4. misspelled secret references

    static Stream<Integer> typos() {
        return IntStream.range(0, SECRET_TYPOS.size()).boxed();
    }

    /**
     * A context whose {@code secrets} is a misspelled {@code env:} or {@code file:} reference, or
     * a placeholder another tool would have expanded, does not start; a request signed with the
     * text itself as the key never reaches its application. Before the fix the text was taken as
     * a literal secret and such a request got 200.
     */
    @ParameterizedTest(name = "secrets={0}")
    @MethodSource("typos")
    void misspelledSecretReferenceStopsTheContext(int index) throws Exception {
        String typo = SECRET_TYPOS.get(index);
        ProbeContext context = typoContext(index);
        byte[] body = Webhooks.jsonEvent("evt_typo");

        RawResponse response = post(context.target("/webhooks/typo"), OpenSsl.sign(typo, body, Webhooks.now()), body);

        assertNotEquals(200, response.status(), () -> typo + " was accepted as a literal secret: " + response.text());
        // Else a path that was never deployed would pass for one whose filter refused to start.
        assertTrue(context.initialized(), () -> "the container never set up " + context);
        // What the container answers for a path no started context serves: the example WAR at /
        // (Tomcat 404; Jetty's default servlet 405 for a POST), or 503 for a context kept unavailable.
        assertTrue(List.of(404, 405, 503).contains(response.status()),
                () -> "the context should not have started; got " + response);
        assertEquals(0, context.handlerRuns(), "runs of the application");
    }

    /**
     * Each typo's context did not start because its filter refused the reference, and said so through its
     * own logger (ERROR, which java.util.logging calls SEVERE), where {@link ServerLog} saw it: the proof
     * that the check after every test, no warning or error logged, sees what the filter and the container log.
     */
    @Test
    void filterLogsWhyEachMisspelledReferenceStoppedItsContext() {
        String filterLine = "SEVERE dev.webhookfilter.servlet.WebhookSignatureFilter: WebhookSignatureFilter '"
                + ProbeContext.FILTER_NAME + "' is misconfigured and will not start:";
        List<String> refusals = startupLog().stream().filter(line -> line.startsWith(filterLine)).toList();
        long misspelled = refusals.stream().filter(line -> line.contains("looks like a misspelled reference")).count();
        long placeholders = refusals.stream().filter(line -> line.contains("looks like a placeholder")).count();
        // ENV:, Env:, "env :" and File: are misspellings; ${...} and %...% placeholders.
        assertEquals(List.of(4L, 2L), List.of(misspelled, placeholders), () -> String.join("\n", startupLog()));
    }

    /** In a {@code file:} secrets file a line starting with {@code #} is a comment, not a secret. */
    @Test
    void commentLineInSecretsFileIsNoSecret() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_comment_line");
        String path = secretsFile.target(uniquePath("comment"));
        int runsBefore = secretsFile.handlerRuns();

        RawResponse comment = post(path, OpenSsl.sign(COMMENT_LINE, body, Webhooks.now()), body);
        RawResponse genuine = post(path, OpenSsl.sign(ProbeServlet.PREVIOUS_SECRET, body, Webhooks.now()), body);

        assertEquals(401, comment.status(), comment::text);
        assertEquals(200, genuine.status(), "the secret on the file's next line: " + genuine.text());
        assertEquals(1, secretsFile.handlerRuns() - runsBefore, "runs of the application");
    }

    // ---------------------------------------------------------------- 5. query strings

    /**
     * A captured genuine form webhook ({@code amount=100}, signed) replayed with
     * {@code ?amount=999999}: with {@code queryString=reject} it gets 400 and the application
     * never sees the forged amount.
     */
    @Test
    void queryStringRejectRefusesAFormWebhookWithAForgedQuery() throws Exception {
        byte[] body = "amount=100".getBytes(StandardCharsets.US_ASCII);
        String header = OpenSsl.sign(Webhooks.secret(), body, Webhooks.now());
        int runsBefore = QUERY_REJECT.handlerRuns();

        RawResponse genuine = postForm(QUERY_REJECT.target("/webhooks/params"), header, body);
        RawResponse forged = postForm(QUERY_REJECT.target("/webhooks/params?amount=999999"), header, body);

        assertEquals(200, genuine.status(), genuine::text);
        assertEquals("amount=100", genuine.text().strip());
        assertEquals(400, forged.status(), forged::text);
        assertEquals(1, QUERY_REJECT.handlerRuns() - runsBefore, "runs of the application");
        List<String> noted = ProbeContext.rejections(QUERY_REJECT.target("/webhooks/params"), 2);
        assertEquals("QUERY_STRING", noted.get(noted.size() - 1), noted::toString);
    }

    /**
     * With {@code queryString=allow} (the default) the query is not signed and, in the Servlet
     * order, its values come first: the application sees the forged amount before the signed one.
     * README and SECURITY.md document this; the test pins it.
     */
    @Test
    void queryStringAllowLetsUnsignedQueryValuesComeFirst() throws Exception {
        byte[] body = "amount=100".getBytes(StandardCharsets.US_ASCII);
        String header = OpenSsl.sign(Webhooks.secret(), body, Webhooks.now());

        RawResponse forged = postForm(QUERY_ALLOW.target("/webhooks/params?amount=999999"), header, body);

        assertEquals(200, forged.status(), forged::text);
        assertEquals("amount=999999|100", forged.text().strip());
    }

    // ---------------------------------------------------------------- 5. a verified form's parameters

    /**
     * A signed form of 1001 pairs gets 400 ({@code TOO_MANY_PARAMETERS}) before the application runs, whose
     * decoding would have cost far more heap than its bytes; one of exactly 1000, Tomcat's and Jetty's default limit,
     * reaches it with every pair in {@code getParameterMap()}. The container's own limit covers the query string
     * only: the filter decodes the signed body itself.
     */
    @Test
    void aSignedFormOfMoreThan1000PairsIsRefusedAndOneOf1000IsServedWhole() throws Exception {
        String overPath = QUERY_ALLOW.target(uniquePath("form-1001"));
        int runsBefore = QUERY_ALLOW.handlerRuns();

        byte[] overForm = form(1001);
        byte[] exactForm = form(1000);
        RawResponse over = postForm(overPath, OpenSsl.sign(Webhooks.secret(), overForm, Webhooks.now()), overForm);
        RawResponse exact = postForm(QUERY_ALLOW.target("/webhooks/params"),
                OpenSsl.sign(Webhooks.secret(), exactForm, Webhooks.now()), exactForm);

        assertEquals(400, over.status(), over::text);
        assertEquals(List.of("TOO_MANY_PARAMETERS"), ProbeContext.rejections(overPath, 1));
        assertEquals(200, exact.status(), exact::text);
        List<String> expected = IntStream.range(0, 1000).mapToObj(i -> "p" + i + "=" + i).sorted().toList();
        assertEquals(expected, Arrays.stream(exact.text().split("\n")).sorted().toList());
        assertEquals(1, QUERY_ALLOW.handlerRuns() - runsBefore, "runs of the application: the form of 1000 only");
    }

    /** {@code p0=0&p1=1&...}: a form of {@code pairs} pairs. */
    private static byte[] form(int pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            form.append(i == 0 ? "" : "&").append('p').append(i).append('=').append(i);
        }
        return form.toString().getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- 5. dispatcher types

    /**
     * With the recommended mapping (all five dispatcher types), an unsigned request that a servlet
     * outside the webhook path forwards into it is refused, and the application does not run.
     */
    @Test
    void forwardIntoTheWebhookPathIsVerifiedWithTheRecommendedMapping() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_forwarded");
        String path = DISPATCH.target("/forward/evt-" + Webhooks.now());
        int runsBefore = DISPATCH.handlerRuns();

        RawResponse response = post(path, null, body);

        assertEquals(401, response.status(), response::text);
        assertEquals(0, DISPATCH.handlerRuns() - runsBefore, "runs of the application");
        assertEquals(List.of("MISSING_HEADER"), ProbeContext.rejections(path, 1));
    }

    /**
     * The attack the recommended mapping closes: mapped for REQUEST only, as the README showed,
     * the filter never sees the forward and the application runs on an unverified body.
     */
    @Test
    void requestOnlyMappingLetsAForwardReachTheApplicationUnverified() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_forwarded_unverified");
        int runsBefore = REQUEST_ONLY.handlerRuns();

        RawResponse response = post(REQUEST_ONLY.target("/forward/evt"), null, body);

        assertEquals(200, response.status(), response::text);
        assertEquals(1, REQUEST_ONLY.handlerRuns() - runsBefore, "runs of the application");
    }

    /**
     * With the recommended mapping, an unsigned request for a path nothing serves, which the
     * container sends to the error page under the webhook path, is refused there too.
     */
    @Test
    void errorPageUnderTheWebhookPathIsVerifiedWithTheRecommendedMapping() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_to_error_page");
        String path = DISPATCH.target("/nowhere-" + Webhooks.now());
        int runsBefore = DISPATCH.handlerRuns();

        RawResponse response = post(path, null, body);

        assertNotEquals(200, response.status(), response::text);
        // That the container does dispatch to the error page, requestOnlyMappingLetsAnErrorPage... shows.
        // The rejection attribute is not checked: Jetty sets it on its error dispatch's own request.
        assertEquals(0, DISPATCH.handlerRuns() - runsBefore, "runs of the application");
    }

    /**
     * The same, mapped for REQUEST only: the error page runs the application on the unverified
     * body. This is the attack the recommended mapping closes; the test shows the container dispatches.
     */
    @Test
    void requestOnlyMappingLetsAnErrorPageRunTheApplicationUnverified() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_to_error_page_unverified");
        int runsBefore = REQUEST_ONLY.handlerRuns();

        post(REQUEST_ONLY.target("/nowhere-" + Webhooks.now()), null, body);

        assertEquals(1, REQUEST_ONLY.handlerRuns() - runsBefore, "runs of the application");
    }

    /**
     * A filter registered with {@code WebhookSignatureFilter.builder()...register(context, name,
     * patterns)} covers every dispatcher type: the forward is refused, a genuine event still gets
     * through.
     */
    @Test
    void builderRegistrationVerifiesAForwardIntoTheWebhookPath() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_forwarded_to_registered");
        String forwarded = REGISTERED.target("/forward/evt-" + Webhooks.now());
        int runsBefore = REGISTERED.handlerRuns();

        RawResponse forward = post(forwarded, null, body);
        RawResponse genuine = post(REGISTERED.target(uniquePath("registered")),
                OpenSsl.sign(Webhooks.secret(), body, Webhooks.now()), body);

        assertEquals(401, forward.status(), forward::text);
        assertEquals(List.of("MISSING_HEADER"), ProbeContext.rejections(forwarded, 1));
        assertEquals(200, genuine.status(), genuine::text);
        assertEquals(1, REGISTERED.handlerRuns() - runsBefore, "runs of the application: the genuine event only");
    }

    /**
     * One endpoint's handler forwards a verified event into another endpoint's path, whose filter has a
     * secret of its own: that filter checks the event again, from the bytes the first one read, and refuses
     * it, and the second endpoint's handler does not run. It passed there as verified before.
     */
    @Test
    void aForwardIntoAnotherEndpointIsCheckedByThatEndpointsFilter() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_forwarded_to_another_endpoint");
        String forwarded = REGISTERED.target(ProbeContext.TO_OTHER_ENDPOINT + "evt-" + Webhooks.now());
        String direct = REGISTERED.target("/other/evt-" + Webhooks.now());
        int runsBefore = REGISTERED.handlerRuns();

        RawResponse forward = post(forwarded, OpenSsl.sign(Webhooks.secret(), body, Webhooks.now()), body);
        int runsOfTheForward = REGISTERED.handlerRuns() - runsBefore;
        RawResponse signedForIt = post(direct, OpenSsl.sign(ProbeContext.OTHER_ENDPOINT_SECRET, body, Webhooks.now()), body);

        assertEquals(401, forward.status(), forward::text);
        assertEquals(List.of("NO_MATCHING_SIGNATURE"), ProbeContext.rejections(forwarded, 1));
        assertEquals(1, runsOfTheForward, "runs of the application: the first endpoint's handler only");
        assertEquals(200, signedForIt.status(), signedForIt::text);
    }

    /**
     * One endpoint's handler reads a verified event and fails with {@code sendError(500)}, whose error page
     * ({@link ProbeContext#OTHER_ERROR_PAGE}) is in another endpoint's path, behind a filter with a secret of its
     * own that did not sign the event. The container dispatches its own request to the page, not the first
     * filter's wrapper; the second filter checks it again, from the bytes the first one read, and refuses it: the
     * page does not run, and the client gets the handler's 500 without it. Before commit 1894ea8 the page ran, on
     * a request its endpoint never verified.
     */
    @Test
    void anErrorPageInAnotherEndpointIsCheckedByThatEndpointsFilter() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_fails_into_another_endpoints_page");
        String path = REGISTERED.target(ProbeContext.failsWith(500, "evt-" + Webhooks.now()));
        int runsBefore = REGISTERED.handlerRuns();

        RawResponse failed = post(path, OpenSsl.sign(Webhooks.secret(), body, Webhooks.now()), body);

        assertEquals(1, REGISTERED.handlerRuns() - runsBefore,
                "runs of the application: the failing handler, and not the other endpoint's error page");
        assertEquals(500, failed.status(), failed::text);
        assertEquals("", failed.text(), "neither the page nor a rejection");
    }

    /**
     * The same failure, of an event that carries one {@code v1} for each endpoint's secret, with one {@code t}: the
     * second endpoint's filter accepts it too, and its error page runs on the bytes the first filter verified,
     * though the failing handler had read the container's stream to its end. Before commit 1894ea8 the page ran
     * unchecked on the container's request, and read no byte.
     */
    @Test
    void anErrorPageInAnotherEndpointRunsOnTheSameBytesWhenSignedForBoth() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_fails_into_a_page_signed_for_both");
        long t = Webhooks.now();
        String header = "t=" + t + ",v1=" + v1(OpenSsl.sign(Webhooks.secret(), body, t))
                + ",v1=" + v1(OpenSsl.sign(ProbeContext.OTHER_ENDPOINT_SECRET, body, t));
        String path = REGISTERED.target(ProbeContext.failsWith(500, "evt-" + t));
        int runsBefore = REGISTERED.handlerRuns();

        RawResponse failed = post(path, header, body);

        assertEquals(2, REGISTERED.handlerRuns() - runsBefore,
                "runs of the application: the failing handler, then the other endpoint's error page");
        assertEquals(500, failed.status(), failed::text);
        assertEquals("bytes=" + body.length, failed.text().strip(), "what the error page read");
    }

    /**
     * The handler fails with {@code sendError(404)}, whose error page ({@link ProbeContext#ERROR_PAGE}) is in its
     * own endpoint's path: the filter passes the dispatch as verified, without checking it again, and the page runs
     * on the container's own request, whose body the handler has read (as the README says an error page finds it).
     */
    @Test
    void anErrorPageInTheSameEndpointRunsAsVerified() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_fails_into_its_own_page");
        String path = REGISTERED.target(ProbeContext.failsWith(404, "evt-" + Webhooks.now()));
        int runsBefore = REGISTERED.handlerRuns();

        RawResponse failed = post(path, OpenSsl.sign(Webhooks.secret(), body, Webhooks.now()), body);

        assertEquals(2, REGISTERED.handlerRuns() - runsBefore,
                "runs of the application: the failing handler, then its own endpoint's error page");
        assertEquals(404, failed.status(), failed::text);
        assertEquals("bytes=0", failed.text().strip(), "what the error page read");
    }

    // ---------------------------------------------------------------- 5. the DEBUG rejection line

    /**
     * The filter's DEBUG line for a rejected request names the path without its path parameters,
     * which may carry a session id.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/params;jsessionid=SECRETISH", "/webhooks;jsessionid=SECRETISH/params"})
    void debugRejectionLineLeavesOutPathParameters(String target) throws Exception {
        List<String> lines = debugLinesDuring(() -> {
            RawResponse response = post(DISPATCH.target(target), null, "{}".getBytes(StandardCharsets.US_ASCII));
            assertEquals(401, response.status(), response::text);
        });

        assertTrue(lines.stream().anyMatch(line -> line.contains("rejected") && line.contains("/params")),
                () -> "no DEBUG rejection line naming the path: " + lines);
        assertEquals(List.of(), lines.stream()
                .filter(line -> line.contains("jsessionid") || line.contains("SECRETISH")).toList());
    }

    /** What the filter's logger wrote at DEBUG (FINE) and above while {@code action} ran. */
    private static List<String> debugLinesDuring(ClientAction action) throws Exception {
        Logger logger = Logger.getLogger("dev.webhookfilter.servlet.WebhookSignatureFilter");
        SimpleFormatter formatter = new SimpleFormatter();
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(record.getLevel() + " " + formatter.formatMessage(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Level previous = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
        try {
            action.run();
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previous);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ProbeContext typoContext(int index) {
        return new ProbeContext("/typo-" + index, Map.of("secrets", SECRET_TYPOS.get(index)), Mapping.ALL_DISPATCHERS);
    }

    private ProbeContext secretsFileContext() {
        if (secretsFile == null) {
            try {
                Path file = Files.createTempFile("it-secrets", ".txt");
                file.toFile().deleteOnExit();
                Files.writeString(file, COMMENT_LINE + "\n" + ProbeServlet.PREVIOUS_SECRET + "\n", StandardCharsets.UTF_8);
                secretsFile = new ProbeContext("/secrets-file", Map.of("secrets", "file:" + file), Mapping.ALL_DISPATCHERS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secretsFile;
    }

    /** The value of the only {@code v1} in {@code header}. */
    private static String v1(String header) {
        List<String> values = Arrays.stream(header.split(",")).filter(e -> e.startsWith("v1=")).toList();
        assertEquals(1, values.size(), header);
        return values.get(0).substring(3);
    }

    /** A POST of JSON on a new connection, with the signature header unless it is null. */
    private RawResponse post(String target, String signature, byte[] body) throws IOException {
        RawRequest request = RawRequest.post(target).header("Content-Type", "application/json");
        if (signature != null) {
            request.header(Webhooks.HEADER, signature);
        }
        try (RawConnection connection = connect()) {
            return connection.exchange(request.body(body));
        }
    }

    private RawResponse postForm(String target, String signature, byte[] body) throws IOException {
        try (RawConnection connection = connect()) {
            return connection.exchange(RawRequest.post(target)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(Webhooks.HEADER, signature)
                    .body(body));
        }
    }
}
