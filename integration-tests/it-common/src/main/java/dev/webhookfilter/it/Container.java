package dev.webhookfilter.it;

import java.nio.file.Path;
import java.time.Duration;

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
     * filter and at {@value ProbeServlet#PLAIN_CONTEXT_PATH} without it; returns once all serve.
     *
     * @param idleTimeout how long the connector waits for the next bytes of a request before
     *        giving up on it
     * @throws Exception if the container or an application fails to start
     */
    DeployedApp start(Path war, Duration idleTimeout) throws Exception;
}
