package dev.webhookfilter.testing.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact bytes of one HTTP/1.1 request, built field by field so that tests can also send what no
 * well-behaved client would: repeated or non-ASCII headers, a {@code Content-Length} that lies,
 * a body cut short. Header values are bytes; a {@code String} value is sent as ISO-8859-1.
 *
 * <p>Unless told otherwise the request carries {@code Host: 127.0.0.1} and, for a body, a true
 * {@code Content-Length}. Not thread-safe; {@link #head()} and {@link #body()} are fresh copies.
 */
public final class RawRequest {

    private static final byte[] CRLF = {'\r', '\n'};

    private final String method;
    private final String target;
    private final List<byte[][]> headers = new ArrayList<>();
    private byte[] host = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
    private byte[] body = new byte[0];
    private long contentLength = -1;
    private int[] chunkSizes = new int[0];

    private RawRequest(String method, String target) {
        this.method = method;
        this.target = target;
    }

    /** A POST of {@code target} (path and query). */
    public static RawRequest post(String target) {
        return new RawRequest("POST", target);
    }

    /** A request with any method; no body unless one is set. */
    public static RawRequest of(String method, String target) {
        return new RawRequest(method, target);
    }

    /** Adds a header line; calling it twice with one name sends two lines. */
    public RawRequest header(String name, String value) {
        return header(name, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Adds a header line whose value is sent byte for byte. */
    public RawRequest header(String name, byte[] value) {
        headers.add(new byte[][] {name.getBytes(StandardCharsets.US_ASCII), value.clone()});
        return this;
    }

    /** Sends {@code Host: host} instead of {@code 127.0.0.1}: a name the server must not trust, say. */
    public RawRequest host(String host) {
        this.host = host.getBytes(StandardCharsets.ISO_8859_1);
        return this;
    }

    /** The body; sent with its true {@code Content-Length} unless {@link #contentLength} or {@link #chunked} says otherwise. */
    public RawRequest body(byte[] body) {
        this.body = body.clone();
        return this;
    }

    /** Declares this {@code Content-Length} whatever the body is: a lie, or a body the test sends itself. */
    public RawRequest contentLength(long declared) {
        this.contentLength = declared;
        return this;
    }

    /**
     * Sends the body with {@code Transfer-Encoding: chunked}, in chunks of these sizes in turn, the last
     * size repeating until the body ends (the last chunk may be shorter).
     */
    public RawRequest chunked(int... sizes) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("at least one chunk size");
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
        }
        this.chunkSizes = sizes.clone();
        return this;
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    /** The request line and headers, through the blank line that ends them. */
    public byte[] head() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + target + " HTTP/1.1").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CRLF);
        headerLine(out, "Host", host);
        for (byte[][] header : headers) {
            headerLine(out, header[0], header[1]);
        }
        if (chunkSizes.length > 0) {
            headerLine(out, "Transfer-Encoding", "chunked".getBytes(StandardCharsets.US_ASCII));
        } else if (contentLength >= 0 || body.length > 0) {
            long declared = contentLength >= 0 ? contentLength : body.length;
            headerLine(out, "Content-Length", Long.toString(declared).getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /** The body as it goes on the wire: raw, or chunk-encoded with its last chunk. */
    public byte[] body() {
        if (chunkSizes.length == 0) {
            return body.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0, i = 0; from < body.length; from += chunkSizes[i], i = Math.min(i + 1, chunkSizes.length - 1)) {
            int n = Math.min(chunkSizes[i], body.length - from);
            out.writeBytes(Integer.toHexString(n).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(CRLF);
            out.write(body, from, n);
            out.writeBytes(CRLF);
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Head and body together. */
    public byte[] bytes() {
        byte[] head = head();
        byte[] wireBody = body();
        byte[] all = Arrays.copyOf(head, head.length + wireBody.length);
        System.arraycopy(wireBody, 0, all, head.length, wireBody.length);
        return all;
    }

    private static void headerLine(ByteArrayOutputStream out, String name, byte[] value) {
        headerLine(out, name.getBytes(StandardCharsets.US_ASCII), value);
    }

    private static void headerLine(ByteArrayOutputStream out, byte[] name, byte[] value) {
        out.writeBytes(name);
        out.writeBytes(new byte[] {':', ' '});
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    @Override
    public String toString() {
        return method + " " + target;
    }
}
