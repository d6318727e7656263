package dev.webhookfilter.it.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to one deployment of the example WAR over real HTTP on loopback: {@code java.net.http}
 * for ordinary requests, a raw socket where the request has to be shaped by hand (a chunked body,
 * a {@code Content-Length} with no body behind it).
 */
final class WebhookClient {

    static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF_CRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A response: status, headers (names in lower case) and body as UTF-8. */
    record Reply(int status, Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** A string or number field of a flat JSON object body, as text; fails if absent. */
        String json(String field) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"([^\"]*)\"|[-0-9.]+|true|false)").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no \"" + field + "\" in " + this);
            }
            return m.group(2) != null ? m.group(2) : m.group(1);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    private final URI context;

    /** @param context the deployment's root, such as {@code http://127.0.0.1:8080/example} */
    WebhookClient(URI context) {
        this.context = context;
    }

    /** POSTs {@code body} with {@code Content-Length}, and the signature header unless it is null. */
    Reply post(String path, byte[] body, String contentType, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(SIGNATURE_HEADER, signature);
        }
        return send(request.build());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT).GET().build());
    }

    /** {@code GET /events}: how many events the handler has recorded. */
    long eventsTotal() throws IOException, InterruptedException {
        Reply reply = get("/events");
        if (reply.status() != 200) {
            throw new AssertionError("GET /events: " + reply);
        }
        return Long.parseLong(reply.json("total"));
    }

    /** POSTs the chunks with {@code Transfer-Encoding: chunked}, one HTTP chunk each. */
    Reply postChunked(String path, List<byte[]> chunks, String contentType, String signature) throws IOException {
        return exchange("POST " + resolve(path).getRawPath() + " HTTP/1.1\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + SIGNATURE_HEADER + ": " + signature + "\r\n"
                + "Transfer-Encoding: chunked\r\n", out -> {
                    for (byte[] chunk : chunks) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                });
    }

    /**
     * Sends a POST whose headers announce {@code contentLength} bytes, then waits for the answer
     * without sending any: a server that judges the length from the headers answers at once.
     */
    Reply postHeadersOnly(String path, long contentLength, String signature) throws IOException {
        return exchange("POST " + resolve(path).getRawPath() + " HTTP/1.1\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + SIGNATURE_HEADER + ": " + signature + "\r\n"
                + "Content-Length: " + contentLength + "\r\n", out -> { });
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new Reply(response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8));
    }

    private URI resolve(String path) {
        return URI.create(context.toString() + path);
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * One request on its own connection. The response is read as far as its framing says, not to
     * the end of the stream: a server may keep the connection open to swallow a body never sent.
     */
    private Reply exchange(String head, Body body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(context.getHost(), context.getPort()), 5000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: " + context.getHost() + ":" + context.getPort() + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeTo(out);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            Reply reply = null;
            int n;
            while (reply == null && (n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                reply = parse(received.toByteArray());
            }
            if (reply == null) {
                throw new AssertionError("incomplete response before the connection closed: "
                        + received.toString(StandardCharsets.ISO_8859_1));
            }
            return reply;
        }
    }

    /** The response in {@code received}, or null if it is not complete yet. */
    private static Reply parse(byte[] received) {
        int end = indexOf(received, CRLF_CRLF, 0);
        if (end < 0) {
            return null;
        }
        String[] lines = new String(received, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(received, end + 4, received.length);
        byte[] body;
        if (headers.getOrDefault("transfer-encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
            body = dechunk(rest);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).get(0));
            body = rest.length >= length ? Arrays.copyOf(rest, length) : null;
        }
        return body == null ? null : new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** The body of a chunked message, or null if the last chunk has not arrived. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, CRLF, at);
            if (lineEnd < 0) {
                return null;
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            if (lineEnd + 2 + size + 2 > chunked.length) {
                return null;
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
