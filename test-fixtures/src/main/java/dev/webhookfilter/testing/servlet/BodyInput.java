package dev.webhookfilter.testing.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body held in memory, for tests that hand a filter a mocked or hand-made request: counts the
 * bytes read, and can fail as a reset connection does after some. Not thread-safe.
 */
public final class BodyInput extends ServletInputStream {

    private final byte[] bytes;
    private final int failAt;
    private int position;

    public BodyInput(byte[] bytes) {
        this(bytes, -1);
    }

    /** Throws an IOException once {@code failAt} bytes have been read (never when negative). */
    public BodyInput(byte[] bytes, int failAt) {
        this.bytes = bytes;
        this.failAt = failAt;
    }

    /** How many bytes were read so far. */
    public int bytesRead() {
        return position;
    }

    @Override
    public int read() throws IOException {
        if (position == failAt) {
            throw new IOException("connection reset");
        }
        return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (position == failAt) {
            throw new IOException("connection reset");
        }
        if (length == 0) {
            return 0;
        }
        if (position == bytes.length) {
            return -1;
        }
        int n = Math.min(length, bytes.length - position);
        if (failAt > position) {
            n = Math.min(n, failAt - position);
        }
        System.arraycopy(bytes, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public boolean isFinished() {
        return position == bytes.length;
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
