package dev.webhookfilter.servlet;

import java.nio.charset.Charset;
import java.util.function.BiConsumer;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body straight from its bytes: pairs split on
 * {@code &}, name from value at the first {@code =}, {@code +} and {@code %XX} decoded to bytes,
 * then the bytes to text in the request's charset. As Tomcat 10.1 does, a pair with a bad escape or an
 * empty name is skipped, never an error (Tomcat 11.0 and Jetty 12 refuse a bad escape with 400 instead, from
 * the application's first {@code getParameter}; the signed body is served all the same).
 */
final class FormBody {

    private FormBody() {
    }

    static void decode(byte[] body, int length, Charset charset, BiConsumer<String, String> pairs) {
        byte[] scratch = new byte[length];
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
                String name = percentDecode(body, start, nameEnd, scratch, charset);
                String value = equals < 0 ? "" : percentDecode(body, equals + 1, end, scratch, charset);
                if (name != null && value != null) {
                    pairs.accept(name, value);
                }
            }
            start = end + 1;
        }
    }

    /** Decodes {@code body[from, to)}, or returns null if it holds a {@code %} not followed by two hex digits. */
    private static String percentDecode(byte[] body, int from, int to, byte[] scratch, Charset charset) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                scratch[n++] = ' ';
            } else if (b == '%') {
                int high = i + 2 < to ? hex(body[i + 1]) : -1;
                int low = high >= 0 ? hex(body[i + 2]) : -1;
                if (low < 0) {
                    return null;
                }
                scratch[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                scratch[n++] = b;
            }
        }
        return new String(scratch, 0, n, charset);
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
