package dev.webhookfilter.benchmarks.smoke;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The example WAR twice in one embedded Jetty 12 on 127.0.0.1, for the wrk smoke test: at
 * {@code /filtered} exactly as built (its own {@code web.xml}, {@code WebhookSignatureFilter} in
 * front of {@code /webhooks/*}), and at {@code /unfiltered} with the same handler servlet behind
 * {@link StandInFilter} instead. Same JVM, connector and handler, so the difference between the
 * two is the filter. The example WAR itself is not changed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.webhookfilter.benchmarks.smoke.SmokeServer WAR PORT
 * [PORT_FILE]}; port 0 takes an ephemeral one, written to {@code PORT_FILE} once listening.
 * The filter reads its secret from {@code WEBHOOK_SECRET}, as in the example.
 */
public final class SmokeServer {

    /** Held so that the level set below is not lost when the logger is collected. */
    private static final Logger HANDLER_LOG = Logger.getLogger("dev.webhookfilter.example");

    private SmokeServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SmokeServer WAR PORT [PORT_FILE]");
            System.exit(2);
        }
        Path war = Path.of(args[0]);
        if (!Files.isRegularFile(war)) {
            System.err.println("No WAR at " + war + "; build it: mvn -pl example-war -am -DskipTests package");
            System.exit(2);
        }
        // The handler logs a line per event; at thousands of requests a second that would be the
        // load under test. Both contexts log the same, so quieting it changes no comparison.
        HANDLER_LOG.setLevel(Level.WARNING);

        Server server = new Server(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])));
        server.setHandler(new Handler.Sequence(
                webapp(war, "/filtered", null),
                webapp(war, "/unfiltered", unfilteredDescriptor())));
        server.setStopAtShutdown(true);
        server.start();

        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        if (args.length > 2) {
            Path portFile = Path.of(args[2]);
            Path written = Files.writeString(Files.createTempFile(portFile.toAbsolutePath().getParent(), "port", ".tmp"),
                    Integer.toString(port));
            Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf("smoke server on http://127.0.0.1:%d/filtered/webhooks/ and /unfiltered/webhooks/%n", port);
        server.join();
    }

    private static WebAppContext webapp(Path war, String contextPath, Path descriptor) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setWar(war.toString());
        if (descriptor != null) {
            webapp.setDescriptor(descriptor.toString());
        }
        webapp.setThrowUnavailableOnStartupException(true);
        return webapp;
    }

    /** The {@code web.xml} of the unfiltered context, copied out of this jar for Jetty to read. */
    private static Path unfilteredDescriptor() throws IOException {
        Path file = Files.createTempFile("unfiltered-web", ".xml");
        file.toFile().deleteOnExit();
        try (InputStream in = SmokeServer.class.getResourceAsStream("unfiltered-web.xml")) {
            if (in == null) {
                throw new IllegalStateException("unfiltered-web.xml is missing from the benchmarks jar");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
