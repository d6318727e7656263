package dev.webhookfilter.it.standalone;

import dev.webhookfilter.it.RedeployedWar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server installed from its distribution archive and run as a child process, the way an operator
 * runs it: a read-only home, a base of our own with the configuration, {@code webapps/} and
 * {@code logs/}, and the secret in the process environment only.
 *
 * <p>Each start takes a fresh free port on 127.0.0.1; if another process takes it first, the start
 * is retried on another. {@link #close()} stops the process (SIGTERM, which runs the server's own
 * orderly shutdown; SIGKILL after 30 s). A shutdown hook kills a server still running when the test
 * JVM exits, so only a test JVM killed outright can leave one behind.
 */
abstract class StandaloneServer implements AutoCloseable {

    /** The name of the variable that the example WAR's web.xml reads ({@code env:WEBHOOK_SECRET}). */
    static final String SECRET_VARIABLE = "WEBHOOK_SECRET";
    /** The log of the process's own stdout and stderr, beside the server's log files. */
    static final String CONSOLE_LOG = "console.log";

    private static final long START_TIMEOUT_MILLIS = 120_000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    private static final int START_ATTEMPTS = 3;
    /** Variables that would point the child at another installation or change its JVM. */
    private static final List<String> INHERITED_VARIABLES_REMOVED = List.of(SECRET_VARIABLE,
            "CATALINA_HOME", "CATALINA_BASE", "CATALINA_OPTS", "CATALINA_OUT", "CATALINA_PID", "CATALINA_TMPDIR",
            "JAVA_OPTS", "JRE_HOME", "JPDA_OPTS", "CLASSPATH", "JETTY_HOME", "JETTY_BASE", "JETTY_ARGS",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    /** Small heap, quick start: the servers answer a few hundred small requests. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    final String name;
    final Path home;
    final Path base;
    final Path javaHome;
    private List<String> jvmOptions = JVM_OPTIONS;
    private Process process;
    private int port;
    private Thread shutdownHook;
    private long startMillis;
    private long stopMillis;

    StandaloneServer(String name, Path home, Path base) {
        this.name = name;
        this.home = home;
        this.base = base;
        this.javaHome = Path.of(System.getProperty("standalone.javaHome", System.getProperty("java.home")));
    }

    /**
     * Runs the server with at most {@code maxHeap} of heap ({@code -Xmx} syntax, such as
     * {@code 128m}) instead of {@link #JVM_OPTIONS}'s; takes effect at the next start.
     */
    final StandaloneServer maxHeap(String maxHeap) {
        jvmOptions = JVM_OPTIONS.stream().map(option -> option.startsWith("-Xmx") ? "-Xmx" + maxHeap : option).toList();
        return this;
    }

    /** The JVM options the server runs with: {@link #JVM_OPTIONS} unless {@link #maxHeap} changed them. */
    final List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Whether the server's process is still running. */
    final boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Lays out a new, empty base: whatever an earlier run left there is removed first. */
    abstract void install(Path war) throws IOException, InterruptedException;

    /** Points the base at {@code port}; called before each start attempt. */
    abstract void configurePort(int port) throws IOException;

    /** The command that runs the server in the foreground, from the base directory. */
    abstract List<String> command();

    /** Adds what the server's launcher needs to the child's environment. */
    void environment(Map<String, String> environment) {
    }

    /** The context paths the WAR is deployed at, each starting with {@code /}. */
    abstract List<String> contextPaths();

    /**
     * Deploys {@code copy}, made from {@code war}, at its path, in the environment of the WAR's deployment at
     * {@code beside} (one of {@link #contextPaths()}), as a WAR file of its own in {@code webapps/}; after
     * {@link #install}, before {@link #start}.
     *
     * @throws IllegalArgumentException if the path is not one segment, such as {@code /example-typo}
     */
    abstract void deploy(RedeployedWar copy, Path war, String beside) throws IOException;

    /** The server's own record that the web application at {@code contextPath} failed to start. */
    abstract Pattern failedStart(String contextPath);

    /** Text in the console log once the server has started and its connector listens. */
    abstract String startedMarker();

    /** The HTTP status this server answers for a web application that failed to start. */
    abstract int unavailableStatus();

    /**
     * Starts the server with {@code secret} in its environment, or with the variable absent if
     * {@code secret} is null, and waits until it listens.
     *
     * @throws IllegalStateException with the end of the console log if it does not start
     */
    final StandaloneServer start(String secret) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        String failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = freePort();
            configurePort(port);
            Path logs = Files.createDirectories(base.resolve("logs"));
            ProcessBuilder builder = new ProcessBuilder(command())
                    .directory(base.toFile())
                    .redirectErrorStream(true)
                    // Truncated on each attempt: the markers looked for must come from this one.
                    .redirectOutput(logs.resolve(CONSOLE_LOG).toFile());
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(cleanEnvironment());
            environment(environment);
            if (secret != null) {
                environment.put(SECRET_VARIABLE, secret);
            }
            process = builder.start();
            if (shutdownHook == null) {
                shutdownHook = new Thread(this::kill, name + "-killer");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            failure = awaitStarted();
            if (failure == null) {
                startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                return this;
            }
            kill();
            if (!failure.contains("BindException") && !failure.contains("Address already in use")) {
                break; // only a lost race for the port is worth another attempt
            }
        }
        throw new IllegalStateException(name + " did not start: " + failure);
    }

    /** Null once started; otherwise why not, with the end of the console log. */
    private String awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        Path console = base.resolve("logs").resolve(CONSOLE_LOG);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "the process exited with status " + process.exitValue() + "; console:\n" + tail(console);
            }
            if (Files.readString(console, StandardCharsets.ISO_8859_1).contains(startedMarker()) && listening()) {
                return null;
            }
            Thread.sleep(50);
        }
        return "no '" + startedMarker() + "' within " + START_TIMEOUT_MILLIS + " ms; console:\n" + tail(console);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    final URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    final int port() {
        return port;
    }

    /** Every file under the base's {@code logs/}, as text. */
    final ServerLogs logs() {
        return ServerLogs.read(base.resolve("logs"));
    }

    /** How long the last start took, including retries; how long the stop took. */
    final String timings() {
        return String.format("%s: started in %d ms, stopped in %d ms (Java at %s)", name, startMillis, stopMillis, javaHome);
    }

    /** Stops the server gracefully (SIGTERM runs its shutdown hooks), forcibly after a timeout. */
    @Override
    public final void close() {
        if (process == null) {
            return;
        }
        long begin = System.nanoTime();
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down already and runs the hook itself.
            }
            shutdownHook = null;
        }
        System.out.println("[standalone] " + timings());
    }

    private void kill() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.descendants().forEach(ProcessHandle::destroyForcibly);
            current.destroyForcibly();
            try {
                current.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The Java launcher of the JDK the servers run on. */
    final String java() {
        return javaHome.resolve("bin").resolve("java").toString();
    }

    /** A file or directory that Maven resolved and names in system property {@code key}. */
    static Path pathProperty(String key) {
        Path path = Path.of(property(key));
        if (!Files.exists(path)) {
            throw new IllegalStateException(key + "=" + path + " does not exist");
        }
        return path;
    }

    /** Where the servers' bases go, one directory each. */
    static Path workDirectory() {
        return Path.of(property("standalone.work"));
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + key + " is not set: run these tests through"
                    + " Maven (mvn -pl integration-tests/standalone -am verify), which resolves the distributions");
        }
        return value;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * The server JVM's threads and their stacks, as {@code jcmd <pid> Thread.print} prints them: what shows
     * from outside where the server's request threads are parked. The JVM is the last {@code java} process
     * among the launched one and its descendants (Tomcat's runs under {@code sh catalina.sh}).
     *
     * @throws IllegalStateException if no JVM runs or jcmd fails (the server died, say)
     */
    final String threadDump() throws IOException, InterruptedException {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        ProcessHandle jvm = Stream.concat(Stream.of(current.toHandle()), current.descendants())
                .filter(handle -> handle.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException(name + ": no java process under " + current.pid()));
        Path jcmd = javaHome.resolve("bin").resolve("jcmd");
        Process dump = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(jvm.pid()), "Thread.print").redirectErrorStream(true).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0) {
            dump.destroyForcibly();
            throw new IllegalStateException("jcmd " + jvm.pid() + " Thread.print failed:\n" + output);
        }
        return output;
    }

    /** The name of the WAR file in {@code webapps/} that the server deploys at {@code contextPath}. */
    static String warFileName(String contextPath) {
        if (!contextPath.matches("/[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("not a one-segment context path: " + contextPath);
        }
        return contextPath.substring(1) + ".war";
    }

    /** Runs a set-up command to its end, failing with its output unless it exits 0. */
    static void run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process setup = builder.redirectErrorStream(true).start();
        String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0) {
            setup.destroyForcibly();
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed:\n" + output);
        }
    }

    /** This process's environment without what would redirect the child; JAVA_HOME set to ours. */
    final Map<String, String> cleanEnvironment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        INHERITED_VARIABLES_REMOVED.forEach(environment::remove);
        environment.put("JAVA_HOME", javaHome.toString());
        return environment;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
