package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.lang.management.ManagementFactory;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VerifiedRequestTest {

    private final HttpServletRequest wrapped = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    /**
     * A wrapper over {@code body}, read as the filter reads a chunked body: into chunks whose last has room
     * past the body's end, and several chunks once the body is over 8 KiB.
     */
    private VerifiedRequest request(byte[] body) {
        return wrap(buffered(-1, body));
    }

    /** A wrapper over {@code body} read as the filter reads one whose Content-Length was declared. */
    private VerifiedRequest declared(byte[] body) {
        return wrap(buffered(body.length, body));
    }

    /** The wrapper the filter passes on for a body it read into {@code buffered}. */
    private VerifiedRequest wrap(BufferedBody buffered) {
        return new VerifiedRequest(wrapped, buffered, response, null, null);
    }

    /**
     * {@code body} read by the filter's buffer, its length declared or, with -1, not, with the room the filter takes
     * for a form's parameters ({@link FormBody#hold} says how much) before the application runs.
     */
    private static BufferedBody buffered(long declaredLength, byte[] body) {
        BufferedBody buffered = BufferedBody.read(declaredLength, body, ByteArrayInputStream::new, 1 << 20,
                new BodyBudget(1 << 30));
        assertTrue(buffered.isComplete());
        assertTrue(buffered.holdMore(0));
        return buffered;
    }

    /** {@code length} bytes that differ from their neighbours, so that a byte served twice or skipped shows. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Who verified a request, found on a later dispatch by unwrapping the request it carries, or, when that is the
     * container's own (an error dispatch), from the record on it.
     */
    @Nested
    class VerifiedBy {

        private final WebhookSignatureFilter self = filter();
        private final WebhookSignatureFilter other = filter();

        private WebhookSignatureFilter filter() {
            return WebhookSignatureFilter.builder().secrets("whsec_verified_by_test").build();
        }

        private VerifiedRequest by(WebhookSignatureFilter filter, HttpServletRequest request) {
            return by(filter, request, null);
        }

        private VerifiedRequest by(WebhookSignatureFilter filter, HttpServletRequest request, VerifiedRequest earlier) {
            return new VerifiedRequest(request, buffered(1, new byte[] {1}), response, filter, earlier);
        }

        /** Records {@code record} on the container's request, as the filter does through its wrappers. */
        private void record(Object record) {
            when(wrapped.getAttribute(VerifiedRequest.RECORD_ATTRIBUTE)).thenReturn(record);
        }

        @Test
        void aRequestNoFilterWrappedOrRecordedSaysNothing() {
            for (HttpServletRequest request : List.of(wrapped, new HttpServletRequestWrapper(wrapped))) {
                assertNull(VerifiedRequest.lastVerified(request));
                assertNull(VerifiedRequest.recorded(request));
                assertFalse(VerifiedRequest.isVerifiedBy(request, self));
            }
        }

        @Test
        void anotherFiltersRequestIsFound_throughTheApplicationsWrappers() {
            VerifiedRequest byOther = by(other, wrapped);
            assertSame(byOther, VerifiedRequest.lastVerified(byOther));
            HttpServletRequest wrappedTwice = new HttpServletRequestWrapper(new HttpServletRequestWrapper(byOther));
            assertSame(byOther, VerifiedRequest.lastVerified(wrappedTwice));
            assertFalse(VerifiedRequest.isVerifiedBy(wrappedTwice, self));
            assertTrue(VerifiedRequest.isVerifiedBy(wrappedTwice, other));
        }

        @Test
        void itsOwnRequestAnywhereInTheChainIsVerifiedAlready() {
            VerifiedRequest bySelf = by(self, wrapped);
            VerifiedRequest byOtherAround = by(other, new HttpServletRequestWrapper(bySelf));
            assertTrue(VerifiedRequest.isVerifiedBy(bySelf, self));
            assertTrue(VerifiedRequest.isVerifiedBy(byOtherAround, self), "under another filter's wrapper");
            assertTrue(VerifiedRequest.isVerifiedBy(byOtherAround, other));
        }

        @Test
        void ofTwoOtherFiltersTheOutermostIsChecked() {
            VerifiedRequest twice = by(filter(), by(other, wrapped));
            assertSame(twice, VerifiedRequest.lastVerified(twice));
            assertFalse(VerifiedRequest.isVerifiedBy(twice, self));
        }

        /** An error dispatch carries the container's request: the record on it says who verified it. */
        @Test
        void theContainersRequestIsKnownByItsRecord() {
            VerifiedRequest byOther = by(other, wrapped);
            record(byOther);
            assertSame(byOther, VerifiedRequest.recorded(wrapped));
            assertSame(byOther, VerifiedRequest.lastVerified(wrapped));
            assertSame(byOther, VerifiedRequest.lastVerified(new HttpServletRequestWrapper(wrapped)));
            assertTrue(VerifiedRequest.isVerifiedBy(wrapped, other));
            assertFalse(VerifiedRequest.isVerifiedBy(wrapped, self));
        }

        /** Two filters of one request's path, the inner one's wrapper around the outer one's, recorded last. */
        @Test
        void theRecordsChainHoldsTheFiltersBeforeIt() {
            record(by(other, new HttpServletRequestWrapper(by(self, wrapped))));
            assertTrue(VerifiedRequest.isVerifiedBy(wrapped, self));
            assertTrue(VerifiedRequest.isVerifiedBy(wrapped, other));
            assertFalse(VerifiedRequest.isVerifiedBy(wrapped, filter()));
        }

        /**
         * A filter that checked an error dispatch again made its wrapper around the container's request, whose chain
         * has no other: the record it found then is remembered, however deep.
         */
        @Test
        void aRecordBeforeACheckAgainIsRemembered() {
            WebhookSignatureFilter third = filter();
            VerifiedRequest checkedTwice = by(third, wrapped, by(other, wrapped, by(self, wrapped)));
            assertTrue(VerifiedRequest.isVerifiedBy(checkedTwice, self));
            assertTrue(VerifiedRequest.isVerifiedBy(checkedTwice, other));
            assertFalse(VerifiedRequest.isVerifiedBy(checkedTwice, filter()));
            record(checkedTwice);
            assertTrue(VerifiedRequest.isVerifiedBy(wrapped, self), "the record's own record before it");
        }

        @Test
        void aWrapperInTheDispatchComesBeforeTheRecord() {
            VerifiedRequest forwarded = by(other, wrapped);
            record(by(filter(), wrapped));
            assertSame(forwarded, VerifiedRequest.lastVerified(new HttpServletRequestWrapper(forwarded)));
        }

        /** Anyone may set an attribute of that name; only the filter's own wrapper is a record. */
        @Test
        void anythingElseUnderTheRecordsNameIsNoRecord() {
            record("dev.webhookfilter.servlet.VerifiedRequest");
            assertNull(VerifiedRequest.recorded(wrapped));
            assertNull(VerifiedRequest.lastVerified(wrapped));
            assertFalse(VerifiedRequest.isVerifiedBy(wrapped, self));
        }

        @Test
        void theRecordsNameIsPrivateToTheLibrary_andItsValueSaysNothing() {
            assertEquals("dev.webhookfilter.servlet.VerifiedRequest", VerifiedRequest.RECORD_ATTRIBUTE);
            VerifiedRequest record = new VerifiedRequest(wrapped, buffered(5, ascii("{\"a\"}")), response, self, null);
            assertEquals("dev.webhookfilter.servlet.VerifiedRequest@" + Integer.toHexString(System.identityHashCode(record)),
                    record.toString(), "Object's: no body, no filter, no secret");
        }
    }

    @Nested
    class LargeBody {

        private final byte[] body = pattern(40_000);

        @Test
        void readsWholeAcrossChunks() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            byte[] read = new byte[body.length];
            int at = 0;
            for (int n; (n = in.read(read, at, Math.min(5000, read.length - at))) > 0; ) {
                at += n;
            }
            assertEquals(body.length, at);
            assertArrayEquals(body, read);
            assertEquals(-1, in.read());
            assertTrue(in.isFinished());
        }

        @Test
        void readsByteByByteAcrossAChunkBoundary() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            assertEquals(8190, in.skip(8190));
            for (int i = 8190; i < 8200; i++) {
                assertEquals(body[i] & 0xff, in.read(), "byte " + i);
            }
            assertEquals(body.length - 8200, in.available());
        }

        @Test
        void skipsAcrossChunksThenReadsTheRest() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            assertEquals(20_000, in.skip(20_000));
            assertArrayEquals(Arrays.copyOfRange(body, 20_000, body.length), in.readAllBytes());
            assertEquals(0, in.skip(1));
        }

        /** A skip that starts inside a chunk and ends inside a later one lands on the byte it says. */
        @Test
        void skipsFromInsideAChunkIntoTheNextOnes() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            assertEquals(10, in.read(new byte[10]));
            assertEquals(8190, in.skip(8190)); // from 10, in the first chunk of 8192, to 8200, in the second
            assertEquals(body[8200] & 0xff, in.read());
            assertEquals(10_000, in.skip(10_000)); // from 8201 to 18201, in the third
            assertArrayEquals(Arrays.copyOfRange(body, 18_201, body.length), in.readAllBytes());
        }

        @Test
        void transferToWritesEachChunkAsItIs() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            List<Integer> writes = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public void write(byte[] bytes, int offset, int length) {
                    writes.add(length);
                    super.write(bytes, offset, length);
                }
            };
            assertEquals(body.length, in.transferTo(out));
            assertArrayEquals(body, out.toByteArray());
            // The chunks (8 KiB, 8 KiB, 16 KiB, the rest), not the 8 KiB buffer InputStream.transferTo writes through.
            assertEquals(List.of(8192, 8192, 16384, body.length - 32768), writes);
            assertEquals(-1, in.read());
            assertEquals(0, in.transferTo(out));
        }

        @Test
        void transferToAfterASkipWritesTheRest() throws IOException {
            ServletInputStream in = request(body).getInputStream();
            assertEquals(10_000, in.skip(10_000));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(body.length - 10_000, in.transferTo(out));
            assertArrayEquals(Arrays.copyOfRange(body, 10_000, body.length), out.toByteArray());
            assertTrue(in.isFinished());
        }

        @Test
        void readAllBytesOfADeclaredBodyOfSeveralChunksIsTheWholeBody() throws IOException {
            assertArrayEquals(body, declared(body).getInputStream().readAllBytes());
        }

        @Test
        void readerDecodesACharacterSplitByAChunkBoundary() throws IOException {
            byte[] text = new byte[8192 + 4];
            Arrays.fill(text, (byte) 'a');
            byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8); // three bytes, the boundary after the first
            System.arraycopy(euro, 0, text, 8191, euro.length);
            when(wrapped.getCharacterEncoding()).thenReturn("UTF-8");
            String read = request(text).getReader().lines().reduce("", String::concat);
            assertEquals("a".repeat(8191) + "\u20ac" + "a".repeat(2), read);
        }

        @Test
        void aLargeFormBodyIsDecoded() {
            String value = "v".repeat(10_000);
            when(wrapped.getMethod()).thenReturn("POST");
            when(wrapped.getContentType()).thenReturn("application/x-www-form-urlencoded");
            when(wrapped.getParameterMap()).thenReturn(Map.of());
            VerifiedRequest request = request(ascii("a=1&b=" + value + "&c=3"));
            assertEquals("1", request.getParameter("a"));
            assertEquals(value, request.getParameter("b"));
            assertEquals("3", request.getParameter("c"));
        }
    }

    @Nested
    class Stream {

        @Test
        void readsByteByByteThenEnds() throws IOException {
            ServletInputStream in = request(new byte[] {'a', (byte) 0xff}).getInputStream();
            assertEquals(2, in.available());
            assertFalse(in.isFinished());
            assertTrue(in.isReady());
            assertEquals('a', in.read());
            assertEquals(0xff, in.read(), "unsigned");
            assertEquals(-1, in.read(), "nothing past the length");
            assertEquals(0, in.available());
            assertTrue(in.isFinished());
        }

        @Test
        void readsIntoArrays() throws IOException {
            ServletInputStream in = request(ascii("hello world")).getInputStream();
            byte[] target = new byte[8];
            assertEquals(5, in.read(target, 1, 5));
            assertEquals("\0hello\0\0", new String(target, StandardCharsets.ISO_8859_1));
            assertEquals(0, in.read(target, 0, 0));
            assertEquals(6, in.read(target));
            assertEquals(" world", new String(target, 0, 6, StandardCharsets.ISO_8859_1));
            assertEquals(-1, in.read(target));
            assertEquals(0, in.read(target, 0, 0), "a zero-length read is 0 even at the end");
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(target, 5, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(target, -1, 1));
        }

        @Test
        void readAllBytesReturnsTheRest() throws IOException {
            ServletInputStream in = request(ascii("abcdef")).getInputStream();
            assertEquals('a', in.read());
            assertArrayEquals(ascii("bcdef"), in.readAllBytes());
            assertTrue(in.isFinished());
            assertArrayEquals(new byte[0], in.readAllBytes());
            assertEquals(-1, in.read());
        }

        @Test
        void readAllBytesHandsOverADeclaredBodyHeldInOneChunk() throws IOException {
            byte[] body = pattern(1024);
            BufferedBody buffered = buffered(body.length, body);
            ServletInputStream in = wrap(buffered).getInputStream();
            byte[] read = in.readAllBytes();
            assertSame(buffered.chunk(0), read, "the chunk itself, not a copy");
            assertArrayEquals(body, read);
            assertTrue(in.isFinished());
            assertEquals(-1, in.read());
            assertArrayEquals(new byte[0], in.readAllBytes());
        }

        @Test
        void readAllBytesCopiesWhatIsLeftOfADeclaredBody() throws IOException {
            ServletInputStream in = declared(ascii("abcdef")).getInputStream();
            assertEquals('a', in.read());
            assertArrayEquals(ascii("bcdef"), in.readAllBytes());
        }

        @Test
        void readNBytesReadsWhatIsAskedThenWhatIsLeft() throws IOException {
            ServletInputStream in = declared(ascii("abcdef")).getInputStream();
            assertArrayEquals(ascii("ab"), in.readNBytes(2));
            assertArrayEquals(ascii("cdef"), in.readNBytes(100));
            assertArrayEquals(new byte[0], in.readNBytes(1));
            assertThrows(IllegalArgumentException.class, () -> in.readNBytes(-1));
            // InputStream's contract: none asked, none given, and no error.
            assertArrayEquals(new byte[0], declared(ascii("abcdef")).getInputStream().readNBytes(0));
        }

        @Test
        void readNBytesOfAtLeastTheWholeBodyHandsItOver() throws IOException {
            byte[] body = pattern(100);
            BufferedBody buffered = buffered(body.length, body);
            byte[] read = wrap(buffered).getInputStream().readNBytes(body.length);
            assertSame(buffered.chunk(0), read);
            assertArrayEquals(body, read);
        }

        @Test
        void skipsWithinTheBody() throws IOException {
            ServletInputStream in = request(ascii("abcdef")).getInputStream();
            assertEquals(0, in.skip(-4));
            assertEquals(2, in.skip(2));
            assertEquals('c', in.read());
            assertEquals(3, in.skip(100));
            assertEquals(0, in.skip(1));
            assertEquals(-1, in.read());
        }

        @Test
        void anEmptyBodyIsFinishedAtOnce() throws IOException {
            ServletInputStream in = request(new byte[0]).getInputStream();
            assertTrue(in.isFinished());
            assertEquals(0, in.available());
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[4], 0, 4));
        }

        @Test
        void isTheSameStreamEachTime() {
            VerifiedRequest request = request(ascii("x"));
            assertSame(request.getInputStream(), request.getInputStream());
        }

        @Test
        void excludesTheReader() throws IOException {
            VerifiedRequest request = request(ascii("x"));
            request.getInputStream();
            assertThrows(IllegalStateException.class, request::getReader);
            VerifiedRequest other = request(ascii("x"));
            other.getReader();
            assertThrows(IllegalStateException.class, other::getInputStream);
        }

        @Test
        void contentLengthIsTheBuffersLength() {
            when(wrapped.getContentLength()).thenReturn(-1);
            when(wrapped.getContentLengthLong()).thenReturn(-1L);
            VerifiedRequest request = request(ascii("abc"));
            assertEquals(3, request.getContentLength());
            assertEquals(3L, request.getContentLengthLong());
        }
    }

    @Nested
    class Reader {

        private String readAll(BufferedReader reader) throws IOException {
            StringBuilder text = new StringBuilder();
            int c;
            while ((c = reader.read()) >= 0) {
                text.append((char) c);
            }
            return text.toString();
        }

        @Test
        void withoutACharsetReadsIso88591() throws IOException {
            assertEquals("café", readAll(request(new byte[] {'c', 'a', 'f', (byte) 0xe9}).getReader()));
        }

        @Test
        void honoursTheRequestCharset() throws IOException {
            when(wrapped.getCharacterEncoding()).thenReturn(" UTF-8 ");
            assertEquals("café ✓", readAll(request("café ✓".getBytes(StandardCharsets.UTF_8)).getReader()));
        }

        @Test
        void honoursACharsetSetOnTheWrapper() throws IOException {
            VerifiedRequest request = request("日本".getBytes(StandardCharsets.UTF_16BE));
            request.setCharacterEncoding("UTF-16BE");
            assertEquals("UTF-16BE", request.getCharacterEncoding());
            verify(wrapped).setCharacterEncoding("UTF-16BE");
            assertEquals("日本", readAll(request.getReader()));
        }

        @Test
        void honoursACharsetObject() throws IOException {
            VerifiedRequest request = request("ü".getBytes(StandardCharsets.UTF_8));
            request.setCharacterEncoding(StandardCharsets.UTF_8);
            assertEquals("UTF-8", request.getCharacterEncoding());
            assertEquals("ü", readAll(request.getReader()));
        }

        @Test
        void aCharsetSetAfterTheReaderHasNoEffect() throws IOException {
            VerifiedRequest request = request(new byte[] {(byte) 0xe9});
            BufferedReader reader = request.getReader();
            request.setCharacterEncoding("UTF-8");
            assertNull(request.getCharacterEncoding());
            verify(wrapped, never()).setCharacterEncoding("UTF-8");
            assertSame(reader, request.getReader());
            assertEquals("é", readAll(reader));
        }

        @Test
        void refusesAnUnknownCharset() throws IOException {
            VerifiedRequest request = request(ascii("x"));
            assertThrows(UnsupportedEncodingException.class, () -> request.setCharacterEncoding("no-such-charset"));
            assertThrows(UnsupportedEncodingException.class, () -> request.setCharacterEncoding("bad name!"));
            assertThrows(UnsupportedEncodingException.class, () -> request.setCharacterEncoding((String) null));
            verify(wrapped, never()).setCharacterEncoding(any(String.class));
            when(wrapped.getCharacterEncoding()).thenReturn("no-such-charset");
            assertThrows(UnsupportedEncodingException.class, request::getReader);
        }

        @Test
        void servesOnlyTheBodysLength() throws IOException {
            assertEquals("ab", readAll(request(ascii("ab")).getReader()));
        }
    }

    @Nested
    class Parameters {

        private static final String FORM = "application/x-www-form-urlencoded";

        private VerifiedRequest form(String method, String contentType, byte[] body, Map<String, String[]> query) {
            when(wrapped.getMethod()).thenReturn(method);
            when(wrapped.getContentType()).thenReturn(contentType);
            when(wrapped.getParameterMap()).thenReturn(query);
            return request(body);
        }

        private void onServer(String serverInfo) {
            ServletContext context = mock(ServletContext.class);
            when(context.getServerInfo()).thenReturn(serverInfo);
            when(wrapped.getServletContext()).thenReturn(context);
        }

        /**
         * Forwarded into another endpoint's path, the wrapper of that endpoint's filter wraps the first (through the
         * container's dispatch wrapper, which passes the first's parameters on) over the same bytes, lent: the body's
         * pairs come once, decoded once, within the room the first filter took for them.
         */
        @Test
        void aFormForwardedIntoAnotherEndpointHasItsPairsOnce() {
            VerifiedRequest first = form("POST", FORM, ascii("b=2&b=3"), Map.of("a", new String[] {"1"}));
            HttpServletRequestWrapper dispatch = new HttpServletRequestWrapper(first);
            VerifiedRequest second = new VerifiedRequest(dispatch, first.body().lentTo(1 << 20), response, null, null);
            assertArrayEquals(new String[] {"2", "3"}, second.getParameterValues("b"));
            assertArrayEquals(new String[] {"1"}, second.getParameterValues("a"));
            assertSame(first.getParameterMap().get("b")[0], second.getParameterMap().get("b")[0], "decoded once");
        }

        /** Two filters on overlapping paths: the second reads the body through the first's stream, which then has none. */
        @Test
        void aFormVerifiedByTwoOverlappingFiltersHasItsPairsOnce() throws IOException {
            VerifiedRequest first = form("POST", FORM, ascii("b=2&b=3"), Map.of("a", new String[] {"1"}));
            BufferedBody reread = BufferedBody.read(-1, first, VerifiedRequest::getInputStream, 1 << 20, new BodyBudget(1 << 20));
            assertTrue(reread.holdMore(0));
            VerifiedRequest second = new VerifiedRequest(first, reread, response, null, null);
            assertArrayEquals(new String[] {"2", "3"}, second.getParameterValues("b"));
            assertArrayEquals(new String[] {"1"}, second.getParameterValues("a"));
        }

        @Test
        void mergesQueryThenBody() {
            VerifiedRequest request = form("POST", FORM, ascii("b=2&a=3&c=4&a=5"),
                    Map.of("a", new String[] {"1"}));
            assertArrayEquals(new String[] {"1", "3", "5"}, request.getParameterValues("a"));
            assertEquals("1", request.getParameter("a"));
            assertEquals("2", request.getParameter("b"));
            assertNull(request.getParameter("missing"));
            assertNull(request.getParameterValues("missing"));
            assertEquals(List.of("a", "b", "c"), Collections.list(request.getParameterNames()));
            assertEquals(3, request.getParameterMap().size());
        }

        @Test
        void decodesEscapesAndPlus() {
            VerifiedRequest request = form("POST", FORM, ascii("name=J%C3%BCrgen+M%c3%bcller&x%3D=%26"), Map.of());
            when(wrapped.getCharacterEncoding()).thenReturn("UTF-8");
            assertEquals("Jürgen Müller", request.getParameter("name"));
            assertEquals("&", request.getParameter("x="));
        }

        @Test
        void theMapCannotBeChangedNorItsValues() {
            String[] query = {"1"};
            VerifiedRequest request = form("POST", FORM, ascii("a=2"), Map.of("a", query));
            assertThrows(UnsupportedOperationException.class, () -> request.getParameterMap().put("b", new String[0]));
            request.getParameterValues("a")[0] = "changed";
            assertEquals("1", request.getParameter("a"));
            assertEquals("1", query[0], "the container's array is not shared");
            request.getParameterMap().get("a")[0] = "x";
            assertEquals("1", query[0]);
        }

        /**
         * Two threads that ask for a form's parameters at once, each before the other has them (both wait for the other
         * as they ask for the query's, which comes first), get the same ones, decoded once: decoded twice, they cost twice
         * the room the filter took for them.
         */
        @Test
        void twoThreadsAskingAtOnceGetThemDecodedOnce() throws Exception {
            VerifiedRequest request = form("POST", FORM, ascii("a=1&b=2"), Map.of());
            CyclicBarrier bothAsking = new CyclicBarrier(2);
            when(wrapped.getParameterMap()).thenAnswer(i -> {
                bothAsking.await(10, TimeUnit.SECONDS);
                return Map.of();
            });
            CompletableFuture<Map<String, String[]>> other = CompletableFuture.supplyAsync(request::getParameterMap);
            Map<String, String[]> mine = request.getParameterMap();
            assertSame(mine, other.get(10, TimeUnit.SECONDS), "decoded once");
            assertEquals("1", mine.get("a")[0]);
        }

        /**
         * A form whose body holds no room for its parameters (lent by a filter that did not take the request for a form)
         * is not decoded: nothing would bound what that takes.
         */
        @Test
        void aFormWithoutRoomForItsParametersIsNotDecoded() {
            when(wrapped.getMethod()).thenReturn("POST");
            when(wrapped.getContentType()).thenReturn(FORM);
            when(wrapped.getParameterMap()).thenReturn(Map.of("q", new String[] {"2"}));
            VerifiedRequest request = wrap(BufferedBody.read(3, ascii("a=1"), ByteArrayInputStream::new, 1 << 20,
                    new BodyBudget(1 << 20)));
            assertNull(request.getParameter("a"));
            assertEquals("2", request.getParameter("q"));
        }

        @Test
        void isComputedOnce() {
            VerifiedRequest request = form("POST", FORM, ascii("a=1"), Map.of());
            assertSame(request.getParameterMap(), request.getParameterMap());
            verify(wrapped, org.mockito.Mockito.times(1)).getParameterMap();
        }

        @ParameterizedTest
        @ValueSource(strings = {FORM, "application/x-www-form-urlencoded;charset=ISO-8859-1",
                "application/x-www-form-urlencoded ; charset=ISO-8859-1", "Application/X-WWW-Form-URLEncoded",
                "application/x-www-form-urlencoded\t; charset=ISO-8859-1"})
        void readsFormContentTypes(String contentType) {
            assertEquals("1", form("POST", contentType, ascii("a=1"), Map.of()).getParameter("a"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json", "application/x-www-form-urlencodedX", "application/x-www-form",
                "multipart/form-data"})
        void ignoresOtherContentTypes(String contentType) {
            VerifiedRequest request = form("POST", contentType, ascii("a=1"), Map.of("q", new String[] {"2"}));
            assertNull(request.getParameter("a"));
            assertEquals("2", request.getParameter("q"));
        }

        @Test
        void ignoresAMissingContentType() {
            assertNull(form("POST", null, ascii("a=1"), Map.of()).getParameter("a"));
        }

        @Test
        void ignoresGetAndPutOnTomcat() {
            assertNull(form("GET", FORM, ascii("a=1"), Map.of()).getParameter("a"));
            onServer("Apache Tomcat/11.0.27");
            assertNull(form("PUT", FORM, ascii("a=1"), Map.of()).getParameter("a"));
        }

        @Test
        void readsPutOnJetty() {
            onServer("jetty/12.1.14");
            assertEquals("1", form("PUT", FORM, ascii("a=1"), Map.of()).getParameter("a"));
        }

        @Test
        void aContextWithoutServerInfoIsNotJetty() {
            onServer(null);
            assertNull(form("PUT", FORM, ascii("a=1"), Map.of()).getParameter("a"));
        }

        @Test
        void decodesWithoutACharsetAsTheContainerWould() {
            byte[] body = ascii("a=%C3%A9");
            assertEquals("Ã©", form("POST", FORM, body, Map.of()).getParameter("a"), "Tomcat: ISO-8859-1");
            onServer("JETTY 12");
            assertEquals("é", form("POST", FORM, body, Map.of()).getParameter("a"), "Jetty: UTF-8");
        }

        @Test
        void anUnknownCharsetFallsBackToTheDefault() {
            when(wrapped.getCharacterEncoding()).thenReturn("no-such-charset");
            assertEquals("Ã©", form("POST", FORM, ascii("a=%C3%A9"), Map.of()).getParameter("a"));
        }

        /**
         * Jetty 12.1 throws from getContentType and getCharacterEncoding for a charset Java lacks, or a name that is
         * none, which the client sends: the header as sent says it is a form, decoded in the default charset.
         */
        @ParameterizedTest
        @ValueSource(strings = {"no-such-charset", "bad name!"})
        void aCharsetTheContainerThrowsForFallsBackToTheDefault(String charset) {
            VerifiedRequest request = form("POST", null, ascii("a=%C3%A9"), Map.of());
            IllegalArgumentException thrown = charset.contains(" ") ? new IllegalCharsetNameException(charset)
                    : new UnsupportedCharsetException(charset);
            doThrow(thrown).when(wrapped).getContentType();
            doThrow(thrown).when(wrapped).getCharacterEncoding();
            when(wrapped.getHeader("Content-Type")).thenReturn(FORM + "; charset=" + charset);
            assertTrue(VerifiedRequest.isFormPost(request));
            assertEquals(StandardCharsets.ISO_8859_1, VerifiedRequest.formCharset(request));
            assertEquals("Ã©", request.getParameter("a"));
        }

        @Test
        void decodingLeavesTheSignedBytesAsTheyWere() throws IOException {
            byte[] body = ascii("a=%41+b&c%3D=1");
            when(wrapped.getMethod()).thenReturn("POST");
            when(wrapped.getContentType()).thenReturn(FORM);
            when(wrapped.getParameterMap()).thenReturn(Map.of());
            VerifiedRequest request = declared(body.clone()); // one chunk, the body's own array
            assertEquals("A b", request.getParameter("a"));
            assertEquals("1", request.getParameter("c="));
            assertArrayEquals(body, request.body().copy(0));
        }

        /**
         * What decoding a form allocates, measured on this thread, stays within what the filter takes from the budget
         * for it before the application runs ({@link FormBody#hold}), for the costliest shapes up to the 1000 pairs let
         * through: 5 bytes a body byte and 320 a pair in ISO-8859-1 and UTF-8, which String decodes itself; 10 bytes a
         * byte and 10 KiB a pair in another charset, which makes a decoder for each string (x-JISAutoDetect's the
         * costliest, GB18030's the costliest for long text). Without the cap on pairs, {@code 0&1&...} cost 55 bytes a
         * byte in ISO-8859-1, 57 MB for a body of 1 MiB.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "1000 names|ISO-8859-1|5|320",
                "1000 names, empty values|GB18030|10|10240",
                "1000 names, values of 0x80 bytes|x-JISAutoDetect|10|10240",
                "1000 names, values of 0x80 bytes|UTF-8|5|320",
                "one name 1000 times|ISO-8859-1|5|320",
                "one value of 0x80 bytes|GB18030|10|10240",
                "one value of 0x80 bytes|x-JISAutoDetect|10|10240",
                "one name 1000 times, values of 0xa1 bytes|x-JISAutoDetect|10|10240",
                "a value of 16 KiB, then one name 999 times, values of 0xa1 bytes|x-JISAutoDetect|10|10240",
                "one value of 0xff bytes|UTF-8|5|320"})
        void decodingAllocatesNoMoreThanTheFilterHoldsForIt(String shape, String charset, int perByte, int perPair) {
            StringBuilder text = new StringBuilder();
            if (shape.startsWith("1000 names")) {
                for (int i = 0; i < 1000; i++) {
                    text.append(i == 0 ? "" : "&").append(Integer.toString(i, 36))
                            .append(shape.contains("empty") ? "=" : shape.contains("0x80") ? "=\u0080\u0080" : "");
                }
            } else if (shape.endsWith("one name 1000 times, values of 0xa1 bytes")) {
                // Bytes x-JISAutoDetect must tell EUC-JP from Shift_JIS by: its decoder and those it tries, 5 KB a string.
                text.append("\u00a1=\u00a1").append("&\u00a1=\u00a1".repeat(999));
            } else if (shape.endsWith("then one name 999 times, values of 0xa1 bytes")) {
                // Far into the body: x-JISAutoDetect sizes its buffers by where the bytes end in their array.
                text.append("a=").append("b".repeat(16 * 1024)).append("&\u00a1=\u00a1".repeat(999));
            } else if (shape.startsWith("one name")) {
                text.append("a").append("&a".repeat(999));
            }
            byte[] body = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (shape.startsWith("one value")) {
                body = new byte[1 << 16];
                Arrays.fill(body, (byte) (shape.contains("0x80") ? 0x80 : 0xff));
                body[0] = 'a';
                body[1] = '=';
            }
            int pairs = shape.startsWith("one value") ? 1 : 1000;
            when(wrapped.getCharacterEncoding()).thenReturn(charset);
            form("POST", FORM, body, Map.of()).getParameterMap(); // classes loaded, code compiled
            // What a wrapper of mocks allocates to decode nothing, taken off.
            long harness = allocatedBy(form("POST", FORM, new byte[0], Map.of()));
            long allocated = allocatedBy(form("POST", FORM, body, Map.of())) - harness;
            assertTrue(allocated <= (long) perByte * body.length + (long) perPair * pairs, allocated
                    + " bytes allocated for " + body.length + " bytes in " + pairs + " pairs");
        }

        private long allocatedBy(VerifiedRequest request) {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            Map<String, String[]> parameters = request.getParameterMap();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertFalse(parameters.isEmpty() && request.getContentLength() > 0, "decoded");
            return allocated;
        }

        @Test
        void aBodyReadByTheApplicationIsNotParsed() throws IOException {
            VerifiedRequest streamed = form("POST", FORM, ascii("a=1"), Map.of("q", new String[] {"2"}));
            streamed.getInputStream();
            assertNull(streamed.getParameter("a"));
            assertEquals("2", streamed.getParameter("q"));
            VerifiedRequest read = form("POST", FORM, ascii("a=1"), Map.of());
            read.getReader();
            assertNull(read.getParameter("a"));
        }
    }

    /** The container would parse parts from the stream the filter read to its end: none, or a failure taken for another. */
    @Test
    void partsAreRefusedSayingWhereTheVerifiedBytesAre() throws Exception {
        when(wrapped.getContentType()).thenReturn("multipart/form-data; boundary=x");
        when(wrapped.getParts()).thenReturn(List.of());
        VerifiedRequest request = request(ascii("--x--\r\n"));

        ServletException all = assertThrows(ServletException.class, request::getParts);
        ServletException one = assertThrows(ServletException.class, () -> request.getPart("file"));

        assertTrue(all.getMessage().contains("getInputStream()"), all.getMessage());
        assertEquals(all.getMessage(), one.getMessage());
        verify(wrapped, never()).getParts();
        verify(wrapped, never()).getPart("file");
    }

    @Test
    void startAsyncStartsWithThisRequestSoThatADispatchCarriesTheBody() {
        AsyncContext async = mock(AsyncContext.class);
        VerifiedRequest request = request(ascii("abc"));
        when(wrapped.startAsync(request, response)).thenReturn(async);
        assertSame(async, request.startAsync());
        verify(wrapped, never()).startAsync();
    }

    @Nested
    class ReadListeners {

        private final List<String> events = new ArrayList<>();

        private VerifiedRequest asyncRequest(byte[] body) {
            AsyncContext async = mock(AsyncContext.class);
            doAnswer(invocation -> {
                events.add("container thread");
                invocation.<Runnable>getArgument(0).run();
                return null;
            }).when(async).start(any());
            when(wrapped.isAsyncStarted()).thenReturn(true);
            when(wrapped.getAsyncContext()).thenReturn(async);
            return request(body);
        }

        /** What a listener does when data is available. */
        interface OnData {
            void run(ServletInputStream in) throws IOException;
        }

        private ReadListener listener(ServletInputStream in, OnData onData) {
            return new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    events.add("data available: " + in.available());
                    onData.run(in);
                }

                @Override
                public void onAllDataRead() {
                    events.add("all data read");
                }

                @Override
                public void onError(Throwable t) {
                    events.add("error: " + t.getMessage());
                }
            };
        }

        private ReadListener reading(ServletInputStream in) {
            return listener(in, ServletInputStream::readAllBytes);
        }

        @Test
        void aListenerIsToldOfTheDataThenOfItsEnd() {
            ServletInputStream in = asyncRequest(ascii("abc")).getInputStream();
            in.setReadListener(reading(in));
            assertEquals(List.of("container thread", "data available: 3", "all data read"), events);
        }

        @Test
        void aListenerThatDoesNotReadIsNotToldOfTheEnd() {
            ServletInputStream in = asyncRequest(ascii("abc")).getInputStream();
            in.setReadListener(listener(in, stream -> { }));
            assertEquals(List.of("container thread", "data available: 3"), events);
        }

        @Test
        void anEmptyBodyGoesStraightToTheEnd() {
            ServletInputStream in = asyncRequest(new byte[0]).getInputStream();
            in.setReadListener(reading(in));
            assertEquals(List.of("container thread", "all data read"), events);
        }

        @Test
        void aFailingListenerGetsOnError() {
            ServletInputStream in = asyncRequest(ascii("abc")).getInputStream();
            in.setReadListener(listener(in, stream -> {
                throw new IOException("the application failed");
            }));
            assertEquals(List.of("container thread", "data available: 3", "error: the application failed"), events);
        }

        /**
         * A container calls a listener set during {@code service()} once the dispatch has returned, never while it
         * runs: the wrapper waits for the filter's chain to return. It called the listener at once, from another
         * thread, while the application was still setting up in {@code service()} (on Tomcat 11 and Jetty 12 both).
         */
        @Test
        void aListenerSetWhileTheChainRunsIsCalledOnceItReturned() {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(reading(in));
            assertEquals(List.of(), events);
            request.chainReturned();
            assertEquals(List.of("container thread", "data available: 3", "all data read"), events);
        }

        /** A forward or an async dispatch runs the chain again, inside the first or after it. */
        @Test
        void aListenerSetInANestedChainWaitsForTheOutermost() {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(reading(in));
            request.chainReturned();
            assertEquals(List.of(), events);
            request.chainReturned();
            assertEquals(List.of("container thread", "data available: 3", "all data read"), events);
        }

        @Test
        void aListenerSetOnAnotherThreadWhileTheChainRunsIsCalledAtOnce() throws InterruptedException {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            Thread other = new Thread(() -> in.setReadListener(reading(in)));
            other.start();
            other.join();
            assertEquals(List.of("container thread", "data available: 3", "all data read"), events);
            request.chainReturned();
            assertEquals(3, events.size(), "called once");
        }

        @Test
        void aListenerIsNotCalledOnceTheRequestLeftAsyncModeBeforeTheChainReturned() {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(reading(in));
            when(wrapped.getAsyncContext()).thenThrow(new IllegalStateException("not async"));
            request.chainReturned();
            assertEquals(List.of(), events);
        }

        @Test
        void theChainReturningWithoutAListenerCallsNothing() {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            request.getInputStream();
            request.onReadFailure(() -> events.add("request failed"));
            request.chainReturned();
            assertEquals(List.of(), events);
        }

        /** The request fails before the listener's onError, which may complete it with a status of its choosing. */
        @ParameterizedTest(name = "{0} throws")
        @ValueSource(strings = {"onDataAvailable", "onAllDataRead"})
        void aCallbackThatThrowsFailsTheRequestThenTellsOnError(String which) {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    events.add("data available: " + in.readAllBytes().length);
                    if (which.equals("onDataAvailable")) {
                        throw new IOException("the application failed");
                    }
                }

                @Override
                public void onAllDataRead() {
                    events.add("all data read");
                    throw new IllegalStateException("the application failed at the end");
                }

                @Override
                public void onError(Throwable t) {
                    events.add("error: " + t.getMessage());
                }
            });
            request.onReadFailure(() -> events.add("request failed"));
            request.chainReturned();
            assertEquals(which.equals("onDataAvailable")
                    ? List.of("container thread", "data available: 3", "request failed", "error: the application failed")
                    : List.of("container thread", "data available: 3", "all data read", "request failed",
                            "error: the application failed at the end"), events);
        }

        @Test
        void aListenerIsToldOfAnErrorEvenWhenFailingTheRequestThrows() {
            VerifiedRequest request = asyncRequest(ascii("abc"));
            request.chainStarted();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(listener(in, stream -> {
                throw new IOException("the application failed");
            }));
            request.onReadFailure(() -> {
                throw new UnsupportedOperationException("the filter failed");
            });
            assertThrows(UnsupportedOperationException.class, request::chainReturned);
            assertEquals(List.of("container thread", "data available: 3", "error: the application failed"), events);
        }

        @Test
        void oneListenerOnly() {
            ServletInputStream in = asyncRequest(ascii("abc")).getInputStream();
            in.setReadListener(reading(in));
            assertThrows(IllegalStateException.class, () -> in.setReadListener(reading(in)));
        }

        @Test
        void needsAsynchronousMode() {
            ServletInputStream in = request(ascii("abc")).getInputStream();
            assertThrows(IllegalStateException.class, () -> in.setReadListener(reading(in)));
            assertThrows(NullPointerException.class, () -> in.setReadListener(null));
            assertEquals(List.of(), events);
        }
    }
}
