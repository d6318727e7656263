package dev.webhookfilter.servlet;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty 12 ee10 server on 127.0.0.1 and an ephemeral port, its context set up in code. */
final class EmbeddedJetty implements AutoCloseable {

    private final Server server = new Server();
    private final HttpClient client = HttpClient.newHttpClient();
    private final ServletContextHandler context = new ServletContextHandler();
    private int port;

    /** Starts a server whose context {@code setup} configures as a ServletContextListener would. */
    static EmbeddedJetty start(Consumer<ServletContext> setup) throws Exception {
        EmbeddedJetty jetty = new EmbeddedJetty();
        jetty.context.setContextPath("/");
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
        return jetty;
    }

    /** {@return the port the server listens on, on 127.0.0.1} */
    int port() {
        return port;
    }

    HttpResponse<String> post(String path, String signature, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Webhook-Signature", signature);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request built on {@code path} of this server, for bodies and headers {@link #post} does not cover. */
    HttpResponse<String> send(String path, java.util.function.UnaryOperator<HttpRequest.Builder> request)
            throws IOException, InterruptedException {
        return client.send(request.apply(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
