package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BufferedBodyTest {

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a network does. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        // Not a ByteArrayInputStream subclass: its readNBytes trusts one read to return everything.
        ByteArrayInputStream all = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return all.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] contents(BufferedBody body) {
        return Arrays.copyOf(body.bytes, body.length);
    }

    @Nested
    class WithContentLength {

        @Test
        void readsExactlyTheDeclaredLength() throws IOException {
            byte[] body = bytes(1000);
            BufferedBody read = BufferedBody.read(trickle(body, 7), 1000, 1000);
            assertEquals(1000, read.length);
            assertEquals(1000, read.bytes.length, "no spare room when the length is known");
            assertArrayEquals(body, read.bytes);
        }

        @Test
        void readsAnEmptyBody() throws IOException {
            BufferedBody read = BufferedBody.read(new ByteArrayInputStream(new byte[0]), 0, 10);
            assertEquals(0, read.length);
        }

        @Test
        void aZeroContentLengthReadsNothing() throws IOException {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes(5));
            assertEquals(0, BufferedBody.read(in, 0, 10).length);
            assertEquals(5, in.available());
        }

        @Test
        void ignoresBytesPastTheDeclaredLength() throws IOException {
            BufferedBody read = BufferedBody.read(new ByteArrayInputStream(bytes(20)), 10, 100);
            assertArrayEquals(Arrays.copyOf(bytes(20), 10), contents(read));
        }

        @Test
        void aShortBodyIsAnEofException() {
            EOFException e = assertThrows(EOFException.class,
                    () -> BufferedBody.read(new ByteArrayInputStream(bytes(9)), 10, 100));
            assertEquals("the body ended after 9 of 10 bytes", e.getMessage());
        }
    }

    @Nested
    class Chunked {

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 8191, 8192, 8193, 16_385, 40_000})
        void readsWhateverArrives(int length) throws IOException {
            byte[] body = bytes(length);
            assertArrayEquals(body, contents(BufferedBody.read(trickle(body, 1000), -1, 1 << 20)));
        }

        @Test
        void startsSmallAndGrowsByDoubling() throws IOException {
            assertEquals(BufferedBody.INITIAL_CHUNKED_CAPACITY + 1,
                    BufferedBody.read(new ByteArrayInputStream(bytes(5)), -1, 1 << 20).bytes.length);
            assertEquals(2 * (BufferedBody.INITIAL_CHUNKED_CAPACITY + 1),
                    BufferedBody.read(new ByteArrayInputStream(bytes(8193)), -1, 1 << 20).bytes.length);
        }

        @Test
        void acceptsExactlyTheLimit() throws IOException {
            byte[] body = bytes(20_000);
            BufferedBody read = BufferedBody.read(trickle(body, 3000), -1, 20_000);
            assertArrayEquals(body, contents(read));
            assertEquals(20_001, read.bytes.length, "grown to the limit + 1, no further");
        }

        @Test
        void acceptsALimitThatTheDoubledBufferMeetsExactly() throws IOException {
            int limit = 2 * (BufferedBody.INITIAL_CHUNKED_CAPACITY + 1);
            byte[] body = bytes(limit);
            assertArrayEquals(body, contents(BufferedBody.read(trickle(body, 5000), -1, limit)));
            assertNull(BufferedBody.read(trickle(bytes(limit + 1), 5000), -1, limit));
        }

        @Test
        void refusesOneByteOverTheLimit() throws IOException {
            assertNull(BufferedBody.read(trickle(bytes(20_001), 3000), -1, 20_000));
        }

        @Test
        void aLimitBelowTheInitialCapacity() throws IOException {
            assertArrayEquals(bytes(10), contents(BufferedBody.read(trickle(bytes(10), 1), -1, 10)));
            assertNull(BufferedBody.read(trickle(bytes(11), 1), -1, 10));
        }

        @Test
        void stopsReadingOnceOverTheLimit() throws IOException {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes(100));
            assertNull(BufferedBody.read(in, -1, 10));
            assertEquals(89, in.available(), "read the limit + 1 and no more");
        }

        @Test
        void aFailingReadPropagates() {
            InputStream failing = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("reset");
                }
            };
            assertThrows(IOException.class, () -> BufferedBody.read(failing, -1, 10));
        }
    }
}
