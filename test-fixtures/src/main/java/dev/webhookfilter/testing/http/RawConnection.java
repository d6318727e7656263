package dev.webhookfilter.testing.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 connection to a server on 127.0.0.1, over a plain {@link Socket}, so that a test
 * controls every byte sent and sees whether the server keeps or closes the connection; which
 * {@code java.net.http.HttpClient} hides. Requests go out as given; responses are read with
 * {@code Content-Length}, chunked or close-delimited bodies.
 *
 * <p>Not thread-safe: one connection per client thread.
 */
public final class RawConnection implements Closeable {

    /** How long a read may block before the test gives up on the server. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_LINE = 16 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawConnection open(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            return new RawConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one request on a connection of its own to {@code 127.0.0.1:port}, reads its response and closes. */
    public static RawResponse exchange(int port, RawRequest request) throws IOException {
        try (RawConnection connection = open(port)) {
            return connection.exchange(request);
        }
    }

    /** Sends a whole request and reads its response. */
    public RawResponse exchange(RawRequest request) throws IOException {
        send(request.bytes());
        return read(request.method());
    }

    /** Writes bytes as they are. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes bytes as they are, from {@code offset} for {@code length}. */
    public void send(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    /**
     * Reads the next response.
     *
     * @param method the method of the request it answers: a response to HEAD has no body
     * @throws EOFException if the connection closes before a whole response
     */
    public RawResponse read(String method) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(); ; line = line()) {
            if (line == null) {
                throw new EOFException("the connection closed inside the response headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        RawResponse head = new RawResponse(status, headers, new byte[0]);
        if ("HEAD".equals(method) || status < 200 || status == 204 || status == 304) {
            return head;
        }
        byte[] body;
        if (head.header("transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            body = chunkedBody();
        } else if (head.header("content-length").isPresent()) {
            body = in.readNBytes(Integer.parseInt(head.header("content-length").get()));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, body);
    }

    /** The next response, or empty if the server closed (or reset) the connection before sending one. */
    public Optional<RawResponse> readIfAny(String method) throws IOException {
        try {
            return Optional.of(read(method));
        } catch (EOFException e) {
            return Optional.empty();
        } catch (SocketException e) {
            return Optional.empty(); // connection reset
        }
    }

    /**
     * Whether the server has closed the connection: waits up to {@code wait} for end of stream.
     * Returns false if data arrives instead; that byte is not lost.
     */
    public boolean isClosedByServer(Duration wait) throws IOException {
        in.mark(1);
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int b = in.read();
            if (b < 0) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    /** The local port: the same value before and after two requests proves they shared the connection. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Changes how long reads block. */
    public void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Drops the connection with a TCP reset instead of an orderly close, as a crashed client does. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (true) { // trailers, then the blank line
                    String trailer = line();
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("the connection closed inside a chunk");
            }
            body.writeBytes(chunk);
            line(); // the CRLF after the chunk
        }
    }

    /** A line without its CRLF, as ISO-8859-1; null at end of stream before any byte. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() == MAX_LINE) {
                throw new IOException("a response line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
