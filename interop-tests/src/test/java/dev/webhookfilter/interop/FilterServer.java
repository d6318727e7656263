package dev.webhookfilter.interop;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
    private final RawClient client;

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
        client = new RawClient(connector.getLocalPort());
    }

    /** Starts a server whose filter has {@code scheme} and the literal secret {@code secret}. */
    static FilterServer start(String scheme, String secret) throws Exception {
        return new FilterServer(Map.of(WebhookSignatureFilter.PARAM_SCHEME, scheme,
                WebhookSignatureFilter.PARAM_SECRETS, secret));
    }

    /** POSTs {@code body} with {@code headers} to {@code /webhooks/event}. */
    RawResponse post(Map<String, String> headers, byte[] body) throws IOException {
        RawRequest request = RawRequest.post("/webhooks/event").header("Content-Type", "application/octet-stream")
                .body(body).contentLength(body.length);
        headers.forEach(request::header);
        return client.exchange(request);
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
        client.close();
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
