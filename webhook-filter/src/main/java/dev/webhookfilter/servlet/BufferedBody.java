package dev.webhookfilter.servlet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A request body read once into memory: {@code bytes[0, length)}. */
final class BufferedBody {

    /** First buffer for a body of unknown length; it doubles as needed, up to the limit. */
    static final int INITIAL_CHUNKED_CAPACITY = 8192;

    final byte[] bytes;
    final int length;

    private BufferedBody(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    /**
     * Reads the whole body.
     *
     * @param declaredLength the request's Content-Length, already checked to be at most {@code limit},
     *        or -1 when unknown (chunked): then the buffer grows with what actually arrives
     * @return the body, or {@code null} if more than {@code limit} bytes arrive
     * @throws EOFException if the stream ends before {@code declaredLength} bytes
     * @throws IOException if reading fails (client gone, timeout)
     */
    static BufferedBody read(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength >= 0) {
            byte[] bytes = new byte[(int) declaredLength];
            int length = in.readNBytes(bytes, 0, bytes.length);
            if (length < bytes.length) {
                throw new EOFException("the body ended after " + length + " of " + declaredLength + " bytes");
            }
            return new BufferedBody(bytes, length);
        }
        byte[] bytes = new byte[Math.min(INITIAL_CHUNKED_CAPACITY, limit) + 1];
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                if (length > limit) {
                    return null;
                }
                bytes = Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, (long) limit + 1));
            }
            int n = in.read(bytes, length, bytes.length - length);
            if (n < 0) {
                return new BufferedBody(bytes, length);
            }
            length += n;
        }
    }
}
