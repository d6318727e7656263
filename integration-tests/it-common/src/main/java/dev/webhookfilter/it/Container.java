package dev.webhookfilter.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts one embedded servlet container with the example WAR, for the scenarios. Each container
 * module implements it in a few lines with its own container's API.
 */
public interface Container {

    /** The connector's idle (read) timeout unless a scenario class asks for another. */
    Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Starts the container on {@code 127.0.0.1} and an ephemeral port, with {@code war} deployed at
     * {@code /} and the {@link ProbeServlet} at {@value ProbeServlet#CONTEXT_PATH} behind the
     * filter and at {@value ProbeServlet#PLAIN_CONTEXT_PATH} without it, and an empty context for
     * each of {@code contexts}, at its path, that runs it as a {@code ServletContainerInitializer}
     * and has {@link AddedContext#errorPages()} as its error pages, and {@code war} again at
     * the path of each of {@code redeployed}, reading its descriptor instead of the WAR's own;
     * returns once all serve. One of {@code contexts} that fails to start (its filter refused its
     * configuration) does not stop the others: its requests get what the container answers for it.
     *
     * @param idleTimeout how long the connector waits for the next bytes of a request before
     *        giving up on it; with {@code h2c}, also how long an HTTP/2 stream waits for its next frame
     * @param h2c whether the connector also speaks HTTP/2 over cleartext (prior knowledge, RFC 9113 3.3)
     *        beside HTTP/1.1, on the same port, as Tomcat's {@code Http2Protocol} and Jetty's
     *        {@code HTTP2CServerConnectionFactory} make it
     * @param tls when not null, a second connector on its own ephemeral port ({@link DeployedApp#tlsPort()}) speaks
     *        TLS with this certificate and offers {@code h2} and {@code http/1.1} by ALPN (RFC 7301), its HTTP/2
     *        streams idling out as h2c's do; HTTP/2 there as Tomcat's {@code Http2Protocol} on an
     *        {@code SSLHostConfig} and Jetty's {@code HTTP2ServerConnectionFactory} behind an
     *        {@code ALPNServerConnectionFactory} make it
     * @throws Exception if the container, the WAR (at {@code /} or redeployed) or the probe fails to start
     */
    DeployedApp start(Path war, Duration idleTimeout, boolean h2c, TestCertificate tls,
                      List<? extends AddedContext> contexts, List<RedeployedWar> redeployed)
            throws Exception;
}
