package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the application sees through the wrapper: the buffered bytes, however it asks for them. */
class VerifiedRequestTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    /** A wrapped POST as Tomcat would present it, after the filter read its body. */
    private static HttpServletRequest request(String contentType, String encoding) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        ServletContext context = mock(ServletContext.class);
        when(request.getMethod()).thenReturn("POST");
        when(request.getContentType()).thenReturn(contentType);
        when(request.getCharacterEncoding()).thenReturn(encoding);
        when(request.getParameterMap()).thenReturn(Collections.emptyMap());
        when(request.getServletContext()).thenReturn(context);
        when(context.getServerInfo()).thenReturn("Apache Tomcat/11.0.27");
        return request;
    }

    private static VerifiedRequest wrap(byte[] body) {
        return new VerifiedRequest(request("application/json", null), body, body.length);
    }

    @Nested
    class Stream {

        @Test
        void givesTheBytesOneByOneThenEndOfStream() throws IOException {
            byte[] body = {0, (byte) 0xff, 'a'};
            ServletInputStream in = wrap(body).getInputStream();

            assertEquals(3, in.available());
            assertEquals(0, in.read());
            assertEquals(0xff, in.read(), "as an unsigned byte");
            assertFalse(in.isFinished());
            assertEquals('a', in.read());
            assertTrue(in.isFinished());
            assertEquals(-1, in.read());
            assertEquals(0, in.available());
        }

        @Test
        void fillsArraysAndStopsAtTheBuffersLength() throws IOException {
            byte[] buffer = "0123456789spare".getBytes(StandardCharsets.US_ASCII);
            ServletInputStream in = new VerifiedRequest(request(null, null), buffer, 10).getInputStream();
            byte[] target = new byte[8];

            assertEquals(0, in.read(target, 0, 0));
            assertEquals(6, in.read(target, 2, 6));
            assertArrayEquals(new byte[] {0, 0, '0', '1', '2', '3', '4', '5'}, target);
            assertEquals(2, in.skip(2));
            assertEquals(2, in.read(target, 0, 8), "only up to length, never the spare bytes");
            assertEquals(-1, in.read(target, 0, 8));
            assertEquals(0, in.skip(5));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(target, 4, 5));
        }

        @Test
        void readsTheRestAtOnce() throws IOException {
            ServletInputStream in = wrap("hello".getBytes(StandardCharsets.US_ASCII)).getInputStream();
            in.read();

            assertArrayEquals("ello".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
            assertTrue(in.isFinished());
            assertTrue(in.isReady(), "a buffered stream never blocks");
        }

        @Test
        void isTheSameStreamEveryTime() throws IOException {
            VerifiedRequest request = wrap(new byte[3]);

            assertTrue(request.getInputStream() == request.getInputStream());
        }

        @Test
        void anEmptyBodyIsFinishedAtOnce() throws IOException {
            VerifiedRequest request = wrap(new byte[0]);

            assertTrue(request.getInputStream().isFinished());
            assertEquals(-1, request.getInputStream().read());
            assertEquals(0, request.getContentLength());
        }

        @Test
        void excludesTheReader() throws IOException {
            VerifiedRequest request = wrap(new byte[3]);
            request.getInputStream();

            assertThrows(IllegalStateException.class, request::getReader);
        }

        @Test
        void refusesAListenerOutsideAsyncMode() throws IOException {
            ServletInputStream in = wrap(new byte[3]).getInputStream();

            assertThrows(IllegalStateException.class, () -> in.setReadListener(mock(jakarta.servlet.ReadListener.class)));
            assertThrows(NullPointerException.class, () -> in.setReadListener(null));
        }
    }

    @Nested
    class Reader {

        private static final String TEXT = "Zo\u00eb \u6771\u4eac\r\nsecond line";

        @ParameterizedTest(name = "{0}")
        @CsvSource({"UTF-8", "ISO-8859-1", "UTF-16BE", "windows-1252", "utf-8"})
        void decodesWithTheRequestsCharset(String charset) throws IOException {
            String text = charset.startsWith("UTF") || charset.startsWith("utf") ? TEXT : "Zo\u00eb, caf\u00e9\r\nline";
            byte[] body = text.getBytes(java.nio.charset.Charset.forName(charset));
            VerifiedRequest request = new VerifiedRequest(request("text/plain; charset=" + charset, charset), body, body.length);

            assertEquals(text, read(request.getReader()));
        }

        @Test
        void decodesAsIso88591WhenNoCharsetIsGiven() throws IOException {
            byte[] body = {'a', (byte) 0xe9};

            assertEquals("a\u00e9", read(wrap(body).getReader()));
        }

        @Test
        void honoursACharsetSetBeforeReading() throws IOException {
            byte[] body = TEXT.getBytes(StandardCharsets.UTF_8);
            VerifiedRequest request = wrap(body);

            request.setCharacterEncoding("UTF-8");

            assertEquals("UTF-8", request.getCharacterEncoding());
            assertEquals(TEXT, read(request.getReader()));
            request.setCharacterEncoding("ISO-8859-1");
            assertEquals("UTF-8", request.getCharacterEncoding(), "no effect once the reader exists");
        }

        @Test
        void honoursACharsetObject() throws IOException {
            byte[] body = TEXT.getBytes(StandardCharsets.UTF_16LE);
            VerifiedRequest request = wrap(body);

            request.setCharacterEncoding(StandardCharsets.UTF_16LE);

            assertEquals(TEXT, read(request.getReader()));
        }

        @Test
        void refusesAnUnknownCharset() {
            VerifiedRequest request = wrap(new byte[1]);

            assertThrows(UnsupportedEncodingException.class, () -> request.setCharacterEncoding("no-such-charset"));
            assertThrows(UnsupportedEncodingException.class,
                    () -> new VerifiedRequest(request("text/plain", "bogus"), new byte[1], 1).getReader());
        }

        @Test
        void excludesTheStream() throws IOException {
            VerifiedRequest request = wrap(new byte[3]);
            request.getReader();

            assertThrows(IllegalStateException.class, request::getInputStream);
            assertTrue(request.getReader() == request.getReader());
        }

        private String read(BufferedReader reader) throws IOException {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[4];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        }
    }

    @Nested
    class FormParameters {

        private VerifiedRequest form(String body, String encoding, Map<String, String[]> query) {
            HttpServletRequest request = request(FORM + (encoding == null ? "" : "; charset=" + encoding), encoding);
            when(request.getParameterMap()).thenReturn(query);
            byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            return new VerifiedRequest(request, bytes, bytes.length);
        }

        @Test
        void mergesQueryThenBodyKeepingRepeatedNames() {
            VerifiedRequest request = form("b=2&a=3&a=4&c", null, Map.of("a", new String[] {"1"}));

            assertArrayEquals(new String[] {"1", "3", "4"}, request.getParameterValues("a"));
            assertEquals("1", request.getParameter("a"));
            assertEquals("2", request.getParameter("b"));
            assertEquals("", request.getParameter("c"), "a name without '=' has an empty value");
            assertNull(request.getParameter("d"));
            assertEquals(List.of("a", "b", "c"), Collections.list(request.getParameterNames()));
            assertThrows(UnsupportedOperationException.class, () -> request.getParameterMap().put("x", null));
        }

        @Test
        void percentDecodesWithTheRequestsCharset() {
            assertEquals("Zo\u00eb & \u6771",
                    form("name=Zo%C3%AB+%26+%E6%9D%B1", "UTF-8", Map.of()).getParameter("name"));
            assertEquals("Zo\u00eb", form("name=Zo%EB", "ISO-8859-1", Map.of()).getParameter("name"));
            assertEquals("Zo\u00eb", form("name=Zo%EB", null, Map.of()).getParameter("name"),
                    "ISO-8859-1 when none is given, as Tomcat does");
            assertEquals("a+b c", form("%61%2Bb+c=a%2bb+c", null, Map.of()).getParameter("a+b c"));
        }

        @Test
        void skipsAPairWithABrokenEscape() {
            VerifiedRequest request = form("bad=%G1&also=%4&ok=1&end=%", null, Map.of());

            assertEquals(List.of("ok"), Collections.list(request.getParameterNames()));
        }

        @Test
        void areOnlyTheQuerysOnceTheApplicationReadTheBody() throws IOException {
            Map<String, String[]> query = Map.of("q", new String[] {"1"});
            VerifiedRequest request = form("a=1", null, query);

            request.getInputStream();

            assertEquals(query, request.getParameterMap());
        }

        @Test
        void areOnlyTheQuerysForAnotherContentType() {
            HttpServletRequest json = request("application/json", null);
            byte[] body = "a=1".getBytes(StandardCharsets.US_ASCII);

            assertNull(new VerifiedRequest(json, body, 3).getParameter("a"));
            HttpServletRequest formLookalike = request(FORM + "-extra", null);
            assertNull(new VerifiedRequest(formLookalike, body, 3).getParameter("a"));
        }

        @Test
        void leaveTheBodyReadableAsBytes() throws IOException {
            VerifiedRequest request = form("a=%41", null, Map.of());

            assertEquals("A", request.getParameter("a"));
            assertArrayEquals("a=%41".getBytes(StandardCharsets.US_ASCII), request.getInputStream().readAllBytes());
        }
    }

    @Test
    void reportsTheBuffersLengthAsContentLength() {
        byte[] buffer = new byte[100];
        VerifiedRequest request = new VerifiedRequest(request(null, null), buffer, 42);

        assertEquals(42, request.getContentLength());
        assertEquals(42L, request.getContentLengthLong());
    }
}
