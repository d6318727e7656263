package dev.webhookfilter.testing.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link WrongServer} and {@link TcpProxy} share: a server socket on a free loopback port, accepting on a thread
 * of its own until closed, the sockets still open and the threads started, each named from a prefix so that a test
 * that looks for threads left behind can tell them from the client's. Closing it closes every socket and waits for
 * the threads to end.
 */
abstract class LoopbackServer implements AutoCloseable {

    private final String threadPrefix;
    private final ServerSocket socket;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    LoopbackServer(String threadPrefix) throws IOException {
        this.threadPrefix = threadPrefix;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, threadPrefix + "-" + socket.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Starts accepting; a subclass calls it once its own fields are set. */
    final void startAccepting() {
        acceptor.start();
    }

    /** Serves the {@code n}th connection accepted, which is open until {@link #closeQuietly}. */
    abstract void serve(Socket connection, int n);

    /** The port on 127.0.0.1. */
    public int port() {
        return socket.getLocalPort();
    }

    /** How many connections it has accepted. */
    public int accepted() {
        return accepted.get();
    }

    /** Tracks {@code s} as open, for {@link #close} to close. */
    final void opened(Socket s) {
        open.add(s);
    }

    /** Starts a daemon thread named {@code threadPrefix-suffix}, which {@link #close} waits for. */
    final void thread(String suffix, Runnable task) {
        Thread t = new Thread(task, threadPrefix + "-" + suffix);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
    }

    /** Closes {@code s}, which is no longer open. */
    final void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        } finally {
            open.remove(s);
        }
    }

    private void accept() {
        while (!closed) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            opened(connection);
            serve(connection, accepted.incrementAndGet());
        }
    }

    /** Stops accepting, closes every open connection and waits for the threads to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        socket.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
        acceptor.join(5_000);
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            t.join(5_000);
        }
    }
}
