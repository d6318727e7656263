package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.webhookfilter.Deduplicator;
import dev.webhookfilter.InMemoryDeduplicator;
import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.MutableClock;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.ReplayGuard;
import dev.webhookfilter.StubStore;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilterTest.Exchange;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.servlet.BodyInput;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

/** Issue 11: de-duplication in the filter, on mocked requests (the real-container proofs are in ProgrammaticRegistrationTest). */
class DeduplicationTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);

    private static WebhookSignatureFilter filter() throws ServletException {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).deduplicate("Webhook-Id")
                .leaseSeconds(30).dedupTtlSeconds(600).build();
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("payments");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        filter.init(config);
        return filter;
    }

    /** A signed request carrying {@code ids} as its Webhook-Id headers, whose application answers {@code status}. */
    private static Exchange delivery(int status, String... ids) throws IOException {
        return delivery(header(SIMPLE_A), status, ids);
    }

    /** The simple body with {@code signature}, and {@code ids} as its Webhook-Id; the handler answers {@code status}. */
    private static Exchange delivery(String signature, int status, String... ids) throws IOException {
        Exchange exchange = Exchange.signed(signature, SIMPLE_BODY);
        when(exchange.request.getHeaders("Webhook-Id")).thenAnswer(i -> Collections.enumeration(List.of(ids)));
        when(exchange.response.getStatus()).thenReturn(status);
        return exchange;
    }

    @Test
    void aSuccessMarksTheIdDoneAndTheNextDeliveryIsADuplicate() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange first = delivery(200, "msg_1").run(filter);
        verify(first.chain).doFilter(any(VerifiedRequest.class), eq(first.response));
        Exchange second = delivery(200, "msg_1").run(filter);
        verify(second.chain, never()).doFilter(any(), any());
        verify(second.response).setStatus(200);
        verify(second.response).setHeader("Webhook-Duplicate", "true");
        verify(second.response).setHeader("Cache-Control", "no-store");
        assertEquals("webhook duplicate: processed before\n", second.sentText());
        verify(second.response).setContentType("text/plain;charset=UTF-8");
        verify(second.response).setContentLength(second.sent.size());
    }

    /** Logged as a rejection is: at DEBUG, the path without its parameters (a session id stays out of the logs). */
    @Test
    void aDuplicateIsLoggedAtDebugWithoutPathParameters() throws Exception {
        WebhookSignatureFilter filter = filter();
        delivery(200, "msg_1").run(filter);
        Exchange second = delivery(200, "msg_1");
        when(second.request.getRequestURI()).thenReturn("/webhooks;jsessionid=SESSION1/in");
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
            second.run(filter);
            assertEquals(List.of("duplicate POST /webhooks/in: processed before, answered without the handler"),
                    logs.messages(Level.FINE));
        }
        Exchange third = delivery(200, "msg_1");
        when(third.response.getOutputStream()).thenThrow(new IOException("gone"));
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
            third.run(filter);
            assertEquals("could not send the duplicate answer: IOException", logs.messages(Level.FINE).get(1));
        }
        verify(third.response).setStatus(200);
    }

    /**
     * The container fails once the handler's outcome is known (here: asked for the async context of a request the
     * handler left in async mode, answered 2xx): the handler ran and succeeded, so the id is done and a retry is a
     * duplicate; the failure goes on to the container.
     */
    @Test
    void aFailureAfterASuccessfulHandlerStillMarksTheIdDone() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange failing = delivery(200, "msg_1");
        when(failing.request.isAsyncStarted()).thenReturn(true);
        when(failing.request.getAsyncContext()).thenThrow(new UnsupportedOperationException("recycled"));
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> failing.run(filter));
        verify(failing.chain).doFilter(any(), any());
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain, never()).doFilter(any(), any());
        verify(retry.response).setHeader("Webhook-Duplicate", "true");
    }

    @Test
    void anythingButA2xxReleasesTheClaim() throws Exception {
        WebhookSignatureFilter filter = filter();
        for (int status : new int[] {500, 404, 302, 300, 199}) {
            Exchange failed = delivery(status, "msg_1").run(filter);
            verify(failed.chain).doFilter(any(), any());
        }
        Exchange thrown = delivery(200, "msg_1");
        doThrow(new ServletException("boom")).when(thrown.chain).doFilter(any(), any());
        org.junit.jupiter.api.Assertions.assertThrows(ServletException.class, () -> thrown.run(filter));
        Exchange retry = delivery(299, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(), any());
        verify(delivery(200, "msg_1").run(filter).chain, never()).doFilter(any(), any());
    }

    /**
     * A signed copy sent as OPTIONS, which {@code HttpServlet} answers 200 for a handler of POST alone, does not mark
     * the id done: it is refused with 405, and the sender's POST runs the handler. It was answered as a duplicate, and
     * the event never processed.
     */
    @Test
    void aSignedOptionsRequest_leavesTheIdToTheSendersPost() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange options = delivery(200, "msg_1");
        when(options.request.getMethod()).thenReturn("OPTIONS");
        options.run(filter);
        options.assertRejected(405, FilterRejection.METHOD_NOT_ALLOWED);
        Exchange post = delivery(200, "msg_1").run(filter);
        verify(post.chain).doFilter(any(), any());
        verify(delivery(200, "msg_1").run(filter).chain, never()).doFilter(any(), any());
    }

    /**
     * A signed copy sent as PUT to a handler that takes any method ran it; the sender's POST of the same id then ran
     * it a second time, as the PUT released the claim ("expected: <1> but was: <2>"). The handler runs once per id.
     */
    @Test
    void aSignedCopySentWithAnotherMethod_neverRunsTheHandlerASecondTimeForItsId() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange put = delivery(200, "msg_1");
        when(put.request.getMethod()).thenReturn("PUT");
        put.run(filter);
        int runs = mockingDetails(put.chain).getInvocations().size();
        runs += mockingDetails(delivery(200, "msg_1").run(filter).chain).getInvocations().size();
        assertEquals(1, runs, "handler runs for one id");
    }

    /**
     * A handler that threw after its answer was committed (its client gone as it wrote, say) is judged by the status
     * it committed: a 2xx marks the id done, so the sender's retry is a duplicate, not a second run; a 5xx releases it.
     */
    @Test
    void anExceptionAfterTheAnswerWasCommittedIsJudgedByTheCommittedStatus() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange failed = delivery(503, "msg_1");
        when(failed.response.isCommitted()).thenReturn(true);
        doThrow(new IOException("Broken pipe")).when(failed.chain).doFilter(any(), any());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> failed.run(filter));
        Exchange answered = delivery(200, "msg_1");
        when(answered.response.isCommitted()).thenReturn(true);
        doThrow(new IOException("Broken pipe")).when(answered.chain).doFilter(any(), any());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> answered.run(filter));
        verify(answered.chain).doFilter(any(), any());
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain, never()).doFilter(any(), any());
        verify(retry.response).setHeader("Webhook-Duplicate", "true");
    }

    /**
     * An error page in this endpoint's path, of a request another endpoint's filter verified and whose id this one
     * processed before: the page does not run, and, as for a refusal there, the response is left to the container,
     * which answers with the error it dispatched for, not with this filter's 200.
     */
    @Test
    void aDuplicateInAnErrorDispatchLeavesTheResponseAlone() throws Exception {
        WebhookSignatureFilter filter = filter();
        delivery(200, "msg_1").run(filter);
        Exchange other = delivery(200, "msg_1").run(WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).build());
        Exchange error = delivery(500, "msg_1");
        error.attributes.putAll(other.attributes);
        error.body = new BodyInput(new byte[0]); // read to its end by the first
        when(error.request.getDispatcherType()).thenReturn(DispatcherType.ERROR);
        error.run(filter);
        verify(error.chain, never()).doFilter(any(), any());
        verify(error.response, never()).setStatus(anyInt());
        verify(error.response, never()).setHeader(anyString(), anyString());
        verify(error.response, never()).getOutputStream();
    }

    @Test
    void aDeliveryWhileTheClaimIsHeldGets409WithTheLease() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange during = delivery(200, "msg_1").runWhileHeld(filter, delivery(200, "msg_1"));
        during.assertRejected(409, FilterRejection.IN_PROGRESS);
        verify(during.response).setHeader("Retry-After", "30");
        assertEquals(FilterRejection.IN_PROGRESS, during.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
    }

    /**
     * A request that de-duplication turns away once its body is read (a duplicate, one whose id is in progress, one
     * without a usable id, one the store cannot decide) gives the body's room in {@code maxBufferedBytes} back: twenty
     * of each pass through a budget of 100 bytes (bodies of 7), and then a body of the full 100 bytes is read whole.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"duplicate", "in progress", "no id", "undecided"})
    void aRequestDeduplicationTurnsAwayGivesItsBodysRoomBack(String refusal) throws Exception {
        WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).deduplicate("Webhook-Id")
                .maxBodyBytes(100).maxBufferedBytes(100);
        if (refusal.equals("undecided")) {
            builder.store(new StubStore(false));
        }
        WebhookSignatureFilter filter = builder.build();
        if (refusal.equals("duplicate")) {
            delivery(200, "msg_1").run(filter);
        }
        for (int i = 0; i < 20; i++) {
            Exchange refused;
            switch (refusal) {
                case "duplicate":
                    refused = delivery(200, "msg_1").run(filter);
                    assertEquals("webhook duplicate: processed before\n", refused.sentText());
                    break;
                case "in progress":
                    refused = delivery(200, "held_" + i).runWhileHeld(filter, delivery(200, "held_" + i));
                    refused.assertRejected(409, FilterRejection.IN_PROGRESS);
                    break;
                case "no id":
                    refused = delivery(200).run(filter);
                    refused.assertRejected(400, FilterRejection.MISSING_ID);
                    break;
                default:
                    refused = delivery(200, "msg_1").run(filter);
                    refused.assertRejected(503, FilterRejection.STORE_UNAVAILABLE);
                    break;
            }
            assertEquals(SIMPLE_BODY.length, refused.body.bytesRead(), "request " + i + " was read, not refused as BUSY");
        }
        Exchange full = new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter);
        full.assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
        assertEquals(100, full.body.bytesRead());
    }

    /**
     * A request that de-duplication turns away (here: no usable id) never reached the handler: its signed
     * message is not kept as seen, so the sender's retry is judged on its id, not refused as a replay.
     */
    @Test
    void aRequestDeduplicationTurnsAway_isNotKeptAsAReplay() throws Exception {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                .replayGuard(new InMemoryReplayGuard(10, AT_T)).build();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).deduplicate("Webhook-Id")
                .build();
        delivery(200).run(filter).assertRejected(400, FilterRejection.MISSING_ID);

        Exchange retry = delivery(200, "msg_1").run(filter); // the same signed message, now with its id
        verify(retry.chain).doFilter(any(VerifiedRequest.class), eq(retry.response));
        delivery(200, "msg_2").run(filter).assertRejected(401, Rejection.REPLAYED); // kept once the handler ran
    }

    /**
     * A duplicate is answered 200, which its sender does not send again: its signed message is kept as seen, as a
     * processed one is. On main it was forgotten, as a refusal's is, so a captured copy of the sender's retry (re-signed,
     * answered 200 duplicate), sent again under another id, which the sender does not sign, ran the handler a second
     * time for one event: replay protection, whose job that copy is, had let its message go.
     */
    @Test
    void aDuplicateIsKeptAsSeen_soACopyOfItUnderAnotherIdIsAReplay() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(clock).build())
                .replayProtection().deduplicate("Webhook-Id").build();
        Exchange first = signedAt(T, "msg_1").run(filter);
        verify(first.chain).doFilter(any(VerifiedRequest.class), eq(first.response));

        clock.advanceSeconds(30); // the 200 was lost: the sender retries, signed anew
        Exchange retry = signedAt(T + 30, "msg_1").run(filter);
        verify(retry.chain, never()).doFilter(any(), any());
        verify(retry.response).setHeader("Webhook-Duplicate", "true");

        Exchange copy = signedAt(T + 30, "msg_2").run(filter); // a captured copy of the retry, its id changed
        verify(copy.chain, never()).doFilter(any(), any());
        copy.assertRejected(401, Rejection.REPLAYED);
    }

    /**
     * A duplicate that could not be answered 200 (its response committed already) is a refusal: its message is
     * forgotten, and the same request sent again is answered as a duplicate, not refused as a replay.
     */
    @Test
    void aDuplicateNotAnswered200IsForgotten_asARefusalIs() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(clock).build())
                .replayProtection().deduplicate("Webhook-Id").build();
        signedAt(T, "msg_1").run(filter);
        clock.advanceSeconds(30);
        Exchange committed = signedAt(T + 30, "msg_1");
        when(committed.response.isCommitted()).thenReturn(true);
        committed.run(filter);
        verify(committed.chain, never()).doFilter(any(), any());
        verify(committed.response, never()).setStatus(anyInt());

        Exchange again = signedAt(T + 30, "msg_1").run(filter);
        verify(again.chain, never()).doFilter(any(), any());
        verify(again.response).setHeader("Webhook-Duplicate", "true");
    }

    /** The simple body signed with {@code SECRET_A} at {@code t}, with {@code id} as its Webhook-Id; the handler answers 200. */
    private static Exchange signedAt(long t, String id) throws IOException {
        return delivery(WebhookSigner.of(SECRET_A).sign(SIMPLE_BODY, t), 200, id);
    }

    @Test
    void aMissingRepeatedOrMalformedIdIs400() throws Exception {
        WebhookSignatureFilter filter = filter();
        String tooLong = "x".repeat(Claim.MAX_ID_LENGTH + 1);
        for (String[] ids : new String[][] {{}, {"a", "b"}, {""}, {"has space"}, {"caf\u00e9"}, {tooLong}}) {
            delivery(200, ids).run(filter).assertRejected(400, FilterRejection.MISSING_ID);
        }
        Exchange longest = delivery(200, "x".repeat(Claim.MAX_ID_LENGTH)).run(filter);
        verify(longest.chain).doFilter(any(), any());
    }

    @Test
    void anAsyncRequestFinishesItsClaimWhenItCompletes() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        verify(delivery(200, "msg_1").run(filter).chain, never()).doFilter(any(), any());

        AsyncEvent event = async.ended(204);
        listener.onStartAsync(event);
        verify(async.request.getAsyncContext(), org.mockito.Mockito.times(2)).addListener(listener);
        listener.onComplete(event);
        Exchange after = delivery(200, "msg_1").run(filter);
        verify(after.response).setHeader("Webhook-Duplicate", "true");
    }

    /**
     * A read listener's callback that throws fails the request, though the listener's {@code onError} then completes
     * it with 200: the claim is released, so the sender's retry runs the handler. It was marked done, and the retry
     * answered as a duplicate without running it.
     */
    @Test
    void aReadListenerThatThrowsReleasesTheClaimThoughTheRequestCompletesWith200() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runReading(filter, Exchange::failingReader);
        listener.onComplete(async.ended(200));
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(), any());
    }

    /**
     * A read listener's callback that throws after the request timed out: as at an unanswered timeout, the work the
     * application started may still run on a thread of its own, so the claim is left to its lease. It was released at
     * once, and the sender's retry ran the handler beside that work.
     */
    @Test
    void aReadListenerThatThrowsAfterATimeoutLeavesTheClaimToItsLease() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runReading(filter, Exchange::failingReader,
                timedOut -> timedOut.onTimeout(async.ended(500)));
        listener.onComplete(async.ended(500));
        assertInProgressForTheLease(filter, clock);
    }

    /**
     * A read listener set from the application's own thread while {@code service()} still runs is called at once, and
     * may fail before the filter has added its {@code AsyncListener}: that failure too releases the claim, though the
     * listener's {@code onError} completes the request with 200. It was lost, and the claim was marked done at
     * {@code onComplete}: the sender's retry was answered as a duplicate, and the handler that failed never ran again.
     */
    @Test
    void aReadListenerSetFromAnotherThreadThatThrowsBeforeTheChainReturnedReleasesTheClaim() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncContext context = async.inAsyncMode();
        doAnswer(i -> {
            i.<Runnable>getArgument(0).run(); // a container thread that takes the task at once
            return null;
        }).when(context).start(any());
        doAnswer(i -> {
            ServletInputStream in = i.<ServletRequest>getArgument(0).getInputStream();
            Thread application = new Thread(() -> in.setReadListener(Exchange.failingReader(in)));
            application.start();
            application.join(); // the callback has thrown before service() returns
            return null;
        }).when(async.chain).doFilter(any(), any());
        async.run(filter);
        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(context).addListener(listener.capture());
        listener.getValue().onComplete(async.ended(200));

        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(), any());
    }

    /**
     * A handler that started async mode, maybe handing the request to a thread of its own, then threw: as at an async
     * error, the claim is left to its lease. It was released, and the sender's retry ran the handler beside that thread.
     */
    @Test
    void aHandlerThatStartedAsyncModeThenThrewLeavesTheClaimToItsLease() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        delivery(0, "msg_1").runStartingAsyncThenThrowing(filter);
        assertInProgressForTheLease(filter, clock);
    }

    /**
     * The application answered its timeout: with a 4xx, or by dispatching the request, whose dispatch started async
     * mode again and answered 500 itself. Either way its work is over, and the claim is released at once. A new cycle
     * was still held to the earlier timeout, and its claim left to the lease: the sender's retry waited for nothing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"answered 422", "started anew, then answered 500"})
    void anAsyncTimeoutTheApplicationAnsweredWithAFailureReleasesTheClaim(String answer) throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        AsyncEvent event = async.ended(answer.equals("answered 422") ? 422 : 500);
        listener.onTimeout(event);
        if (!answer.equals("answered 422")) {
            listener.onStartAsync(event);
        }
        listener.onComplete(event);
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(), any());
    }

    /**
     * An async request that timed out unanswered (the container completes it with 500, Spring with 503) may still be
     * in the application's hands, as at an error: its claim is left to run out with its lease. It was released, and
     * the sender's retry ran the handler beside the work still running.
     */
    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void anAsyncTimeoutNobodyAnsweredLeavesTheClaimToItsLease(int status) throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        AsyncEvent event = async.ended(status);
        listener.onTimeout(event);
        listener.onComplete(event); // after a timeout the container completes too: finished once
        assertInProgressForTheLease(filter, clock);
    }

    /**
     * An async request the container ends by an error (its sender reset the stream or closed the connection) may
     * still be in the application's hands: a thread of its own answers later, or never. Its claim is left to run out
     * with its lease, as a dead instance's is, so that the sender's retry does not run the handler beside it. It was
     * released at the error, and such a retry ran the handler a second time at once (seen on Jetty 12 and Tomcat 11
     * over h2c with a handler answering from its own thread).
     */
    @Test
    void anAsyncErrorLeavesTheClaimToItsLease() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        AsyncEvent event = async.ended(500);
        listener.onError(event);
        listener.onComplete(event); // the container completes after the error: finished once
        assertInProgressForTheLease(filter, clock);
        // The body's room came back at the error: a body of the whole budget is read.
        Exchange full = new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter);
        full.assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
    }

    /**
     * An async dispatch ({@code startAsync().dispatch()}) whose handler throws without starting async mode again has
     * ended as a synchronous handler that throws has: failed, so the claim is released at once and the sender's retry
     * runs it; the {@code onError} Tomcat then tells changes nothing. The claim was left to its lease on Tomcat (which
     * tells {@code onError}), and released on Jetty (which completes with 500): AsyncCycleScenarios, THROW.
     */
    @Test
    void anAsyncDispatchThatThrowsOutOfAsyncModeReleasesTheClaim() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        throwInAsyncDispatch(filter, async, DispatcherType.ASYNC, false);
        listener.onError(async.ended(500));
        listener.onComplete(async.ended(500));
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(), any());
    }

    /**
     * With replay protection, the same failure forgets the message, so that the very same request sent again runs the
     * handler; it stayed recorded, and was refused as a replay, on Tomcat.
     */
    @Test
    void anAsyncDispatchThatThrowsOutOfAsyncModeForgetsTheReplayRecord() throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).replayProtection().build();
        Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
        AsyncListener listener = async.runAsync(filter);
        throwInAsyncDispatch(filter, async, DispatcherType.ASYNC, false);
        listener.onError(async.ended(500));
        Exchange again = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        verify(again.chain).doFilter(any(), any());
    }

    /** The same dispatch that threw once its answer was committed with a 2xx marks the id done, as a synchronous one. */
    @Test
    void anAsyncDispatchThatThrowsAfterCommitting200MarksTheIdDone() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        when(async.response.getStatus()).thenReturn(200);
        when(async.response.isCommitted()).thenReturn(true);
        throwInAsyncDispatch(filter, async, DispatcherType.ASYNC, false);
        verify(async.response).flushBuffer();
        listener.onError(async.ended(500));
        Exchange after = delivery(200, "msg_1").run(filter);
        verify(after.response).setHeader("Webhook-Duplicate", "true");
    }

    /**
     * Not judged at the throw: a dispatch that started async mode again (its handler may have handed the request on,
     * so the container's {@code onError} leaves the claim to its lease), and an exception in a forward of the async
     * dispatch, which the dispatch's handler may catch and answer (here 200, which marks the id done).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async again", "forward"})
    void anExceptionInADispatchThatGoesOnIsJudgedAtItsEnd(String dispatch) throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        boolean again = dispatch.equals("async again");
        throwInAsyncDispatch(filter, async, again ? DispatcherType.ASYNC : DispatcherType.FORWARD, again);
        if (again) {
            listener.onError(async.ended(500));
            assertInProgressForTheLease(filter, clock);
        } else {
            listener.onComplete(async.ended(200));
            Exchange after = delivery(200, "msg_1").run(filter);
            verify(after.response).setHeader("Webhook-Duplicate", "true");
        }
    }

    /** After a timeout, a dispatch that throws out of async mode leaves the claim to its lease, as an unanswered timeout. */
    @Test
    void anAsyncDispatchAfterATimeoutThatThrowsLeavesTheClaimToItsLease() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        listener.onTimeout(async.ended(500));
        throwInAsyncDispatch(filter, async, DispatcherType.ASYNC, false);
        assertInProgressForTheLease(filter, clock);
    }

    /**
     * An async dispatch of the container's own request (the application called {@code startAsync} with it, passing the
     * filter's wrapper by), which the filter knows from its record on it, and which throws: no wrapper of the filter's is
     * there to judge it, so it is left to the container's {@code onError}, and the claim to its lease; and the
     * exception passes on.
     */
    @Test
    void anAsyncDispatchOfTheContainersRequestThatThrowsIsLeftToTheContainer() throws Exception {
        MutableClock clock = new MutableClock(T);
        WebhookSignatureFilter filter = leasedFor30Seconds(clock);
        Exchange async = delivery(0, "msg_1");
        AsyncListener listener = async.runAsync(filter);
        throwInDispatch(filter, async, async.request, DispatcherType.ASYNC, false);
        listener.onError(async.ended(500));
        assertInProgressForTheLease(filter, clock);
    }

    /**
     * Two filters over one path (overlapping mappings), each with its own claim: an async dispatch that throws out of
     * async mode passes through both, and each judges its own request's end, not the other's: both claims are released.
     */
    @Test
    void overlappingFiltersEachJudgeTheirOwnEndWhenAnAsyncDispatchThrows() throws Exception {
        WebhookSignatureFilter outer = filter();
        WebhookSignatureFilter inner = filter();
        Exchange async = delivery(0, "msg_1");
        async.inAsyncMode();
        jakarta.servlet.FilterChain application = mock(jakarta.servlet.FilterChain.class);
        doAnswer(i -> {
            inner.doFilter(i.getArgument(0), i.getArgument(1), application);
            return null;
        }).when(async.chain).doFilter(any(), any());
        async.run(outer);
        ArgumentCaptor<ServletRequest> verified = ArgumentCaptor.forClass(ServletRequest.class);
        verify(application).doFilter(verified.capture(), any());
        when(async.request.getDispatcherType()).thenReturn(DispatcherType.ASYNC);
        when(async.request.isAsyncStarted()).thenReturn(false);
        IllegalStateException thrown = new IllegalStateException("the handler failed in its async dispatch");
        jakarta.servlet.FilterChain failing = mock(jakarta.servlet.FilterChain.class);
        doThrow(thrown).when(failing).doFilter(any(), any());
        jakarta.servlet.FilterChain toInner = mock(jakarta.servlet.FilterChain.class);
        doAnswer(i -> {
            inner.doFilter(i.getArgument(0), i.getArgument(1), failing);
            return null;
        }).when(toInner).doFilter(any(), any());
        assertSame(thrown, assertThrows(IllegalStateException.class,
                () -> outer.doFilter(verified.getValue(), async.response, toInner)));
        verify(delivery(200, "msg_1").run(outer).chain).doFilter(any(), any());
        verify(delivery(200, "msg_1").run(inner).chain).doFilter(any(), any());
    }

    /** A synchronous request's wrapper that an async dispatch carries later has no async end to judge: the exception passes. */
    @Test
    void anAsyncDispatchWithoutAnAsyncEndPassesTheExceptionOn() throws Exception {
        WebhookSignatureFilter filter = filter();
        Exchange done = delivery(200, "msg_1").run(filter);
        throwInAsyncDispatch(filter, done, DispatcherType.ASYNC, false);
        verify(delivery(200, "msg_1").run(filter).response).setHeader("Webhook-Duplicate", "true");
    }

    /**
     * Sends the verified request of {@code async}, which the filter passed on, through {@code filter} again as a later
     * dispatch of {@code type} whose chain throws, in async mode again or not; checks that the exception passes through.
     */
    private static void throwInAsyncDispatch(WebhookSignatureFilter filter, Exchange async, DispatcherType type,
                                             boolean asyncAgain) throws Exception {
        ArgumentCaptor<ServletRequest> verified = ArgumentCaptor.forClass(ServletRequest.class);
        verify(async.chain).doFilter(verified.capture(), any());
        throwInDispatch(filter, async, verified.getValue(), type, asyncAgain);
    }

    /** Sends {@code request} through {@code filter} as a later dispatch of {@code async}'s, as {@link #throwInAsyncDispatch}. */
    private static void throwInDispatch(WebhookSignatureFilter filter, Exchange async, ServletRequest request,
                                        DispatcherType type, boolean asyncAgain) throws Exception {
        when(async.request.getDispatcherType()).thenReturn(type);
        when(async.request.isAsyncStarted()).thenReturn(asyncAgain);
        jakarta.servlet.FilterChain failing = mock(jakarta.servlet.FilterChain.class);
        IllegalStateException thrown = new IllegalStateException("the handler failed in a later dispatch");
        doThrow(thrown).when(failing).doFilter(any(), any());
        assertSame(thrown, assertThrows(IllegalStateException.class,
                () -> filter.doFilter(request, async.response, failing)));
    }

    /** De-duplication with a lease of 30 s on {@code clock}, and a budget of one body of 100 bytes. */
    private static WebhookSignatureFilter leasedFor30Seconds(MutableClock clock) {
        return WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(clock).build()).deduplicate("Webhook-Id")
                .leaseSeconds(30).maxBodyBytes(100).maxBufferedBytes(100).build();
    }

    /** msg_1's claim holds for the 30 s of {@link #leasedFor30Seconds}, and not a second longer. */
    private static void assertInProgressForTheLease(WebhookSignatureFilter filter, MutableClock clock) throws Exception {
        delivery(200, "msg_1").run(filter).assertRejected(409, FilterRejection.IN_PROGRESS);
        clock.advanceSeconds(29);
        delivery(200, "msg_1").run(filter).assertRejected(409, FilterRejection.IN_PROGRESS);
        clock.advanceSeconds(1);
        Exchange after = delivery(200, "msg_1").run(filter);
        verify(after.chain).doFilter(any(), any());
    }

    @Test
    void theBuilderConfiguresASharedStoreThatInitNamesAndDestroyCloses() throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection()
                .store("test-unavailable:").storeTimeoutMillis(250).storeKeyPrefix(" app1: ").allowWhenStoreUnavailable()
                .deduplicate("Webhook-Id").build();
        assertEquals(Duration.ofMillis(250), UnavailableStoreProvider.openedTimeout);
        assertEquals("app1:", UnavailableStoreProvider.openedKeyPrefix, "stripped, as the init-param is");
        assertTrue(filter.toString().contains("replay protection StoreAccess[StubStore, allow when unavailable]"),
                filter.toString());
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("payments");
        when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.INFO)) {
            filter.init(config);
            assertEquals("WebhookSignatureFilter 'payments': store StubStore, de-duplication on Webhook-Id,"
                    + " lease 60 s, remembered 259200 s", logs.messages(Level.INFO).get(1));
        }
        filter.destroy();
        assertEquals(1, UnavailableStoreProvider.opened.closed.get());
        filter().destroy(); // a memory store: nothing to close
        new WebhookSignatureFilter().destroy(); // never initialised
    }

    /**
     * Two endpoints that share a store keep their records apart: the same signed message sent to each is recorded
     * under a key of each endpoint's, which its {@code init} names. Else the second would be refused as a replay
     * of the first, and a sender's message to one endpoint could be held against another.
     */
    @Test
    void endpointsSharingAStoreRecordTheSameMessageUnderKeysOfTheirOwn() throws Exception {
        StubStore shared = new StubStore(true);
        for (String name : new String[] {"payments", "orders"}) {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                    .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).replayProtection()
                    .store(shared).allowWhenStoreUnavailable().build();
            FilterConfig config = mock(FilterConfig.class);
            when(config.getFilterName()).thenReturn(name);
            when(config.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
            filter.init(config);
            Exchange sent = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
            verify(sent.chain).doFilter(any(VerifiedRequest.class), eq(sent.response));
        }
        assertEquals(2, shared.recorded.size());
        assertFalse(Arrays.equals(shared.recorded.get(0), shared.recorded.get(1)), "one key for both endpoints");
    }

    /**
     * A store that breaks its contract by throwing (a store of the application's, {@code store: bean} or
     * {@code Builder.store}) is taken as one that cannot decide: 503, never 500. A claim that throws after the
     * replay record was made releases that record, so the sender's retry is not refused as a replay. Before, the
     * exception left the filter (500) with the record held.
     */
    @Test
    void aStoreThatThrowsIsTakenAsUnavailable() throws Exception {
        ThrowingStore store = new ThrowingStore();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).replayProtection()
                .store(store).deduplicate("Webhook-Id").build();
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.WARNING)) {
            store.recordThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, Rejection.REPLAY_CHECK_UNAVAILABLE);
            store.claimThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, FilterRejection.STORE_UNAVAILABLE);
            assertEquals(List.of("the webhook store threw java.lang.IllegalStateException from record; taken as"
                    + " unavailable (at most one such warning a minute)"), logs.messages(Level.WARNING));
        }
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(VerifiedRequest.class), eq(retry.response));
    }

    /**
     * A replay guard of the application's, in a verifier built in code and so not behind the filter's store, that
     * breaks its contract by throwing from {@code forget}: the filter's answer stands and the claim is finished.
     * Before, the exception left the filter (500) from the duplicate answer, and from a failed handler's finally,
     * where it skipped releasing the claim, so the sender's retry got 409 until the lease ran out.
     */
    @Test
    void aReplayGuardThatThrowsFromForgetNeitherFailsTheAnswerNorHoldsTheClaim() throws Exception {
        ReplayGuard forgetThrows = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                return Decision.FIRST_SEEN;
            }

            @Override
            public void forget(byte[] key) {
                throw new IllegalStateException("the guard's store is closed");
            }
        };
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).replayGuard(forgetThrows).build())
                .deduplicate("Webhook-Id").build();
        Exchange failed = delivery(500, "msg_1").run(filter);
        verify(failed.chain).doFilter(any(VerifiedRequest.class), eq(failed.response));
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(VerifiedRequest.class), eq(retry.response));
        Exchange duplicate = delivery(200, "msg_1").run(filter);
        verify(duplicate.chain, never()).doFilter(any(), any());
        verify(duplicate.response).setHeader("Webhook-Duplicate", "true");
    }

    /**
     * Java checks exceptions only at compile time: a store written in Kotlin over JDBC or a socket throws an
     * {@code SQLException} or an {@code IOException} from a method that declares none. It is taken as unavailable,
     * as a {@code RuntimeException} is. Before, it left the filter as a 500, and from a claim with the replay record
     * made just before still held, so the sender's retry of that delivery was refused as a replay.
     */
    @ParameterizedTest
    @MethodSource("beyondRuntimeExceptions")
    void aStoreThatThrowsACheckedExceptionOrAnErrorIsTakenAsUnavailableToo(Throwable failure) throws Exception {
        ThrowingStore store = new ThrowingStore();
        store.failure = failure;
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).replayProtection()
                .store(store).deduplicate("Webhook-Id").build();
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.WARNING)) {
            store.claimThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, FilterRejection.STORE_UNAVAILABLE);
            store.recordThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, Rejection.REPLAY_CHECK_UNAVAILABLE);
            assertEquals(List.of("the webhook store threw " + failure.getClass().getName() + " from claim; taken as"
                    + " unavailable (at most one such warning a minute)"), logs.messages(Level.WARNING));
        }
        Exchange retry = delivery(200, "msg_1").run(filter);
        verify(retry.chain).doFilter(any(VerifiedRequest.class), eq(retry.response));
    }

    /**
     * A store that waits on a socket or a pool is woken by an interrupt with an {@code InterruptedException}, whose
     * throwing clears the thread's interrupt status. The delivery is refused as unavailable, and the interrupt, the
     * container's, is set again on the thread, from the claim and from the replay record alike.
     */
    @Test
    void aStoreInterruptedWhileWaitingLeavesTheThreadInterrupted() throws Exception {
        ThrowingStore store = new ThrowingStore();
        store.failure = new InterruptedException("sleep interrupted");
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build()).replayProtection()
                .store(store).deduplicate("Webhook-Id").build();
        try {
            store.claimThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, FilterRejection.STORE_UNAVAILABLE);
            assertTrue(Thread.interrupted(), "the interrupt status after the claim threw");
            store.recordThrows.set(1);
            delivery(200, "msg_1").run(filter).assertRejected(503, Rejection.REPLAY_CHECK_UNAVAILABLE);
            assertTrue(Thread.interrupted(), "the interrupt status after the record threw");
        } finally {
            Thread.interrupted();
        }
    }

    /**
     * What a store may throw beyond a {@code RuntimeException}: a checked exception, undeclared; a class of its
     * client missing at run time (a dependency left out of {@code WEB-INF/lib}). Not a virtual-machine error,
     * which is no store's fault and goes on to the container.
     */
    static List<Throwable> beyondRuntimeExceptions() {
        return List.of(new IOException("connection reset by redis://user:password@10.0.0.1"),
                new NoClassDefFoundError("io/lettuce/core/RedisClient"));
    }

    /** Memory behind it, but each operation throws as many times as the test sets, with credentials in its message. */
    private static final class ThrowingStore implements WebhookStore {

        final AtomicInteger recordThrows = new AtomicInteger();
        final AtomicInteger claimThrows = new AtomicInteger();
        /** What it throws; a checked exception too, undeclared, as a store written in Kotlin throws one. */
        volatile Throwable failure = new IllegalStateException("redis://user:password@10.0.0.1 refused");
        private final InMemoryReplayGuard replay = new InMemoryReplayGuard(10, AT_T);
        private final InMemoryDeduplicator dedup = new InMemoryDeduplicator(10, AT_T);

        private void maybeThrow(AtomicInteger times) {
            if (times.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ThrowingStore.<RuntimeException>sneakyThrow(failure);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
            throw (T) failure;
        }

        @Override
        public Decision record(byte[] key, long expiresAt) {
            maybeThrow(recordThrows);
            return replay.record(key, expiresAt);
        }

        @Override
        public void forget(byte[] key) {
            replay.forget(key);
        }

        @Override
        public Claim claim(byte[] key, byte[] token, Duration lease) {
            maybeThrow(claimThrows);
            return dedup.claim(key, token, lease);
        }

        @Override
        public boolean complete(byte[] key, byte[] token, Duration ttl) {
            return dedup.complete(key, token, ttl);
        }

        @Override
        public boolean release(byte[] key, byte[] token) {
            return dedup.release(key, token);
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Nested
    class TheStoreAccess {

        /** Records every key it is given. */
        private final List<byte[]> recorded = new ArrayList<>();
        private final ReplayGuard recording = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                recorded.add(key);
                return Decision.UNAVAILABLE;
            }

            @Override
            public void forget(byte[] key) {
                recorded.add(key);
            }
        };
        private final MutableClock clock = new MutableClock(T);
        private final byte[] key = new byte[32];

        @Test
        void aSharedStoreNamespacesReplayKeysByEndpoint() {
            StoreAccess payments = new StoreAccess(recording, null, true, false, clock);
            StoreAccess orders = new StoreAccess(recording, null, true, false, clock);
            payments.namespace("payments");
            orders.namespace("orders");
            assertEquals(ReplayGuard.Decision.UNAVAILABLE, payments.record(key, T));
            orders.record(key, T);
            payments.forget(key);
            assertEquals(32, recorded.get(0).length);
            assertFalse(java.util.Arrays.equals(recorded.get(0), recorded.get(1)), "endpoints never share a key");
            assertArrayEquals(recorded.get(0), recorded.get(2), "forget names what record was given");
            assertFalse(java.util.Arrays.equals(key, recorded.get(0)));
            // python3 -c "import hashlib; print(hashlib.sha256(b'payments\x00' + bytes(32)).hexdigest())"
            assertArrayEquals(java.util.HexFormat.of().parseHex(
                    "745c72e62cc06696e7407c3f0d6435be0494fe09bb7e139c19c0e939af49811e"), recorded.get(0));
        }

        @Test
        void aMemoryStoreKeepsTheKeyAsItIs() {
            StoreAccess memory = new StoreAccess(recording, null, false, false, clock);
            memory.namespace("payments");
            memory.record(key, T);
            assertArrayEquals(key, recorded.get(0));
        }

        @Test
        void allowTurnsUndecidedIntoGoOnWithOneWarningAMinute() {
            StoreAccess allow = new StoreAccess(recording, new InMemoryDeduplicator(1, clock), true, true, clock);
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
                assertEquals(ReplayGuard.Decision.FIRST_SEEN, allow.record(key, T));
                assertTrue(allow.allowWhenUnavailable());
                clock.advanceSeconds(59);
                allow.record(key, T);
                assertEquals(1, logs.messages(Level.WARNING).size());
                clock.advanceSeconds(1);
                allow.record(key, T);
                String warning = "the webhook store could not decide (it did not answer, or refused); replay protection"
                        + " let a request through because onStoreUnavailable=allow (at most one such warning a minute)";
                assertEquals(List.of(warning, warning), logs.messages(Level.WARNING));
            }
            StoreAccess reject = new StoreAccess(recording, null, true, false, clock);
            assertFalse(reject.allowWhenUnavailable());
        }

        @Test
        void allowOfAnUndecidedClaimWarnsOnItsOwn() {
            StoreAccess allow = new StoreAccess(recording, new InMemoryDeduplicator(1, clock), true, true, clock);
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
                assertTrue(allow.allowWhenUnavailable());
                assertEquals(List.of("the webhook store could not decide (it did not answer, or refused); de-duplication"
                        + " let a request through because onStoreUnavailable=allow (at most one such warning a minute)"),
                        logs.messages(Level.WARNING));
            }
        }

        /**
         * A store that throws from complete or release has not done it: false, as from one that cannot be reached.
         * Logged at WARNING by the exception's class only, at most once a minute: 60 s after the last, again.
         */
        @Test
        void completeOrReleaseThatThrowsIsFalseWithOneWarningAMinute() {
            Deduplicator throwing = new Deduplicator() {
                @Override
                public Deduplicator.Claim claim(byte[] key, byte[] token, Duration lease) {
                    return Deduplicator.Claim.FIRST;
                }

                @Override
                public boolean complete(byte[] key, byte[] token, Duration ttl) {
                    throw new IllegalStateException("redis://user:password@10.0.0.1 refused");
                }

                @Override
                public boolean release(byte[] key, byte[] token) {
                    throw new IllegalStateException("redis://user:password@10.0.0.1 refused");
                }
            };
            StoreAccess store = new StoreAccess(recording, throwing, true, false, clock);
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
                assertFalse(store.complete(key, key, Duration.ofSeconds(5)));
                clock.advanceSeconds(59);
                assertFalse(store.release(key, key));
                clock.advanceSeconds(1);
                assertFalse(store.release(key, key));
                assertEquals(List.of("the webhook store threw java.lang.IllegalStateException from complete; taken as"
                        + " unavailable (at most one such warning a minute)", "the webhook store threw"
                        + " java.lang.IllegalStateException from release; taken as unavailable (at most one such warning"
                        + " a minute)"), logs.messages(Level.WARNING));
            }
        }

        @Test
        void claimsGoToTheDeduplicatorUnderTheEndpointsKey() {
            InMemoryDeduplicator dedup = new InMemoryDeduplicator(10, clock);
            StoreAccess store = new StoreAccess(new InMemoryReplayGuard(10, clock), dedup, false, false, clock);
            store.namespace("payments");
            byte[] id = store.dedupKey("msg_1");
            assertArrayEquals(Deduplicator.key("payments", "msg_1"), id);
            assertEquals(Deduplicator.Claim.FIRST, store.claim(id, new byte[] {1}, Duration.ofSeconds(5)));
            assertFalse(store.complete(id, new byte[] {2}, Duration.ofSeconds(5)));
            assertFalse(store.release(id, new byte[] {2}));
            assertTrue(store.release(id, new byte[] {1}));
            assertEquals(Deduplicator.Claim.FIRST, store.claim(id, new byte[] {1}, Duration.ofSeconds(5)));
            assertTrue(store.complete(id, new byte[] {1}, Duration.ofSeconds(5)));
            assertEquals(Deduplicator.Claim.DONE, store.claim(id, new byte[] {3}, Duration.ofSeconds(5)));
            assertTrue(store.toString().startsWith("StoreAccess[InMemoryReplayGuard["), store.toString());
        }
    }

    @Nested
    class AClaim {

        @Test
        void finishesOnceAndTheRefusedClaimNever() {
            InMemoryDeduplicator dedup = new InMemoryDeduplicator(10, Clock.systemUTC());
            StoreAccess store = new StoreAccess(new InMemoryReplayGuard(10, Clock.systemUTC()), dedup, false, false,
                    Clock.systemUTC());
            byte[] key = Deduplicator.key("e", "id");
            byte[] token = Claim.newToken();
            dedup.claim(key, token, Duration.ofSeconds(60));
            Claim claim = new Claim(store, key, token, Duration.ofSeconds(60));
            claim.finish(false);
            claim.finish(true);
            assertEquals(Deduplicator.Claim.FIRST, dedup.claim(key, token, Duration.ofSeconds(60)), "released, once");
            Claim.REFUSED.finish(true);
        }

        @Test
        void tokensAreSixteenRandomBytes() {
            byte[] one = Claim.newToken();
            assertEquals(16, one.length);
            assertNotEquals(java.util.Arrays.toString(one), java.util.Arrays.toString(Claim.newToken()));
        }

        @Test
        void idsAreVisibleAscii() {
            assertTrue(Claim.isWellFormed("!"));
            assertTrue(Claim.isWellFormed("~"));
            assertFalse(Claim.isWellFormed(" "));
            assertFalse(Claim.isWellFormed("\u007f"));
            assertFalse(Claim.isWellFormed("a\tb"));
        }
    }
}
