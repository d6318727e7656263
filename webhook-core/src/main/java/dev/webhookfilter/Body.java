package dev.webhookfilter;

import dev.webhookfilter.internal.ByteChunks;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * A request's body in whichever shape its caller holds it: a range of one array, the arrays a server
 * read it into, or buffers. The core only feeds it to SHA-256, for the MAC and for the replay key,
 * straight from the caller's arrays (a direct buffer through a small array of its own): the body is never
 * copied whole, and a buffer's position is left as it is.
 */
abstract class Body {

    private Body() {
    }

    /** {@code array[offset, offset + length)}, already checked to lie within the array. */
    static Body of(byte[] array, int offset, int length) {
        return new Range(array, offset, length);
    }

    /**
     * The first {@code length} bytes of the arrays, in order.
     *
     * @throws IndexOutOfBoundsException if the arrays hold fewer than {@code length} bytes, or it is negative
     * @throws NullPointerException if {@code chunks} is null (even for an empty body, as a null array is for the
     *         other shapes), or one of the arrays holding the body's bytes is
     */
    static Body of(byte[][] chunks, int length) {
        Objects.requireNonNull(chunks, "chunks");
        long held = 0;
        for (int i = 0; held < length && i < chunks.length; i++) {
            held += chunks[i].length;
        }
        if (length < 0 || held < length) {
            throw new IndexOutOfBoundsException("the " + chunks.length + " arrays hold " + held + " of the body's "
                    + length + " bytes");
        }
        return new Chunks(chunks, length);
    }

    /** The remaining bytes of each buffer, in order. */
    static Body of(List<ByteBuffer> buffers) {
        return new Buffers(buffers);
    }

    /** Feeds the body to {@code digest}, in order. */
    abstract void feedTo(MessageDigest digest);

    /** {@return how many bytes the body has} */
    abstract long length();

    /**
     * A direct buffer's bytes pass through an array this large, as the JDK's own
     * {@code MessageDigest.update(ByteBuffer)} does; not through that method, which allocates its array in
     * each digest, and the MAC's digest is a new clone for every request.
     */
    private static final int DIRECT_COPY_BYTES = 4096;

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
        void feedTo(MessageDigest digest) {
            digest.update(array, offset, length);
        }

        @Override
        long length() {
            return length;
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
        void feedTo(MessageDigest digest) {
            ByteChunks.forEach(chunks, length, digest::update);
        }

        @Override
        long length() {
            return length;
        }
    }

    private static final class Buffers extends Body {
        private final List<ByteBuffer> buffers;

        Buffers(List<ByteBuffer> buffers) {
            this.buffers = buffers;
        }

        @Override
        long length() {
            long length = 0;
            for (ByteBuffer buffer : buffers) {
                length += buffer.remaining();
            }
            return length;
        }

        @Override
        void feedTo(MessageDigest digest) {
            byte[] bytes = null; // one array for all the direct buffers, as large as the largest needs
            for (ByteBuffer buffer : buffers) {
                if (buffer.hasArray()) {
                    digest.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                } else {
                    ByteBuffer view = buffer.duplicate(); // its position moves, not the caller's
                    int needed = Math.min(view.remaining(), DIRECT_COPY_BYTES);
                    if (bytes == null || bytes.length < needed) {
                        bytes = new byte[needed];
                    }
                    while (view.hasRemaining()) {
                        int n = Math.min(view.remaining(), bytes.length);
                        view.get(bytes, 0, n);
                        digest.update(bytes, 0, n);
                    }
                }
            }
        }
    }
}
