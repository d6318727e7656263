package dev.webhookfilter.servlet;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body straight from its bytes: pairs split on
 * {@code &}, name from value at the first {@code =}, {@code +} and {@code %XX} decoded to bytes,
 * then the bytes to text in the request's charset. As Tomcat 10.1 does, a pair with a bad escape or an
 * empty name is skipped, never an error (Tomcat 11.0 and Jetty 12 refuse a bad escape with 400 instead, from
 * the application's first {@code getParameter}; the signed body is served all the same).
 *
 * <p>Decoded, a form costs far more heap than its bytes: 250 bytes a pair or so (two strings, a list, map entries)
 * besides its text, and in a charset other than ISO-8859-1, UTF-8 or US-ASCII a decoder for each string too, which
 * may cost kilobytes (x-JISAutoDetect's, 7 KB a pair). A client picks the charset: {@code Content-Type} is not signed.
 * So the filter lets a form through only with at most {@link #MAX_PAIRS} pairs, and only once {@link #cost} is taken
 * from the budget its body's bytes were taken from ({@link #hold}).
 */
final class FormBody {

    /** The most pairs a form may hold: Tomcat's {@code maxParameterCount} and Jetty's {@code maxFormKeys} by default. */
    static final int MAX_PAIRS = 1000;
    /**
     * Heap that decoding text in ISO-8859-1, UTF-8 or US-ASCII may take for each byte of the body: the copy it decodes
     * in place, and text of up to two bytes a byte (a byte that is not UTF-8 becomes U+FFFD); 4 bytes measured.
     */
    static final int BYTES_PER_BYTE = 5;
    /** Heap that decoding may take for each pair besides its text, in those charsets: 270 bytes measured. */
    static final int BYTES_PER_PAIR = 320;
    /** {@link #BYTES_PER_BYTE} in any other charset, whose decoder's buffer holds up to two characters a byte: 8 measured. */
    static final int BYTES_PER_BYTE_DECODED = 10;
    /** {@link #BYTES_PER_PAIR} in any other charset, with a decoder for each string: 7.4 KB measured (x-JISAutoDetect). */
    static final int BYTES_PER_PAIR_DECODED = 10_240;

    private FormBody() {
    }

    /**
     * {@return how many pairs the body holds, as {@link #decode} finds them (those with a name); counted up to
     * {@link #MAX_PAIRS} + 1, where counting stops}
     */
    static int pairs(BufferedBody body) {
        int pairs = 0;
        boolean pairStart = true;
        for (int c = 0; c < body.chunkCount(); c++) {
            byte[] chunk = body.chunk(c);
            for (int i = 0, end = body.chunkLength(c); i < end; i++) {
                byte b = chunk[i];
                if (pairStart && b != '&' && b != '=' && ++pairs > MAX_PAIRS) {
                    return pairs;
                }
                pairStart = b == '&';
            }
        }
        return pairs;
    }

    /**
     * {@return the most heap that decoding a body of {@code length} bytes and {@code pairs} pairs in {@code charset} may
     * take}
     */
    static long cost(int length, int pairs, Charset charset) {
        boolean intrinsic = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII);
        return intrinsic ? (long) BYTES_PER_BYTE * length + (long) BYTES_PER_PAIR * pairs
                : (long) BYTES_PER_BYTE_DECODED * length + (long) BYTES_PER_PAIR_DECODED * pairs;
    }

    /**
     * {@return the most pairs a body of {@code length} bytes may hold: one a name byte and an {@code &}, up to
     * {@link #MAX_PAIRS}}
     */
    static int mostPairs(int length) {
        return Math.min(MAX_PAIRS, (int) ((length + 1L) / 2));
    }

    /**
     * {@return what a form of {@code length} bytes in UTF-8 or ISO-8859-1 takes from the budget at most: its bytes, and
     * the {@link #cost} of as many pairs as it may hold} Less in {@code maxBufferedBytes} for {@code maxBodyBytes}, and
     * the largest forms could never be admitted.
     */
    static long room(int length) {
        return length + cost(length, mostPairs(length), StandardCharsets.UTF_8);
    }

    /**
     * Admits a form body for decoding: refuses one of more than {@link #MAX_PAIRS} pairs, and takes its
     * {@link #cost} from the body's budget, given back with the body's bytes.
     *
     * @param charset what the form would be decoded with now
     * @return null when admitted; else {@code TOO_MANY_PARAMETERS}, {@code BODY_TOO_LARGE} when the budget could not
     *         hold its cost beside the body even with nothing else in flight (a 503 would be retried in vain), or
     *         {@code BUSY} when it cannot now
     */
    static FilterRejection hold(BufferedBody body, Charset charset) {
        int pairs = pairs(body);
        if (pairs > MAX_PAIRS) {
            return FilterRejection.TOO_MANY_PARAMETERS;
        }
        long cost = cost(body.length, pairs, charset);
        if (!body.couldHoldMore(cost)) {
            return FilterRejection.BODY_TOO_LARGE;
        }
        return body.holdMore(cost) ? null : FilterRejection.BUSY;
    }

    /**
     * {@return {@code query}'s parameters, then those decoded from {@code body} in {@code charset}, each name once with
     * its values in order, in a map that cannot be changed} The body's bytes stay as they were signed: a copy is decoded.
     */
    static Map<String, String[]> parameters(BufferedBody body, Map<String, String[]> query, Charset charset) {
        // Values gathered in lists first: a name repeated n times costs n, not n * n / 2 copies.
        Map<String, List<String>> gathered = new LinkedHashMap<>();
        query.forEach((name, values) -> gathered.put(name, new ArrayList<>(List.of(values))));
        // A copy, decoded in place: the buffer stays as it was signed. The filter took room for both (hold) before the
        // application ran.
        decode(body.copy(0), body.length, charset,
                (name, value) -> gathered.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value));
        Map<String, String[]> merged = new LinkedHashMap<>();
        gathered.forEach((name, values) -> merged.put(name, values.toArray(new String[0])));
        return Collections.unmodifiableMap(merged);
    }

    /**
     * Decodes the pairs of {@code body[0, length)} in place: the array is overwritten, so it must be a copy
     * of the body's bytes, never the buffer itself.
     */
    static void decode(byte[] body, int length, Charset charset, BiConsumer<String, String> pairs) {
        int start = 0;
        while (start < length) {
            int end = start;
            int equals = -1;
            while (end < length && body[end] != '&') {
                if (body[end] == '=' && equals < 0) {
                    equals = end;
                }
                end++;
            }
            int nameEnd = equals < 0 ? end : equals;
            if (nameEnd > start) {
                String name = percentDecode(body, start, nameEnd, charset);
                String value = equals < 0 ? "" : percentDecode(body, equals + 1, end, charset);
                if (name != null && value != null) {
                    pairs.accept(name, value);
                }
            }
            start = end + 1;
        }
    }

    /**
     * Decodes {@code body[from, to)}, its bytes written over the array from its start (never past the one read: what
     * lies before {@code from} was decoded already), or returns null if it holds a {@code %} not followed by two hex
     * digits. From the start, not from {@code from}: x-JISAutoDetect sizes the buffers it tries its charsets in by
     * where the bytes end in their array, so that each string decoded where it stands cost twice its offset, 149 MB
     * for a form of 20 KB.
     */
    private static String percentDecode(byte[] body, int from, int to, Charset charset) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                body[n++] = ' ';
            } else if (b == '%') {
                int high = i + 2 < to ? hex(body[i + 1]) : -1;
                int low = high >= 0 ? hex(body[i + 2]) : -1;
                if (low < 0) {
                    return null;
                }
                body[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                body[n++] = b;
            }
        }
        return new String(body, 0, n, charset);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
