package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.WebhookSigner;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The filter's order of work on hand-made requests: which checks run before the body is touched,
 * what a refused client receives, and what a verified request looks like to the chain.
 */
class WebhookSignatureFilterTest {

    private static final String SECRET = "whsec_filter_unit_test_0f3e9a7c";
    private static final int CAP = 1024;

    private final WebhookSignatureFilter filter = new WebhookSignatureFilter();
    private final FilterChain chain = mock(FilterChain.class);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final Map<String, Object> attributes = new HashMap<>();
    private final Response response = new Response();

    @BeforeEach
    void setUp() throws ServletException {
        filter.init(config(Map.of("secrets", SECRET, "maxBodyBytes", Integer.toString(CAP))));
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/webhooks/");
        when(request.getProtocol()).thenReturn("HTTP/1.1");
        when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        when(request.getContentLengthLong()).thenReturn(-1L);
        org.mockito.Mockito.doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(any(), any());
        when(request.getAttribute(any())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
    }

    static FilterConfig config(Map<String, String> parameters) {
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("webhookSignature");
        when(config.getInitParameterNames()).thenAnswer(call -> Collections.enumeration(parameters.keySet()));
        when(config.getInitParameter(any())).thenAnswer(call -> parameters.get(call.<String>getArgument(0)));
        return config;
    }

    private void header(String... values) {
        when(request.getHeaders("X-Webhook-Signature")).thenAnswer(call -> Collections.enumeration(List.of(values)));
    }

    private void body(byte[] bytes, long contentLength) throws IOException {
        when(request.getContentLengthLong()).thenReturn(contentLength);
        when(request.getInputStream()).thenReturn(new Stream(new ByteArrayInputStream(bytes)));
    }

    private void assertRefused(int status, Rejection rejection) throws Exception {
        assertEquals(status, response.status);
        assertEquals(rejection, attributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
        assertEquals("no-store", response.headers.get("Cache-Control"));
        assertEquals("webhook rejected: " + rejection.message(), response.body.toString(StandardCharsets.UTF_8).strip());
        verify(chain, never()).doFilter(any(), any());
    }

    @Nested
    class BeforeTheBody {

        @Test
        void refusesAMissingHeaderWithoutTouchingTheBody() throws Exception {
            header();
            when(request.getContentLengthLong()).thenReturn(10_000_000L);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.MISSING_HEADER);
            assertEquals("Webhook-Signature header=\"X-Webhook-Signature\"", response.headers.get("WWW-Authenticate"));
            assertEquals("close", response.headers.get("Connection"), "the unread body must not poison the connection");
            verify(request, never()).getInputStream();
        }

        @Test
        void refusesAStaleHeaderWithoutTouchingTheBody() throws Exception {
            header("t=1700000000,v1=02/96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6o=");
            when(request.getContentLengthLong()).thenReturn(10_000_000L);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.STALE_TIMESTAMP);
            verify(request, never()).getInputStream();
        }

        @Test
        void refusesTwoHeaderLinesAsAmbiguous() throws Exception {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            String good = WebhookSigner.of(SECRET).sign(body);
            header(good, good);
            body(body, body.length);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.MALFORMED_HEADER);
        }

        @Test
        void refusesADeclaredLengthOverTheCapWithoutReading() throws Exception {
            header(WebhookSigner.of(SECRET).sign(new byte[CAP + 1]));
            when(request.getContentLengthLong()).thenReturn((long) CAP + 1);

            filter.doFilter(request, response, chain);

            assertRefused(413, Rejection.BODY_TOO_LARGE);
            assertEquals("close", response.headers.get("Connection"));
            verify(request, never()).getInputStream();
        }

        @Test
        void drainsASmallUnreadBodySoTheConnectionStaysUsable() throws Exception {
            header();
            body(new byte[100], 100);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.MISSING_HEADER);
            assertFalse(response.headers.containsKey("Connection"), response.headers::toString);
        }

        @Test
        void omitsTheConnectionHeaderOnHttp2() throws Exception {
            header();
            when(request.getProtocol()).thenReturn("HTTP/2.0");
            when(request.getContentLengthLong()).thenReturn(10_000_000L);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.MISSING_HEADER);
            assertFalse(response.headers.containsKey("Connection"));
        }
    }

    @Nested
    class TheBody {

        @Test
        void refusesAnUndeclaredBodyThatGoesPastTheCap() throws Exception {
            byte[] body = new byte[CAP + 1];
            header(WebhookSigner.of(SECRET).sign(body));
            body(body, -1);

            filter.doFilter(request, response, chain);

            assertRefused(413, Rejection.BODY_TOO_LARGE);
        }

        @Test
        void acceptsAnUndeclaredBodyOfExactlyTheCap() throws Exception {
            byte[] body = new byte[CAP];
            header(WebhookSigner.of(SECRET).sign(body));
            body(body, -1);

            filter.doFilter(request, response, chain);

            verify(chain).doFilter(any(), any());
        }

        @Test
        void refusesABodyShorterThanItsLength() throws Exception {
            byte[] body = new byte[10];
            header(WebhookSigner.of(SECRET).sign(body));
            body(body, 20);

            filter.doFilter(request, response, chain);

            assertRefused(400, Rejection.BODY_INCOMPLETE);
        }

        @Test
        void refusesABodyWhoseReadFails() throws Exception {
            header(WebhookSigner.of(SECRET).sign(new byte[10]));
            when(request.getContentLengthLong()).thenReturn(10L);
            when(request.getInputStream()).thenReturn(new Stream(new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new EOFException("client gone");
                }
            }));

            filter.doFilter(request, response, chain);

            assertRefused(400, Rejection.BODY_INCOMPLETE);
        }

        @Test
        void refusesABodyThatDoesNotMatch() throws Exception {
            header(WebhookSigner.of(SECRET).sign("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
            body("{\"a\":2}".getBytes(StandardCharsets.UTF_8), 7);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.NO_MATCHING_SIGNATURE);
        }
    }

    @Nested
    class Verified {

        private final byte[] body = "{\"eventId\":\"whevt-1\"}\r\n".getBytes(StandardCharsets.UTF_8);
        private final long now = System.currentTimeMillis() / 1000;

        @BeforeEach
        void signedRequest() throws IOException {
            header(WebhookSigner.of("whsec_other_secret_value_1234", SECRET).sign(body, now));
            body(body, body.length);
        }

        @Test
        void passesTheExactBytesAndTheAttributesToTheChain() throws Exception {
            AtomicReference<byte[]> seen = new AtomicReference<>();
            org.mockito.Mockito.doAnswer(call -> {
                seen.set(call.<ServletRequest>getArgument(0).getInputStream().readAllBytes());
                return null;
            }).when(chain).doFilter(any(), any());

            filter.doFilter(request, response, chain);

            assertArrayEquals(body, seen.get());
            assertEquals(now, attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
            assertEquals(0, attributes.get(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE));
            assertFalse(attributes.containsKey(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
            assertEquals(200, response.status, "the filter wrote nothing");
        }

        @Test
        void wrapsTheRequestAndPassesTheResponseUnchanged() throws Exception {
            filter.doFilter(request, response, chain);

            ArgumentCaptor<ServletRequest> wrapped = ArgumentCaptor.forClass(ServletRequest.class);
            verify(chain).doFilter(wrapped.capture(), org.mockito.ArgumentMatchers.same(response));
            assertTrue(wrapped.getValue() instanceof VerifiedRequest);
            assertEquals(body.length, wrapped.getValue().getContentLength());
        }

        @Test
        void letsAnAlreadyVerifiedRequestThroughOnAForward() throws Exception {
            attributes.put(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, now);
            when(request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
            header();

            filter.doFilter(request, response, chain);

            verify(chain).doFilter(request, response);
        }

        @Test
        void checksAForwardThatWasNeverVerified() throws Exception {
            when(request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
            header();
            when(request.getContentLengthLong()).thenReturn(0L);

            filter.doFilter(request, response, chain);

            assertRefused(401, Rejection.MISSING_HEADER);
        }
    }

    @Test
    void refusesToRunBeforeInit() {
        WebhookSignatureFilter fresh = new WebhookSignatureFilter();

        assertThrows(ServletException.class, () -> fresh.doFilter(request, response, chain));
    }

    @Test
    void refusesToStartWithoutASecret() {
        ServletException e = assertThrows(ServletException.class,
                () -> new WebhookSignatureFilter().init(config(Map.of("toleranceSeconds", "300"))));

        assertTrue(e.getMessage().contains("secrets: required"), e::getMessage);
        assertTrue(e.getMessage().contains("webhookSignature"), e::getMessage);
    }

    /** A servlet input stream over any stream. */
    static final class Stream extends ServletInputStream {
        private final InputStream in;

        Stream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }

    /** Records status, headers and body; a mock would make every assertion a verify(). */
    static final class Response extends jakarta.servlet.http.HttpServletResponseWrapper {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Response() {
            super(mock(HttpServletResponse.class));
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
        }
    }

}
