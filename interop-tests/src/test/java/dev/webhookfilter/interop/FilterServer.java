package dev.webhookfilter.interop;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12 ee10 on 127.0.0.1 and an ephemeral port with {@link WebhookSignatureFilter} configured by
 * init-params, as {@code web.xml} does, in front of a servlet that answers 200 with the SHA-256 (hex) of
 * the body it read: so a test sees both the filter's decision and whether the handler got the exact bytes.
 */
final class FilterServer implements AutoCloseable {

    private final Server server = new Server();
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    private FilterServer(Map<String, String> initParameters) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder filter = new FilterHolder(WebhookSignatureFilter.class);
        filter.setInitParameters(initParameters);
        context.addFilter(filter, "/webhooks/*", EnumSet.allOf(DispatcherType.class));
        context.addServlet(new ServletHolder(new BodyDigestServlet()), "/webhooks/*");
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        port = connector.getLocalPort();
    }

    /** Starts a server whose filter has {@code scheme} and the literal secret {@code secret}. */
    static FilterServer start(String scheme, String secret) throws Exception {
        return new FilterServer(Map.of(WebhookSignatureFilter.PARAM_SCHEME, scheme,
                WebhookSignatureFilter.PARAM_SECRETS, secret));
    }

    /** POSTs {@code body} with {@code headers} to {@code /webhooks/event}. */
    HttpResponse<String> post(Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/event"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class BodyDigestServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            response.setContentType("text/plain");
            response.getWriter().write(sha256(body));
        }
    }
}
