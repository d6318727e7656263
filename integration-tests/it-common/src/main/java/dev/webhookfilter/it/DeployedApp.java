package dev.webhookfilter.it;

import java.util.List;

/** A running container with the example WAR, as the scenarios see it. */
@SuppressWarnings("try") // close() may throw InterruptedException: stopping a container waits for its threads
public interface DeployedApp extends AutoCloseable {

    /** The ephemeral port it listens on, on 127.0.0.1. */
    int port();

    /** The ephemeral port of its TLS connector, on 127.0.0.1, or -1 if it has none ({@link Container#start}). */
    int tlsPort();

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

    /**
     * A running container as the fixtures describe it.
     *
     * @param tlsPort the TLS connector's port, or -1 for none
     * @param stop stops the container and removes what it left behind
     */
    static DeployedApp of(int port, int tlsPort, String serverInfo, ExchangeLog exchanges, AutoCloseable stop) {
        return new DeployedApp() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public int tlsPort() {
                return tlsPort;
            }

            @Override
            public String serverInfo() {
                return serverInfo;
            }

            @Override
            public List<Exchange> exchanges() {
                return exchanges.snapshot();
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }

            @Override
            public String toString() {
                return serverInfo + " on 127.0.0.1:" + port + (tlsPort < 0 ? "" : " and TLS :" + tlsPort);
            }
        };
    }

    /** One finished request as the container logged it: the status is what it actually sent, or would have. */
    record Exchange(String method, String uri, int status) {
    }
}
