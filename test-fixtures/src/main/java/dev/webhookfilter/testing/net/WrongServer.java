package dev.webhookfilter.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A loopback server that is not the one a client expects: it accepts every connection and answers with
 * what its {@link Answer} says (an HTTP error, random bytes, a well-formed reply of another kind, or
 * nothing at all), so that a test can check what a client does when it reaches the wrong server. Each
 * connection is served on a thread of its own, named {@value #THREAD_PREFIX}..., so that a test that
 * looks for threads left behind can tell them from the client's. Closing it closes every connection.
 */
public final class WrongServer extends LoopbackServer {

    /** The start of every thread's name. */
    public static final String THREAD_PREFIX = "wrong-server";

    /** What the server does with one accepted connection; it returns when done, and the server closes the socket. */
    public interface Answer {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    /**
     * {@code HTTP/1.1 400 Bad Request}, then the connection closed, as a web server answers bytes it
     * cannot read as a request.
     */
    public static final byte[] HTTP_400 = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\n"
            + "Connection: close\r\n\r\nBad Request").getBytes(StandardCharsets.US_ASCII);

    private final Answer answer;

    private WrongServer(Answer answer) throws IOException {
        super(THREAD_PREFIX);
        this.answer = answer;
        startAccepting();
    }

    /** Starts a server on a free loopback port that serves each connection with {@code answer}. */
    public static WrongServer start(Answer answer) throws IOException {
        return new WrongServer(answer);
    }

    /** Reads the client's first bytes, writes {@code reply} once and closes the connection (an HTTP server's 400). */
    public static Answer replyOnceAndClose(byte[] reply) {
        byte[] copy = reply.clone();
        return (in, out) -> {
            if (in.read(new byte[4096]) >= 0) {
                out.write(copy);
                out.flush();
            }
        };
    }

    /**
     * Writes {@code reply} each time bytes arrive, until the client closes the connection: a server that
     * answers every request, well-formed or not, with the same thing.
     */
    public static Answer replyToEveryRead(byte[] reply) {
        byte[] copy = reply.clone();
        return (in, out) -> {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                out.write(copy);
                out.flush();
            }
        };
    }

    /** Closes each connection as soon as it is accepted, before reading or writing anything. */
    public static Answer closeAtOnce() {
        return (in, out) -> {
        };
    }

    /** {@code n} bytes from a {@link Random} seeded with {@code seed}: the same bytes on every run. */
    public static byte[] randomBytes(long seed, int n) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Override
    void serve(Socket connection, int n) {
        thread("connection-" + n, () -> {
            try {
                answer.serve(connection.getInputStream(), connection.getOutputStream());
            } catch (IOException e) {
                // The client went away, or the server was closed.
            } finally {
                closeQuietly(connection);
            }
        });
    }
}
