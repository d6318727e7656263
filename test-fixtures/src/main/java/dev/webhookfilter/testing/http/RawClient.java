package dev.webhookfilter.testing.http;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Sends requests to one port on 127.0.0.1 over kept-alive {@link RawConnection}s, as an ordinary
 * HTTP client does: a connection whose response is read carries the next request, so requests one
 * thread sends in turn reach the server on one connection, each after the last is wholly done. A
 * connection the server said it would close is dropped; one the server closed while it was idle is
 * replaced, and the request sent again on a new connection. Thread-safe: each exchange has a
 * connection to itself.
 */
public final class RawClient implements Closeable {

    private final int port;
    private final Deque<RawConnection> idle = new ConcurrentLinkedDeque<>();

    public RawClient(int port) {
        this.port = port;
    }

    /** Sends a whole request and reads its response. */
    public RawResponse exchange(RawRequest request) throws IOException {
        RawConnection kept = idle.poll();
        if (kept != null) {
            try {
                return exchange(kept, request);
            } catch (EOFException | SocketException e) {
                // Closed by the server while idle; nothing was answered, so the request goes again.
            }
        }
        return exchange(RawConnection.open(port), request);
    }

    private RawResponse exchange(RawConnection connection, RawRequest request) throws IOException {
        boolean keep = false;
        try {
            RawResponse response = connection.exchange(request);
            keep = !response.announcesClose();
            return response;
        } finally {
            if (keep) {
                idle.push(connection);
            } else {
                connection.close();
            }
        }
    }

    /** Closes the idle connections. */
    @Override
    public void close() throws IOException {
        for (RawConnection connection; (connection = idle.poll()) != null; ) {
            connection.close();
        }
    }
}
