package dev.webhookfilter.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Byte-array servlet streams for unit tests with mocked requests and responses. */
final class ServletFakes {

    private ServletFakes() {
    }

    /** A request body; counts how many bytes were read, and can fail after some. */
    static final class BodyInput extends ServletInputStream {
        private final byte[] bytes;
        private final int failAt;
        int position;

        BodyInput(byte[] bytes) {
            this(bytes, -1);
        }

        /** Throws an IOException once {@code failAt} bytes have been read (never when negative). */
        BodyInput(byte[] bytes, int failAt) {
            this.bytes = bytes;
            this.failAt = failAt;
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

    /** A response body kept in memory. */
    static final class BodyOutput extends ServletOutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
