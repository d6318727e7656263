package dev.webhookfilter.it.standalone;

import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the contract sends to one deployment of the example WAR through test-fixtures' raw HTTP client:
 * signed posts and gets on kept-alive connections; a chunked body, and a {@code Content-Length} with
 * no body behind it, each on a connection of its own.
 */
final class WebhookClient {

    static final String SIGNATURE_HEADER = "X-Webhook-Signature";

    private final URI context;
    private final RawClient client;

    /** @param context the deployment's root on loopback, such as {@code http://127.0.0.1:8080/example} */
    WebhookClient(URI context) {
        this.context = context;
        this.client = new RawClient(context.getPort());
    }

    /** POSTs {@code body} with {@code Content-Length}, and the signature header unless it is null. */
    RawResponse post(String path, byte[] body, String contentType, String signature) throws IOException {
        return client.exchange(signed(RawRequest.post(target(path)), contentType, signature).body(body));
    }

    RawResponse get(String path) throws IOException {
        return client.exchange(RawRequest.of("GET", target(path)).host(context.getRawAuthority()));
    }

    /** {@code GET /events}: how many events the handler has recorded. */
    long eventsTotal() throws IOException {
        RawResponse reply = get("/events");
        if (reply.status() != 200) {
            throw new AssertionError("GET /events: " + reply);
        }
        return Long.parseLong(json(reply, "total"));
    }

    /** POSTs the chunks with {@code Transfer-Encoding: chunked}, one HTTP chunk each. */
    RawResponse postChunked(String path, List<byte[]> chunks, String contentType, String signature) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] sizes = new int[chunks.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = chunks.get(i).length;
            body.writeBytes(chunks.get(i));
        }
        return RawConnection.exchange(context.getPort(), signed(RawRequest.post(target(path)), contentType, signature)
                .body(body.toByteArray()).chunked(sizes));
    }

    /**
     * Sends a POST whose headers announce {@code contentLength} bytes, then waits for the answer
     * without sending any: a server that judges the length from the headers answers at once.
     */
    RawResponse postHeadersOnly(String path, long contentLength, String signature) throws IOException {
        RawRequest request = signed(RawRequest.post(target(path)), "application/octet-stream", signature)
                .contentLength(contentLength);
        try (RawConnection connection = RawConnection.open(context.getPort())) {
            connection.send(request.head());
            return connection.read(request.method());
        }
    }

    /** A string or number field of a flat JSON object body, as text; fails if absent. */
    static String json(RawResponse reply, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"([^\"]*)\"|[-0-9.]+|true|false)")
                .matcher(reply.text());
        if (!m.find()) {
            throw new AssertionError("no \"" + field + "\" in " + reply + ": " + reply.text());
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private RawRequest signed(RawRequest request, String contentType, String signature) {
        request.host(context.getRawAuthority()).header("Content-Type", contentType);
        return signature == null ? request : request.header(SIGNATURE_HEADER, signature);
    }

    private String target(String path) {
        return context.getRawPath() + path;
    }
}
