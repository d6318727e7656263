package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.it.AsyncCycleContext.Mode;
import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application that answers from a second async cycle ({@link AsyncCycleContext}: {@code startAsync().dispatch()},
 * then {@code startAsync()} again in the async dispatch), behind the filter with replay protection, de-duplication
 * and a buffer budget of one body: however the second cycle ends, one signed message runs the application once, or
 * once more after a failure the filter was told of, never twice for one success, and is never lost (marked done
 * without a success); the buffer's room is given back. Over HTTP/1.1, a new connection per request.
 */
public abstract class AsyncCycleScenarios extends ContainerScenarios {

    /** {@code maxBufferedBytes}, and {@code maxBodyBytes}: one body of {@link #BODY_SIZE}. */
    static final int BUDGET = 4096;
    /** The size of every body sent: a second one does not fit in {@link #BUDGET} beside it. */
    static final int BODY_SIZE = 3000;
    static final AsyncCycleContext CYCLING = AsyncCycleContext.filtered("/async-cycles", BUDGET);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How often a message whose claim holds is sent again, until its lease has run out. */
    static final long POLL_MILLIS = 200;

    protected AsyncCycleScenarios(Container container) {
        super(container);
    }

    @Override
    protected List<AsyncCycleContext> probeContexts() {
        return List.of(CYCLING);
    }

    /** A failure on purpose answers 5xx on a message's first delivery; the container's own 500 for one that threw. */
    @Override
    protected boolean isExpectedServerError(Exchange exchange) {
        String uri = exchange.uri();
        return uri.contains("/first-") && (uri.contains("/fail-") || uri.contains("-5xx/") || uri.contains("/timeout")
                || uri.contains("/throw"));
    }

    /**
     * For each way the second cycle ends ({@link Mode}), on the message's first delivery: what the sender gets; that
     * the next event gets through a budget of one body (the room was given back); what the very same request gets
     * again (401 {@code replayed} while the message stays recorded, 409 while its claim holds, else a run); what the
     * message signed anew with the same id gets (a duplicate once done, 409 while the claim holds, else a run), and,
     * where the claim held, what it gets once the lease ran out; and how many times the application ran for the
     * message's id.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void secondAsyncCycleIsJudgedByItsOwnEnd(Mode mode) throws Exception {
        int mark = ServerLog.size();
        String label = mode.segment() + "-" + IDS.incrementAndGet();
        String id = "id-" + label;
        byte[] body = Webhooks.jsonEvent("evt_cycle_" + label, BODY_SIZE);
        long signedAt = Webhooks.now();
        String signature = Webhooks.signer().sign(body, signedAt);
        List<String> happened = new ArrayList<>();

        happened.add("first: " + describe(send(CYCLING.target(mode, "first-" + label), signature, id, body)));
        happened.add("next event: " + send(CYCLING.target(Mode.OK, "next-" + label), null, "id-next-" + label,
                Webhooks.jsonEvent("evt_cycle_next_" + label, BODY_SIZE)).status());
        happened.add("same request: " + describe(send(CYCLING.target(Mode.OK, "again-" + label), signature, id, body)));
        RawResponse anew = send(CYCLING.target(Mode.OK, "anew-" + label), Webhooks.signer().sign(body, signedAt - 1), id, body);
        happened.add("signed anew: " + describe(anew));
        if (anew.status() == 409) { // the claim holds: the lease is waited out only then
            happened.add("after the lease: " + describe(afterTheLease(label, id, body, signedAt)));
        }
        happened.add("runs: " + AsyncCycleContext.runs(id));
        System.out.println(app.serverInfo() + ", " + mode + ": " + happened);

        int thrown = ServerLog.forget(mark, "the application failed");
        boolean throwing = mode == Mode.THROW || mode == Mode.THROW_AFTER_START;
        assertTrue(!throwing || thrown > 0, "the container logged the application's exception");
        assertEquals(expected(mode), happened);
    }

    /** What the README says of each end: see {@link #secondAsyncCycleIsJudgedByItsOwnEnd}. */
    private static List<String> expected(Mode mode) {
        String duplicate = "200 " + WebhookSignatureFilter.DUPLICATE_HEADER;
        switch (mode) {
            case OK:
            case DISPATCH_AGAIN:
            case READ_LISTENER:
                return List.of("first: 200", "next event: 200", "same request: 401 webhook rejected: replayed",
                        "signed anew: " + duplicate, "runs: 1");
            case FAIL_5XX:
            case DISPATCH_AGAIN_5XX:
                return List.of("first: " + (mode == Mode.DISPATCH_AGAIN_5XX ? 500 : 503), "next event: 200",
                        "same request: 200", "signed anew: " + duplicate, "runs: 2");
            case THROW:
                // Out of async mode, the dispatch's exception is its end, as a synchronous handler's is: a failure.
                return List.of("first: 500", "next event: 200", "same request: 200", "signed anew: " + duplicate,
                        "runs: 2");
            case READ_LISTENER_THROWS:
                // The listener's onError answers 200, but the request failed: run again.
                return List.of("first: 200", "next event: 200", "same request: 200", "signed anew: " + duplicate,
                        "runs: 2");
            case TIMEOUT:
            case TIMEOUT_ANSWERED_5XX:
                // Forgotten as a failure; the claim is left to its lease, as the application's work may go on: a 5xx
                // at a timeout, whoever answered it (Spring MVC answers one with 503 itself).
                return List.of("first: " + (mode == Mode.TIMEOUT ? 500 : 503), "next event: 200", "same request: 409", "signed anew: 409",
                        "after the lease: 200", "runs: 2");
            default:
                // THROW_AFTER_START: in async mode again, the handler may have handed the request on; the container
                // ends it by an error, whose outcome is not known.
                return List.of("first: 500", "next event: 200", "same request: 401 webhook rejected: replayed",
                        "signed anew: 409", "after the lease: 200", "runs: 2");
        }
    }

    /**
     * The message signed anew with the same id, every {@value #POLL_MILLIS} ms, each time with an older timestamp (no
     * signature sent twice), until an answer is not 409 or, at the latest, {@code LEASE_SECONDS} + 1 s from now: the
     * first answer that is not 409, else the 409 sent once that time had passed (as a single send after waiting it
     * all out would get).
     */
    private RawResponse afterTheLease(String label, String id, byte[] body, long signedAt) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(AsyncCycleContext.LEASE_SECONDS + 1);
        for (int attempt = 1;; attempt++) {
            Thread.sleep(Math.max(0, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
            boolean last = System.nanoTime() - until >= 0;
            RawResponse late = send(CYCLING.target(Mode.OK, "late-" + attempt + "-" + label),
                    Webhooks.signer().sign(body, signedAt - 1 - attempt), id, body);
            if (late.status() != 409 || last) {
                return late;
            }
        }
    }

    private static String describe(RawResponse response) {
        if (response.header(WebhookSignatureFilter.DUPLICATE_HEADER).isPresent()) {
            return response.status() + " " + WebhookSignatureFilter.DUPLICATE_HEADER;
        }
        String text = response.text().strip();
        return response.status() + (text.startsWith("webhook rejected: replayed") ? " " + text : "");
    }

    /**
     * Sends a request signed with {@code signature} (a new one when null) with message id {@code id}; once answered,
     * waits for the container to end it, if it reached the application, or else to destroy it.
     */
    private RawResponse send(String target, String signature, String id, byte[] body) throws Exception {
        RawResponse response;
        try (RawConnection connection = connect()) {
            response = connection.exchange(RawRequest.post(target).header("Content-Type", "application/json")
                    .header(Webhooks.HEADER, signature != null ? signature : Webhooks.signer().sign(body))
                    .header(AsyncCycleContext.ID_HEADER, id).body(body));
        }
        if (response.status() != 401 && response.status() != 409
                && response.header(WebhookSignatureFilter.DUPLICATE_HEADER).isEmpty()) {
            assertTrue(AsyncCycleContext.awaitEnded(target, 10), target + " did not end");
        } else {
            // A budget of one body: the next request fits once the filter has given the refused body's room back.
            assertTrue(AsyncCycleContext.awaitDestroyed(target, 10), target + " was not destroyed");
        }
        return response;
    }
}
