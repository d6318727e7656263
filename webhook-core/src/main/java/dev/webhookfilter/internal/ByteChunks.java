package dev.webhookfilter.internal;

/**
 * Walks a body held in the arrays it was read into: its first {@code length} bytes, each array's from its start,
 * the last array cut at the body's end. The core MACs a body so ({@code WebhookVerifier.checkBody} and
 * {@code WebhookSigner.headers} over arrays), and the CLI digests and sends one read from a pipe. For the library's
 * own modules, which is why it is public: not part of the API, and free to change in any release. Stateless and
 * thread-safe.
 */
public final class ByteChunks {

    private ByteChunks() {
    }

    /** Takes one array's part of a body: {@code length} bytes of {@code array} from {@code offset}. */
    @FunctionalInterface
    public interface Part {

        /**
         * Takes {@code array[offset, offset + length)}.
         *
         * @param array the array holding this part
         * @param offset where the part begins in it
         * @param length how many bytes the part has: 0 for an empty array
         */
        void accept(byte[] array, int offset, int length);
    }

    /**
     * Gives {@code part} the first {@code length} bytes of {@code chunks}, in order: each array in turn from its
     * start, whole but the last, which is cut at {@code length}; nothing of the arrays past it.
     * A {@code MessageDigest} or an {@code OutputStream} takes them as {@code digest::update} or {@code out::write}.
     *
     * @param chunks the arrays, which must hold {@code length} bytes (not checked here beyond what indexing checks)
     * @param length how many bytes to give, 0 or more
     * @param part what takes each array's part
     * @throws ArrayIndexOutOfBoundsException if the arrays hold fewer than {@code length} bytes
     * @throws NullPointerException if one of the arrays holding the bytes is null
     */
    public static void forEach(byte[][] chunks, int length, Part part) {
        int left = length;
        for (int i = 0; left > 0; i++) {
            int n = Math.min(left, chunks[i].length);
            part.accept(chunks[i], 0, n);
            left -= n;
        }
    }
}
