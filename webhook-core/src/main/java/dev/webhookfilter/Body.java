package dev.webhookfilter;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;

/**
 * A request's body in whichever shape its caller holds it: a range of one array, the arrays a server
 * read it into, or buffers. The core only feeds it to a MAC and to the replay key's digest, straight from
 * the caller's memory: it is never copied, and a buffer's position is left as it is.
 */
abstract class Body {

    private Body() {
    }

    /** {@code array[offset, offset + length)}, already checked to lie within the array. */
    static Body of(byte[] array, int offset, int length) {
        return new Range(array, offset, length);
    }

    /** The first {@code length} bytes of the arrays, in order. */
    static Body of(byte[][] chunks, int length) {
        return new Chunks(chunks, length);
    }

    /** The remaining bytes of each buffer, in order. */
    static Body of(List<ByteBuffer> buffers) {
        return new Buffers(buffers);
    }

    abstract void feed(Mac mac);

    abstract void feed(MessageDigest digest);

    private static final class Range extends Body {
        private final byte[] array;
        private final int offset;
        private final int length;

        Range(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
        }

        @Override
        void feed(Mac mac) {
            mac.update(array, offset, length);
        }

        @Override
        void feed(MessageDigest digest) {
            digest.update(array, offset, length);
        }
    }

    private static final class Chunks extends Body {
        private final byte[][] chunks;
        private final int length;

        Chunks(byte[][] chunks, int length) {
            this.chunks = chunks;
            this.length = length;
        }

        @Override
        void feed(Mac mac) {
            int left = length;
            for (int i = 0; left > 0; i++) {
                int n = Math.min(left, chunks[i].length);
                mac.update(chunks[i], 0, n);
                left -= n;
            }
        }

        @Override
        void feed(MessageDigest digest) {
            int left = length;
            for (int i = 0; left > 0; i++) {
                int n = Math.min(left, chunks[i].length);
                digest.update(chunks[i], 0, n);
                left -= n;
            }
        }
    }

    private static final class Buffers extends Body {
        private final List<ByteBuffer> buffers;

        Buffers(List<ByteBuffer> buffers) {
            this.buffers = buffers;
        }

        @Override
        void feed(Mac mac) {
            for (ByteBuffer buffer : buffers) {
                if (buffer.hasArray()) {
                    mac.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                } else {
                    mac.update(buffer.duplicate()); // the duplicate's position moves, not the caller's
                }
            }
        }

        @Override
        void feed(MessageDigest digest) {
            for (ByteBuffer buffer : buffers) {
                if (buffer.hasArray()) {
                    digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                } else {
                    digest.update(buffer.duplicate());
                }
            }
        }
    }
}
