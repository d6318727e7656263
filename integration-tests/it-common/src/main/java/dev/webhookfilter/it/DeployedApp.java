package dev.webhookfilter.it;

import java.util.List;

/** A running container with the example WAR, as the scenarios see it. */
public interface DeployedApp extends AutoCloseable {

    /** The ephemeral port it listens on, on 127.0.0.1. */
    int port();

    /** Name and version, as the container reports them: {@code Apache Tomcat/11.0.27}, {@code Jetty/12.1.14 ee10}. */
    String serverInfo();

    /**
     * Every request the container has finished, in the order it logged them (its access or
     * request log), including those it refused itself before any application ran.
     */
    List<Exchange> exchanges();

    /** Stops the container. */
    @Override
    void close() throws Exception;

    /** One finished request as the container logged it: the status is what it actually sent, or would have. */
    record Exchange(String method, String uri, int status) {
    }
}
