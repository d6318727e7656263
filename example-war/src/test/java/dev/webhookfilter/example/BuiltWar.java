package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The WAR the build made ({@code example.war}, which failsafe sets), started by {@link ExampleServer} on a
 * free loopback port before each test and stopped after it: {@code @RegisterExtension final BuiltWar war =
 * new BuiltWar();}. Its filter reads the secret failsafe puts in {@code WEBHOOK_SECRET}.
 */
final class BuiltWar implements BeforeEachCallback, AfterEachCallback {

    private Server server;
    private int port;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = ExampleServer.start(Path.of(System.getProperty("example.war", "target/example-war.war")), 0);
        port = ExampleServer.port(server);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        server.stop();
    }

    int port() {
        return port;
    }

    /** The loopback address and port the WAR was reached on, as a browser on this machine names it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code /events}, asked for from the loopback address: what the handler received. */
    JsonObject events() throws Exception {
        RawResponse events = RawConnection.exchange(port, RawRequest.of("GET", "/events").host(host()));
        assertEquals(200, events.status(), events.text());
        assertEquals("nosniff", events.header("X-Content-Type-Options").orElse(null));
        return Json.createReader(new StringReader(events.text())).readObject();
    }
}
