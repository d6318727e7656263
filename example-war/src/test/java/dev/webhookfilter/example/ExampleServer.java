package dev.webhookfilter.example;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the built example WAR in embedded Jetty 12 on localhost, for local development:
 * {@code mvn -pl example-war -am -DskipTests package exec:exec}. Listens on loopback only;
 * expose it to the platform through a tunnel (see the README). Tests start it with {@link #start}.
 */
public final class ExampleServer {

    private ExampleServer() {
    }

    public static void main(String[] args) throws Exception {
        Path war = Path.of(System.getProperty("example.war", "example-war/target/example-war.war"));
        if (!Files.isRegularFile(war)) {
            System.err.println("No WAR at " + war + "; build it first: mvn -pl example-war -am -DskipTests package");
            System.exit(2);
        }

        Server server = start(war, Integer.getInteger("example.port", 8080));
        if (Boolean.getBoolean("example.exitWithParent")) {
            // Under mvn exec:exec: if Maven itself is killed (an IDE's stop button, kill), stop too
            // rather than live on unseen and hold the port.
            ProcessHandle.current().parent().ifPresent(maven -> maven.onExit().thenRun(() -> System.exit(0)));
        }
        int port = port(server);
        boolean development = "true".equals(System.getenv("EXAMPLE_DEVELOPMENT_SECRET"));
        System.out.printf("%nwebhook-filter example on http://localhost:%d/%n", port);
        System.out.printf("  open http://localhost:%d/ to see what arrived and send a test event%n", port);
        System.out.printf("  POST signed events to http://localhost:%d/webhooks/%n", port);
        System.out.printf("  see what arrived at   http://localhost:%d/events%n", port);
        System.out.println(development
                ? "  secret: the development secret whsec_example_development_only (set WEBHOOK_SECRET to use your own)"
                : "  secret: from the WEBHOOK_SECRET environment variable");
        System.out.println("Stop with Ctrl-C.");
        server.join();
    }

    /**
     * Starts the WAR at {@code war} on 127.0.0.1; the filter reads its secret from {@code WEBHOOK_SECRET}.
     *
     * @param port the port, or 0 for a free one (see {@link #port})
     * @throws Exception if the server or the application does not start
     */
    static Server start(Path war, int port) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toString());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.setStopAtShutdown(true);
        server.start();
        return server;
    }

    /** The port a started server listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
