package dev.webhookfilter.servlet;

import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty 12 ee10 server on 127.0.0.1 and an ephemeral port, its context set up in code; requests go
 * to it through test-fixtures' raw HTTP client, on kept-alive connections. Public for the tests of other
 * modules, through the test-jar.
 */
public final class EmbeddedJetty implements AutoCloseable {

    private final Server server = new Server();
    private final ServletContextHandler context = new ServletContextHandler();
    private int port;
    private RawClient client;

    /** Starts a server whose context {@code setup} configures as a ServletContextListener would. */
    public static EmbeddedJetty start(Consumer<ServletContext> setup) throws Exception {
        return start("/", setup);
    }

    /** Starts a server whose context, at {@code contextPath} (such as {@code /app}), {@code setup} configures. */
    public static EmbeddedJetty start(String contextPath, Consumer<ServletContext> setup) throws Exception {
        return start(contextPath, null, setup);
    }

    /**
     * Starts a server whose context {@code setup} configures, with the error pages {@code errorPages} adds, as
     * {@code <error-page>} elements of a {@code web.xml} would.
     */
    public static EmbeddedJetty start(Consumer<ErrorPageErrorHandler> errorPages, Consumer<ServletContext> setup)
            throws Exception {
        return start("/", errorPages, setup);
    }

    private static EmbeddedJetty start(String contextPath, Consumer<ErrorPageErrorHandler> errorPages,
                                       Consumer<ServletContext> setup) throws Exception {
        EmbeddedJetty jetty = new EmbeddedJetty();
        jetty.context.setContextPath(contextPath);
        if (errorPages != null) {
            ErrorPageErrorHandler pages = new ErrorPageErrorHandler();
            errorPages.accept(pages);
            jetty.context.setErrorHandler(pages);
        }
        jetty.context.addEventListener(new jakarta.servlet.ServletContextListener() {
            @Override
            public void contextInitialized(jakarta.servlet.ServletContextEvent event) {
                setup.accept(event.getServletContext());
            }
        });
        ServerConnector connector = new ServerConnector(jetty.server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.server.addConnector(connector);
        jetty.server.setHandler(jetty.context);
        try {
            jetty.server.start();
        } catch (Exception e) {
            jetty.server.stop();
            throw e;
        }
        jetty.port = connector.getLocalPort();
        jetty.client = new RawClient(jetty.port);
        return jetty;
    }

    /** The port the server listens on, for clients other than {@link #post} and {@link #send}. */
    public int port() {
        return port;
    }

    /** POSTs {@code body} with its {@code Content-Length}, and {@code X-Webhook-Signature} unless it is null. */
    public RawResponse post(String path, String signature, byte[] body) throws IOException {
        RawRequest request = RawRequest.post(path).body(body).contentLength(body.length);
        return send(signature == null ? request : request.header("X-Webhook-Signature", signature));
    }

    /** Sends a request to this server, for bodies and headers {@link #post} does not cover. */
    public RawResponse send(RawRequest request) throws IOException {
        return client.exchange(request);
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.stop();
    }
}
