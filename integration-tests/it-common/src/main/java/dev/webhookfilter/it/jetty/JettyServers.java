package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.DeployedApp;
import dev.webhookfilter.it.ExchangeLog;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Jetty;
import org.slf4j.LoggerFactory;

/**
 * The part of a Jetty 12 fixture that does not depend on the EE environment: server, loopback
 * connector, request log. The ee10 and ee11 modules build their two contexts with their own
 * environment's classes and hand them here. Compiled against jetty-server, which those modules
 * bring; the Tomcat modules never load this class.
 */
public final class JettyServers {

    private JettyServers() {
    }

    /**
     * Starts Jetty on 127.0.0.1 with these contexts.
     *
     * @param environment {@code ee10} or {@code ee11}, for {@link DeployedApp#serverInfo()}
     * @throws Exception if the server or a context fails to start (the contexts must be set to throw)
     */
    public static DeployedApp start(String environment, Duration idleTimeout, ContextHandler... contexts) throws Exception {
        String logging = LoggerFactory.getILoggerFactory().getClass().getName();
        if (!logging.startsWith("org.slf4j.jul.")) {
            // Otherwise the scenarios' check that Jetty logged no warning would pass without looking.
            throw new IllegalStateException("Jetty logs through SLF4J to " + logging
                    + ", not java.util.logging: put org.slf4j:slf4j-jdk14 on the test classpath");
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        server.setHandler(new ContextHandlerCollection(contexts));

        ExchangeLog exchanges = new ExchangeLog();
        server.setRequestLog((request, response) ->
                exchanges.record(request.getMethod(), request.getHttpURI().getPath(), response.getStatus()));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return DeployedApp.of(connector.getLocalPort(), "Jetty/" + Jetty.VERSION + " " + environment,
                exchanges, server::stop);
    }
}
