package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.DeployedApp;
import dev.webhookfilter.it.ExchangeLog;
import dev.webhookfilter.it.TestCertificate;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.LoggerFactory;

/**
 * The part of a Jetty 12 fixture that does not depend on the EE environment: server, loopback
 * connector, request log. The ee10 and ee11 modules build their two contexts with their own
 * environment's classes and hand them here. Compiled against jetty-server, which those modules
 * bring; the Tomcat modules never load this class.
 */
public final class JettyServers {

    private static final Logger LOG = Logger.getLogger(JettyServers.class.getName());

    private JettyServers() {
    }

    /**
     * Starts Jetty on 127.0.0.1 with these contexts.
     *
     * @param environment {@code ee10} or {@code ee11}, for {@link DeployedApp#serverInfo()}
     * @param h2c whether the connector also speaks HTTP/2 cleartext (prior knowledge or upgrade), its streams
     *        idling out after {@code idleTimeout} as connections do
     * @param tls when not null, a second connector speaks TLS with this certificate, offering {@code h2} (its
     *        streams idling out as h2c's) and {@code http/1.1} by ALPN, the JDK's ({@code jetty-alpn-java-server})
     * @param contexts must start: the server does not start without them (they must be set to throw)
     * @param optional started one by one once the server runs; one that fails to start is left
     *        out, so that its path gets the 404 of the context at {@code /}, as in Tomcat
     * @throws Exception if the server or one of {@code contexts} fails to start
     */
    public static DeployedApp start(String environment, Duration idleTimeout, boolean h2c, TestCertificate tls,
                                    List<ContextHandler> contexts, List<ContextHandler> optional) throws Exception {
        String logging = LoggerFactory.getILoggerFactory().getClass().getName();
        if (!logging.startsWith("org.slf4j.jul.")) {
            // Otherwise the scenarios' check that Jetty logged no warning would pass without looking.
            throw new IllegalStateException("Jetty logs through SLF4J to " + logging
                    + ", not java.util.logging: put org.slf4j:slf4j-jdk14 on the test classpath");
        }
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector;
        if (h2c) {
            // HTTP/1.1 first: it also takes the h2c preface (PRI * HTTP/2.0) and Upgrade: h2c, and hands over.
            HTTP2CServerConnectionFactory http2 = new HTTP2CServerConnectionFactory(http);
            http2.setStreamIdleTimeout(idleTimeout.toMillis());
            connector = new ServerConnector(server, new HttpConnectionFactory(http), http2);
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        ServerConnector tlsConnector = tls == null ? null : tlsConnector(server, http, idleTimeout, tls);
        ContextHandlerCollection collection = new ContextHandlerCollection(contexts.toArray(ContextHandler[]::new));
        server.setHandler(collection);

        ExchangeLog exchanges = new ExchangeLog();
        server.setRequestLog((request, response) ->
                exchanges.record(request.getMethod(), request.getHttpURI().getPath(), response.getStatus()));
        try {
            server.start();
            for (ContextHandler context : optional) {
                context.setServer(server);
                try {
                    context.start();
                } catch (Exception e) {
                    LOG.log(Level.INFO, "context " + context.getContextPath() + " did not start: " + e);
                    context.stop();
                    continue;
                }
                collection.addHandler(context);
            }
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return DeployedApp.of(connector.getLocalPort(), tlsConnector == null ? -1 : tlsConnector.getLocalPort(),
                "Jetty/" + Jetty.VERSION + " " + environment,
                exchanges, server::stop);
    }

    /**
     * A loopback connector with TLS, then ALPN, then HTTP/2 or HTTP/1.1 as agreed, as Jetty's {@code https} and
     * {@code http2} modules set it up; added to {@code server}.
     */
    private static ServerConnector tlsConnector(Server server, HttpConfiguration http, Duration idleTimeout,
                                                TestCertificate tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.password()));
        ssl.setCertAlias(TestCertificate.ALIAS);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        h2.setStreamIdleTimeout(idleTimeout.toMillis());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                h2, new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        return connector;
    }
}
