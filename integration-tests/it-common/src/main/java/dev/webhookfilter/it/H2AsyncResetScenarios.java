package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.servlet.FilterRejection;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.http2.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Over h2c, with replay protection, de-duplication by {@value #DELIVERY_ID} with a short lease, and a buffer budget
 * of one body: an async handler whose sender resets its stream while the application's own thread holds the request
 * gives the budget back and runs once per outcome the filter can know; and a refusal over HTTP/2 is a plain answer,
 * with nothing after it (no trailers, no 5xx).
 */
public abstract class H2AsyncResetScenarios extends ContainerScenarios {

    private static final String DELIVERY_ID = "X-Delivery-Id";
    private static final int LEASE_SECONDS = 3;
    /** {@code maxBufferedBytes} and {@code maxBodyBytes}: one body of {@link #BODY_SIZE}. */
    private static final int BUDGET = 4096;
    private static final int BODY_SIZE = 3000;
    private static final ProbeContext ONE_HELD = ProbeContext.withProbeSecrets("/h2-async-reset", Map.of(
            "replayProtection", "true", "deduplicate", "true", "idHeader", DELIVERY_ID,
            "leaseSeconds", Integer.toString(LEASE_SECONDS),
            "maxBufferedBytes", Integer.toString(BUDGET), "maxBodyBytes", Integer.toString(BUDGET)));
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long a test waits for Jetty to end an async request whose stream was reset, which it may not do. */
    private static final Duration ASYNC_ERROR_WAIT = Duration.ofSeconds(3);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The paths whose 503 {@code BUSY} {@link #pastBusy} waited past. */
    private static final Set<String> WAITED_PAST_BUSY = ConcurrentHashMap.newKeySet();

    protected H2AsyncResetScenarios(Container container) {
        super(container);
    }

    @Override
    protected boolean h2c() {
        return true;
    }

    @Override
    protected List<ProbeContext> probeContexts() {
        return List.of(ONE_HELD);
    }

    /**
     * Both containers log as 500 an async request they ended by an error at the reset; and a 503 {@code BUSY} that
     * {@link #pastBusy} waited past, the room of the request before not yet given back (seen on a loaded machine).
     */
    @Override
    protected boolean isExpectedServerError(Exchange exchange) {
        return exchange.status() == 500 && exchange.uri().startsWith(ONE_HELD.target(ProbeContext.HELD_ASYNC))
                || exchange.status() == 503 && WAITED_PAST_BUSY.contains(exchange.uri());
    }

    private boolean isTomcat() {
        return app.serverInfo().startsWith("Apache Tomcat");
    }

    /**
     * A stream reset while an async handler's own thread holds the request, which it then answers 200 into the stream
     * that is gone: where the container ended the request by an error at the reset, the body's room is given back at
     * once and the claim left to its lease (the retry signed anew gets 409, then runs once the lease has run out);
     * where it did not, the request ends when the application completes it, and its 200 marks the id done (the retry
     * is a duplicate). Either way the next event gets through a budget of one body once the request has ended, and the
     * application runs at most once for the message while its first run may still be going on.
     */
    @Test
    void resetWhileAnAsyncHandlerHoldsTheRequestGivesTheBudgetBackAndRunsOncePerKnownOutcome() throws Exception {
        int runs = ONE_HELD.handlerRuns();
        Held held = overHttp2(this::open, this::resetWhileHeld);
        String label = held.label();
        String path = held.path();
        byte[] body = held.body();
        String id = held.id();
        long signedAt = held.signedAt();
        boolean ended = held.ended();
        List<String> happened = new ArrayList<>(held.happened());
        Exchange logged = awaitExchange(path);
        happened.addAll(overHttp2(this::open, connection -> {
            List<String> after = new ArrayList<>();
            after.add("next event: " + nextEvent(connection, label + "-next"));
            after.add("same request: " + send(connection, label + "-again", body, signedAt, id));
            after.add("signed anew: " + send(connection, label + "-anew", body, signedAt - 2, id));
            Thread.sleep((LEASE_SECONDS + 1) * 1000L);
            after.add("after the lease: " + send(connection, label + "-late", body, signedAt - 3, id));
            return after;
        }));
        happened.add("runs for the message: " + (ONE_HELD.handlerRuns() - runs - (ended ? 2 : 1)));
        System.out.println(app.serverInfo() + ": async request ended by an error at the reset: " + ended + ", logged "
                + logged.status() + "; " + happened);
        List<String> expected = new ArrayList<>();
        if (ended) {
            expected.addAll(List.of("next event while held: 200", "signed anew while held: 409"));
        }
        expected.addAll(List.of("next event: 200", "same request: 401 webhook rejected: replayed"));
        expected.addAll(ended
                ? List.of("signed anew: 409", "after the lease: 200", "runs for the message: 2")
                : List.of("signed anew: 200 Webhook-Duplicate", "after the lease: 200 Webhook-Duplicate",
                        "runs for the message: 1"));
        assertTrue(ended || !isTomcat(), "Tomcat did not end the request by an error at the reset");
        assertEquals(expected, happened);
    }

    /**
     * The request held and reset by {@link #resetWhileHeld}, whether the container ended it by an error, and what
     * happened meanwhile.
     */
    private record Held(String label, String path, byte[] body, String id, long signedAt, boolean ended,
                        List<String> happened) {
    }

    /**
     * Sends a signed event with a delivery id to a new held path on {@code connection}, resets its stream while the
     * async handler holds it, and, where the container ended the request by an error, sends the next event and the
     * same event signed anew while it is held.
     */
    private Held resetWhileHeld(H2cConnection connection) throws Exception {
        String label = "reset-" + IDS.incrementAndGet();
        String path = ONE_HELD.target(ProbeContext.HELD_ASYNC + label);
        byte[] body = Webhooks.jsonEvent("evt_" + label, BODY_SIZE);
        String id = "dlv-" + label;
        long signedAt = Webhooks.now();
        List<String> happened = new ArrayList<>();
        boolean ended;
        try {
            H2cConnection.Exchange stream = connection.begin(request(path, body, signedAt, id));
            stream.send(body, 0, body.length, true);
            assertTrue(ProbeContext.awaitHeld(path, PATIENCE), "the handler did not get " + path);
            stream.cancel();
            connection.roundTrip(PATIENCE);
            ended = ProbeContext.awaitAsyncError(path, isTomcat() ? PATIENCE : ASYNC_ERROR_WAIT);
            if (ended) {
                // Ended by an error: the filter has let the request go, though the application still holds it.
                happened.add("next event while held: " + nextEvent(connection, label + "-while-held"));
                happened.add("signed anew while held: " + send(connection, label + "-anew-held", body, signedAt - 1,
                        id));
            }
        } finally {
            ProbeContext.letGo(path);
        }
        return new Held(label, path, body, id, signedAt, ended, happened);
    }

    private H2cConnection open() throws Exception {
        return H2cConnection.open(app.port());
    }

    /**
     * A refusal over HTTP/2 (a missing signature, its body declared or not, small enough to be drained, or larger;
     * a body that does not match its signature) is the filter's 401 and nothing more: no trailers after it, no 5xx
     * in the container's log (checked after each test), and the connection carries the next stream.
     */
    @ParameterizedTest(name = "{0}, {1} bytes, content-length declared: {2}")
    @CsvSource({"MISSING_HEADER, 1000, true", "MISSING_HEADER, 1000, false", "MISSING_HEADER, 30000, true",
            "MISSING_HEADER, 30000, false", "CHANGED_BODY_BYTE, 3000, true", "CHANGED_BODY_BYTE, 3000, false"})
    void refusalOverHttp2HasNothingAfterIt(Forgery forgery, int size, boolean declared) throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_h2_refused_" + IDS.incrementAndGet(), size);
        byte[] sent = forgery.sentBody(body);
        overHttp2(this::open, connection -> {
            H2cConnection.Request refused = H2cConnection.Request.post(uniquePath("h2-refused"))
                    .header("content-type", "application/json").body(sent);
            String header = forgery.header(Webhooks.secret(), body, Webhooks.now());
            if (header != null) {
                refused.header(Webhooks.HEADER, header);
            }
            if (!declared) {
                refused.withoutContentLength();
            }
            H2cConnection.Exchange stream = connection.begin(refused);
            stream.sendLater(sent, 0, sent.length, true);
            RawResponse response = stream.response(PATIENCE);
            System.out.println(app.serverInfo() + ": h2c " + forgery + " " + size + " bytes, content-length " + declared
                    + ": " + response.status() + ", trailers " + stream.trailers() + ", reset by the server "
                    + (stream.resetByServer().isPresent()
                    ? ErrorCode.toString(stream.resetByServer().getAsInt(), "unknown") : "no"));
            assertEquals(401, response.status(), response::toString);
            assertEquals(List.of(), stream.trailers(), "trailers after the 401");
            byte[] event = Webhooks.jsonEvent("evt_h2_after_refusal_" + IDS.incrementAndGet());
            RawResponse next = connection.exchange(H2cConnection.Request.signedPost(uniquePath("h2-after-refusal"), event),
                    PATIENCE);
            Webhooks.assertDelivered(event, next);
            return null;
        });
    }

    /** A new event through the budget of one body: its status, once 503 {@code BUSY} for up to 5 s has passed. */
    private static int nextEvent(H2cConnection connection, String label) throws Exception {
        String path = ONE_HELD.target("/webhooks/" + label);
        return pastBusy(connection, path, () -> request(path, Webhooks.jsonEvent("evt_" + label, BODY_SIZE),
                Webhooks.now(), "dlv-" + label + "-" + IDS.incrementAndGet())).status();
    }

    /** Sends to {@code label}'s path, under {@link #ONE_HELD}, the event signed at {@code signedAt}, past a 503 BUSY. */
    private static String send(H2cConnection connection, String label, byte[] body, long signedAt, String id)
            throws Exception {
        String path = ONE_HELD.target("/webhooks/" + label);
        return describe(pastBusy(connection, path, () -> request(path, body, signedAt, id)));
    }

    /**
     * Sends what {@code request} makes until the answer is not a 503 {@code BUSY}, for up to 5 s: with a budget of
     * one body, the room of the request before may not be given back yet when its answer has come (seen on a loaded
     * machine, for a next event and for the same event signed anew). A 503 {@code BUSY} comes before the MAC is checked
     * and before any replay record, so the request sent again is judged as new.
     */
    private static RawResponse pastBusy(H2cConnection connection, String path,
                                        Supplier<H2cConnection.Request> request) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            RawResponse response = connection.exchange(request.get(), PATIENCE);
            if (response.status() != 503 || !response.text().contains(FilterRejection.BUSY.message())
                    || System.nanoTime() > deadline) {
                return response;
            }
            WAITED_PAST_BUSY.add(path);
            Thread.sleep(100);
        }
    }

    private static H2cConnection.Request request(String path, byte[] body, long signedAt, String id) {
        return H2cConnection.Request.post(path).header("content-type", "application/json")
                .header(Webhooks.HEADER, Webhooks.signer().sign(body, signedAt)).header(DELIVERY_ID, id).body(body);
    }

    private static String describe(RawResponse response) {
        if (response.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent()) {
            return response.status() + " " + WebhookSignatureFilter.DUPLICATE_HEADER;
        }
        String text = response.text().strip();
        return response.status() + (text.startsWith("webhook rejected: replayed") ? " " + text : "");
    }
}
