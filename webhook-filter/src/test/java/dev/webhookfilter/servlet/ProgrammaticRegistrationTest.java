package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.MutableClock;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** WebhookSignatureFilter.builder() registered with ServletContext.addFilter in a real Jetty. */
class ProgrammaticRegistrationTest {

    private static final String SECRET = "whsec_programmatic_test_secret";
    private static final byte[] BODY = "{\"eventId\":\"whevt-abc123\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * Answers with the next scripted status (200 when the script is empty); "throw" throws, "sendError 500" calls
     * {@code sendError(500)}, "timeout" starts async mode and lets it time out after 100 ms, and "timeout 202" too,
     * answering 202 from its own listener when it does, as Spring's {@code DeferredResult} with a timeout result;
     * "complete wrapped" starts async mode with a response wrapper that is no HTTP response and completes at once;
     * "read fails elsewhere" sets, from a thread of its own, a read listener that throws (see {@code readFailsElsewhere});
     * "async then throw" starts async mode, with a timeout of 100 ms, and throws; "answer then throw" commits an empty
     * 200 and throws an {@code IOException}, as a write does once the client has gone; "timeout dispatch" starts async mode
     * and dispatches the request to this servlet again when it times out after 100 ms; "async 500" starts async mode
     * (again, in such a dispatch) and completes it with 500.
     */
    static final class ScriptedHandler extends HttpServlet {
        final Deque<String> script = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        /** The body the last call read. */
        volatile byte[] body;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            body = request.getInputStream().readAllBytes();
            String next = script.isEmpty() ? "200" : script.poll();
            if (next.equals("throw")) {
                throw new IllegalStateException("the application failed");
            }
            if (next.equals("answer then throw")) {
                response.setContentLength(0);
                response.flushBuffer();
                throw new IOException("the client went away");
            }
            if (next.equals("async then throw")) {
                request.startAsync().setTimeout(100);
                throw new IllegalStateException("the application failed after startAsync");
            }
            if (next.equals("timeout")) {
                request.startAsync().setTimeout(100);
                return;
            }
            if (next.equals("timeout dispatch")) {
                AnswerAtTimeout.startDispatching(request, response);
                return;
            }
            if (next.equals("async 500")) {
                AsyncContext async = request.startAsync();
                response.setStatus(500);
                async.complete();
                return;
            }
            if (next.startsWith("timeout ")) {
                AnswerAtTimeout.start(request, response, Integer.parseInt(next.substring("timeout ".length())));
                return;
            }
            if (next.equals("read fails elsewhere")) {
                readFailsElsewhere(request, response);
                return;
            }
            if (next.equals("complete wrapped")) {
                request.startAsync(request, new ServletResponseWrapper(response)).complete();
                return;
            }
            if (next.startsWith("sendError ")) {
                response.sendError(Integer.parseInt(next.substring("sendError ".length())));
                return;
            }
            response.setStatus(Integer.parseInt(next));
        }
    }

    /**
     * Starts async mode and has a thread of the application's own set a read listener whose {@code onAllDataRead}
     * throws and whose {@code onError} answers 200 and completes; returns from {@code service()} once it has.
     */
    private static void readFailsElsewhere(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AsyncContext async = request.startAsync();
        jakarta.servlet.ServletInputStream in = request.getInputStream();
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        Thread application = new Thread(() -> in.setReadListener(new jakarta.servlet.ReadListener() {
            @Override
            public void onDataAvailable() {
            }

            @Override
            public void onAllDataRead() {
                throw new IllegalStateException("the application failed");
            }

            @Override
            public void onError(Throwable t) {
                response.setStatus(200);
                async.complete();
                told.countDown();
            }
        }));
        application.start();
        try {
            if (!told.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the read listener was never told of its failure");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void register(ServletContext context, WebhookSignatureFilter filter, ScriptedHandler handler) {
        FilterRegistration.Dynamic registration = context.addFilter("webhookSignature", filter);
        registration.addMappingForUrlPatterns(null, false, "/webhooks/*");
        context.addServlet("handler", handler).addMapping("/webhooks/*");
    }

    @Test
    void verifiesLikeTheWebXmlFilter() throws Exception {
        ScriptedHandler handler = new ScriptedHandler();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
            assertEquals(200, jetty.post("/webhooks/", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
            RawResponse forged = jetty.post("/webhooks/", WebhookSigner.of("another secret!!").sign(BODY), BODY);
            assertEquals(401, forged.status());
            assertEquals("webhook rejected: no matching signature\n", forged.text());
            assertEquals(1, handler.calls.get());
        }
    }

    /** Issue 9, finding 5: a forward into the webhook path must not reach the handler unverified. */
    @Nested
    class Dispatches {

        /** Forwards whatever it gets to {@code target}; by default, from outside the webhook path to the handler. */
        static final class Forwarder extends HttpServlet {
            private final String target;
            private final boolean readsBodyFirst;

            Forwarder() {
                this("/webhooks/forwarded", false);
            }

            /** @param readsBodyFirst whether it reads the body to its end before it forwards, as a router that looked at it */
            Forwarder(String target, boolean readsBodyFirst) {
                this.target = target;
                this.readsBodyFirst = readsBodyFirst;
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response)
                    throws IOException, jakarta.servlet.ServletException {
                if (readsBodyFirst) {
                    request.getInputStream().readAllBytes();
                }
                request.getRequestDispatcher(target).forward(request, response);
            }
        }

        @Test
        void registerCoversForwardsSoAnUnsignedForwardIsRefused() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).register(context, "webhookSignature", "/webhooks/*");
                context.addServlet("handler", handler).addMapping("/webhooks/*");
                context.addServlet("forwarder", new Forwarder()).addMapping("/public/*");
            })) {
                RawResponse forwarded = jetty.post("/public/x", "t=1,v1=forged", BODY);
                assertEquals(401, forwarded.status());
                assertEquals(0, handler.calls.get());
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                assertEquals(200, jetty.post("/public/x", signature, BODY).status(), "a genuine one, forwarded");
                assertEquals(200, jetty.post("/webhooks/", signature, BODY).status());
                assertEquals(2, handler.calls.get());
            }
        }

        @Test
        void aRequestOnlyMappingLetsTheForwardThrough() throws Exception {
            // The shape of the finding: what register() prevents, with a mapping for REQUEST only.
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                register(context, WebhookSignatureFilter.builder().secrets(SECRET).build(), handler);
                context.addServlet("forwarder", new Forwarder()).addMapping("/public/*");
            })) {
                assertEquals(200, jetty.post("/public/x", "t=1,v1=forged", BODY).status());
                assertEquals(1, handler.calls.get());
            }
        }

        /**
         * Endpoint a's handler forwards what a verified into endpoint b's path: b checks it against its own
         * secret, from the bytes a read, and refuses a message b's sender did not sign.
         */
        @Test
        void aForwardIntoAnotherEndpointIsCheckedAgainstThatEndpointsSecret() throws Exception {
            ScriptedHandler b = new ScriptedHandler();
            try (EmbeddedJetty jetty = twoEndpoints(SECRET, "another endpoint's secret", b)) {
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                RawResponse forwarded = jetty.post("/a/x", signature, BODY);
                assertEquals(401, forwarded.status());
                assertEquals("webhook rejected: no matching signature\n", forwarded.text());
                assertEquals(0, b.calls.get());
            }
        }

        @Test
        void aForwardIntoAnotherEndpointOfTheSameSecretReachesItsHandlerWithTheWholeBody() throws Exception {
            ScriptedHandler b = new ScriptedHandler();
            try (EmbeddedJetty jetty = twoEndpoints(SECRET, SECRET, b)) {
                assertEquals(200, jetty.post("/a/x", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
                assertEquals(1, b.calls.get());
                assertArrayEquals(BODY, b.body, "a's handler read the body to its end before it forwarded");
            }
        }

        /** Endpoint a on /a/*, whose handler reads the body and forwards to /b/forwarded; endpoint b on /b/*. */
        private EmbeddedJetty twoEndpoints(String secretA, String secretB, ScriptedHandler b) throws Exception {
            return EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(secretA).register(context, "a", "/a/*");
                WebhookSignatureFilter.builder().secrets(secretB).register(context, "b", "/b/*");
                context.addServlet("a", new Forwarder("/b/forwarded", true)).addMapping("/a/*");
                context.addServlet("b", b).addMapping("/b/*");
            });
        }

        /**
         * Endpoint a's handler reads the body and fails, with {@code sendError(500)}, an exception or an async request
         * that times out (after the filter gave the body's room back to its budget, when the request ended); the error page
         * is b's handler, on /b/error. The container dispatches its own request there, not a's wrapper: b's filter
         * must still check it against b's secret, from the bytes a read, and not run b's handler on a message b's
         * sender did not sign. The client gets a's error, without the page.
         */
        @ParameterizedTest
        @ValueSource(strings = {"sendError 500", "throw", "timeout"})
        void anErrorPageInAnotherEndpointIsCheckedAgainstThatEndpointsSecret(String failure) throws Exception {
            ScriptedHandler a = new ScriptedHandler();
            ScriptedHandler b = new ScriptedHandler();
            try (EmbeddedJetty jetty = errorPageInAnotherEndpoint(SECRET, "another endpoint's secret", a, b)) {
                a.script.add(failure);
                RawResponse failed = jetty.post("/a/x", WebhookSigner.of(SECRET).sign(BODY), BODY);
                assertEquals(1, a.calls.get());
                assertEquals(0, b.calls.get(), "b's handler ran on a message b's sender did not sign");
                assertEquals(500, failed.status(), failed::text);
                assertEquals("", failed.text(), "neither the page nor a rejection");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"sendError 500", "throw", "timeout"})
        void anErrorPageInAnotherEndpointOfTheSameSecretRunsWithTheWholeBody(String failure) throws Exception {
            ScriptedHandler a = new ScriptedHandler();
            ScriptedHandler b = new ScriptedHandler();
            try (EmbeddedJetty jetty = errorPageInAnotherEndpoint(SECRET, SECRET, a, b)) {
                a.script.add(failure);
                jetty.post("/a/x", WebhookSigner.of(SECRET).sign(BODY), BODY);
                assertEquals(1, b.calls.get());
                assertArrayEquals(BODY, b.body, "a's handler read the body to its end before it failed");
            }
        }

        /** An error page of the endpoint itself passes as verified: with replay protection, a check would refuse it. */
        @Test
        void anErrorPageInTheSameEndpointPassesAsVerified() throws Exception {
            ScriptedHandler a = new ScriptedHandler();
            ScriptedHandler page = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(pages -> pages.addErrorPage(500, "/a/error"), context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).replayProtection().register(context, "a", "/a/*");
                context.addServlet("a", a).addMapping("/a/*");
                context.addServlet("page", page).addMapping("/a/error");
            })) {
                a.script.add("sendError 500");
                jetty.post("/a/x", WebhookSigner.of(SECRET).sign(BODY), BODY);
                assertEquals(1, a.calls.get());
                assertEquals(1, page.calls.get());
                assertArrayEquals(new byte[0], page.body, "the container's own request: a's handler read its stream");
            }
        }

        /**
         * Goes async and dispatches at once; in the async dispatch it starts async mode again and lets it time out
         * after 100 ms, unanswered ({@code answer} 0) or answering {@code answer} from its own listener.
         */
        static final class AsyncAgain extends HttpServlet {
            final AtomicInteger calls = new AtomicInteger();
            private final int answer;

            AsyncAgain(int answer) {
                this.answer = answer;
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getDispatcherType() == DispatcherType.REQUEST) {
                    calls.incrementAndGet();
                    request.getInputStream().readAllBytes();
                    request.startAsync().dispatch();
                } else if (answer == 0) {
                    request.startAsync().setTimeout(100);
                } else {
                    AnswerAtTimeout.start(request, response, answer);
                }
            }
        }

        /**
         * startAsync again, in the async dispatch, drops the container's listeners: the filter's adds itself back at
         * onStartAsync, so the request is judged when the second async cycle completes, by its status. Unanswered,
         * Jetty answers 500 and the message is forgotten, so the sender's retry runs the handler; answered 202, it
         * is remembered, and a copy sent again is a replay.
         */
        @ParameterizedTest(name = "answered {0}")
        @ValueSource(ints = {0, 202})
        void aRequestThatStartsAsyncAgainIsJudgedWhenItsLastCycleCompletes(int answer) throws Exception {
            AsyncAgain a = new AsyncAgain(answer);
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).replayProtection().register(context, "a", "/a/*");
                ServletRegistration.Dynamic handler = context.addServlet("a", a);
                handler.addMapping("/a/*");
                handler.setAsyncSupported(true);
            })) {
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                int expected = answer == 0 ? 500 : answer;
                assertEquals(expected, jetty.post("/a/x", signature, BODY).status());
                assertEquals(answer == 0 ? 500 : 401, jetty.post("/a/x", signature, BODY).status(), "a copy sent again");
                assertEquals(answer == 0 ? 2 : 1, a.calls.get());
            }
        }

        /**
         * An application may start async mode with a response wrapper that is no HTTP response
         * ({@code startAsync(request, new ServletResponseWrapper(response))}), which Jetty then supplies in the event
         * of the request's end. The filter judges such a request by the response it passed on, and gives its body's
         * room back: it threw a ClassCastException there, which Jetty logged, and every such request kept its room in
         * {@code maxBufferedBytes} for good, here one body's, so that the second got 503.
         */
        @Test
        void anAsyncRequestStartedWithAPlainResponseWrapperGivesItsBodyBackWhenItCompletes() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).maxBodyBytes(BODY.length).maxBufferedBytes(BODY.length)
                        .register(context, "a", "/a/*");
                ServletRegistration.Dynamic registration = context.addServlet("a", handler);
                registration.addMapping("/a/*");
                registration.setAsyncSupported(true);
            })) {
                for (int i = 0; i < 5; i++) {
                    handler.script.add("complete wrapped");
                    RawResponse response = jetty.post("/a/x", WebhookSigner.of(SECRET).sign(BODY), BODY);
                    assertEquals(200, response.status(), "request " + i + ": " + response.text());
                }
                assertEquals(5, handler.calls.get());
            }
        }

        /**
         * An async request that timed out unanswered goes to the error page, which answers 200 here: a timeout is
         * judged by the status the sender gets, which will not retry a 200, so the message stays recorded.
         */
        @Test
        void anAsyncTimeoutAnErrorPageAnsweredWith200IsRemembered() throws Exception {
            ScriptedHandler a = new ScriptedHandler();
            ScriptedHandler page = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(pages -> pages.addErrorPage(500, "/a/error"), context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).replayProtection().register(context, "a", "/a/*");
                ServletRegistration.Dynamic handler = context.addServlet("a", a);
                handler.addMapping("/a/*");
                handler.setAsyncSupported(true);
                context.addServlet("page", page).addMapping("/a/error");
            })) {
                a.script.add("timeout");
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                RawResponse answered = jetty.post("/a/x", signature, BODY);
                assertEquals(1, page.calls.get());
                assertEquals(200, answered.status(), answered::text);
                assertEquals(401, jetty.post("/a/x", signature, BODY).status(), "a copy sent again");
                assertEquals(1, a.calls.get());
            }
        }

        /**
         * A request no filter verified, whose handler sets the timestamp attribute (as anyone may) and fails into b's
         * error page: the attribute alone proves nothing, and b's filter verifies the request as if it were new (and
         * refuses it: its signature is forged, and Jetty has thrown the unread body away before the error dispatch).
         */
        @Test
        void theTimestampAttributeWithoutTheFiltersRecordIsVerifiedAfresh() throws Exception {
            ScriptedHandler b = new ScriptedHandler();
            HttpServlet claimsVerified = new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    request.setAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, 1L);
                    response.sendError(500);
                }
            };
            try (EmbeddedJetty jetty = EmbeddedJetty.start(pages -> pages.addErrorPage(500, "/b/error"), context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).register(context, "b", "/b/*");
                context.addServlet("b", b).addMapping("/b/*");
                context.addServlet("public", claimsVerified).addMapping("/public/*");
            })) {
                RawResponse forged = jetty.post("/public/x", "t=1,v1=forged", BODY);
                assertEquals(0, b.calls.get(), "b's handler ran on a request nobody verified");
                assertEquals(500, forged.status());
            }
        }

        /** Endpoint a on /a/*, whose handler fails into the error page /b/error; endpoint b on /b/*. */
        private EmbeddedJetty errorPageInAnotherEndpoint(String secretA, String secretB, ScriptedHandler a,
                                                         ScriptedHandler b) throws Exception {
            return EmbeddedJetty.start(pages -> pages.addErrorPage(500, "/b/error"), context -> {
                WebhookSignatureFilter.builder().secrets(secretA).register(context, "a", "/a/*");
                WebhookSignatureFilter.builder().secrets(secretB).register(context, "b", "/b/*");
                ServletRegistration.Dynamic handlerA = context.addServlet("a", a);
                handlerA.addMapping("/a/*");
                handlerA.setAsyncSupported(true);
                context.addServlet("b", b).addMapping("/b/*");
            });
        }

        /**
         * Two filters of one endpoint, the second's patterns inside the first's, each remembering the messages it
         * accepted: a forward within both is one both verified, and neither checks it again, which would refuse it
         * as a replay.
         */
        @Test
        void aForwardWithinOverlappingFiltersPassesBothAsVerified() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).replayProtection().register(context, "all", "/webhooks/*");
                WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                        .register(context, "inner", "/webhooks/inner/*");
                context.addServlet("start", new Forwarder("/webhooks/inner/done", false)).addMapping("/webhooks/inner/start");
                context.addServlet("handler", handler).addMapping("/webhooks/inner/done");
            })) {
                assertEquals(200, jetty.post("/webhooks/inner/start", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
                assertEquals(1, handler.calls.get());
                assertArrayEquals(BODY, handler.body);
            }
        }

        /**
         * As a forward, an error page within two filters that each remember what they accepted: it carries the
         * container's request, and the record the inner filter left on it holds the outer filter's wrapper too. (A
         * handler's 4xx, which leaves the message remembered; after a 5xx both filters forget it, for the retry.)
         */
        @Test
        void anErrorPageWithinOverlappingFiltersPassesBothAsVerified() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            ScriptedHandler page = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(pages -> pages.addErrorPage(404, "/webhooks/inner/error"),
                    context -> {
                        WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                                .register(context, "all", "/webhooks/*");
                        WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                                .register(context, "inner", "/webhooks/inner/*");
                        context.addServlet("handler", handler).addMapping("/webhooks/inner/done");
                        context.addServlet("page", page).addMapping("/webhooks/inner/error");
                    })) {
                handler.script.add("sendError 404");
                jetty.post("/webhooks/inner/done", WebhookSigner.of(SECRET).sign(BODY), BODY);
                assertEquals(1, handler.calls.get());
                assertEquals(1, page.calls.get(), "a check again would have refused the message as a replay");
            }
        }

        @Test
        void registerRefusesADuplicateNameAndNoPatterns() throws Exception {
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().secrets(SECRET);
                builder.register(context, "webhookSignature", "/webhooks/*");
                assertThrows(IllegalStateException.class, () -> builder.register(context, "webhookSignature", "/b/*"));
                assertThrows(IllegalArgumentException.class, () -> builder.register(context, "other"));
                context.addServlet("handler", new ScriptedHandler()).addMapping("/webhooks/*");
            })) {
                assertEquals(401, jetty.post("/webhooks/", "t=1,v1=forged", BODY).status());
            }
        }
    }

    /** Issue 11: one handler run per message id, in memory here; the shared stores prove it in their modules. */
    /**
     * Bodies that never arrive whole, on a real Jetty: the client closes or resets the connection halfway, or its
     * chunked framing breaks. Jetty's stream fails each with an IOException; the filter refuses it as incomplete
     * (400 where an answer can still go out, never 500) and gives its room in {@code maxBufferedBytes} back, so that,
     * with room for exactly one largest body, a genuine one of that size still passes after twenty of them.
     */
    @Nested
    class BufferBudget {

        private static final int LIMIT = 20_000;

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"close", "reset", "a chunk size that is no number", "a chunk longer than its size"})
        void aBodyThatNeverArrivesWholeGivesItsRoomBack(String how) throws Exception {
            RecordingListener listener = new RecordingListener();
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).maxBodyBytes(LIMIT)
                    .maxBufferedBytes(LIMIT).listener(listener).build();
            byte[] largest = new byte[LIMIT];
            String signature = WebhookSigner.of(SECRET).sign(largest);
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                for (int i = 0; i < 20; i++) {
                    RawRequest request = RawRequest.post("/webhooks/x").header("X-Webhook-Signature", signature);
                    RawConnection connection = RawConnection.open(jetty.port());
                    try {
                        if (how.equals("close") || how.equals("reset")) {
                            connection.send(request.contentLength(LIMIT).head());
                            connection.send(largest, 0, LIMIT / 2);
                            if (how.equals("reset")) {
                                connection.reset();
                            }
                        } else {
                            connection.send(request.chunked(LIMIT).head());
                            connection.send((how.equals("a chunk size that is no number") ? "zz\r\nabc\r\n0\r\n\r\n"
                                    : "3\r\nabcdef\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            RawResponse refused = connection.read("POST");
                            assertEquals(400, refused.status(), refused::text);
                        }
                    } finally {
                        connection.close();
                    }
                    awaitCalls(listener, i + 1);
                }
                assertEquals(java.util.Collections.nCopies(20, "rejected webhookSignature wealthkernel-2022 BODY_INCOMPLETE"),
                        listener.calls(), "each body had its room, and none was refused as BUSY");
                assertEquals(200, jetty.post("/webhooks/x", signature, largest).status());
                assertEquals(1, handler.calls.get());
            }
        }

        /** Waits until the server is done with the request that was cut short: the listener has been told. */
        private void awaitCalls(RecordingListener listener, int count) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (listener.calls().size() < count) {
                if (System.nanoTime() > deadline) {
                    fail("the server did not finish request " + count + ": " + listener.calls());
                }
                Thread.sleep(5);
            }
        }
    }

    @Nested
    class Deduplication {

        private RawResponse deliver(EmbeddedJetty jetty, String id, long t) throws Exception {
            return deliver(jetty, "POST", id, t);
        }

        /** The delivery, sent with {@code method}: a copy a sender never sends, unless it is POST. */
        private RawResponse deliver(EmbeddedJetty jetty, String method, String id, long t) throws Exception {
            String signature = WebhookSigner.of(SECRET).sign(BODY, t);
            RawRequest request = RawRequest.of(method, "/webhooks/").header("X-Webhook-Signature", signature).body(BODY);
            return jetty.send(id == null ? request : request.header("Webhook-Id", id));
        }

        /**
         * A signed copy sent as OPTIONS, which {@code HttpServlet} answers 200 for a handler of POST alone, with replay
         * protection on too, is refused with 405: the sender's POST of the very same request runs the handler. It was
         * answered "200 webhook duplicate", and the handler ran 0 times (helper rev32f's run on Jetty).
         */
        @Test
        void aSignedOptionsRequestLeavesTheMessageAndItsIdToTheSendersPost() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            long now = Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id")
                    .replayProtection(), handler)) {
                RawResponse options = deliver(jetty, "OPTIONS", "msg_1", now);
                assertEquals(405, options.status(), options::text);
                assertEquals(Optional.of("POST"), options.header("Allow"), options::text);
                // The message is forgotten before the 405 is written: the POST that follows it cannot race it.
                RawResponse post = deliver(jetty, "msg_1", now);
                assertEquals(200, post.status(), post::text);
                assertEquals(Optional.empty(), post.header("Webhook-Duplicate"));
                assertEquals(1, handler.calls.get());
            }
        }

        private EmbeddedJetty start(WebhookSignatureFilter.Builder builder, HttpServlet handler) throws Exception {
            return EmbeddedJetty.start(context -> {
                builder.register(context, "webhookSignature", "/webhooks/*");
                ServletRegistration.Dynamic servlet = context.addServlet("handler", handler);
                servlet.addMapping("/webhooks/*");
                servlet.setAsyncSupported(true); // for ScriptedHandler's "timeout"
            });
        }

        @Test
        void aDuplicateIsAnsweredWithoutRunningTheHandler() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            long now = java.time.Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                assertEquals(200, deliver(jetty, "msg_1", now).status());
                RawResponse retry = deliver(jetty, "msg_1", now + 1); // the sender re-signs its retry
                assertEquals(200, retry.status());
                assertEquals("true", retry.header("Webhook-Duplicate").orElse(null));
                assertEquals("webhook duplicate: processed before\n", retry.text());
                assertEquals(200, deliver(jetty, "msg_2", now).status());
                assertEquals(2, handler.calls.get());
            }
        }

        /** GitHub's documented vector (no timestamp), its delivery id in X-GitHub-Delivery, which GitHub does not sign. */
        @Test
        void withoutAnIdHeaderTheSchemesDeliveryIdIsClaimed() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().scheme("github")
                    .secrets(Vectors.GITHUB_DOC_SECRET).deduplicate();
            try (EmbeddedJetty jetty = start(builder, handler)) {
                java.util.function.Function<String, RawResponse> github = delivery -> {
                    try {
                        return jetty.send(RawRequest.post("/webhooks/").header("X-Hub-Signature-256",
                                Vectors.GITHUB_DOC_HEADER).header("X-GitHub-Delivery", delivery)
                                .body(Vectors.GITHUB_DOC_BODY));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                assertEquals(200, github.apply("72d3162e-cc78-11e3-81ab-4c9367dc0958").status());
                RawResponse again = github.apply("72d3162e-cc78-11e3-81ab-4c9367dc0958");
                assertEquals("true", again.header("Webhook-Duplicate").orElse(null));
                assertEquals(200, github.apply("72d3162e-cc78-11e3-81ab-4c9367dc0959").status());
                assertEquals(2, handler.calls.get());
            }
        }

        /**
         * Shopify's vector under its newer headers alone (shopify-hmac-sha256, shopify-webhook-id, in lower case as
         * Shopify/shopify-app-js names them), then the same delivery id under the legacy name, in lower case as HTTP/2
         * carries it: one run of the handler.
         */
        @Test
        void withoutAnIdHeaderShopifysNewerDeliveryIdIsClaimedWhereTheLegacyOneIsMissing() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().scheme("shopify")
                    .secrets(Vectors.SHOPIFY_SDK_SECRET).deduplicate();
            try (EmbeddedJetty jetty = start(builder, handler)) {
                String delivery = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
                RawResponse newer = jetty.send(RawRequest.post("/webhooks/").header("shopify-hmac-sha256",
                        Vectors.SHOPIFY_SDK_HEADER).header("shopify-webhook-id", delivery).body(Vectors.SHOPIFY_SDK_BODY));
                assertEquals(200, newer.status());
                RawResponse legacy = jetty.send(RawRequest.post("/webhooks/").header("x-shopify-hmac-sha256",
                        Vectors.SHOPIFY_SDK_HEADER).header("x-shopify-webhook-id", delivery).body(Vectors.SHOPIFY_SDK_BODY));
                assertEquals("true", legacy.header("Webhook-Duplicate").orElse(null));
                assertEquals(1, handler.calls.get());
            }
        }

        @Test
        void aFailedRunLetsTheRetryRunTheHandlerAgain() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add("500");
            handler.script.add("throw");
            handler.script.add("400");
            long now = java.time.Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                assertEquals(500, deliver(jetty, "msg_1", now).status());
                assertEquals(500, deliver(jetty, "msg_1", now).status(), "the exception");
                assertEquals(400, deliver(jetty, "msg_1", now).status(), "not 2xx: not done either");
                assertEquals(200, deliver(jetty, "msg_1", now).status());
                assertEquals(200, deliver(jetty, "msg_1", now).status());
                assertEquals(4, handler.calls.get());
            }
        }

        /**
         * A handler that answered 200 and then threw (its write failed, its client gone) is judged by the 200 the
         * client got: the id is done, and the sender's retry is a duplicate. It ran the handler a second time.
         */
        @Test
        void aHandlerThatThrowsAfterAnswering200MarksTheIdDone() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add("answer then throw");
            long now = Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                assertEquals(200, deliver(jetty, "msg_1", now).status());
                RawResponse retry = deliver(jetty, "msg_1", now + 1);
                assertEquals("true", retry.header("Webhook-Duplicate").orElse(null), retry::text);
                assertEquals(1, handler.calls.get());
            }
        }

        /**
         * An async request that timed out unanswered, or whose handler started async mode and then threw, may still be
         * in the application's hands, on a thread of its own: its claim runs out with its lease, and the sender's retry
         * runs the handler only then, not beside the work it may still be doing.
         */
        @ParameterizedTest
        @ValueSource(strings = {"timeout", "async then throw"})
        void anAsyncRequestWhoseOutcomeIsNotKnownLeavesTheClaimToItsLease(String how) throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add(how);
            long now = Instant.now().getEpochSecond();
            MutableClock clock = new MutableClock(now);
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder()
                    .verifier(WebhookVerifier.builder().secret(SECRET).clock(clock).build())
                    .deduplicate("Webhook-Id").leaseSeconds(30), handler)) {
                RawResponse failed = deliver(jetty, "msg_1", now);
                assertEquals(500, failed.status(), failed::text);
                if (how.equals("timeout")) {
                    assertTrue(failed.text().contains("AsyncContext timeout"), failed::text);
                }
                RawResponse during = deliver(jetty, "msg_1", now);
                assertEquals(409, during.status(), during::text);
                assertEquals("30", during.header("Retry-After").orElse(null));
                clock.advanceSeconds(30);
                assertEquals(200, deliver(jetty, "msg_1", now + 30).status());
                assertEquals(2, handler.calls.get());
            }
        }

        /**
         * Requests the application failed though the container did not tell the filter so, each answered as the test
         * says; either way the sender's retry runs the handler:
         * <ul>
         *   <li>"read fails elsewhere": a read listener set from the application's own thread while {@code service()}
         *       runs is called at once, on Jetty's thread; its {@code onAllDataRead} throws before the filter's chain has
         *       returned, and its {@code onError} completes the request with 200. The failure was lost, the 200 marked
         *       the id done, and the retry was answered as a duplicate.</li>
         *   <li>"timeout dispatch": the application answered a timeout by dispatching the request again, and that
         *       dispatch started async mode anew and answered 500 itself, which releases the claim. The
         *       timeout was held against the new cycle, and the retry got 409 for the lease.</li>
         * </ul>
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource({"read fails elsewhere, 200, 1", "timeout dispatch + async 500, 500, 2"})
        void aRequestTheApplicationFailedLetsTheRetryRunTheHandler(String steps, int answered, int calls) throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.addAll(List.of(steps.split(" \\+ ")));
            long now = Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                assertEquals(answered, deliver(jetty, "msg_1", now).status());
                assertEquals(calls, handler.calls.get(), "the handler's runs, with a dispatch at the timeout");
                RawResponse retry = deliver(jetty, "msg_1", now + 1);
                assertEquals(Optional.empty(), retry.header("Webhook-Duplicate"), retry::text);
                assertEquals(200, retry.status(), retry::text);
                assertEquals(calls + 1, handler.calls.get());
            }
        }

        /**
         * The application answered 202 when its async request timed out (a {@code DeferredResult}'s timeout result):
         * the sender was told it arrived, so the id is done, as for any 2xx.
         */
        @Test
        void anAsyncRequestTheApplicationAnsweredAtItsTimeoutIsDone() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add("timeout 202");
            long now = java.time.Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                RawResponse first = deliver(jetty, "msg_1", now);
                assertEquals(202, first.status(), first::text);
                RawResponse again = deliver(jetty, "msg_1", now + 1);
                assertEquals("true", again.header("Webhook-Duplicate").orElse(null), again::text);
                assertEquals(1, handler.calls.get());
            }
        }

        @Test
        void aDeliveryWhileTheFirstIsInTheHandlerGets409() throws Exception {
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch leave = new java.util.concurrent.CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            HttpServlet slow = new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    calls.incrementAndGet();
                    entered.countDown();
                    try {
                        leave.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            long now = java.time.Instant.now().getEpochSecond();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id")
                    .leaseSeconds(30).dedupTtlSeconds(600), slow)) {
                java.util.concurrent.CompletableFuture<RawResponse> first =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return deliver(jetty, "msg_1", now);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                entered.await();
                RawResponse second = deliver(jetty, "msg_1", now + 1);
                assertEquals(409, second.status());
                assertEquals("30", second.header("Retry-After").orElse(null));
                leave.countDown();
                assertEquals(200, first.get().status());
                assertEquals(1, calls.get());
            }
        }

        @Test
        void aVerifiedRequestWithoutAnIdIs400() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id"), handler)) {
                RawResponse response = deliver(jetty, null, java.time.Instant.now().getEpochSecond());
                assertEquals(400, response.status());
                assertEquals("webhook rejected: missing or malformed message id\n", response.text());
                assertEquals(0, handler.calls.get());
            }
        }

        @Test
        void anUndecidedStoreIs503AndTheHandlerDoesNotRun() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id")
                    .store("test-unavailable:"), handler)) {
                RawResponse response = deliver(jetty, "msg_1", java.time.Instant.now().getEpochSecond());
                assertEquals(503, response.status());
                assertEquals("60", response.header("Retry-After").orElse(null));
                assertEquals(0, handler.calls.get());
            }
        }

        @Test
        void allowRunsTheHandlerWhenTheStoreIsUndecided() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id")
                    .replayProtection().store("test-unavailable:").allowWhenStoreUnavailable(), handler)) {
                assertEquals(200, deliver(jetty, "msg_1", java.time.Instant.now().getEpochSecond()).status());
                assertEquals(1, handler.calls.get());
            }
        }

        @Test
        void aStoreGivenInCodeIsUsed_andLeftOpenForItsOwner() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            dev.webhookfilter.StubStore given = new dev.webhookfilter.StubStore(false);
            try (EmbeddedJetty jetty = start(WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id")
                    .store("mongodb://user:pw@h/db").store(given), handler)) {
                RawResponse response = deliver(jetty, "msg_1", java.time.Instant.now().getEpochSecond());
                assertEquals(503, response.status(), "the given store, which never decides, answered");
                assertEquals(0, handler.calls.get());
            }
            assertEquals(0, given.closed.get(), "the filter did not close it");
        }

        /**
         * Jetty keeps a {@code FilterHolder}'s own instance across a restart of its context: it destroys the filter
         * on stop and initialises the same object again on start. A built filter's {@code destroy} closed the store
         * it opened from its URI, and the restarted context served every request with that closed store (a Redis
         * or JDBC store answers "unavailable" once closed: 503 for every delivery, for good). Now that second
         * {@code init} refuses, so the context does not start, and says to build a new filter.
         */
        @Test
        void aBuiltFilterWhoseUriStoreItClosedRefusesToStartAgain() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                    .store("test-unavailable:").build();
            org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
            org.eclipse.jetty.ee10.servlet.ServletContextHandler context =
                    new org.eclipse.jetty.ee10.servlet.ServletContextHandler();
            context.addServlet(new org.eclipse.jetty.ee10.servlet.ServletHolder(new ScriptedHandler()), "/webhooks/*");
            org.eclipse.jetty.ee10.servlet.FilterHolder holder = new org.eclipse.jetty.ee10.servlet.FilterHolder(filter);
            holder.setName("webhookSignature");
            context.addFilter(holder, "/webhooks/*", java.util.EnumSet.allOf(jakarta.servlet.DispatcherType.class));
            server.setHandler(context);
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.SEVERE)) {
                server.start();
                assertTrue(context.isAvailable());
                context.stop();
                assertEquals(1, UnavailableStoreProvider.opened.closed.get(), "destroy closed the store it opened");
                String message = "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:\n"
                        + "the filter was destroyed, which closed the store it opened from its store URI; a filter made"
                        + " by WebhookSignatureFilter.builder() starts once: build a new one for the context that"
                        + " starts again, or give it a store the application owns with Builder.store(WebhookStore)";
                jakarta.servlet.ServletException refused = assertThrows(jakarta.servlet.ServletException.class,
                        context::start, "the context started again with the filter's store closed");
                assertEquals(message, refused.getMessage());
                assertFalse(context.isAvailable());
                assertEquals(List.of(message), logs.messages(Level.SEVERE));
            } finally {
                server.stop();
            }
        }

        @Test
        void aUriAfterAStoreGivenInCodeReplacesIt() {
            dev.webhookfilter.WebhookStore given = new UnavailableStoreProvider().open("test-unavailable:",
                    java.time.Duration.ofSeconds(1), "");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter.builder()
                    .secrets(SECRET).deduplicate("Webhook-Id").store(given).store("test-unopenable://127.0.0.1:1").build());
            assertEquals("store: cannot reach the test store at 127.0.0.1:1", e.getMessage());
            assertThrows(NullPointerException.class,
                    () -> WebhookSignatureFilter.builder().store((dev.webhookfilter.WebhookStore) null));
        }

        @Test
        void storeKeyPrefixLeaseAndTtl_areCheckedAsTheirInitParams() {
            IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().secrets(SECRET).replayProtection().storeKeyPrefix("app1:").build());
            assertEquals("storeKeyPrefix: only for a shared store (redis://..., jdbc:...); remove it",
                    prefix.getMessage());
            WebhookSignatureFilter shared = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                    .store("test-unavailable:").storeKeyPrefix("app1:").build();
            shared.destroy();
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().secrets(SECRET).replayCacheSize(10).build());
            assertEquals("replayCacheSize: sizes the memory store, so it has no effect unless replayProtection or"
                    + " deduplicate is true with store memory; set one, or remove replayCacheSize", size.getMessage());
            WebhookSignatureFilter.builder().secrets(SECRET).deduplicate("Webhook-Id").replayCacheSize(10).build();
            IllegalArgumentException times = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().secrets(SECRET).deduplicate("Webhook-Id").leaseSeconds(0).dedupTtlSeconds(31_536_001).build());
            assertEquals("dedupTtlSeconds: out of range; give a whole number of seconds from 1 to 31536000, or remove it"
                    + " for the default 259200\nleaseSeconds: out of range; give a whole number of seconds from 1 to 86400,"
                    + " or remove it for the default 60", times.getMessage());
        }

        @Test
        void anUnreachableStoreStopsTheApplication() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter.builder()
                    .secrets(SECRET).deduplicate("Webhook-Id").store("test-unopenable://user:pw@127.0.0.1:1").build());
            assertEquals("store: cannot reach the test store at 127.0.0.1:1", e.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().secrets(SECRET).deduplicate("Webhook-Id").store("mongodb://user:pw@h/db").build());
            assertTrue(unknown.getMessage().startsWith("store: no store module on the class path opens 'mongodb:' URIs"),
                    unknown.getMessage());
            assertFalse(unknown.getMessage().contains("pw"));
        }
    }

    @Nested
    class ReplayProtection {

        @Test
        void refusesTheSameDeliveryTwice() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                    .replayCacheSize(1000).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                assertEquals(200, jetty.post("/webhooks/", signature, BODY).status());
                RawResponse replay = jetty.post("/webhooks/", signature, BODY);
                assertEquals(401, replay.status());
                assertEquals("webhook rejected: replayed\n", replay.text());
                assertEquals(1, handler.calls.get());
            }
        }

        @Test
        void aDeliveryTheApplicationFailedMayBeRetriedOnce() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add("500");
            handler.script.add("throw");
            handler.script.add("timeout");
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                    .replayCacheSize(1000).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                assertEquals(500, jetty.post("/webhooks/", signature, BODY).status());
                assertEquals(500, jetty.post("/webhooks/", signature, BODY).status(), "the exception too");
                RawResponse timedOut = jetty.post("/webhooks/", signature, BODY);
                assertEquals(500, timedOut.status(), "an async timeout nobody answered");
                assertTrue(timedOut.text().contains("AsyncContext timeout"), timedOut::text);
                assertEquals(200, jetty.post("/webhooks/", signature, BODY).status());
                assertEquals(401, jetty.post("/webhooks/", signature, BODY).status());
                assertEquals(4, handler.calls.get());
            }
        }

        /**
         * The application answered 202 when its async request timed out: the sender will not retry, so the message
         * stays recorded, and a copy sent again is a replay.
         */
        @Test
        void anAsyncRequestTheApplicationAnsweredAtItsTimeoutIsRemembered() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            handler.script.add("timeout 202");
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                    .replayCacheSize(1000).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                String signature = WebhookSigner.of(SECRET).sign(BODY);
                assertEquals(202, jetty.post("/webhooks/", signature, BODY).status());
                RawResponse replay = jetty.post("/webhooks/", signature, BODY);
                assertEquals(401, replay.status(), replay::text);
                assertEquals(1, handler.calls.get());
            }
        }
    }

    @Nested
    class Configuration {

        // printf '%s%s' '{"eventId":"whevt-replay"}' '1700000000' | openssl dgst -sha256 -hmac 'whsec_replay_test_secret_01' -binary | base64
        private static final String VECTOR_HEADER = "t=1700000000,v1=dflQqq3WTMJnjkxy8puDEewrWkkDCvLxQcrhIy6oixg=";
        private static final byte[] VECTOR_BODY = "{\"eventId\":\"whevt-replay\"}".getBytes(StandardCharsets.US_ASCII);

        /** A verifier built in code for the vector above, its clock standing 100 s after its t. */
        private static WebhookVerifier verifierBuiltInCode() {
            return WebhookVerifier.builder()
                    .secret("whsec_replay_test_secret_01")
                    .clock(Clock.fixed(Instant.ofEpochSecond(1_700_000_100L), ZoneOffset.UTC))
                    .build();
        }

        @Test
        void aBuiltFilterGivenInitParamsStopsTheApplication() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).build();
            Exception e = assertThrows(Exception.class, () -> EmbeddedJetty.start(context -> {
                register(context, filter, new ScriptedHandler());
                context.getFilterRegistration("webhookSignature").setInitParameter("toleranceSeconds", "60");
            }).close());
            assertTrue(e.getMessage().contains("configured with WebhookSignatureFilter.builder()"), e.getMessage());
        }

        @Test
        void reportsEveryProblemAtOnce() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    WebhookSignatureFilter.builder().toleranceSeconds(0).maxBodyBytes(-1).headerName("not a header").build());
            String message = e.getMessage();
            assertTrue(message.contains("secrets: required"), message);
            assertTrue(message.contains("toleranceSeconds: out of range"), message);
            assertTrue(message.contains("maxBodyBytes: out of range"), message);
            assertTrue(message.contains("headerName: must be an HTTP header name"), message);
        }

        @Test
        void aVerifierReplacesSecretsAndTolerance() {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    WebhookSignatureFilter.builder().verifier(verifier).secrets(SECRET).toleranceSeconds(60).build());
            assertTrue(e.getMessage().contains("secrets: the filter was given a WebhookVerifier"), e.getMessage());
            assertTrue(e.getMessage().contains("toleranceSeconds: the filter was given a WebhookVerifier"), e.getMessage());
        }

        @Test
        void aVerifierBuiltInCodeGetsTheFiltersReplayProtection() throws Exception {
            // Its clock stands 100 s after t: the memory store must expire by that clock, not the system's.
            WebhookVerifier verifier = verifierBuiltInCode();
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).replayProtection()
                    .replayCacheSize(10).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                assertEquals(200, jetty.post("/webhooks/", VECTOR_HEADER, VECTOR_BODY).status());
                RawResponse replay = jetty.post("/webhooks/", VECTOR_HEADER, VECTOR_BODY);
                assertEquals(401, replay.status());
                assertEquals("webhook rejected: replayed\n", replay.text());
                assertEquals(1, handler.calls.get());
            }
        }

        @Test
        void usesAVerifierBuiltInCode() throws Exception {
            WebhookVerifier verifier = verifierBuiltInCode();
            ScriptedHandler handler = new ScriptedHandler();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier)
                    .maxBodyBytes(VECTOR_BODY.length).build();
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> register(context, filter, handler))) {
                assertEquals(200, jetty.post("/webhooks/", VECTOR_HEADER, VECTOR_BODY).status());
                byte[] longer = (new String(VECTOR_BODY, StandardCharsets.US_ASCII) + " ")
                        .getBytes(StandardCharsets.US_ASCII);
                assertEquals(413, jetty.post("/webhooks/", VECTOR_HEADER, longer).status());
            }
        }
    }

    /**
     * A pattern Jetty matches no request to as written: it keeps %20 encoded in the path it matches and decodes %65
     * (Tomcat decodes both, in the pattern too), resolves . segments and leaves path parameters out. Jetty started,
     * the filter guarded nothing, and an unsigned POST sent where the pattern says reached the handler (200).
     */
    @Nested
    class MappingNoContainerMatchesAsWritten {

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

        @ParameterizedTest
        @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
                /webhooks/s p => /webhooks/s%20p => holds a character a request's path carries percent-encoded (a space, ", #, <, >, ?, [, ], ^, `, {, | or }): Jetty matches the path with it still encoded, Tomcat decoded, so the filter would guard nothing on Jetty, and a servlet mapped otherwise would serve the request unverified there; write it as Jetty does, %XX in upper case (%20 for a space)
                /webhooks/%65vents => /webhooks/events => holds an escape that Jetty decodes or writes in upper case in a request's path before it matches (%65, %2F, %C3%A9, %3c), and Jetty compares the pattern as written (Tomcat decodes it), so the filter would guard nothing on Jetty, and a servlet mapped otherwise would serve the request unverified there; write such a character as itself (e, /, \u00e9) and any escape in upper case (%3C)
                /webhooks/./events => /webhooks/./events => holds a . or .. segment: containers resolve those in a request's path before they match, so the filter would guard nothing, and a servlet mapped otherwise would serve the request unverified; write the path they resolve to
                /webhooks/events;v=1 => /webhooks/events;v=1 => holds a ';': containers match a request's path without its path parameters (what follows a ';' in a segment), so the filter would guard nothing, and a servlet mapped otherwise would serve the request unverified; leave the parameters out
                """)
        void aPatternJettyMatchesNoRequestToStopsTheApplication(String pattern, String target, String reason)
                throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            EmbeddedJetty jetty;
            try {
                jetty = EmbeddedJetty.start(context -> {
                    WebhookSignatureFilter.builder().secrets(SECRET).register(context, "webhookSignature", pattern);
                    context.addServlet("handler", handler).addMapping("/webhooks/*");
                });
            } catch (Exception e) {
                String message = "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:\n"
                        + "url-pattern '" + pattern + "' of its filter-mapping " + reason;
                assertTrue(e.getMessage().contains(message), e.getMessage());
                assertEquals(List.of(message), logs.messages(Level.SEVERE));
                assertEquals(0, handler.calls.get());
                return;
            }
            try (jetty) {
                RawResponse unsigned = jetty.post(target, null, BODY);
                fail("Jetty started, and an unsigned POST to " + target + " got " + unsigned.status() + " ("
                        + handler.calls.get() + " handler call)");
            }
        }
    }

    /**
     * A valid pattern that covers no request a servlet of the application serves: Jetty started, the filter
     * guarded nothing, and an unsigned POST to /webhooks/ reached the handler. Now the filter refuses to start,
     * which stops the context, and says why through its own logger.
     */
    @Nested
    class MappingThatReachesNoServlet {

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

        private void assertRefused(Exception e, String problem) {
            String message = "WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:\n" + problem;
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertEquals(List.of(message), logs.messages(Level.SEVERE));
        }

        @Test
        void aTypoStopsTheApplication() {
            ScriptedHandler handler = new ScriptedHandler();
            Exception e = assertThrows(Exception.class, () -> EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).register(context, "webhookSignature", "/webhook/*");
                context.addServlet("handler", handler).addMapping("/webhooks/*");
            }).close());
            // Jetty's own servlet on /, its Default404Servlet, is the container's: it serves no webhook.
            assertRefused(e, "url-pattern '/webhook/*' of its filter-mapping reaches no servlet of the application"
                    + " (servlets: handler on /webhooks/*), so the filter would guard nothing; check it for a typo,"
                    + " and leave the context path out of it: patterns are matched after the context path"
                    + " (/webhooks/*, not /app/webhooks/*, for an application at /app)");
            assertEquals(0, handler.calls.get());
        }

        @Test
        void theContextPathInThePatternStopsTheApplication() {
            ScriptedHandler handler = new ScriptedHandler();
            Exception e = assertThrows(Exception.class, () -> EmbeddedJetty.start("/app", context -> {
                FilterRegistration.Dynamic filter = context.addFilter("webhookSignature", WebhookSignatureFilter.class);
                filter.setInitParameter(WebhookSignatureFilter.PARAM_SECRETS, SECRET);
                filter.addMappingForUrlPatterns(null, false, "/app/webhooks/*");
                context.addServlet("handler", handler).addMapping("/webhooks/*");
            }).close());
            assertRefused(e, "url-pattern '/app/webhooks/*' of its filter-mapping reaches no servlet of the application"
                    + " (servlets: handler on /webhooks/*), so the filter would guard nothing; it begins with the"
                    + " context path /app, but patterns are matched after the context path: write /webhooks/*");
        }

        @Test
        void thePatternWithoutTheContextPathStarts() throws Exception {
            ScriptedHandler handler = new ScriptedHandler();
            try (EmbeddedJetty jetty = EmbeddedJetty.start("/app", context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).register(context, "webhookSignature", "/webhooks/*");
                context.addServlet("handler", handler).addMapping("/webhooks/*");
            })) {
                assertEquals(401, jetty.post("/app/webhooks/", null, BODY).status());
                assertEquals(200, jetty.post("/app/webhooks/", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
                assertEquals(1, handler.calls.get());
            }
            assertEquals(List.of(), logs.messages(Level.WARNING));
        }

        /** Answers every request itself, as Wicket, Struts 2 or Jersey mapped as a filter do. */
        static final class FrameworkFilter implements Filter {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
                request.getInputStream().readAllBytes();
                ((HttpServletResponse) response).setStatus(202);
            }
        }

        @Test
        void aFilterThatMayBeTheHandlerStartsWithAWarning() throws Exception {
            try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> {
                WebhookSignatureFilter.builder().secrets(SECRET).register(context, "webhookSignature", "/hooks/*");
                context.addFilter("framework", new FrameworkFilter()).addMappingForUrlPatterns(null, true, "/*");
                context.addServlet("events", new ScriptedHandler()).addMapping("/events");
            })) {
                assertEquals(401, jetty.post("/hooks/in", "t=1,v1=forged", BODY).status());
                assertEquals(202, jetty.post("/hooks/in", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
            }
            assertEquals(List.of("WebhookSignatureFilter 'webhookSignature': url-pattern '/hooks/*' reaches no servlet"
                    + " of the application (servlets: events on /events), and filter 'framework' also covers it: unless"
                    + " that filter handles these requests itself, the handler is not guarded; check it for a typo, and"
                    + " leave the context path out of it: patterns are matched after the context path (/webhooks/*, not"
                    + " /app/webhooks/*, for an application at /app)"), logs.messages(Level.WARNING));
        }

        @Test
        void aServletNameThatIsNotRegisteredStopsTheApplication() {
            Exception e = assertThrows(Exception.class, () -> EmbeddedJetty.start(context -> {
                FilterRegistration.Dynamic filter = context.addFilter("webhookSignature", WebhookSignatureFilter.class);
                filter.setInitParameter(WebhookSignatureFilter.PARAM_SECRETS, SECRET);
                filter.addMappingForServletNames(null, false, "handlr");
                context.addServlet("handler", new ScriptedHandler()).addMapping("/webhooks/*");
            }).close());
            assertTrue(e.getMessage().contains("servlet-name 'handlr' of its filter-mapping names no servlet of the"
                    + " application (servlets: "), e.getMessage());
        }
    }
}
