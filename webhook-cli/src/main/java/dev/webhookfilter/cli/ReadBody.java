package dev.webhookfilter.cli;

import dev.webhookfilter.internal.ByteChunks;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A body as read: the first {@link #length} bytes of {@link #chunks}, in order, each array's bytes from its start.
 * A body of known size (a FILE, standard input redirected from a file) is one array; one of unknown length (a pipe)
 * is the arrays it was read into, so that it is held once, not in buffers and then in a copy of them. It is signed,
 * verified and sent from those arrays.
 */
final class ReadBody {

    final byte[][] chunks;
    final int length;

    ReadBody(byte[][] chunks, int length) {
        this.chunks = chunks;
        this.length = length;
    }

    /** {@code bytes}, whole, as one array. */
    static ReadBody of(byte[] bytes) {
        return new ReadBody(new byte[][] {bytes}, bytes.length);
    }

    /** The byte at {@code index}, from 0 to {@link #length} - 1. */
    byte at(int index) {
        int left = index;
        for (byte[] chunk : chunks) {
            if (left < chunk.length) {
                return chunk[left];
            }
            left -= chunk.length;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** Gives {@code part} the body, each array's part in turn ({@link ByteChunks#forEach}). */
    void forEach(ByteChunks.Part part) {
        ByteChunks.forEach(chunks, length, part);
    }

    /**
     * The body as a request sends it, with its length as {@code Content-Length}: from its one array, or from its
     * arrays in turn, the last cut to the body's end (a copy of that array alone).
     */
    HttpRequest.BodyPublisher publisher() {
        if (chunks.length == 1) {
            return HttpRequest.BodyPublishers.ofByteArray(chunks[0], 0, length);
        }
        List<byte[]> sent = new ArrayList<>();
        forEach((array, offset, n) -> sent.add(n == array.length ? array : Arrays.copyOf(array, n)));
        // ofByteArrays alone would not know the length, and send the body chunked.
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(sent), length);
    }
}
