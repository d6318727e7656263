package dev.webhookfilter.testing.redis;

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
 * to check what the store wrote. It needs no Redis client: it checks that the server answers with a raw
 * {@code PING}. The Redis store's tests and the Spring Boot starter's (a store opened from a {@code redis://} URI)
 * share it.
 *
 * <p>Without {@code redis-server} on the PATH the test is skipped with an install hint, unless
 * {@value #REQUIRE_SERVERS}=1 (as in CI) makes that a failure. Not thread-safe: one test drives it.
 */
public final class RedisServer implements AutoCloseable {

    /** The environment variable that, set to {@code 1}, turns a missing {@code redis-server} into a failure. */
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
    public static void requireInstalled() {
        requireInstalled(System::getenv);
    }

    /** {@link #requireInstalled()} reading the environment through {@code environment}. */
    static void requireInstalled(Function<String, String> environment) {
        RequiredCommands.check(environment, REQUIRE_SERVERS, "on Debian or Ubuntu: apt-get install redis-server;"
                + " the tests that need Redis start their own servers on loopback", "redis-server", "redis-cli");
    }

    /**
     * Starts a plain server on a free port, with {@code extra} arguments (for example {@code --requirepass x}), or
     * skips the calling test as {@link #requireInstalled()} does.
     *
     * @param dir the server's working directory, which also holds its log, {@code redis.log}
     * @param extra more {@code redis-server} arguments
     * @return the server, answering on 127.0.0.1
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting for it to answer
     */
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

    /**
     * Starts a cluster-enabled node on a free port from a config file of its own in {@code dir}.
     *
     * @param dir the node's directory
     * @return the node
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting for it to answer
     */
    public static RedisServer startClusterNode(Path dir) throws IOException, InterruptedException {
        requireInstalled();
        return startClusterNode(dir, freePort(true), 0);
    }

    /**
     * Starts a cluster-enabled node on {@code port} (one {@link #freePort freePort(true)} gave) that tells clients
     * to reach it on {@code announcedPort} (a proxy's), or on its own port if 0; its bus stays on port + 10000.
     *
     * @param dir the node's directory
     * @param port the port it listens on
     * @param announcedPort the port it tells clients, or 0 for its own
     * @return the node
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting for it to answer
     */
    public static RedisServer startClusterNode(Path dir, int port, int announcedPort) throws IOException, InterruptedException {
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
    private boolean answersPing() {
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

    /** {@return the port the server listens on, on 127.0.0.1} */
    public int port() {
        return port;
    }

    /** {@return {@code 127.0.0.1:<port>}, as a {@code redis://} URI writes the server} */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /**
     * Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the server: frozen, it keeps its connections and answers nothing.
     *
     * @param signal {@code STOP} or {@code CONT}
     * @throws IOException if {@code kill} cannot be run
     * @throws InterruptedException if interrupted while waiting for {@code kill}
     */
    public void signal(String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kill -" + signal + " failed");
        }
    }

    /**
     * Starts the server again on the same port, with the same arguments and directory, killing it first if it runs.
     *
     * @throws IOException if the process cannot be started
     * @throws InterruptedException if interrupted while waiting for it to answer
     */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p <port> command...} and returns its output, trimmed.
     *
     * @param command the arguments after the port: a command and its arguments, or options
     * @return what redis-cli printed, stdout and stderr together
     * @throws IOException if redis-cli cannot be run
     * @throws InterruptedException if interrupted while waiting for it
     */
    public String cli(String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        all.addAll(List.of(command));
        return run(all);
    }

    /**
     * Runs {@code command} (such as {@code redis-cli --cluster create ...}) and returns its output, trimmed; fails the
     * test if it takes more than 30 s.
     *
     * @param command the program and its arguments
     * @return what it printed, stdout and stderr together
     * @throws IOException if it cannot be run
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static String run(List<String> command) throws IOException, InterruptedException {
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

    /**
     * Stops the server (SIGTERM, then SIGKILL after 10 s), if it runs.
     *
     * @throws InterruptedException if interrupted while waiting for it to stop
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A free loopback port; for a cluster node, one whose bus port (port + 10000) is free too.
     *
     * @param withBus whether port + 10000 must be free too
     * @return the port
     * @throws IOException if none is found in 100 attempts
     */
    public static int freePort(boolean withBus) throws IOException {
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
