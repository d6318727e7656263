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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BufferedBodyTest {

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static byte[] contents(BufferedBody body) {
        return Arrays.copyOf(body.bytes, body.length);
    }

    @Test
    void readsExactlyTheDeclaredLength() throws IOException {
        byte[] sent = bytes(1000);

        BufferedBody body = BufferedBody.read(new ByteArrayInputStream(sent), 1000, 1000);

        assertArrayEquals(sent, contents(body));
        assertEquals(1000, body.bytes.length, "sized from the declared length, no spare room");
    }

    @Test
    void failsWhenTheStreamEndsBeforeTheDeclaredLength() {
        assertThrows(EOFException.class, () -> BufferedBody.read(new ByteArrayInputStream(bytes(999)), 1000, 2000));
    }

    @Test
    void readsAnEmptyBody() throws IOException {
        assertEquals(0, BufferedBody.read(new ByteArrayInputStream(new byte[0]), 0, 10).length);
        assertEquals(0, BufferedBody.read(new ByteArrayInputStream(new byte[0]), -1, 10).length);
    }

    /** Chunked: no declared length; the buffer grows with what arrives, a few bytes at a time here. */
    @ParameterizedTest
    @ValueSource(ints = {1, 8192, 8193, 20_000, 65_536})
    void readsAnUndeclaredLengthUpToTheLimit(int size) throws IOException {
        byte[] sent = bytes(size);

        BufferedBody body = BufferedBody.read(trickle(sent), -1, 65_536);

        assertArrayEquals(sent, contents(body));
    }

    @Test
    void givesUpOnAnUndeclaredLengthOneByteOverTheLimit() throws IOException {
        assertNull(BufferedBody.read(trickle(bytes(65_537)), -1, 65_536));
        assertNull(BufferedBody.read(trickle(bytes(10)), -1, 9));
    }

    @Test
    void neverBuffersMuchMoreThanTheLimitWhateverArrives() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };

        assertNull(BufferedBody.read(endless, -1, 100_000));
    }

    /** A stream that hands out at most 7 bytes per read, as a slow network does. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }
}
