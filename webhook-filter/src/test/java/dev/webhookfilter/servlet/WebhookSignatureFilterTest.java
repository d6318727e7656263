package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SECRET_B;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.ascii;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.internal.AmbiguousPathGuard;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.servlet.BodyInput;
import dev.webhookfilter.testing.servlet.BodyOutput;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class WebhookSignatureFilterTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    private static final String WWW_AUTHENTICATE = "Webhook-Signature header=\"X-Webhook-Signature\"";

    private static WebhookVerifier verifier() {
        return WebhookVerifier.builder().secret(SECRET_A).clock(AT_T).build();
    }

    private static WebhookSignatureFilter filter(int maxBodyBytes) {
        return WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(maxBodyBytes).build();
    }

    // printf '%s' 'a=1&b=21700000000' | openssl dgst -sha256 -hmac whsec_unit_test_secret_A_0001 -binary | base64
    private static final String TWO_PAIRS_A = "Gq/1+a2ebnkidoCQr/rDlIS5DpM1rBy0SUWongb+Jk4=";
    // printf '%s' 'a=1&b=21700000000' | openssl dgst -sha256 -hmac whsec_unit_test_secret_B_0002 -binary | base64
    private static final String TWO_PAIRS_B = "uDH4IZm6DlInYiy/Ee3sVNURq/cDg5T+XR8PlLtk+dg=";
    // { python3 -c "import sys; sys.stdout.write('a&'*999+'a')"; printf 1700000000; }
    //   | openssl dgst -sha256 -hmac whsec_unit_test_secret_A_0001 -binary | base64
    private static final String PAIRS_1000_A = "zt+ELA6Z4ExSOdW6PxmmFyi6sZYG2IFbHtbZSBWFi3I=";
    // { python3 -c "import sys; sys.stdout.write('a&'*1000+'a')"; printf 1700000000; }
    //   | openssl dgst -sha256 -hmac whsec_unit_test_secret_A_0001 -binary | base64
    private static final String PAIRS_1001_A = "CH/FVGZTlFO38IsJOGjZzoy29NxAwyoaGBE57G3z5PQ=";

    /** A signed form post: the filter decodes nothing, but takes room for what the application may. */
    private static Exchange form(String signature, String body) throws IOException {
        return Exchange.signed(header(signature), body.getBytes(StandardCharsets.US_ASCII)).asForm();
    }

    /** A mocked request and response, the request's body a {@link BodyInput}. */
    static final class Exchange {
        final HttpServletRequest request = mock(HttpServletRequest.class);
        final HttpServletResponse response = mock(HttpServletResponse.class);
        final FilterChain chain = mock(FilterChain.class);
        final Map<String, Object> attributes = new HashMap<>();
        final BodyOutput sent = new BodyOutput();
        BodyInput body;

        Exchange(List<String> signatures, byte[] body, long contentLength) throws IOException {
            this.body = new BodyInput(body);
            when(request.getHeaders("X-Webhook-Signature")).thenAnswer(i -> Collections.enumeration(signatures));
            when(request.getContentLengthLong()).thenReturn(contentLength);
            when(request.getInputStream()).thenAnswer(i -> this.body);
            when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
            when(request.getMethod()).thenReturn("POST");
            when(request.getRequestURI()).thenReturn("/webhooks/");
            when(request.getProtocol()).thenReturn("HTTP/1.1");
            doAnswer(i -> attributes.put(i.getArgument(0), i.getArgument(1))).when(request).setAttribute(anyString(), any());
            when(request.getAttribute(anyString())).thenAnswer(i -> attributes.get(i.<String>getArgument(0)));
            when(response.getOutputStream()).thenReturn(sent);
        }

        static Exchange signed(String signature, byte[] body) throws IOException {
            return new Exchange(List.of(signature), body, body.length);
        }

        /** Declares the body an {@code application/x-www-form-urlencoded} form, whose parameters the application may ask for. */
        Exchange asForm() {
            when(request.getContentType()).thenReturn("application/x-www-form-urlencoded");
            return this;
        }

        /** Says that the request came over {@code protocol} ({@code "HTTP/2.0"}) rather than HTTP/1.1. */
        Exchange over(String protocol) {
            when(request.getProtocol()).thenReturn(protocol);
            return this;
        }

        /** Puts the request in async mode, with a mocked context. {@return that context} */
        AsyncContext inAsyncMode() {
            AsyncContext context = mock(AsyncContext.class);
            when(request.isAsyncStarted()).thenReturn(true);
            when(request.getAsyncContext()).thenReturn(context);
            return context;
        }

        Exchange run(WebhookSignatureFilter filter) throws IOException, ServletException {
            filter.doFilter(request, response, chain);
            return this;
        }

        /**
         * Runs this exchange through {@code filter} with an application that, while it holds this request, sends
         * {@code meanwhile} through the same filter. {@return {@code meanwhile}, which has run}
         */
        Exchange runWhileHeld(WebhookSignatureFilter filter, Exchange meanwhile) throws IOException, ServletException {
            doAnswer(i -> meanwhile.run(filter)).when(chain).doFilter(any(), any());
            run(filter);
            return meanwhile;
        }

        /**
         * Runs the filter with a chain that leaves the request in async mode.
         *
         * @return what the filter asked the request's {@code AsyncContext} to tell when the request ends
         */
        AsyncListener runAsync(WebhookSignatureFilter filter) throws IOException, ServletException {
            AsyncContext context = inAsyncMode();
            run(filter);
            ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
            verify(context).addListener(listener.capture());
            return listener.getValue();
        }

        /**
         * Runs the filter with an application that starts async mode and then throws, as one that handed the request
         * to a thread of its own and failed after; checks that the exception passes through the filter.
         */
        void runStartingAsyncThenThrowing(WebhookSignatureFilter filter) throws IOException, ServletException {
            inAsyncMode();
            IllegalStateException thrown = new IllegalStateException("the handler failed after startAsync");
            doThrow(thrown).when(chain).doFilter(any(), any());
            assertSame(thrown, assertThrows(IllegalStateException.class, () -> run(filter)));
        }

        /**
         * Runs the filter with an application that starts async mode and sets the listener {@code reader} makes for
         * the request's stream, then runs on "a container thread" what was started with {@code AsyncContext.start}:
         * the listener's callbacks.
         *
         * @return what the filter asked the request's {@code AsyncContext} to tell when the request ends
         */
        AsyncListener runReading(WebhookSignatureFilter filter, Function<ServletInputStream, ReadListener> reader)
                throws IOException, ServletException {
            return runReading(filter, reader, listener -> { });
        }

        /**
         * As {@link #runReading(WebhookSignatureFilter, Function)}, telling the filter's listener {@code first} what
         * happened before the read listener's callbacks run (its {@code onTimeout}, say).
         */
        AsyncListener runReading(WebhookSignatureFilter filter, Function<ServletInputStream, ReadListener> reader,
                                 AsyncStep first) throws IOException, ServletException {
            AsyncContext context = inAsyncMode();
            List<Runnable> started = new ArrayList<>();
            doAnswer(i -> started.add(i.getArgument(0))).when(context).start(any());
            doAnswer(i -> {
                ServletInputStream in = i.<ServletRequest>getArgument(0).getInputStream();
                in.setReadListener(reader.apply(in));
                return null;
            }).when(chain).doFilter(any(), any());
            run(filter);
            ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
            verify(context).addListener(listener.capture());
            first.tell(listener.getValue());
            started.forEach(Runnable::run);
            return listener.getValue();
        }

        /** What happens to an async request, told to the filter's listener. */
        interface AsyncStep {
            void tell(AsyncListener listener) throws IOException;
        }

        /** A read listener whose {@code onDataAvailable} throws, and whose {@code onError} does nothing more. */
        static ReadListener failingReader(ServletInputStream in) {
            return new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    throw new IOException("the application failed");
                }

                @Override
                public void onAllDataRead() {
                }

                @Override
                public void onError(Throwable t) {
                }
            };
        }

        /** {@return how the request's end is told to {@code listener}, answered with {@code status}} */
        AsyncEvent ended(int status) {
            HttpServletResponse ended = mock(HttpServletResponse.class);
            when(ended.getStatus()).thenReturn(status);
            return new AsyncEvent(request.getAsyncContext(), request, ended);
        }

        /** {@return the request the chain was given, with this exchange's response} */
        ServletRequest passedOn() throws IOException, ServletException {
            ArgumentCaptor<ServletRequest> passed = ArgumentCaptor.forClass(ServletRequest.class);
            verify(chain).doFilter(passed.capture(), eq(response));
            return passed.getValue();
        }

        String sentText() {
            return sent.text();
        }

        void assertRejected(int status, RejectionReason rejection) throws IOException, ServletException {
            verify(chain, never()).doFilter(any(), any());
            // The request is marked before the answer is begun: a filter in front may act on it in time.
            InOrder order = inOrder(request, response);
            order.verify(request).setAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE, rejection);
            order.verify(response).setStatus(status);
            assertEquals(rejection, attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            assertNull(attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
            assertEquals("webhook rejected: " + rejection.message() + "\n", sentText());
            verify(response).setContentType("text/plain;charset=UTF-8");
            verify(response).setContentLength(sent.size());
            verify(response).setHeader("Cache-Control", "no-store");
        }

        void assertConnectionClosed(boolean closed) {
            verify(response, closed ? org.mockito.Mockito.times(1) : never()).setHeader("Connection", "close");
        }
    }

    @Nested
    class OrderOfWork {

        @Test
        void aMissingHeaderIsRefusedWithoutReadingALargeBody() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 100_000).run(filter(100));
            exchange.assertRejected(401, Rejection.MISSING_HEADER);
            verify(exchange.request, never()).getInputStream();
            verify(exchange.response).setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
            exchange.assertConnectionClosed(true);
        }

        @Test
        void aStaleTimestampIsRefusedWithoutReadingALargeBody() throws Exception {
            Exchange exchange = new Exchange(List.of("t=1600000000,v1=" + SIMPLE_A), SIMPLE_BODY, 100_000).run(filter(100));
            exchange.assertRejected(401, Rejection.STALE_TIMESTAMP);
            verify(exchange.request, never()).getInputStream();
        }

        @Test
        void aFutureTimestampIsRefusedWithoutReadingALargeBody() throws Exception {
            Exchange exchange = new Exchange(List.of("t=1800000000,v1=" + SIMPLE_A), SIMPLE_BODY, 100_000).run(filter(100));
            exchange.assertRejected(401, Rejection.FUTURE_TIMESTAMP);
            verify(exchange.request, never()).getInputStream();
        }

        @Test
        void aMalformedHeaderIsRefusedBeforeTheBody() throws Exception {
            Exchange exchange = new Exchange(List.of("t=01700000000,v1=" + SIMPLE_A), SIMPLE_BODY, 0).run(filter(100));
            exchange.assertRejected(401, Rejection.MALFORMED_HEADER);
            verify(exchange.request, never()).getInputStream();
            exchange.assertConnectionClosed(false);
        }

        @Test
        void twoSignatureHeadersAreMalformed() throws Exception {
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A), header(SIMPLE_A)), SIMPLE_BODY, 0).run(filter(100));
            exchange.assertRejected(401, Rejection.MALFORMED_HEADER);
        }

        @Test
        void noHeaderEnumerationMeansMissing() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.request.getHeaders("X-Webhook-Signature")).thenReturn(null);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
        }

        @Test
        void aContentLengthOverTheLimitIsRefusedWithoutReading() throws Exception {
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, 8).run(filter(7));
            exchange.assertRejected(413, FilterRejection.BODY_TOO_LARGE);
            verify(exchange.request, never()).getInputStream();
            verify(exchange.response, never()).setHeader(eq("WWW-Authenticate"), anyString());
            exchange.assertConnectionClosed(true);
        }

        @Test
        void aQueryStringIsRefusedFirstWhenConfigured() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).rejectQueryStrings().build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.request.getQueryString()).thenReturn("amount=999999");
            exchange.run(filter);
            exchange.assertRejected(400, FilterRejection.QUERY_STRING);
            verify(exchange.request, never()).getHeaders(anyString());
        }

        @Test
        void aQueryStringPassesByDefaultAndAnEmptyOneAlways() throws Exception {
            Exchange withQuery = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(withQuery.request.getQueryString()).thenReturn("amount=999999");
            withQuery.run(filter(100));
            verify(withQuery.chain).doFilter(any(VerifiedRequest.class), eq(withQuery.response));
            Exchange empty = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(empty.request.getQueryString()).thenReturn("");
            empty.run(WebhookSignatureFilter.builder().verifier(verifier()).rejectQueryStrings().build());
            verify(empty.chain).doFilter(any(VerifiedRequest.class), eq(empty.response));
        }

        @Test
        void aFullBufferBudgetIs503WithRetryAfterBeforeReading() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            // While the first request is in the application, its body holds 7 of the 100 bytes.
            Exchange second = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY)
                    .runWhileHeld(filter, new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100));
            second.assertRejected(503, FilterRejection.BUSY);
            verify(second.response).setHeader("Retry-After", "60");
            assertEquals(0, second.body.bytesRead(), "refused without reading");
            second.assertConnectionClosed(true);
            // Released after the first request: a full-size body fits again.
            byte[] body = new byte[100];
            Exchange later = new Exchange(List.of(header(SIMPLE_A)), body, 100).run(filter);
            later.assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
            assertEquals(100, later.body.bytesRead());
        }

        /**
         * A signed form of more than 1000 pairs (Tomcat's maxParameterCount and Jetty's maxFormKeys by default) is refused
         * before the application runs, which could not be told of the limit when it asks for a parameter.
         */
        @Test
        void aFormOfMoreThan1000PairsIsRefusedBeforeTheApplication() throws Exception {
            form(PAIRS_1001_A, "a&".repeat(1000) + "a").run(filter(4096))
                    .assertRejected(400, FilterRejection.TOO_MANY_PARAMETERS);
            Exchange atTheLimit = form(PAIRS_1000_A, "a&".repeat(999) + "a").run(filter(4096));
            verify(atTheLimit.chain).doFilter(any(VerifiedRequest.class), eq(atTheLimit.response));
        }

        /**
         * A form's decoded parameters cost far more heap than its bytes: 5 bytes a byte and 320 a pair in ISO-8859-1 are
         * taken from maxBufferedBytes with its body's 7 bytes, before the application runs, and given back with them.
         */
        @Test
        void aFormHoldsRoomForItsParametersInTheBudget() throws Exception {
            int room = 7 + 5 * 7 + 320 * 2;
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(room).build();
            Exchange held = form(TWO_PAIRS_A, "a=1&b=2");
            held.runWhileHeld(filter, Exchange.signed(header(SIMPLE_A), SIMPLE_BODY))
                    .assertRejected(503, FilterRejection.BUSY);
            verify(held.chain).doFilter(any(VerifiedRequest.class), eq(held.response));
            Exchange later = form(TWO_PAIRS_A, "a=1&b=2").run(filter);
            verify(later.chain).doFilter(any(VerifiedRequest.class), eq(later.response));
        }

        /**
         * In a charset whose strings each make a decoder of their own, a pair takes 10 KiB: the client names it. A budget
         * one byte short of that, with nothing else in flight, could never hold it: 413, not a 503 to retry.
         */
        @Test
        void aFormInAnotherCharsetHoldsMoreRoom() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(7 + 10 * 7 + 10_240 * 2 - 1).build();
            Exchange gb18030 = form(TWO_PAIRS_A, "a=1&b=2");
            when(gb18030.request.getCharacterEncoding()).thenReturn("GB18030");
            gb18030.run(filter).assertRejected(413, FilterRejection.BODY_TOO_LARGE);
            Exchange latin1 = form(TWO_PAIRS_A, "a=1&b=2");
            when(latin1.request.getCharacterEncoding()).thenReturn("ISO-8859-1");
            verify(latin1.run(filter).chain).doFilter(any(VerifiedRequest.class), eq(latin1.response));
        }

        /**
         * A form refused for want of room for its parameters gets 503 with Retry-After before the application runs, and
         * its message is forgotten by replay protection: the sender's retry is not a replay.
         */
        @Test
        void aFormWithoutRoomForItsParametersIs503AndItsRetryIsNoReplay() throws Exception {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                    .replayGuard(new InMemoryReplayGuard(10, AT_T)).build();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).maxBodyBytes(100)
                    .maxBufferedBytes(7 + 5 * 7 + 320 * 2).build();
            // While a 7-byte body is in the application, the form's own 7 bytes fit, but not its parameters.
            Exchange refused = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY)
                    .runWhileHeld(filter, form(TWO_PAIRS_A, "a=1&b=2"));
            refused.assertRejected(503, FilterRejection.BUSY);
            verify(refused.response).setHeader("Retry-After", "60");
            Exchange retry = form(TWO_PAIRS_A, "a=1&b=2").run(filter);
            verify(retry.chain).doFilter(any(VerifiedRequest.class), eq(retry.response));
        }

        /**
         * A form whose parameters could not fit in maxBufferedBytes beside its bytes even with nothing else in flight gets
         * 413, never a 503 whose Retry-After its sender would follow as long as it retries: 7 + 5 * 7 + 320 * 2 = 682 bytes
         * do not fit in 681. In 682 it is let through.
         */
        @Test
        void aFormThatCouldNeverFitIsTooLargeNotBusy() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(681).build();
            Exchange refused = form(TWO_PAIRS_A, "a=1&b=2").run(filter);
            refused.assertRejected(413, FilterRejection.BODY_TOO_LARGE);
            verify(refused.response, never()).setHeader(eq("Retry-After"), any());
            Exchange fits = form(TWO_PAIRS_A, "a=1&b=2").run(WebhookSignatureFilter.builder().verifier(verifier())
                    .maxBodyBytes(100).maxBufferedBytes(682).build());
            verify(fits.chain).doFilter(any(VerifiedRequest.class), eq(fits.response));
        }

        @Test
        void aContentLengthAtTheLimitIsRead() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter(SIMPLE_BODY.length));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
        }

        @Test
        void aChunkedBodyOverTheLimitIsRefused() throws Exception {
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, -1).run(filter(SIMPLE_BODY.length - 1));
            exchange.assertRejected(413, FilterRejection.BODY_TOO_LARGE);
            assertEquals(SIMPLE_BODY.length, exchange.body.bytesRead(), "read no further than the limit + 1");
            exchange.assertConnectionClosed(true);
        }

        @Test
        void aChunkedBodyFitsABudgetOfOneLargestBody() throws Exception {
            // maxBufferedBytes may be as low as maxBodyBytes ("from maxBodyBytes"): one body of the largest size.
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, -1).run(filter);
            assertNull(exchange.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
        }

        /**
         * An async request's body counts against {@code maxBufferedBytes} until the request ends, however it ends;
         * then it is given back. Were it kept, each async request would shrink the budget for good, until every
         * request got 503.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"completes", "times out", "fails"})
        void anAsyncRequestHoldsItsBodyAgainstTheBudgetUntilItEnds(String end) throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncListener listener = async.runAsync(filter);
            new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter).assertRejected(503, FilterRejection.BUSY);

            AsyncEvent event = async.ended(200);
            if (end.equals("times out")) {
                listener.onTimeout(event);
                // Judged once the container completes it: until then the application may still answer and read.
                new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter)
                        .assertRejected(503, FilterRejection.BUSY);
                listener.onComplete(event);
            } else if (end.equals("fails")) {
                listener.onError(event);
            } else {
                listener.onComplete(event);
            }
            // Past the budget now: read whole, and refused only for its signature.
            new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter)
                    .assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
        }

        /**
         * An async handler that asks for a form's parameters after its request ended by an error (its sender reset the
         * stream), once their room in maxBufferedBytes was given back, gets the query's alone: nothing would bound what
         * decoding them then takes. They were decoded then. Those asked for before the error are served as they were.
         */
        @Test
        void anAsyncFormAskedForItsParametersAfterAnErrorGetsNoneDecodedOutsideTheRoom() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(7 + 5 * 7 + 320 * 2).build();
            Exchange late = form(TWO_PAIRS_A, "a=1&b=2");
            when(late.request.getParameterMap()).thenReturn(Map.of("q", new String[] {"0"}));
            AsyncListener listener = late.runAsync(filter);
            ServletRequest held = late.passedOn();
            listener.onError(late.ended(500));
            assertNull(held.getParameter("a"), "decoded after the room was given back");
            assertEquals("0", held.getParameter("q"));

            Exchange early = form(TWO_PAIRS_A, "a=1&b=2");
            AsyncListener earlyListener = early.runAsync(filter);
            Map<String, String[]> before = early.passedOn().getParameterMap();
            earlyListener.onError(early.ended(500));
            assertSame(before, early.passedOn().getParameterMap());
            assertEquals("1", early.passedOn().getParameter("a"));
        }

        /**
         * A read listener's callback that throws fails the request, as an exception from a handler does: its body's
         * room is given back at once, not when the application or the async timeout ends the request (Tomcat ends it
         * at once itself). It was held until then, and on Tomcat every event in the meantime got 503.
         */
        @Test
        void anAsyncRequestWhoseReadListenerThrowsGivesItsBodyBackAtOnce() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).runReading(filter, Exchange::failingReader);
            new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter)
                    .assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
        }

        /**
         * In the async dispatch of {@code startAsync().dispatch()}, which the filter passes untouched, a read listener
         * waits for that dispatch to return, as a container's does. It was started at once, during the dispatch.
         */
        @Test
        void aReadListenerSetInAnAsyncDispatchWaitsForItToReturn() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncContext context = exchange.inAsyncMode();
            exchange.run(filter);
            ArgumentCaptor<ServletRequest> passed = ArgumentCaptor.forClass(ServletRequest.class);
            verify(exchange.chain).doFilter(passed.capture(), any());

            when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.ASYNC);
            FilterChain asyncDispatch = mock(FilterChain.class);
            doAnswer(i -> {
                ServletInputStream in = i.<ServletRequest>getArgument(0).getInputStream();
                in.setReadListener(Exchange.failingReader(in));
                verify(context, never()).start(any());
                return null;
            }).when(asyncDispatch).doFilter(any(), any());
            filter.doFilter(passed.getValue(), exchange.response, asyncDispatch);
            verify(asyncDispatch).doFilter(passed.getValue(), exchange.response);
            verify(context).start(any());
        }

        /**
         * An application's attribute listener that throws as the filter records an async request (for an error page the
         * container may dispatch) strands no read listener set in the chain: it starts once the chain returned, and the
         * exception passes on. It never started, and the request waited for its timeout.
         */
        @Test
        void aReadListenerStartsThoughRecordingTheRequestThrew() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncContext context = exchange.inAsyncMode();
            IllegalStateException thrown = new IllegalStateException("an attribute listener failed");
            doThrow(thrown).when(exchange.request).setAttribute(eq(VerifiedRequest.RECORD_ATTRIBUTE), any());
            doAnswer(i -> {
                ServletInputStream in = i.<ServletRequest>getArgument(0).getInputStream();
                in.setReadListener(Exchange.failingReader(in));
                return null;
            }).when(exchange.chain).doFilter(any(), any());
            assertSame(thrown, assertThrows(IllegalStateException.class, () -> exchange.run(filter)));
            verify(context).start(any());
        }

        /**
         * A handler that started async mode and threw, where an application's attribute listener then throws as the
         * filter records the request: the handler's exception passes on, the listener's suppressed on it. The
         * listener's replaced it, and the handler's was lost.
         */
        @Test
        void theHandlersExceptionPassesOnThoughRecordingTheRequestThrew() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            exchange.inAsyncMode();
            IllegalStateException handler = new IllegalStateException("the handler failed after startAsync");
            IllegalStateException recording = new IllegalStateException("an attribute listener failed");
            doThrow(handler).when(exchange.chain).doFilter(any(), any());
            doThrow(recording).when(exchange.request).setAttribute(eq(VerifiedRequest.RECORD_ATTRIBUTE), any());
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> exchange.run(filter));
            assertSame(handler, thrown, thrown::getMessage);
            assertSame(recording, thrown.getSuppressed().length == 1 ? thrown.getSuppressed()[0] : null);
        }

        /**
         * An async request that ended before the filter could wait for it (its AsyncContext gone, or refusing the
         * listener: "completed meanwhile") is finished as a synchronous one: its body is given back at once.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"no context", "getAsyncContext refuses", "addListener refuses"})
        void anAsyncRequestThatCompletedMeanwhileGivesItsBodyBackAtOnce(String how) throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(async.request.isAsyncStarted()).thenReturn(true);
            if (how.equals("getAsyncContext refuses")) {
                when(async.request.getAsyncContext()).thenThrow(new IllegalStateException("completed"));
            } else if (how.equals("addListener refuses")) {
                AsyncContext context = mock(AsyncContext.class);
                doThrow(new IllegalStateException("completed")).when(context).addListener(any());
                when(async.request.getAsyncContext()).thenReturn(context);
            }
            async.run(filter);
            verify(async.chain).doFilter(any(VerifiedRequest.class), eq(async.response));
            // Within the budget: read whole, and refused only for its signature.
            new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter)
                    .assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
        }

        /**
         * An {@link Error} while the body is read (an {@link OutOfMemoryError} as the buffer grows, with the default
         * budget of a quarter of the heap and the application's own objects beside it) goes on to the container, with
         * the body's room given back: each such request kept it, until every request got 503 for good.
         */
        @Test
        void anErrorWhileReadingTheBodyGivesItsRoomBack() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            for (int i = 0; i < 20; i++) { // 20 bodies of 7 bytes: more than the budget of 100 holds
                Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
                when(failing.request.getInputStream()).thenThrow(new OutOfMemoryError("Java heap space"));
                assertThrows(OutOfMemoryError.class, () -> failing.run(filter),
                        "request " + i + " reads its body, unless earlier ones kept their room and it got 503");
                verify(failing.chain, never()).doFilter(any(), any());
            }
            Exchange genuine = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
            assertNull(genuine.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            verify(genuine.chain).doFilter(any(VerifiedRequest.class), eq(genuine.response));
        }

        /**
         * Every way out once the body is read gives its room back: a refused signature, a handler that answers 500 or
         * throws (a checked or unchecked exception, an {@link Error}), an attribute listener that throws as the filter
         * marks the request, a {@link VerificationListener}'s {@link VirtualMachineError}. Twenty such requests of 7
         * bytes pass through a budget of 100, and then a body of the full 100 bytes is still read whole.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"a wrong signature", "the handler answers 500", "the handler throws a ServletException",
                "the handler throws a RuntimeException", "the handler throws an Error", "an attribute listener throws",
                "a VerificationListener throws a VirtualMachineError"})
        void everyWayOutAfterTheBodyWasReadGivesItsRoomBack(String exit) throws Exception {
            WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100);
            if (exit.startsWith("a VerificationListener")) {
                builder.listener(new VerificationListener() {
                    @Override
                    public void verified(String endpoint, String scheme, long nanos) {
                        throw new StackOverflowError();
                    }
                });
            }
            WebhookSignatureFilter filter = builder.build();
            for (int i = 0; i < 20; i++) {
                Exchange exchange = Exchange.signed(header(exit.equals("a wrong signature") ? SIMPLE_B : SIMPLE_A), SIMPLE_BODY);
                switch (exit) {
                    case "the handler answers 500":
                        when(exchange.response.getStatus()).thenReturn(500);
                        break;
                    case "the handler throws a ServletException":
                        doThrow(new ServletException("failed")).when(exchange.chain).doFilter(any(), any());
                        break;
                    case "the handler throws a RuntimeException":
                        doThrow(new IllegalStateException("failed")).when(exchange.chain).doFilter(any(), any());
                        break;
                    case "the handler throws an Error":
                        doThrow(new OutOfMemoryError("Java heap space")).when(exchange.chain).doFilter(any(), any());
                        break;
                    case "an attribute listener throws":
                        doThrow(new IllegalStateException("an attribute listener failed")).when(exchange.request)
                                .setAttribute(eq(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE), any());
                        break;
                    default:
                        break;
                }
                try {
                    exchange.run(filter);
                } catch (ServletException | RuntimeException | Error e) {
                    // The container's to answer, 500: what matters here is the budget.
                }
                assertEquals(SIMPLE_BODY.length, exchange.body.bytesRead(), "request " + i + " was read, not refused as BUSY");
            }
            Exchange full = new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100).run(filter);
            full.assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
            assertEquals(100, full.body.bytesRead());
        }

        /**
         * The Servlet API promises {@link AsyncEvent#getSuppliedResponse()} only to a listener added with the request and
         * response; the filter adds its own without them. Told the end of the request without one (null, or an
         * application's {@code startAsync(request, new ServletResponseWrapper(response))}, which is no HTTP response),
         * it judges the request by the response it passed on, and gives the body's room back: it threw
         * there, and each such request kept its room until every request got 503.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"none", "not HTTP"})
        void anAsyncRequestEndedWithoutAnHttpResponseInItsEventGivesItsBodyBack(String supplied) throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            for (int i = 0; i < 20; i++) {
                Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
                AsyncListener listener = async.runAsync(filter);
                when(async.response.getStatus()).thenReturn(200);
                AsyncEvent event = supplied.equals("none") ? new AsyncEvent(async.request.getAsyncContext())
                        : new AsyncEvent(async.request.getAsyncContext(), async.request,
                                new ServletResponseWrapper(async.response));
                try {
                    listener.onComplete(event);
                } catch (RuntimeException e) {
                    // As Tomcat and Jetty do with a listener that throws: log it and go on.
                }
            }
            Exchange genuine = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
            assertNull(genuine.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            verify(genuine.chain).doFilter(any(VerifiedRequest.class), eq(genuine.response));
        }

        @Test
        void aChunkedBodyAtTheLimitIsVerified() throws Exception {
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, -1).run(filter(SIMPLE_BODY.length));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
        }

        @Test
        void aBodyShorterThanItsContentLengthIs400() throws Exception {
            Exchange exchange = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, SIMPLE_BODY.length + 1).run(filter(100));
            exchange.assertRejected(400, FilterRejection.BODY_INCOMPLETE);
            exchange.assertConnectionClosed(true);
        }

        @Test
        void aFailingReadIs400() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            exchange.body = new BodyInput(SIMPLE_BODY, 3);
            exchange.run(filter(100)).assertRejected(400, FilterRejection.BODY_INCOMPLETE);
        }

        @Test
        void aBadMacIs401AfterReadingTheBody() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_B), SIMPLE_BODY).run(filter(100));
            exchange.assertRejected(401, Rejection.NO_MATCHING_SIGNATURE);
            verify(exchange.response).setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
            exchange.assertConnectionClosed(false);
        }

        @Test
        void aValidRequestReachesTheChainWrapped() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter(100));
            ArgumentCaptor<ServletRequest> passed = ArgumentCaptor.forClass(ServletRequest.class);
            verify(exchange.chain).doFilter(passed.capture(), eq(exchange.response));
            VerifiedRequest wrapped = assertInstanceOf(VerifiedRequest.class, passed.getValue());
            assertSame(exchange.request, wrapped.getRequest());
            assertArrayEquals(SIMPLE_BODY, wrapped.getInputStream().readAllBytes());
            assertEquals(T, exchange.attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
            assertEquals(0, exchange.attributes.get(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE));
            assertNull(exchange.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            verify(exchange.response, never()).setStatus(anyInt());
        }

        @Test
        void theSecretIndexAttributeNamesTheMatchingSecret() throws Exception {
            WebhookVerifier two = WebhookVerifier.builder().secret(SECRET_B).secret(SECRET_A).clock(AT_T).build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY)
                    .run(WebhookSignatureFilter.builder().verifier(two).build());
            assertEquals(1, exchange.attributes.get(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE));
        }

        @Test
        void aCustomHeaderNameIsReadAndAnnounced() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier()).headerName("X-Sig").build();
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length);
            when(exchange.request.getHeaders("X-Sig")).thenAnswer(i -> Collections.enumeration(List.of(header(SIMPLE_A))));
            exchange.run(filter);
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));

            Exchange unsigned = new Exchange(List.of(header(SIMPLE_A)), SIMPLE_BODY, 0).run(filter);
            unsigned.assertRejected(401, Rejection.MISSING_HEADER);
            verify(unsigned.response).setHeader("WWW-Authenticate", "Webhook-Signature header=\"X-Sig\"");
        }
    }

    @Nested
    class Draining {

        /**
         * Tomcat over HTTP/2 reads {@code content-length} only when asked, and throws for one repeated, a list or no
         * number ({@code H2cScenarios.contentLengthThatIsNotOneNumberIsRefusedWith4xx} shows it): a signed request is
         * refused as incomplete and an unsigned one gets its 401, neither read nor drained, and over HTTP/1.1 the
         * connection is not kept for a body of unknown size.
         */
        @ParameterizedTest
        @ValueSource(strings = {"HTTP/2.0", "HTTP/1.1"})
        void aContentLengthTheContainerCannotRead_isRefusedAndNothingIsRead(String protocol) throws Exception {
            Exchange signed = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).over(protocol);
            Exchange unsigned = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).over(protocol);
            for (Exchange exchange : List.of(signed, unsigned)) {
                when(exchange.request.getContentLengthLong())
                        .thenThrow(new IllegalArgumentException("Duplicate unique header [content-length] found"));
                exchange.run(filter(100));
                assertEquals(0, exchange.body.bytesRead());
                exchange.assertConnectionClosed(protocol.equals("HTTP/1.1"));
            }
            signed.assertRejected(400, FilterRejection.BODY_INCOMPLETE);
            unsigned.assertRejected(401, Rejection.MISSING_HEADER);
        }

        @Test
        void aSmallUnreadBodyIsDrainedAndTheConnectionKept() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter(100));
            assertEquals(SIMPLE_BODY.length, exchange.body.bytesRead());
            exchange.assertConnectionClosed(false);
        }

        /** A body that stalls then holds up nothing the sender waits for (Tomcat would answer 408 at its timeout). */
        @Test
        void aDeclaredBodyIsDrainedOnceTheAnswerIsSent() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter(100));
            exchange.assertRejected(401, Rejection.MISSING_HEADER);
            InOrder order = inOrder(exchange.response, exchange.request);
            order.verify(exchange.response).flushBuffer();
            order.verify(exchange.request).getInputStream();
        }

        /** The first read would make the container send 100 Continue, and the sender the body it was never asked for. */
        @ParameterizedTest
        @ValueSource(strings = {"100-continue", " 100-Continue "})
        void aBodyTheSenderWaitsToBeAskedForIsNotReadButTheConnectionClosed(String expect) throws Exception {
            for (long length : new long[] {SIMPLE_BODY.length, -1}) {
                Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, length);
                when(exchange.request.getHeader("Expect")).thenReturn(expect);
                exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
                verify(exchange.request, never()).getInputStream();
                exchange.assertConnectionClosed(true);
            }
        }

        @Test
        void anEmptyBodyIsNotRead() throws Exception {
            Exchange exchange = new Exchange(List.of(), new byte[0], 0).run(filter(100));
            verify(exchange.request, never()).getInputStream();
            exchange.assertConnectionClosed(false);
            // Nothing to drain once the answer is written: it is not flushed early either, so a filter in front that
            // wraps the response may still change it. The container's own response is committed anyway once its
            // declared length is written, over HTTP/1.1 as over HTTP/2 (H2cScenarios, on all four containers).
            verify(exchange.response, never()).flushBuffer();
        }

        @Test
        void upTo64KiBIsDrained() throws Exception {
            byte[] body = new byte[WebhookSignatureFilter.DRAIN_LIMIT];
            Exchange declared = new Exchange(List.of(), body, body.length).run(filter(100));
            assertEquals(body.length, declared.body.bytesRead());
            declared.assertConnectionClosed(false);
            InOrder order = inOrder(declared.response, declared.request);
            order.verify(declared.response).flushBuffer();
            order.verify(declared.request).getInputStream(); // 64 KiB declared: drained once the answer is sent
            Exchange chunked = new Exchange(List.of(), body, -1).run(filter(100));
            assertEquals(body.length, chunked.body.bytesRead());
            chunked.assertConnectionClosed(false);
        }

        @Test
        void moreThan64KiBClosesTheConnection() throws Exception {
            byte[] body = new byte[WebhookSignatureFilter.DRAIN_LIMIT + 1];
            Exchange declared = new Exchange(List.of(), body, body.length).run(filter(100));
            verify(declared.request, never()).getInputStream();
            declared.assertConnectionClosed(true);
            Exchange chunked = new Exchange(List.of(), body, -1).run(filter(100));
            assertEquals(body.length, chunked.body.bytesRead(), "read one byte past the limit, no more");
            chunked.assertConnectionClosed(true);
        }

        /** A container ends a declared body at its length; past the limit the filter stops reading in any case. */
        @Test
        void aBodyLongerThanDeclaredIsReadNoFurtherThanTheLimit() throws Exception {
            Exchange exchange = new Exchange(List.of(), new byte[WebhookSignatureFilter.DRAIN_LIMIT + 10], 10).run(filter(100));
            exchange.assertRejected(401, Rejection.MISSING_HEADER);
            assertEquals(WebhookSignatureFilter.DRAIN_LIMIT + 1, exchange.body.bytesRead());
        }

        @Test
        void aFailingDrainOfAChunkedBodyClosesTheConnection() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, -1);
            exchange.body = new BodyInput(SIMPLE_BODY, 2);
            exchange.run(filter(100)).assertConnectionClosed(true);
            Exchange illegal = new Exchange(List.of(), SIMPLE_BODY, -1);
            when(illegal.request.getInputStream()).thenThrow(new IllegalStateException("getReader() was called"));
            illegal.run(filter(100)).assertConnectionClosed(true);
        }

        /** A declared body is drained after the answer: a failed read is the container's to end, by closing. */
        @Test
        void aFailingDrainAfterTheAnswerStillLeavesTheAnswerWhole() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length);
            exchange.body = new BodyInput(SIMPLE_BODY, 2);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            Exchange illegal = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length);
            when(illegal.request.getInputStream()).thenThrow(new IllegalStateException("getReader() was called"));
            illegal.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
        }

        /**
         * Over HTTP/2 a body's length need not be declared (it ends with its stream), and no Connection header
         * waits on its size: it is drained once the answer is on its way, as a declared one is, so that a body
         * that stalls holds the answer back no longer than one of a declared length. Found over h2c
         * (H2cScenarios): the 401 came at the stream's idle timeout on Jetty 12, and as Tomcat's own 400.
         */
        @ParameterizedTest
        @ValueSource(strings = {"HTTP/2.0", "HTTP/3"})
        void http2BodyOfUnknownLengthIsDrainedAfterTheAnswer(String protocol) throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, -1).over(protocol);
            BodyOutput out = answerInto(exchange);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            exchange.assertConnectionClosed(false);
            assertAnsweredThenDrained(exchange, out);
            assertEquals(SIMPLE_BODY.length, exchange.body.bytesRead());
        }

        /**
         * Over HTTP/2 the answer is closed, not only flushed, before the body is drained: Tomcat 10.1 ends an
         * answer's stream when it is closed, whatever its Content-Length, and held it until the drain ended,
         * which for a body that stalls was the stream's idle timeout (H2cScenarios on Tomcat 10.1.62).
         */
        @Test
        void http2AnswerIsClosedBeforeADeclaredBodyIsDrained() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).over("HTTP/2.0");
            BodyOutput out = answerInto(exchange);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            InOrder order = inOrder(out, exchange.request);
            order.verify(out).close();
            order.verify(exchange.request).getInputStream();
            assertEquals(SIMPLE_BODY.length, exchange.body.bytesRead());
        }

        /** Over HTTP/1.1 the answer is flushed only: a filter in front may still add to a response it wraps. */
        @Test
        void http11AnswerIsFlushedNotClosedBeforeTheDrain() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length);
            BodyOutput out = answerInto(exchange);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            verify(exchange.response).flushBuffer();
            verify(out, never()).close();
        }

        /** Past the drain limit the rest of an HTTP/2 body is left to the container, which resets the stream. */
        @Test
        void http2BodyOfUnknownLengthPastTheLimitIsReadNoFurther() throws Exception {
            Exchange exchange = new Exchange(List.of(), new byte[WebhookSignatureFilter.DRAIN_LIMIT + 10], -1).over("HTTP/2.0");
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            exchange.assertConnectionClosed(false);
            assertEquals(WebhookSignatureFilter.DRAIN_LIMIT + 1, exchange.body.bytesRead());
        }

        /** Over HTTP/2 too, nothing to drain leaves the answer unflushed, as {@link #anEmptyBodyIsNotRead} says. */
        @Test
        void http2WithoutABodyIsNeitherFlushedNorDrained() throws Exception {
            Exchange exchange = new Exchange(List.of(), new byte[0], 0).over("HTTP/2.0");
            BodyOutput out = answerInto(exchange);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            verify(exchange.request, never()).getInputStream();
            verify(exchange.response, never()).flushBuffer();
            verify(out, never()).close();
        }

        /**
         * A request whose HEADERS ended its stream (a GET, a POST with nothing to send) has no length on all four
         * containers (-1), as one whose body is still to come; Tomcat says {@code isFinished()} before any read,
         * as this body does, Jetty 12 only after a read returned -1. So the filter does not ask: it answers, closes
         * and then drains (which ends at once) as for any body of unknown length. The container commits the answer
         * in any case once its declared length is written, over HTTP/1.1 too (H2cScenarios).
         */
        @Test
        void http2RequestWithoutBodyOrLengthIsAnsweredThenDrainedLikeAnyOther() throws Exception {
            Exchange exchange = new Exchange(List.of(), new byte[0], -1).over("HTTP/2.0");
            BodyOutput out = answerInto(exchange);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            exchange.assertConnectionClosed(false);
            assertAnsweredThenDrained(exchange, out);
        }

        /** As over HTTP/1.1: a sender waiting for {@code 100 Continue} is not asked for its body by a drain. */
        @Test
        void http2BodyAwaitingContinueIsNotDrained() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, -1).over("HTTP/2.0");
            when(exchange.request.getHeader("Expect")).thenReturn("100-continue");
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
            exchange.assertConnectionClosed(false);
            verify(exchange.request, never()).getInputStream();
        }

        /** The answer was flushed, then closed, and only then was the body asked for. */
        private void assertAnsweredThenDrained(Exchange exchange, BodyOutput out) throws IOException {
            InOrder order = inOrder(exchange.response, out, exchange.request);
            order.verify(exchange.response).flushBuffer();
            order.verify(out).close();
            order.verify(exchange.request).getInputStream();
        }

        /** The exchange's response body, as a spy that tells when it was closed; writes still reach {@code sent}. */
        private BodyOutput answerInto(Exchange exchange) throws IOException {
            BodyOutput out = spy(exchange.sent);
            when(exchange.response.getOutputStream()).thenReturn(out);
            return out;
        }

        @Test
        void http2AndLaterGetNoConnectionHeader() throws Exception {
            for (String protocol : new String[] {"HTTP/2.0", "HTTP/3"}) {
                Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 100_000).over(protocol);
                exchange.run(filter(100)).assertConnectionClosed(false);
                exchange.assertRejected(401, Rejection.MISSING_HEADER);
            }
            Exchange unknown = new Exchange(List.of(), SIMPLE_BODY, 100_000).over(null);
            unknown.run(filter(100)).assertConnectionClosed(true);
        }
    }

    @Nested
    class Responses {

        @Test
        void aCommittedResponseIsLeftAlone() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.response.isCommitted()).thenReturn(true);
            exchange.run(filter(100));
            verify(exchange.response, never()).setStatus(anyInt());
            verify(exchange.response, never()).getOutputStream();
            assertEquals(Rejection.MISSING_HEADER, exchange.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
        }

        @Test
        void aFailingWriteIsNotAnError() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.response.getOutputStream()).thenThrow(new IOException("gone"));
            exchange.run(filter(100));
            verify(exchange.response).setStatus(401);
            Exchange illegal = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(illegal.response.getOutputStream()).thenThrow(new IllegalStateException("getWriter() was called"));
            illegal.run(filter(100));
            verify(illegal.response).setStatus(401);
        }

        @Test
        void anUnavailableReplayCheckIs503WithRetryAfter() throws Exception {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                    .replayGuard(VerificationListenerTest.unavailable()).build();
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY)
                    .run(WebhookSignatureFilter.builder().verifier(verifier).build());
            exchange.assertRejected(503, Rejection.REPLAY_CHECK_UNAVAILABLE);
            verify(exchange.response).setHeader("Retry-After", "60");
            verify(exchange.response, never()).setHeader(eq("WWW-Authenticate"), anyString());
            exchange.assertConnectionClosed(false);
        }

        @Test
        void a401HasNoRetryAfter() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0).run(filter(100));
            verify(exchange.response, never()).setHeader(eq("Retry-After"), anyString());
        }
    }

    @Nested
    class ReplayRelease {

        private final WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A).clock(AT_T)
                .replayGuard(new InMemoryReplayGuard(10, AT_T)).build();
        private final WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).build();

        private Exchange deliver(int status) throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.response.getStatus()).thenReturn(status);
            return exchange.run(filter);
        }

        @Test
        void aServerErrorReleasesTheSignatureForTheRetry() throws Exception {
            deliver(500);
            Exchange retry = deliver(200);
            verify(retry.chain).doFilter(any(), any());
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        @Test
        void aClientErrorStillCountsAsProcessed() throws Exception {
            deliver(499);
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        @Test
        void anExceptionReleasesTheSignature() throws Exception {
            Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            doThrow(new ServletException("the application failed")).when(failing.chain).doFilter(any(), any());
            assertThrows(ServletException.class, () -> failing.run(filter));
            verify(deliver(200).chain).doFilter(any(), any());
        }

        /**
         * A handler that had answered (its response committed) and then threw, as a plain servlet's write or flush does
         * once its client has gone (Tomcat's {@code ClientAbortException}): judged by the status it committed, as if it
         * had returned, as Spring MVC, which swallows such an exception, has it judged. A 2xx was forgotten, and
         * whoever held a copy of the request could run the handler again by closing each connection before the answer.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {200, 499, 500})
        void anExceptionAfterTheAnswerWasCommittedIsJudgedByTheCommittedStatus(int status) throws Exception {
            Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(failing.response.getStatus()).thenReturn(status);
            when(failing.response.isCommitted()).thenReturn(true);
            doThrow(new IOException("Broken pipe")).when(failing.chain).doFilter(any(), any());
            assertThrows(IOException.class, () -> failing.run(filter));
            if (status == 500) {
                verify(deliver(200).chain).doFilter(any(), any());
            } else {
                deliver(200).assertRejected(401, Rejection.REPLAYED);
            }
        }

        /**
         * The answer judged is flushed before the exception passes on, so that the sender gets it: Tomcat 10.1 says a
         * response is committed once its Content-Length is written in full, with the bytes still in its buffer, and
         * on the exception sent 500 instead, while its message stayed recorded (see WebXmlOnTomcatTest). A flush that
         * fails, its client gone, leaves the judgement as it was; a 5xx, judged a failure, is not flushed.
         */
        @ParameterizedTest(name = "{0}, flush fails with: {1}")
        @CsvSource({"200, ''", "499, ''", "200, java.io.IOException", "200, java.lang.IllegalStateException", "500, ''"})
        void anAnswerCommittedBeforeAnExceptionIsFlushed(int status, String flushFails) throws Exception {
            Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(failing.response.getStatus()).thenReturn(status);
            when(failing.response.isCommitted()).thenReturn(true);
            if (!flushFails.isEmpty()) {
                doThrow(Class.forName(flushFails).asSubclass(Exception.class)).when(failing.response).flushBuffer();
            }
            ServletException thrown = new ServletException("the application failed after answering");
            doThrow(thrown).when(failing.chain).doFilter(any(), any());
            assertSame(thrown, assertThrows(ServletException.class, () -> failing.run(filter)));
            verify(failing.response, status < 500 ? times(1) : never()).flushBuffer();
            if (status < 500) {
                deliver(200).assertRejected(401, Rejection.REPLAYED);
            } else {
                verify(deliver(200).chain).doFilter(any(), any());
            }
        }

        /** Where reading the response's state throws, nothing is known of the answer: the exception is a failure. */
        @Test
        void anExceptionWhoseResponseCannotTellWhetherItWasCommittedReleasesTheSignature() throws Exception {
            Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(failing.response.isCommitted()).thenThrow(new IllegalStateException("recycled"));
            ServletException thrown = new ServletException("the application failed");
            doThrow(thrown).when(failing.chain).doFilter(any(), any());
            assertSame(thrown, assertThrows(ServletException.class, () -> failing.run(filter)));
            verify(deliver(200).chain).doFilter(any(), any());
        }

        /**
         * Senders POST. A signed copy sent with another method (OPTIONS, which {@code HttpServlet} answers 200 for a
         * handler of POST alone; TRACE, which Jetty answers 200; HEAD, GET, PUT, a lower-case "post", which HTTP tells
         * apart) is refused with 405 and forgotten, so that it does not use up the message: the sender's POST of the
         * very same request runs the handler, once. It was kept, and that POST was refused as a replay.
         */
        @ParameterizedTest
        @ValueSource(strings = {"OPTIONS", "TRACE", "HEAD", "GET", "PUT", "post"})
        void aSignedRequestOfAnotherMethodThanPost_isRefusedAndForgotten(String method) throws Exception {
            Exchange other = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(other.request.getMethod()).thenReturn(method);
            other.run(filter);
            other.assertRejected(405, FilterRejection.METHOD_NOT_ALLOWED);
            verify(other.response).setHeader("Allow", "POST");
            verify(deliver(200).chain).doFilter(any(), any());
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        /**
         * A handler that takes any method (Spring MVC's {@code @RequestMapping} without a method, a servlet's own
         * {@code service}) would run for a signed copy sent as PUT, GET or a lower-case "post" as for the POST: the
         * handler runs once for the message, whatever the method. Forgotten once answered, the copy ran it again each
         * time it was sent, and once more for the sender's POST ("expected: <1> but was: <3>").
         */
        @ParameterizedTest
        @ValueSource(strings = {"PUT", "GET", "post"})
        void aSignedCopySentWithAnotherMethod_neverRunsTheHandlerASecondTime(String method) throws Exception {
            int runs = 0;
            for (int i = 0; i < 2; i++) {
                Exchange other = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
                when(other.request.getMethod()).thenReturn(method);
                when(other.response.getStatus()).thenReturn(200);
                other.run(filter);
                runs += mockingDetails(other.chain).getInvocations().size();
            }
            runs += mockingDetails(deliver(200).chain).getInvocations().size();
            assertEquals(1, runs, "handler runs for one signed message");
        }

        /** Without replay protection or de-duplication nothing is remembered, and the method is the application's. */
        @Test
        void withNothingRemembered_aSignedRequestOfAnotherMethodReachesTheHandler() throws Exception {
            WebhookSignatureFilter stateless = WebhookSignatureFilter.builder().verifier(WebhookVerifier.builder()
                    .secret(SECRET_A).clock(AT_T).build()).build();
            Exchange put = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(put.request.getMethod()).thenReturn("PUT");
            put.run(stateless);
            verify(put.chain).doFilter(any(), any());
        }

        /**
         * Between the verification and the handler: an attribute listener of the application's that throws as the
         * filter marks the request, or a {@link VerificationListener}'s {@link VirtualMachineError}, which the filter
         * lets through. The handler never ran, so the sender's retry must pass.
         */
        @Test
        void aFailureBeforeTheHandlerReleasesTheSignature() throws Exception {
            Exchange failing = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            doThrow(new IllegalStateException("an attribute listener failed")).when(failing.request)
                    .setAttribute(eq(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE), any());
            assertThrows(IllegalStateException.class, () -> failing.run(filter));
            verify(failing.chain, never()).doFilter(any(), any());

            WebhookSignatureFilter overflowing = WebhookSignatureFilter.builder().verifier(verifier)
                    .listener(new VerificationListener() {
                        @Override
                        public void verified(String endpoint, String scheme, long nanos) {
                            throw new StackOverflowError();
                        }
                    }).build();
            assertThrows(StackOverflowError.class, () -> Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(overflowing));

            verify(deliver(200).chain).doFilter(any(), any());
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        /** SECURITY.md: "If your application fails the request (throws, or answers 5xx), the message is forgotten". */
        @ParameterizedTest
        @ValueSource(strings = {"completes with 500", "times out"})
        void anAsyncRequestThatFailsIsReleasedWhenItEnds(String end) throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncListener listener = async.runAsync(filter);
            AsyncEvent event = async.ended(500);
            if (end.equals("times out")) {
                listener.onTimeout(event);
            }
            listener.onComplete(event); // after a timeout the container completes too
            Exchange retry = deliver(200);
            verify(retry.chain).doFilter(any(), any());
            deliver(200).assertRejected(401, Rejection.REPLAYED); // forgotten once: the retry's own record holds
        }

        /**
         * An async request the container ends by an error (its client reset the stream or closed the connection) has
         * no known outcome: the application may still be working on it. The message stays recorded, so that whoever
         * holds a copy of the request cannot run the handler again by resetting each stream it sends. It was
         * forgotten, and the very same request ran the handler again. So with a handler that started async mode and
         * then threw.
         */
        @ParameterizedTest
        @ValueSource(strings = {"ended by an error", "threw after startAsync"})
        void anAsyncRequestWhoseOutcomeIsNotKnownKeepsItsRecord(String how) throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            if (how.equals("threw after startAsync")) {
                async.runStartingAsyncThenThrowing(filter);
            } else {
                AsyncListener listener = async.runAsync(filter);
                AsyncEvent event = async.ended(500);
                listener.onError(event);
                listener.onComplete(event); // the container completes after the error
            }
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        /**
         * A read listener's callback that throws fails the request even when the application's {@code onError} then
         * completes it with 200 (Tomcat itself tells the filter's {@code AsyncListener.onError} then; Jetty does not):
         * the message is forgotten, so that the retry runs. It was judged by the 200 and kept, and the retry refused.
         */
        @Test
        void anAsyncRequestWhoseReadListenerThrowsIsReleasedThoughItCompletesWith200() throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncListener listener = async.runReading(filter, Exchange::failingReader);
            listener.onComplete(async.ended(200));
            verify(deliver(200).chain).doFilter(any(), any());
        }

        /** Told the end without an HTTP response in the event, the request is judged by the response the filter passed on. */
        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {500, 200})
        void anAsyncRequestEndedWithoutAResponseInItsEventIsJudgedByTheResponseThatWasPassedOn(int status)
                throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncListener listener = async.runAsync(filter);
            when(async.response.getStatus()).thenReturn(status);
            listener.onComplete(new AsyncEvent(async.request.getAsyncContext()));
            if (status == 500) {
                verify(deliver(200).chain).doFilter(any(), any());
            } else {
                deliver(200).assertRejected(401, Rejection.REPLAYED);
            }
        }

        @Test
        void anAsyncRequestThatSucceedsIsRememberedWhenItEnds() throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            async.runAsync(filter).onComplete(async.ended(200));
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        /**
         * The application answered 202 when its async request timed out (a {@code DeferredResult}'s timeout result):
         * the sender will not retry what it was told arrived, so the message stays recorded. It was forgotten at the
         * timeout, and a copy sent again ran the handler a second time.
         */
        @Test
        void anAsyncRequestTheApplicationAnsweredAtItsTimeoutIsRemembered() throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            AsyncListener listener = async.runAsync(filter);
            AsyncEvent event = async.ended(202);
            listener.onTimeout(event);
            listener.onComplete(event);
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }

        @Test
        void anAsyncRequestIsNotReleasedByItsInterimStatus() throws Exception {
            Exchange async = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(async.request.isAsyncStarted()).thenReturn(true);
            when(async.response.getStatus()).thenReturn(500);
            async.run(filter);
            deliver(200).assertRejected(401, Rejection.REPLAYED);
        }
    }

    @Nested
    class Dispatches {

        private final WebhookSignatureFilter filterA = filter(100);
        private final WebhookSignatureFilter filterB = WebhookSignatureFilter.builder()
                .verifier(WebhookVerifier.builder().secret(SECRET_B).clock(AT_T).build()).build();

        /**
         * The container's request in a later dispatch of {@code type} of the request of {@code first}: the same
         * attributes, its own stream read to its end, the same signature header.
         */
        private Exchange later(Exchange first, DispatcherType type, String signature) throws IOException {
            Exchange later = new Exchange(List.of(signature), new byte[0], SIMPLE_BODY.length);
            later.attributes.putAll(first.attributes);
            when(later.request.getDispatcherType()).thenReturn(type);
            return later;
        }

        /** The request the chain was given, read through to its end. */
        private byte[] bodyPassedOn(Exchange exchange) throws Exception {
            ArgumentCaptor<ServletRequest> passed = ArgumentCaptor.forClass(ServletRequest.class);
            verify(exchange.chain).doFilter(passed.capture(), eq(exchange.response));
            return passed.getValue().getInputStream().readAllBytes();
        }

        /** The request the chain was given. */
        private ServletRequest passedOn(Exchange exchange) throws Exception {
            return exchange.passedOn();
        }

        /** A status after which the container may dispatch an error page (sendError sets it): the request is recorded. */
        @ParameterizedTest
        @ValueSource(ints = {0, 199, 300, 302, 400, 404, 500})
        void aVerifiedRequestAnsweredWithAnErrorIsRecordedOnTheContainersRequest(int status) throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.response.getStatus()).thenReturn(status);
            exchange.run(filterA);
            assertSame(passedOn(exchange), exchange.attributes.get(VerifiedRequest.RECORD_ATTRIBUTE));
        }

        /** No error page follows a plain success: the record, one attribute more per request, is left out. */
        @ParameterizedTest
        @ValueSource(ints = {200, 204, 299})
        void aVerifiedRequestAnsweredWith2xxIsNotRecorded(int status) throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.response.getStatus()).thenReturn(status);
            exchange.run(filterA);
            passedOn(exchange);
            assertFalse(exchange.attributes.containsKey(VerifiedRequest.RECORD_ATTRIBUTE), exchange.attributes.toString());
            assertEquals(T, exchange.attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
        }

        @Test
        void aVerifiedRequestWhoseHandlerThrowsIsRecorded() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.response.getStatus()).thenReturn(200);
            doThrow(new ServletException("the handler failed")).when(exchange.chain).doFilter(any(), any());
            assertThrows(ServletException.class, () -> exchange.run(filterA));
            assertSame(passedOn(exchange), exchange.attributes.get(VerifiedRequest.RECORD_ATTRIBUTE));
        }

        /** Async mode may end in an error page (a timeout, an error) long after the filter returned. */
        @Test
        void aVerifiedRequestLeftInAsyncModeIsRecorded() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(exchange.response.getStatus()).thenReturn(200);
            exchange.runAsync(filterA);
            assertSame(passedOn(exchange), exchange.attributes.get(VerifiedRequest.RECORD_ATTRIBUTE));
        }

        /**
         * A listener that refuses the timestamp attribute: the handler does not run, and nothing is recorded of a
         * wrapper no one was given.
         */
        @Test
        void aRequestWhoseAttributeIsRefusedBeforeTheHandlerIsNotRecorded() throws Exception {
            Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            doThrow(new IllegalStateException("a listener refused it")).when(exchange.request)
                    .setAttribute(eq(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE), any());
            assertThrows(IllegalStateException.class, () -> exchange.run(filterA));
            verify(exchange.chain, never()).doFilter(any(), any());
            verify(exchange.request, never()).setAttribute(eq(VerifiedRequest.RECORD_ATTRIBUTE), any());
        }

        /** A forward, an error page or an async dispatch of the container's request, which this filter verified. */
        @ParameterizedTest
        @ValueSource(strings = {"FORWARD", "INCLUDE", "ERROR", "ASYNC"})
        void aLaterDispatchOfARequestThisFilterVerifiedPassesStraightThrough(DispatcherType type) throws Exception {
            Exchange first = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filterA);
            Exchange later = later(first, type, header(SIMPLE_A)).run(filterA);
            verify(later.chain).doFilter(later.request, later.response);
            verify(later.request, never()).getInputStream();
            verify(later.response, never()).setStatus(anyInt());
        }

        /** Anyone may set the timestamp attribute: without the filter's record, it proves nothing. */
        @ParameterizedTest
        @ValueSource(strings = {"FORWARD", "ERROR", "ASYNC"})
        void theTimestampAttributeWithoutARecordIsVerifiedAfresh(DispatcherType type) throws Exception {
            Exchange unsigned = new Exchange(List.of(), SIMPLE_BODY, 0);
            unsigned.attributes.put(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, T);
            when(unsigned.request.getDispatcherType()).thenReturn(type);
            unsigned.run(filterA);
            verify(unsigned.chain, never()).doFilter(any(), any());
            assertEquals(Rejection.MISSING_HEADER, unsigned.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));

            Exchange signed = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            signed.attributes.put(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, T);
            when(signed.request.getDispatcherType()).thenReturn(type);
            signed.run(filterA);
            assertArrayEquals(SIMPLE_BODY, bodyPassedOn(signed), "read from the request's own stream");
        }

        @Test
        void aForwardOfAnUnverifiedRequestIsChecked() throws Exception {
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
            exchange.run(filter(100)).assertRejected(401, Rejection.MISSING_HEADER);
        }

        @Test
        void aRequestDispatchIsCheckedEvenWithTheAttributeAndARecord() throws Exception {
            Exchange first = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filterA);
            Exchange again = later(first, DispatcherType.REQUEST, header(SIMPLE_A)).run(filterA);
            verify(again.chain, never()).doFilter(any(), any());
            assertEquals(FilterRejection.BODY_INCOMPLETE, again.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
        }

        /**
         * An error page in endpoint a's path, of a request endpoint b verified: the container's request carries no
         * wrapper, and a checks the bytes b read, which b's sender signed for b alone. The page does not run, and
         * the response is left to the container, which answers with the error it dispatched for.
         */
        @Test
        void anErrorDispatchThatAnotherFilterVerifiedIsChecked_andARefusalLeavesTheResponseAlone() throws Exception {
            Exchange first = Exchange.signed(header(SIMPLE_B), SIMPLE_BODY).run(filterB);
            Exchange error = later(first, DispatcherType.ERROR, header(SIMPLE_B)).run(filterA);
            verify(error.chain, never()).doFilter(any(), any());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, error.attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            verify(error.response, never()).setStatus(anyInt());
            verify(error.response, never()).setHeader(anyString(), anyString());
            verify(error.response, never()).getOutputStream();
            verify(error.request, never()).getInputStream();
        }

        @Test
        void anErrorDispatchThatAnotherFilterVerifiedPassesWhenThisFiltersSecretSignedIt() throws Exception {
            Exchange first = Exchange.signed(header(SIMPLE_B, SIMPLE_A), SIMPLE_BODY).run(filterB);
            Exchange error = later(first, DispatcherType.ERROR, header(SIMPLE_B, SIMPLE_A)).run(filterA);
            assertArrayEquals(SIMPLE_BODY, bodyPassedOn(error), "the bytes b read, not the container's stream");
            verify(error.request, never()).getInputStream();
            assertNotSame(first.attributes.get(VerifiedRequest.RECORD_ATTRIBUTE),
                    error.attributes.get(VerifiedRequest.RECORD_ATTRIBUTE), "a's record in place of b's");
            // Both filters are known from the record now: a later dispatch into either's path passes.
            assertTrue(VerifiedRequest.isVerifiedBy(error.request, filterA));
            assertTrue(VerifiedRequest.isVerifiedBy(error.request, filterB));
        }

        /**
         * A form that endpoint b verified, forwarded into endpoint a's path and signed for a too: a checks the bytes b read
         * and holds no room of its own for the form's parameters, which b holds already.
         */
        @Test
        void aForwardedFormThatAnotherFilterVerifiedPassesOnTheRoomItsFilterHolds() throws Exception {
            // 100 bytes hold the form's 7, but not their parameters' room, even with nothing else in flight.
            WebhookSignatureFilter small = WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build();
            form(TWO_PAIRS_A, "a=1&b=2").run(small).assertRejected(413, FilterRejection.BODY_TOO_LARGE);
            Exchange verified = Exchange.signed(header(TWO_PAIRS_B, TWO_PAIRS_A), ascii("a=1&b=2")).asForm().run(filterB);
            Exchange forward = later(verified, DispatcherType.FORWARD, header(TWO_PAIRS_B, TWO_PAIRS_A)).asForm().run(small);
            assertArrayEquals(ascii("a=1&b=2"), bodyPassedOn(forward), "the bytes b read");
        }

        /**
         * An error page in endpoint a's path, of a form that endpoint b verified and answered with an error: b gave its
         * room for the form's parameters back when its filter returned, before the container dispatched the page. The
         * page gets those b's handler asked for, decoded once; none decoded then, outside maxBufferedBytes.
         */
        @Test
        void anErrorPageInAnotherEndpointsPathGetsTheFormsParametersDecodedWithinTheRoom_andNoneAfter() throws Exception {
            Exchange unasked = Exchange.signed(header(TWO_PAIRS_B, TWO_PAIRS_A), ascii("a=1&b=2")).asForm();
            when(unasked.response.getStatus()).thenReturn(500);
            unasked.run(filterB);
            Exchange page = later(unasked, DispatcherType.ERROR, header(TWO_PAIRS_B, TWO_PAIRS_A)).asForm().run(filterA);
            assertNull(passedOn(page).getParameter("a"), "decoded after b gave the room back");

            Exchange asked = Exchange.signed(header(TWO_PAIRS_B, TWO_PAIRS_A), ascii("a=1&b=2")).asForm();
            when(asked.response.getStatus()).thenReturn(500);
            doAnswer(i -> i.<ServletRequest>getArgument(0).getParameter("a")).when(asked.chain).doFilter(any(), any());
            asked.run(filterB);
            Exchange askedPage = later(asked, DispatcherType.ERROR, header(TWO_PAIRS_B, TWO_PAIRS_A)).asForm().run(filterA);
            assertEquals("2", passedOn(askedPage).getParameter("b"));
            assertSame(passedOn(asked).getParameterMap(), passedOn(askedPage).getParameterMap(), "decoded once");
        }

        /** Outside an error dispatch, a refusal is the filter's usual answer, as for a forward of the wrapper. */
        @Test
        void aForwardOfTheContainersRequestThatAnotherFilterVerifiedIsRefusedWith401() throws Exception {
            Exchange first = Exchange.signed(header(SIMPLE_B), SIMPLE_BODY).run(filterB);
            Exchange forward = later(first, DispatcherType.FORWARD, header(SIMPLE_B)).run(filterA);
            verify(forward.chain, never()).doFilter(any(), any());
            verify(forward.response).setStatus(401);
            verify(forward.response).setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
            assertEquals("webhook rejected: no matching signature\n", forward.sentText());
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void handlesHttpOnly() {
            WebhookSignatureFilter filter = filter(100);
            ServletRequest plain = mock(ServletRequest.class);
            ServletResponse plainResponse = mock(ServletResponse.class);
            FilterChain chain = mock(FilterChain.class);
            assertThrows(ServletException.class, () -> filter.doFilter(plain, mock(HttpServletResponse.class), chain));
            assertThrows(ServletException.class, () -> filter.doFilter(mock(HttpServletRequest.class), plainResponse, chain));
        }

        @Test
        void refusesRequestsBeforeInit() {
            ServletException e = assertThrows(ServletException.class, () -> new WebhookSignatureFilter()
                    .doFilter(mock(HttpServletRequest.class), mock(HttpServletResponse.class), mock(FilterChain.class)));
            assertEquals("WebhookSignatureFilter was not initialised", e.getMessage());
        }

        /**
         * A config whose context says the filter is mapped on {@code patterns}, as the container's does, in an
         * application whose servlet on {@code /} (Spring's DispatcherServlet, say) serves every path.
         */
        private FilterConfig mappedOn(Map<String, String> params, String... patterns) {
            return new Deployment().servlet("dispatcher", "com.example.Dispatcher", "/").config(params, patterns);
        }

        /**
         * Tomcat takes these as literal paths (Jetty refuses them itself): the filter would guard nothing. Shown on
         * Tomcat over HTTP in the starter's SignedRequestsWithoutSpringSecurityOnTomcatTest.
         */
        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/**", "/webhooks/*/events", "/webhooks*", "*.", "*.json/x", "**.json"})
        void initRefusesAMappingOnAPatternTheContainerWouldTakeLiterally(String pattern) {
            assertInitRefuses(pattern, "is not a Servlet URL pattern and would match no request: a * stands only at"
                    + " the end of a prefix (/webhooks/*, which covers everything under /webhooks/) or at the start of"
                    + " an extension (*.json)");
        }

        /**
         * Containers call {@code destroy} only after an {@code init} that returned: a store opened from its URI (by
         * the init-params at {@code init}, by the builder at {@code build}) is closed when the start is refused, or
         * its connections would outlive the application that failed to start.
         */
        @Test
        void aRefusedStartClosesTheStoreItOpened() {
            for (boolean built : new boolean[] {false, true}) {
                WebhookSignatureFilter filter = built
                        ? WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection()
                                .store("test-unavailable:").build()
                        : new WebhookSignatureFilter();
                FilterConfig config = mappedOn(built ? Map.of() : Map.of("secrets", SECRET_A,
                        "replayProtection", "true", "store", "test-unavailable:"), "/webhooks//events");

                assertThrows(ServletException.class, () -> filter.init(config));
                assertEquals(1, UnavailableStoreProvider.opened.closed.get(), built ? "builder" : "init-params");
                filter.destroy(); // as a container may, all the same: the store is closed once
                assertEquals(1, UnavailableStoreProvider.opened.closed.get(), built ? "builder" : "init-params");
            }
        }

        /**
         * A filter mapped on {@code pattern} beside /hooks/*, configured by init-params and by the builder, refuses to
         * start, naming the pattern and the {@code problem}.
         */
        private void assertInitRefuses(String pattern, String problem) {
            for (boolean built : new boolean[] {false, true}) {
                WebhookSignatureFilter filter = built ? WebhookSignatureFilter.builder().secrets(SECRET_A).build()
                        : new WebhookSignatureFilter();
                FilterConfig config = mappedOn(built ? Map.of() : Map.of("secrets", SECRET_A), "/hooks/*", pattern);

                ServletException e = assertThrows(ServletException.class, () -> filter.init(config));
                assertEquals("WebhookSignatureFilter 'webhooks' is misconfigured and will not start:\n"
                        + "url-pattern '" + pattern + "' of its filter-mapping " + problem, e.getMessage());
            }
        }

        /**
         * Tomcat compares the text after a path's last '.' with an extension pattern's whole, so a filter mapped on
         * *.json.gz never runs there (Jetty matches it), and a servlet mapped otherwise would serve the request
         * unverified. The starter's WebhookFilterAutoConfigurationTest shows it on Tomcat over HTTP.
         */
        @ParameterizedTest
        @ValueSource(strings = {"*.json.gz", "*.tar.gz", "*..json", "*.json."})
        void initRefusesAMappingOnAnExtensionWithADot(String pattern) {
            assertInitRefuses(pattern, "is an extension that holds a '.': Tomcat compares what follows a path's last"
                    + " '.' with it, and matches no request to it (Jetty matches one), so the filter would guard"
                    + " nothing there; write the last extension alone (*.gz), or an exact path or a prefix");
        }

        /**
         * Patterns no container matches as written: containers merge // (Tomcat) or refuse it (Jetty), resolve . and
         * .., leave path parameters out, and Jetty keeps %20 encoded and decodes %65 where Tomcat decodes both. A
         * filter mapped on one guarded nothing on some container while a servlet mapped otherwise served the
         * request; WebXmlOnTomcatTest and ProgrammaticRegistrationTest show it over HTTP.
         */
        @ParameterizedTest
        @CsvSource(delimiter = '|', textBlock = """
                /webhooks//events   | empty
                //webhooks/*        | empty
                /webhooks/./events  | dot
                /webhooks/..        | dot
                /webhooks;v=1       | semicolon
                *.js;v=1            | semicolon
                /webhooks/s p       | encoded
                /webhooks/q?x       | encoded
                /webhooks/%65vents  | escape
                *.j%3fs             | escape
                /                   | slash
                """)
        void initRefusesAMappingNoContainerMatchesAsWritten(String pattern, String why) {
            assertInitRefuses(pattern, UNMATCHED.get(why));
        }

        private static final Map<String, String> UNMATCHED = Map.of(
                "slash", "is, for a filter, the exact path /: Tomcat and Jetty run a filter mapped on / for the request"
                        + " for / alone (a servlet on / is the default servlet, which serves every path no other maps),"
                        + " so the filter would guard no other path, and a servlet would serve those requests"
                        + " unverified; write /* to guard every path, or '' for the context root alone",
                "empty", "holds an empty segment (//): Tomcat merges a request's // into one / before it matches"
                        + " (Jetty refuses the request), so the filter would guard nothing, and a servlet mapped"
                        + " otherwise would serve the request unverified on Tomcat; write a single /",
                "dot", "holds a . or .. segment: containers resolve those in a request's path before they match, so"
                        + " the filter would guard nothing, and a servlet mapped otherwise would serve the request"
                        + " unverified; write the path they resolve to",
                "semicolon", "holds a ';': containers match a request's path without its path parameters (what"
                        + " follows a ';' in a segment), so the filter would guard nothing, and a servlet mapped"
                        + " otherwise would serve the request unverified; leave the parameters out",
                "encoded", "holds a character a request's path carries percent-encoded (a space, \", #, <, >, ?, [,"
                        + " ], ^, `, {, | or }): Jetty matches the path with it still encoded, Tomcat decoded, so the"
                        + " filter would guard nothing on Jetty, and a servlet mapped otherwise would serve the"
                        + " request unverified there; write it as Jetty does, %XX in upper case (%20 for a space)",
                "escape", "holds an escape that Jetty decodes or writes in upper case in a request's path before it"
                        + " matches (%65, %2F, %C3%A9, %3c), and Jetty compares the pattern as written (Tomcat decodes"
                        + " it), so the filter would guard nothing on Jetty, and a servlet mapped otherwise would serve"
                        + " the request unverified there; write such a character as itself (e, /, \u00e9) and any"
                        + " escape in upper case (%3C)");

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/*", "/webhooks/payments", "/*", "", "*.json"})
        void initAcceptsAServletUrlPattern(String pattern) throws ServletException {
            new WebhookSignatureFilter().init(mappedOn(Map.of("secrets", SECRET_A), pattern));
        }

        /** A context that cannot tell its registrations (the Servlet API allows that): nothing to check, it starts. */
        @Test
        void initStartsWhereTheContextCannotTellTheMapping() throws ServletException {
            FilterConfig config = mappedOn(Map.of("secrets", SECRET_A));
            when(config.getServletContext().getFilterRegistration("webhooks"))
                    .thenThrow(new UnsupportedOperationException("a listener's context"));
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            filter.init(config);
            assertTrue(filter.toString().startsWith("WebhookSignatureFilter[FilterSettings["), filter.toString());
        }

        /**
         * register maps the filter on every dispatcher type, async-supported (the real container's run is
         * ProgrammaticRegistrationTest's): a forward or an async dispatch into the paths is checked too.
         */
        @Test
        void registerMapsTheFilterOnEveryDispatcherTypeAsyncSupported() {
            ServletContext context = mock(ServletContext.class);
            FilterRegistration.Dynamic registration = mock(FilterRegistration.Dynamic.class);
            when(context.addFilter(eq("webhookSignature"), any(jakarta.servlet.Filter.class))).thenReturn(registration);
            assertSame(registration, WebhookSignatureFilter.builder().secrets(SECRET_A)
                    .register(context, "webhookSignature", "/webhooks/*", "/hooks/*"));
            verify(context).addFilter(eq("webhookSignature"), any(WebhookSignatureFilter.class));
            verify(registration).setAsyncSupported(true);
            verify(registration).addMappingForUrlPatterns(java.util.EnumSet.allOf(DispatcherType.class), false,
                    "/webhooks/*", "/hooks/*");

            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSignatureFilter.builder().secrets(SECRET_A).register(context, "other"));
            assertEquals("give at least one URL pattern, such as /webhooks/*", none.getMessage());
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> WebhookSignatureFilter.builder().secrets(SECRET_A).register(context, "taken", "/x/*"));
            assertEquals("the context already has a filter named 'taken'", taken.getMessage());
        }

        @Test
        void theBuilderRefusesANullVerifier() {
            assertThrows(NullPointerException.class, () -> WebhookSignatureFilter.builder().verifier(null));
        }

        @Test
        void theBuilderSnapshotsItsParameters() {
            WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().secrets(SECRET_A);
            WebhookSignatureFilter first = builder.build();
            WebhookSignatureFilter second = builder.toleranceSeconds(60).maxBodyBytes(10).headerName("X-Sig")
                    .replayProtection().replayCacheSize(5).maxBufferedBytes(4096).rejectQueryStrings().build();
            assertEquals("WebhookSignatureFilter[FilterSettings[WebhookVerifier[1 secret, tolerance 300 s],"
                    + " maxBodyBytes 1048576, maxBufferedBytes " + Runtime.getRuntime().maxMemory() / 4
                    + ", header X-Webhook-Signature, query string allow]]", first.toString());
            assertEquals("WebhookSignatureFilter[FilterSettings[WebhookVerifier[1 secret, tolerance 60 s,"
                    + " replay protection StoreAccess[InMemoryReplayGuard[0 of 5 keys], InMemoryDeduplicator[0 of 5 ids]]],"
                    + " maxBodyBytes 10, maxBufferedBytes 4096,"
                    + " header X-Sig, query string reject]]", second.toString());
        }
    }

    @Nested
    class Logging {

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

        private List<String> messages(Level level) {
            return logs.messages(level);
        }

        private FilterConfig config(Map<String, String> params) {
            FilterConfig config = mock(FilterConfig.class);
            when(config.getFilterName()).thenReturn("webhooks");
            when(config.getInitParameterNames()).thenAnswer(i -> Collections.enumeration(params.keySet()));
            when(config.getInitParameter(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));
            return config;
        }

        @Test
        void initSummarisesTheConfigurationAndWarnsOfShortSecrets() throws ServletException {
            logs.level(Level.INFO);
            new WebhookSignatureFilter().init(config(Map.of("secrets", SECRET_A + ",short", "toleranceSeconds", "60",
                    "maxBodyBytes", "4096", "headerName", "X-Sig", "replayProtection", "true", "maxBufferedBytes", "344576")));
            assertEquals(List.of("WebhookSignatureFilter 'webhooks' verifies X-Sig with 2 secrets, tolerance 60 s,"
                    + " bodies up to 4096 bytes (344576 bytes in flight), query strings allowed, replay protection on"),
                    messages(Level.INFO));
            assertEquals(List.of("WebhookSignatureFilter 'webhooks': secret #2 gives a key shorter than 16 bytes;"
                    + " use a long random secret, such as the one the platform generates"), messages(Level.WARNING));
        }

        /**
         * A form of {@code maxBodyBytes} bytes takes them from {@code maxBufferedBytes}, and room for its decoded
         * parameters: 5 bytes a byte and 320 a pair in UTF-8 or ISO-8859-1, 1000 pairs at most, as many as fit
         * ({@code a&a&...a}: 50 in 100 bytes). With less, such a form gets 413 however idle the filter is: said once at
         * start-up, which goes on, as most endpoints never get a form.
         */
        @ParameterizedTest(name = "maxBodyBytes {0}: {2} bytes")
        @CsvSource({
            "4096, 1000, 344576", // 4096 + 5 * 4096 + 320 * 1000
            "100, 50, 16600", //      100 + 5 * 100 + 320 * 50
            "1999, 1000, 331994", // 1999 + 5 * 1999 + 320 * 1000: a&...&a, 1000 pairs
            "1998, 999, 331668"}) //  1998 + 5 * 1998 + 320 * 999
        void initWarnsWhenAFormOfMaxBodyBytesCouldNeverBeAdmitted(int maxBodyBytes, int pairs, long needed)
                throws ServletException {
            WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(maxBodyBytes).maxBufferedBytes(needed)
                    .build().init(config(Map.of()));
            assertEquals(List.of(), messages(Level.WARNING), "exactly the room one such form takes");

            WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(maxBodyBytes)
                    .maxBufferedBytes(needed - 1).build().init(config(Map.of()));
            assertEquals(List.of("WebhookSignatureFilter 'webhooks': maxBufferedBytes (" + (needed - 1) + ") is less"
                    + " than a form post of maxBodyBytes (" + maxBodyBytes + ") takes with its decoded parameters ("
                    + needed + " bytes, " + pairs + " pairs in UTF-8): such a form gets 413 (BODY_TOO_LARGE) whatever else is in flight;"
                    + " if this endpoint takes application/x-www-form-urlencoded posts, raise maxBufferedBytes to at"
                    + " least " + needed + ", or lower maxBodyBytes"), messages(Level.WARNING));
        }

        @Test
        void initOfABuiltFilterSaysOneSecretAndNoReplayProtection() throws ServletException {
            logs.level(Level.INFO);
            filter(100).init(config(Map.of()));
            assertEquals(List.of("WebhookSignatureFilter 'webhooks' verifies X-Webhook-Signature with 1 secret,"
                    + " tolerance 300 s, bodies up to 100 bytes (" + Runtime.getRuntime().maxMemory() / 4
                    + " bytes in flight), query strings allowed, replay protection off"), messages(Level.INFO));
            assertEquals(List.of(), messages(Level.WARNING));
        }

        @Test
        void rejectionsAreLoggedAtDebugWithoutTheHeader() throws Exception {
            logs.level(Level.ALL);
            new Exchange(List.of("t=01700000000,v1=" + SIMPLE_A), SIMPLE_BODY, 0).run(filter(100));
            List<String> debug = messages(Level.FINE);
            assertEquals(1, debug.size(), debug.toString());
            assertTrue(debug.get(0).startsWith("rejected POST /webhooks/: MALFORMED_HEADER (t is not a canonical"), debug.get(0));
            assertFalse(debug.get(0).contains(SIMPLE_A));
        }

        @Test
        void aFormRefusalSaysWhyAtDebug() throws Exception {
            logs.level(Level.ALL);
            form(PAIRS_1001_A, "a&".repeat(1000) + "a").run(filter(4096));
            form(TWO_PAIRS_A, "a=1&b=2").run(WebhookSignatureFilter.builder().verifier(verifier()).maxBodyBytes(100)
                    .maxBufferedBytes(100).build());
            Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).runWhileHeld(WebhookSignatureFilter.builder().verifier(verifier())
                    .maxBodyBytes(100).maxBufferedBytes(7 + 5 * 7 + 320 * 2).build(), form(TWO_PAIRS_A, "a=1&b=2"));
            assertEquals(List.of("rejected POST /webhooks/: TOO_MANY_PARAMETERS (the form has more than 1000 pairs)",
                    "rejected POST /webhooks/: BODY_TOO_LARGE (the form's decoded parameters would overflow maxBufferedBytes"
                    + " (100 bytes) even with nothing else in flight)",
                    "rejected POST /webhooks/: BUSY (the form's decoded parameters would overflow maxBufferedBytes (682"
                    + " bytes))"), messages(Level.FINE));
        }

        /** A form's parameters asked for once their room was given back: said at DEBUG, once for the request. */
        @Test
        void aFormAskedForItsParametersAfterItsRoomWasGivenBackSaysSoAtDebugOnce() throws Exception {
            logs.level(Level.ALL);
            Exchange late = form(TWO_PAIRS_A, "a=1&b=2");
            late.runAsync(filter(100)).onError(late.ended(500));
            ServletRequest held = late.passedOn();
            held.getParameter("a");
            held.getParameterMap();
            assertEquals(List.of("a form's parameters were asked for once their room in maxBufferedBytes had been given"
                    + " back (their request ended): the query's are served without the body's"), messages(Level.FINE));
        }

        @Test
        void theLoggedPathHasNoPathParameters() throws Exception {
            logs.level(Level.ALL);
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.request.getRequestURI()).thenReturn("/webhooks;jsessionid=SESSION1/in;v=2/x");
            exchange.run(filter(100));
            assertEquals("rejected POST /webhooks/in/x: MISSING_HEADER (the signature header is missing)", messages(Level.FINE).get(0));
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.CsvSource({"';jsessionid=S/in/x', /in/x", "'/a;v=1;w=2', /a",
                "/in;/x;, /in/x", "/plain/path, /plain/path"})
        void everyPathParameterIsLeftOut_evenOneAtTheStart(String uri, String logged) {
            assertEquals(logged, WebhookSignatureFilter.withoutPathParameters(uri));
        }

        @Test
        void aMisconfiguredFilterLogsWhyAtSevere() {
            logs.level(Level.INFO);
            assertThrows(ServletException.class,
                    () -> new WebhookSignatureFilter().init(config(Map.of("secrets", "ENV:WEBHOOK_SECRET"))));
            List<String> severe = messages(Level.SEVERE);
            assertEquals(1, severe.size(), severe.toString());
            assertTrue(severe.get(0).startsWith("WebhookSignatureFilter 'webhooks' is misconfigured and will not start:\n"
                    + "secrets: entry 1 of 1 looks like a misspelled reference"), severe.get(0));
        }

        @Test
        void aRejectionThatCannotBeSentIsLoggedAtDebug() throws Exception {
            logs.level(Level.ALL);
            Exchange exchange = new Exchange(List.of(), SIMPLE_BODY, 0);
            when(exchange.response.getOutputStream()).thenThrow(new IOException("gone"));
            exchange.run(filter(100));
            assertEquals("could not send the rejection: IOException", messages(Level.FINE).get(1));
        }

        @Test
        void rejectionsAreNotLoggedAboveDebug() throws Exception {
            logs.level(Level.INFO);
            new Exchange(List.of(), SIMPLE_BODY, 0).run(filter(100));
            assertEquals(List.of(), messages(Level.FINE));
        }
    }

    /**
     * A context as a container reports it to {@code init}: the filter's own mappings, the servlets' and the other
     * filters'; by default Tomcat's default servlet on {@code /} and nothing else.
     */
    static final class Deployment {

        static final String TOMCAT_DEFAULT = "org.apache.catalina.servlets.DefaultServlet";
        static final String TOMCAT_JSP = "org.apache.jasper.servlet.JspServlet";

        final ServletContext context = mock(ServletContext.class);
        final FilterRegistration own = mock(FilterRegistration.class);
        private final Map<String, ServletRegistration> servlets = new LinkedHashMap<>();
        private final Map<String, FilterRegistration> filters = new LinkedHashMap<>();

        Deployment() {
            servlet("default", TOMCAT_DEFAULT, "/");
            when(context.getFilterRegistration("webhooks")).thenReturn(own);
            when(context.getServletRegistrations()).thenAnswer(i -> servlets);
            when(context.getFilterRegistrations()).thenAnswer(i -> filters);
            when(context.getContextPath()).thenReturn("");
        }

        Deployment servlet(String name, String className, String... patterns) {
            ServletRegistration registration = mock(ServletRegistration.class);
            when(registration.getClassName()).thenReturn(className);
            when(registration.getMappings()).thenReturn(List.of(patterns));
            servlets.put(name, registration);
            return this;
        }

        Deployment filter(String name, String className, List<String> servletNames, String... patterns) {
            FilterRegistration registration = mock(FilterRegistration.class);
            when(registration.getClassName()).thenReturn(className);
            when(registration.getUrlPatternMappings()).thenReturn(List.of(patterns));
            when(registration.getServletNameMappings()).thenReturn(servletNames);
            filters.put(name, registration);
            return this;
        }

        /** The init parameter {@code name} of the filter registered as {@code filterName}. */
        Deployment initParameter(String filterName, String name, String value) {
            when(filters.get(filterName).getInitParameter(name)).thenReturn(value);
            return this;
        }

        Deployment contextPath(String path) {
            when(context.getContextPath()).thenReturn(path);
            return this;
        }

        /** The application's files under {@code directory}, as {@code getResourcePaths} lists them. */
        Deployment files(String directory, String... entries) {
            when(context.getResourcePaths(directory)).thenReturn(Set.of(entries));
            return this;
        }

        FilterConfig config(Map<String, String> params, String... patterns) {
            return config(params, List.of(), patterns);
        }

        FilterConfig config(Map<String, String> params, List<String> servletNames, String... patterns) {
            FilterConfig config = mock(FilterConfig.class);
            when(config.getFilterName()).thenReturn("webhooks");
            when(config.getServletContext()).thenReturn(context);
            when(config.getInitParameterNames()).thenAnswer(i -> Collections.enumeration(params.keySet()));
            when(config.getInitParameter(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));
            when(own.getUrlPatternMappings()).thenReturn(List.of(patterns));
            when(own.getServletNameMappings()).thenReturn(servletNames);
            filters.put("webhooks", own);
            return config;
        }
    }

    /**
     * A valid pattern that covers no request a servlet of the application serves: a typo, or the context path in
     * it. The filter guarded nothing and the handler ran on unsigned requests; it now refuses to start.
     */
    @Nested
    class Mappings {

        private static final String MISCONFIGURED = "WebhookSignatureFilter 'webhooks' is misconfigured and will not start:\n";
        private static final String TYPO_OR_CONTEXT_PATH = "check it for a typo, and leave the context path out of it:"
                + " patterns are matched after the context path (/webhooks/*, not /app/webhooks/*, for an application"
                + " at /app)";

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

        private Deployment handlerOnWebhooks() {
            return new Deployment().servlet("handler", "com.example.Handler", "/webhooks/*")
                    .servlet("events", "com.example.Events", "/events");
        }

        private ServletException refused(FilterConfig config) {
            return assertThrows(ServletException.class, () -> new WebhookSignatureFilter().init(config));
        }

        @Test
        void aTypoThatReachesNoServletStopsTheFilter() {
            for (boolean built : new boolean[] {false, true}) {
                WebhookSignatureFilter filter = built ? WebhookSignatureFilter.builder().secrets(SECRET_A).build()
                        : new WebhookSignatureFilter();
                FilterConfig config = handlerOnWebhooks().config(built ? Map.of() : Map.of("secrets", SECRET_A),
                        "/webhook/*");

                ServletException e = assertThrows(ServletException.class, () -> filter.init(config));
                assertEquals(MISCONFIGURED + "url-pattern '/webhook/*' of its filter-mapping reaches no servlet of the"
                        + " application (servlets: events on /events, handler on /webhooks/*), so the filter would"
                        + " guard nothing; " + TYPO_OR_CONTEXT_PATH, e.getMessage());
            }
        }

        @Test
        void aPatternWithTheContextPathSaysWhatToWrite() {
            ServletException e = refused(handlerOnWebhooks().contextPath("/app")
                    .config(Map.of("secrets", SECRET_A), "/app/webhooks/*", "/app"));
            assertEquals(MISCONFIGURED + "url-pattern '/app/webhooks/*' of its filter-mapping reaches no servlet of the"
                    + " application (servlets: events on /events, handler on /webhooks/*), so the filter would guard"
                    + " nothing; it begins with the context path /app, but patterns are matched after the context"
                    + " path: write /webhooks/*\n"
                    + "url-pattern '/app' of its filter-mapping reaches no servlet of the application (servlets: events"
                    + " on /events, handler on /webhooks/*), so the filter would guard nothing; it begins with the"
                    + " context path /app, but patterns are matched after the context path: write the path after the"
                    + " context path", e.getMessage());
        }

        @Test
        void isReportedWithTheOtherProblems() {
            ServletException e = refused(handlerOnWebhooks().config(Map.of("secrets", SECRET_A, "toleranceSeconds", "0"),
                    "/webhooks/*", "/webhooks/**", "/hooks/*"));
            String[] problems = e.getMessage().split("\n");
            assertEquals(4, problems.length, e.getMessage());
            assertTrue(problems[1].startsWith("toleranceSeconds: out of range"), problems[1]);
            assertTrue(problems[2].startsWith("url-pattern '/webhooks/**' of its filter-mapping is not a Servlet URL"
                    + " pattern"), problems[2]);
            assertTrue(problems[3].startsWith("url-pattern '/hooks/*' of its filter-mapping reaches no servlet"),
                    problems[3]);
        }

        @Test
        void theMessageListsAFewMappingsAndSaysWhenTheApplicationHasNone() {
            Deployment many = new Deployment();
            for (int i = 1; i <= 8; i++) {
                many.servlet("s" + i, "com.example.S", "/s" + i, "");
            }
            String message = refused(many.config(Map.of("secrets", SECRET_A), "/webhooks/*")).getMessage();
            assertTrue(message.contains("(servlets: s1 on '' (the context root), s1 on /s1, s2 on '' (the context"
                    + " root), s2 on /s2, s3 on '' (the context root), s3 on /s3 and 10 more mappings)"), message);
            Deployment six = new Deployment();
            for (int i = 1; i <= MappingCheck.LISTED; i++) {
                six.servlet("s" + i, "com.example.S", "/s" + i);
            }
            message = refused(six.config(Map.of("secrets", SECRET_A), "/webhooks/*")).getMessage();
            assertTrue(message.contains("(servlets: s1 on /s1, s2 on /s2, s3 on /s3, s4 on /s4, s5 on /s5, s6 on /s6),"),
                    message);
            message = refused(new Deployment().config(Map.of("secrets", SECRET_A), "/webhooks/*")).getMessage();
            assertTrue(message.contains("reaches no servlet of the application (it has no servlet of its own)"), message);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/*", "/webhooks/payments/*", "/*", "*.json", "/events"})
        void aPatternThatReachesTheHandlerStarts(String pattern) throws ServletException {
            new WebhookSignatureFilter().init(handlerOnWebhooks().config(Map.of("secrets", SECRET_A), pattern));
            assertEquals(List.of(), logs.messages(Level.WARNING));
        }

        /**
         * JAX-RS matches a resource method's path with or without a trailing '/' (Jakarta REST 3.1, section 3.7.3),
         * as Spring MVC did with trailing-slash matching: the handler on /webhooks/* would serve an unsigned
         * /webhooks/payments/ as /webhooks/payments, where the filter does not run.
         */
        @ParameterizedTest
        @ValueSource(strings = {"/webhooks", "/webhooks/payments"})
        void anExactPatternWhoseTrailingSlashTheHandlerServes_startsWithAWarning(String pattern)
                throws ServletException {
            new WebhookSignatureFilter().init(handlerOnWebhooks().config(Map.of("secrets", SECRET_A), pattern));
            assertEquals(List.of(trailingSlashWarning(pattern, "handler")), logs.messages(Level.WARNING));
        }

        private String trailingSlashWarning(String pattern, String servlet) {
            return "WebhookSignatureFilter 'webhooks': url-pattern '" + pattern + "' is an exact path, and servlet '"
                    + servlet + "' also serves " + pattern + "/, which the filter does not guard: JAX-RS, and Spring"
                    + " MVC with trailing-slash matching, route it to the same handler unverified; map " + pattern
                    + "/* instead, which covers " + pattern + " too";
        }

        @Test
        void anExactPatternWhoseTrailingSlashIsGuardedOrServedByNoHandler_startsWithoutAWarning()
                throws ServletException {
            // The filter's own prefix covers it; the container's default servlet serves files or 404.
            new WebhookSignatureFilter().init(handlerOnWebhooks().config(Map.of("secrets", SECRET_A),
                    "/webhooks/payments", "/webhooks/payments/*"));
            new WebhookSignatureFilter().init(handlerOnWebhooks()
                    .servlet("default", "org.apache.catalina.servlets.DefaultServlet", "/")
                    .config(Map.of("secrets", SECRET_A), "/events"));
            assertEquals(List.of(), logs.messages(Level.WARNING));
        }

        /** The Spring Boot starter's filter, on /*, guarding {@code patterns} (its endpoints' path patterns). */
        private Deployment besideTheStarter(Deployment deployment, String... patterns) {
            return deployment.filter("webhookAmbiguousPathFilter", AmbiguousPathGuard.FILTER_CLASS, List.of(), "/*")
                    .initParameter("webhookAmbiguousPathFilter", AmbiguousPathGuard.PATTERNS,
                            AmbiguousPathGuard.join(List.of(patterns)));
        }

        /**
         * The Spring Boot starter's filter refuses (400) a path that only a trailing '/' sets apart from an exact or
         * extension pattern it guards: the starter endpoint's own filter, on that pattern, is not warned of.
         */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "/webhooks/payments      | /webhooks/payments",
                "/webhooks/payments.json | /webhooks/orders/*, *.json"})
        void anExactPatternTheStartersFilterGuards_startsWithoutAWarning(String pattern, String guarded)
                throws ServletException {
            new WebhookSignatureFilter().init(besideTheStarter(handlerOnWebhooks(), guarded.split(", "))
                    .config(Map.of("secrets", SECRET_A), pattern));
            assertEquals(List.of(), logs.messages(Level.WARNING));
        }

        /**
         * The starter's filter knows its endpoints' patterns only: an application's own filter beside the starter
         * (a FilterRegistrationBean of its own) on another exact path, or a starter that lists no patterns, leaves
         * the path with a trailing '/' to the handler. So does a guarded prefix that covers that path itself: the
         * starter's filter lets it through (to another endpoint's filter, with other secrets). This filter started
         * without the warning whenever the starter's filter was there.
         */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "/webhooks/own      | /webhooks/payments",
                "/webhooks/payments | /webhooks/*",
                "/webhooks/payments | /webhooks/payments/*",
                "/webhooks/payments |"})
        void anExactPatternTheStartersFilterDoesNotGuard_startsWithAWarning(String pattern, String guarded)
                throws ServletException {
            Deployment deployment = besideTheStarter(handlerOnWebhooks(),
                    guarded == null ? new String[0] : guarded.split(", "));
            new WebhookSignatureFilter().init(deployment.config(Map.of("secrets", SECRET_A), pattern));
            assertEquals(List.of(trailingSlashWarning(pattern, "handler")), logs.messages(Level.WARNING));
        }

        @Test
        void aStartersFilterWithoutTheListOfPatterns_exemptsNone() throws ServletException {
            new WebhookSignatureFilter().init(handlerOnWebhooks()
                    .filter("webhookAmbiguousPathFilter", AmbiguousPathGuard.FILTER_CLASS, List.of(), "/*")
                    .config(Map.of("secrets", SECRET_A), "/webhooks/payments"));
            assertEquals(List.of(trailingSlashWarning("/webhooks/payments", "handler")),
                    logs.messages(Level.WARNING));
        }

        /**
         * Spring MVC's DispatcherServlet routes no path with a trailing '/' to a handler mapped without it since
         * Spring 6.0 (spring-framework#28552); the option that turned it back on is deprecated in 6.x and gone in 7.0
         * (#34036). A WAR with it on '/' or a prefix got the warning for every exact pattern, a false alarm.
         */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"/ | /webhooks/payments", "/api/* | /api/webhooks/payments"})
        void anExactPatternUnderSpringMvc_startsWithoutAWarning(String mapping, String pattern)
                throws ServletException {
            new WebhookSignatureFilter().init(new Deployment()
                    .servlet("dispatcher", "org.springframework.web.servlet.DispatcherServlet", mapping)
                    .config(Map.of("secrets", SECRET_A), pattern));
            assertEquals(List.of(), logs.messages(Level.WARNING));
        }

        /** Spring's UrlHandlerFilter (6.2+, its wrapRequest mode) strips the '/' before DispatcherServlet routes. */
        @Test
        void anExactPatternUnderSpringMvcWithAUrlHandlerFilter_startsWithAWarning() throws ServletException {
            new WebhookSignatureFilter().init(new Deployment()
                    .servlet("dispatcher", "org.springframework.web.servlet.DispatcherServlet", "/")
                    .filter("trailingSlash", "org.springframework.web.filter.UrlHandlerFilter", List.of(), "/*")
                    .config(Map.of("secrets", SECRET_A), "/webhooks/payments"));
            assertEquals(List.of(trailingSlashWarning("/webhooks/payments", "dispatcher")),
                    logs.messages(Level.WARNING));
        }

        /**
         * JAX-RS servlets match a resource method with or without a trailing '/' (Jakarta REST 3.1, 3.7.3); a servlet
         * the check does not know, a subclass of DispatcherServlet among them, may too.
         */
        @ParameterizedTest
        @ValueSource(strings = {"org.glassfish.jersey.servlet.ServletContainer",
                "org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher",
                "org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher",
                "org.apache.cxf.transport.servlet.CXFNonSpringServlet", "org.apache.cxf.transport.servlet.CXFServlet",
                "com.example.MyDispatcherServlet"})
        void anExactPatternUnderAJaxRsOrUnknownServlet_startsWithAWarning(String className) throws ServletException {
            new WebhookSignatureFilter().init(new Deployment()
                    .servlet("dispatcher", "org.springframework.web.servlet.DispatcherServlet", "/")
                    .servlet("rest", className, "/webhooks/*")
                    .config(Map.of("secrets", SECRET_A), "/webhooks/payments"));
            assertEquals(List.of(trailingSlashWarning("/webhooks/payments", "rest")), logs.messages(Level.WARNING));
        }

        /** A framework that is a filter (Wicket, Struts 2, Jersey as a filter) may be the handler itself. */
        @Test
        void anotherFilterOverItStartsWithAWarning() throws ServletException {
            logs.level(Level.INFO);
            new WebhookSignatureFilter().init(handlerOnWebhooks()
                    .filter("wicket", "org.apache.wicket.protocol.http.WicketFilter", List.of(), "/*")
                    .config(Map.of("secrets", SECRET_A), "/webhook/*"));
            assertEquals(List.of("WebhookSignatureFilter 'webhooks': url-pattern '/webhook/*' reaches no servlet of the"
                    + " application (servlets: events on /events, handler on /webhooks/*), and filter 'wicket' also"
                    + " covers it: unless that filter handles these requests itself, the handler is not guarded; "
                    + TYPO_OR_CONTEXT_PATH), logs.messages(Level.WARNING));
        }

        @Test
        void theWarningSaysWhatToWriteWhenThePatternBeginsWithTheContextPath() throws ServletException {
            new WebhookSignatureFilter().init(handlerOnWebhooks().contextPath("/app")
                    .filter("jersey", "org.glassfish.jersey.servlet.ServletContainer", List.of(), "/app/*")
                    .config(Map.of("secrets", SECRET_A), "/app/webhooks/*"));
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).endsWith("and filter 'jersey' also covers it: unless that filter handles these"
                    + " requests itself, the handler is not guarded; it begins with the context path /app, but patterns"
                    + " are matched after the context path: write /webhooks/*"), warnings.get(0));
        }

        @Test
        void severalOtherFiltersAreNamed() throws ServletException {
            new WebhookSignatureFilter().init(handlerOnWebhooks()
                    .filter("struts", "org.apache.struts2.dispatcher.filter.StrutsPrepareAndExecuteFilter", List.of(),
                            "/webhook/in")
                    .filter("onDefault", "com.example.Framework", List.of("default"))
                    .filter("elsewhere", "com.example.Elsewhere", List.of("handler"), "/other/*")
                    .config(Map.of("secrets", SECRET_A), "/webhook/*"));
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("and filters 'onDefault', 'struts' also cover it: unless one of them"
                    + " handles these requests itself, the handler is not guarded"), warnings.get(0));
        }

        @Test
        void theContainersWebSocketFilterIsNoHandler() {
            // Tomcat adds it on /* to every application that has tomcat-websocket on its class path.
            ServletException e = refused(handlerOnWebhooks()
                    .filter("Tomcat WebSocket (JSR356) Filter", "org.apache.tomcat.websocket.server.WsFilter", List.of(), "/*")
                    .filter("unrelated", "com.example.Unrelated", List.of("events"), "/hooks/*")
                    .config(Map.of("secrets", SECRET_A), "/webhook/*"));
            assertTrue(e.getMessage().contains("url-pattern '/webhook/*' of its filter-mapping reaches no servlet"),
                    e.getMessage());
        }

        @Test
        void aServletNameThatIsNotRegisteredStopsTheFilter() throws ServletException {
            ServletException e = refused(handlerOnWebhooks().config(Map.of("secrets", SECRET_A), List.of("handlr")));
            assertEquals(MISCONFIGURED + "servlet-name 'handlr' of its filter-mapping names no servlet of the application"
                    + " (servlets: default, events, handler), so the filter would guard nothing; check the name for a typo",
                    e.getMessage());
            new WebhookSignatureFilter().init(handlerOnWebhooks().config(Map.of("secrets", SECRET_A),
                    List.of("handler", "*")));
        }

        /** Tomcat's conf/web.xml and Jetty's webdefault map a JSP engine on *.jsp, which serves only the JSPs there are. */
        @Test
        void theJspEngineReachesOnlyTheJspsOfTheApplication() throws ServletException {
            Deployment withJsp = handlerOnWebhooks().servlet("jsp", Deployment.TOMCAT_JSP, "*.jsp", "*.jspx")
                    .files("/webhook/", "/webhook/readme.txt", "/webhook/old/").files("/webhook/old/", "/webhook/old/a.html");
            assertTrue(refused(withJsp.config(Map.of("secrets", SECRET_A), "/webhook/*")).getMessage()
                    .contains("url-pattern '/webhook/*' of its filter-mapping reaches no servlet"));

            withJsp.files("/webhook/old/", "/webhook/old/receive.jsp");
            new WebhookSignatureFilter().init(withJsp.config(Map.of("secrets", SECRET_A), "/webhook/*"));
        }

        @Test
        void filesPastTheLimitMayHoldAJsp() throws ServletException {
            Set<String> many = new java.util.HashSet<>();
            for (int i = 0; i <= MappingCheck.ENTRIES_LOOKED_AT; i++) {
                many.add("/static/f" + i + ".png");
            }
            Deployment jspOnly = new Deployment().servlet("jsp", Deployment.TOMCAT_JSP, "*.jsp")
                    .files("/", "/WEB-INF/", "/static/").files("/WEB-INF/", "/WEB-INF/hidden.jsp");
            when(jspOnly.context.getResourcePaths("/static/")).thenReturn(many);
            new WebhookSignatureFilter().init(jspOnly.config(Map.of("secrets", SECRET_A), "*.jsp"));
        }

        @Test
        void aJspUnderWebInfIsNoRequestsHandler() {
            // The container serves nothing under WEB-INF or META-INF; a JSP there runs only when forwarded to.
            Deployment jspOnly = new Deployment().servlet("jsp", Deployment.TOMCAT_JSP, "*.jsp")
                    .files("/", "/WEB-INF/", "/META-INF/", "/index.html")
                    .files("/WEB-INF/", "/WEB-INF/hidden.jsp").files("/META-INF/", "/META-INF/resources.jsp");
            refused(jspOnly.config(Map.of("secrets", SECRET_A), "*.jsp"));
            verify(jspOnly.context, never()).getResourcePaths("/WEB-INF/");
        }

        @Test
        void aContextThatCannotListItsFilesMayHoldAJsp() throws ServletException {
            Deployment withJsp = handlerOnWebhooks().servlet("jsp", Deployment.TOMCAT_JSP, "*.jsp");
            when(withJsp.context.getResourcePaths("/webhook/")).thenThrow(new IllegalStateException("closed"));
            new WebhookSignatureFilter().init(withJsp.config(Map.of("secrets", SECRET_A), "/webhook/*"));
        }

        @Test
        void aContextThatCannotTellItsServletsIsNotChecked() throws ServletException {
            Deployment unsupported = handlerOnWebhooks();
            when(unsupported.context.getServletRegistrations()).thenThrow(new UnsupportedOperationException("listener"));
            new WebhookSignatureFilter().init(unsupported.config(Map.of("secrets", SECRET_A), "/webhook/*"));
            Deployment refusing = handlerOnWebhooks();
            when(refusing.context.getFilterRegistrations()).thenThrow(new IllegalStateException("a container's own"));
            new WebhookSignatureFilter().init(refusing.config(Map.of("secrets", SECRET_A), "/webhook/*"));
            Deployment silent = handlerOnWebhooks();
            when(silent.context.getFilterRegistrations()).thenReturn(null);
            new WebhookSignatureFilter().init(silent.config(Map.of("secrets", SECRET_A), "/webhook/*"));
            Deployment noServlets = handlerOnWebhooks();
            when(noServlets.context.getServletRegistrations()).thenReturn(null);
            new WebhookSignatureFilter().init(noServlets.config(Map.of("secrets", SECRET_A), "/webhook/*"));
        }
    }

    /**
     * {@code isStoreAvailable}, which a health check (the Spring Boot starter's) asks of an endpoint's filter: the
     * answer of the store the filter opened from its URI ({@code test-unavailable:}, opened by
     * {@link UnavailableStoreProvider} as a {@link dev.webhookfilter.StubStore}), never what that store throws.
     */
    @Nested
    class StoreHealth {

        @RegisterExtension
        final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

        @Test
        void aBuiltFiltersUriStore_answersAsTheStoreDoes_beforeInit() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection()
                    .store("test-unavailable://user:password@127.0.0.1").build();
            dev.webhookfilter.StubStore store = UnavailableStoreProvider.opened;

            assertFalse(filter.isStoreAvailable(), "the store says it does not answer");
            store.available.set(true);
            assertTrue(filter.isStoreAvailable(), "the store says it answers");
            filter.destroy();
        }

        @Test
        void aStoreWhoseCheckThrows_isUnavailable_andOnlyTheExceptionsTypeIsLogged() {
            logs.level(Level.ALL);
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).deduplicate("Webhook-Id")
                    .store("test-unavailable:").build();
            dev.webhookfilter.StubStore store = UnavailableStoreProvider.opened;
            store.available.set(true);
            store.throwOnCheck = true;

            assertFalse(filter.isStoreAvailable());
            assertEquals(List.of("WebhookSignatureFilter: the store's health check threw java.lang.IllegalStateException"),
                    logs.messages(Level.FINE));
            assertFalse(logs.render().contains("password"), logs.render());
            filter.destroy();
        }

        @Test
        void aStoreTheFilterClosed_isUnavailable() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection()
                    .store("test-unavailable:").build();
            dev.webhookfilter.StubStore store = UnavailableStoreProvider.opened;
            store.available.set(true);

            filter.destroy();

            assertEquals(1, store.closed.get());
            assertFalse(filter.isStoreAvailable(), "destroy closed it");
        }

        @Test
        void anInitParamFiltersUriStore_isAskedOnceInitOpenedIt() throws ServletException {
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            assertTrue(filter.isStoreAvailable(), "no store before init");
            FilterConfig config = mock(FilterConfig.class);
            Map<String, String> params = Map.of("secrets", SECRET_A, "replayProtection", "true", "store",
                    "test-unavailable:");
            when(config.getFilterName()).thenReturn("webhooks");
            when(config.getInitParameterNames()).thenAnswer(i -> Collections.enumeration(params.keySet()));
            when(config.getInitParameter(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));

            filter.init(config);

            assertFalse(filter.isStoreAvailable(), "the store init opened says it does not answer");
            filter.destroy();
        }

        @Test
        void theMemoryStore_noStore_andAStoreGivenInCode_areNotTheFiltersToCheck() {
            dev.webhookfilter.StubStore given = new dev.webhookfilter.StubStore(false);
            assertTrue(WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection().store("memory").build()
                    .isStoreAvailable(), "memory");
            assertTrue(WebhookSignatureFilter.builder().secrets(SECRET_A).build().isStoreAvailable(), "no store");
            assertTrue(WebhookSignatureFilter.builder().secrets(SECRET_A).replayProtection().store(given).build()
                    .isStoreAvailable(), "a store the application gave, and checks itself");
        }
    }
}
