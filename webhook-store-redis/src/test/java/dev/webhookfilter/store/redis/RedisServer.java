package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.testing.RequiredCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real {@code redis-server} process on a free loopback port, in its own directory, for tests:
 * started with {@code --save '' --appendonly no}, stopped (or killed, paused, restarted on the same
 * port) by the test. {@link #cli} runs Debian's {@code redis-cli} against it, an independent client
 * to check what the store wrote.
 *
 * <p>Without {@code redis-server} on the PATH the test is skipped with an install hint, unless
 * {@value #REQUIRE_SERVERS}=1 (as in CI) makes that a failure.
 */
public final class RedisServer implements AutoCloseable {

    public static final String REQUIRE_SERVERS = RequiredCommands.REQUIRE_SERVERS;

    private final Path dir;
    private final int port;
    private final List<String> args;
    private Process process;

    private RedisServer(Path dir, int port, List<String> args) {
        this.dir = dir;
        this.port = port;
        this.args = args;
    }

    /** Skips the calling test (or fails it where servers are required) unless redis-server and redis-cli are installed. */
    static void requireInstalled() {
        requireInstalled(System::getenv);
    }

    /** {@link #requireInstalled()} reading the environment through {@code environment}. */
    static void requireInstalled(Function<String, String> environment) {
        RequiredCommands.check(environment, REQUIRE_SERVERS, "on Debian or Ubuntu: apt-get install redis-server;"
                + " the Redis store's tests start their own servers on loopback", "redis-server", "redis-cli");
    }

    /** Starts a plain server on a free port, with {@code extra} arguments (for example {@code --requirepass x}). */
    public static RedisServer start(Path dir, String... extra) throws IOException, InterruptedException {
        requireInstalled();
        int port = freePort(false);
        List<String> args = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "-::1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        args.addAll(List.of(extra));
        RedisServer server = new RedisServer(dir, port, args);
        server.launch();
        return server;
    }

    /** Starts a cluster-enabled node from a config file of its own in {@code dir}. */
    static RedisServer startClusterNode(Path dir) throws IOException, InterruptedException {
        requireInstalled();
        return startClusterNode(dir, freePort(true), 0);
    }

    /**
     * Starts a cluster-enabled node on {@code port} (one {@link #freePort freePort(true)} gave) that tells clients
     * to reach it on {@code announcedPort} (a proxy's), or on its own port if 0; its bus stays on port + 10000.
     */
    static RedisServer startClusterNode(Path dir, int port, int announcedPort) throws IOException, InterruptedException {
        requireInstalled();
        Files.createDirectories(dir);
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "cluster-enabled yes",
                "cluster-config-file nodes.conf",
                "cluster-node-timeout 2000",
                // The other masters keep serving their slots while one is down: the tests check that
                // a dead node's keys fail closed without blocking the rest.
                "cluster-require-full-coverage no",
                announcedPort == 0 ? "" : "cluster-announce-port " + announcedPort,
                announcedPort == 0 ? "" : "cluster-announce-bus-port " + (port + 10000),
                "save \"\"",
                "appendonly no",
                "dir " + dir,
                ""));
        RedisServer server = new RedisServer(dir, port, List.of("redis-server", conf.toString()));
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!answersPing()) {
            if (!process.isAlive()) {
                fail("redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"));
            }
            if (System.nanoTime() > deadline) {
                fail("redis-server did not answer PING on port " + port + " within 15 s");
            }
            Thread.sleep(20);
        }
    }

    /** A raw RESP PING, without any Redis client: PONG, or NOAUTH from a server with a password. */
    boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[7];
            int n = s.getInputStream().readNBytes(buf, 0, 7);
            String reply = new String(buf, 0, n, StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.equals("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: it keeps its connections and answers nothing. */
    void signal(String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kill -" + signal + " failed");
        }
    }

    /** Starts the server again on the same port, with the same arguments and directory. */
    void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    /** Runs {@code redis-cli -p <port> args...} and returns its output, trimmed. */
    String cli(String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        all.addAll(List.of(command));
        return run(all);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A free loopback port; for a cluster node, one whose bus port (port + 10000) is free too. */
    static int freePort(boolean withBus) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (!withBus) {
                return port;
            }
            if (port + 10000 > 65535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port pair for a cluster node");
    }
}
