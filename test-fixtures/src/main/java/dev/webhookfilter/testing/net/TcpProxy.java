package dev.webhookfilter.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP proxy on loopback between a client and a real server, that forwards until told to misbehave:
 * to put {@link Mode#GARBAGE} in place of what the server sends, or to {@link Mode#DROP} every byte
 * either way while the connections stay open. The mode applies to the connections already open and to
 * new ones, from the next bytes read. Each connection takes two threads, named {@value #THREAD_PREFIX}...,
 * so that a test that looks for threads left behind can tell them from the client's. Closing the proxy
 * closes every connection.
 */
public final class TcpProxy extends LoopbackServer {

    /** The start of every thread's name. */
    public static final String THREAD_PREFIX = "tcp-proxy";

    /**
     * What {@link Mode#GARBAGE} sends in place of each chunk from the server: a zero byte first, which
     * starts no reply in RESP (Redis) nor a message in PostgreSQL's protocol, then text and a high byte.
     */
    public static final byte[] GARBAGE = "\u0000garbage \u00ff\u00fe\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** What the proxy does with the bytes it reads. */
    public enum Mode {
        /** Passes them on, both ways. */
        FORWARD,
        /** Passes the client's on; in place of each chunk from the server, sends {@link #GARBAGE} to the client. */
        GARBAGE,
        /** Reads and discards them, both ways: neither side hears from the other, and neither connection closes. */
        DROP
    }

    private volatile InetSocketAddress upstream;
    private volatile Mode mode = Mode.FORWARD;

    private TcpProxy(int upstreamPort) throws IOException {
        super(THREAD_PREFIX);
        upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        startAccepting();
    }

    /** Starts a proxy on a free loopback port to the server on {@code upstreamPort} of 127.0.0.1, forwarding. */
    public static TcpProxy to(int upstreamPort) throws IOException {
        return new TcpProxy(upstreamPort);
    }

    /**
     * Connects the connections opened from now on to the server on {@code upstreamPort} of 127.0.0.1, as a host name
     * that a failover moved to another server does; the connections open stay with the server they reached.
     */
    public void retarget(int upstreamPort) {
        upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    }

    /** Switches to {@code mode}, for the connections open and for new ones. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    void serve(Socket client, int n) {
        Socket server = new Socket();
        opened(server);
        try {
            server.connect(upstream, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        thread(n + "-up", () -> pump(client, server, false));
        thread(n + "-down", () -> pump(server, client, true));
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                Mode now = mode;
                if (now == Mode.FORWARD) {
                    out.write(buffer, 0, n);
                } else if (now == Mode.GARBAGE) {
                    out.write(fromServer ? GARBAGE : buffer, 0, fromServer ? GARBAGE.length : n);
                }
                out.flush();
            }
        } catch (IOException e) {
            // One side closed or reset: close the other below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }
}
