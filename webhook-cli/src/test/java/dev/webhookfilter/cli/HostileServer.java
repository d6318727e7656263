package dev.webhookfilter.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP/1.1 server on a plain {@link ServerSocket} that reads each request whole and then
 * answers with whatever bytes, at whatever pace, its {@link Answer} chooses: what a hostile or broken
 * endpoint can do and a well-behaved server library will not let a test do.
 */
final class HostileServer implements AutoCloseable {

    /** Writes the response, raw, to {@code out}; it may block as long as it likes. */
    interface Answer {
        void write(String request, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private HostileServer(Answer answer) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> serve(answer), "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static HostileServer answering(Answer answer) throws IOException {
        return new HostileServer(answer);
    }

    /** The status line and headers, then {@code body} with a Content-Length. */
    static HostileServer answering(String head, byte[] body) throws IOException {
        return answering((request, out) -> {
            out.write((head + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        });
    }

    /**
     * Answers 200 with the whole request it received, head and body, as its body, and its head in one header,
     * {@code X-Echo}, its line ends as blanks: what an endpoint or a proxy that quotes the request does.
     */
    static HostileServer echoing() throws IOException {
        return answering((request, out) -> {
            byte[] body = request.getBytes(StandardCharsets.ISO_8859_1);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Echo: " + request.replaceAll("[\r\n]+", " ")
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        });
    }

    String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Each request received, head and body, as ISO-8859-1 text. */
    List<String> requests() {
        return requests;
    }

    boolean isClosed() {
        return closed;
    }

    private void serve(Answer answer) {
        while (!closed) {
            try (Socket connection = socket.accept()) {
                String request = readRequest(connection.getInputStream());
                requests.add(request);
                answer.write(request, connection.getOutputStream());
            } catch (IOException e) {
                // The client went away, or the server was closed: take the next connection, if any.
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended in its head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        socket.close();
        acceptor.interrupt();
        acceptor.join(5_000);
    }
}
