package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as users run it: {@code java -jar webhook-cli-<version>.jar}, nothing beside it. */
class ExecutableJarIT {

    private static final Path JAR = Paths.get(System.getProperty("webhook.cli.jar"));

    @Test
    void javaDashJar_signsWithTheCoreInside() throws Exception {
        Run run = javaDashJar(CliVectors.TEST_EVENT_VECTOR.body(), "sign", "--secret-env", "S", "--timestamp", "1700000000");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("t=1700000000,v1=" + CliVectors.TEST_EVENT_VECTOR.v1() + "\n", run.out());
    }

    @Test
    void helpNamesTheJarAsItWasRun() throws Exception {
        Run run = javaDashJar(new byte[0], "--help");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("webhook-cli: "), run.out());
        assertTrue(run.out().contains("\nUsage: java -jar " + JAR.getFileName() + " <command>"), run.out());
    }

    /**
     * A host name that does not resolve is not a refused connection. The JVM reads an empty hosts file
     * instead of asking DNS (jdk.net.hosts.file), so the name fails here and no query leaves the machine.
     */
    @Test
    void send_toAHostNameThatDoesNotResolve_saysSo(@TempDir Path dir) throws Exception {
        Path hosts = Files.createFile(dir.resolve("hosts"));
        Run run = javaDashJar(List.of("-Djdk.net.hosts.file=" + hosts), new byte[0],
                "send", "--secret-env", "S", "--timeout", "5", "http://no-such-host.invalid/webhooks/?token=tok_q7Zr2mW9xK4");

        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: cannot connect to no-such-host.invalid: the host name does not resolve"),
                run.err());
        assertFalse(run.err().contains("connection refused"), run.err());
        assertFalse(run.out().contains("tok_q7Zr2mW9xK4") || run.err().contains("tok_q7Zr2mW9xK4"), "the query: " + run.err());
    }

    private static final String FRAGMENT_TOKEN = "tok_f8Hd3kQ2zX7";

    /**
     * A URL's fragment is no part of a request, but the JDK's client wrote its URI whole where it writes one as text:
     * in the request line to a proxy the JVM is told of ({@code -Dhttp.proxyHost}, as {@code JAVA_TOOL_OPTIONS} may
     * set it for every JVM), which got the fragment's token, and which may quote it back unmasked. The proxy here is
     * a loopback server that echoes the request; the JVM reads an empty hosts file, so no DNS query leaves the
     * machine.
     */
    @Test
    void send_throughAProxyTheJvmIsGiven_sendsNoFragment(@TempDir Path dir) throws Exception {
        Path hosts = Files.createFile(dir.resolve("hosts"));
        try (HostileServer proxy = HostileServer.echoing()) {
            Run run = javaDashJar(List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port(),
                    "-Djdk.net.hosts.file=" + hosts), new byte[0], "send", "--secret-env", "S", "--timeout", "5",
                    "http://webhooks.example/webhooks/#access_token=" + FRAGMENT_TOKEN);

            assertEquals(0, run.exitCode(), run.err());
            assertTrue(proxy.requests().get(0).startsWith("POST http://webhooks.example/webhooks/ HTTP/1.1\r\n"),
                    proxy.requests().get(0));
            assertFalse(run.out().contains(FRAGMENT_TOKEN) || run.err().contains(FRAGMENT_TOKEN), run.out() + run.err());
        }
    }

    /** The JDK client's own request log ({@code -Djdk.httpclient.HttpClient.log=requests}) wrote the URI whole too. */
    @Test
    void send_withTheHttpClientsRequestLog_logsNoFragment() throws Exception {
        try (HostileServer server = HostileServer.answering("HTTP/1.1 200 OK\r\n", new byte[0])) {
            Run run = javaDashJar(List.of("-Djdk.httpclient.HttpClient.log=requests"), new byte[0],
                    "send", "--secret-env", "S", "--timeout", "5", server.url("/webhooks/#access_token=" + FRAGMENT_TOKEN));

            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().contains("REQUEST: " + server.url("/webhooks/") + " POST"), run.err());
            assertFalse(run.out().contains(FRAGMENT_TOKEN) || run.err().contains(FRAGMENT_TOKEN), run.out() + run.err());
        }
    }

    /**
     * Under LC_ALL=C (many containers), Java cannot make a path of a name outside ASCII: the tool ended with
     * an InvalidPathException's stack trace, which quoted the name (here a secret given where the path goes),
     * and exit code 1.
     */
    @Test
    void aNameOutsideAsciiUnderAnAsciiLocale_isAMessageNotAStackTrace(@TempDir Path dir) throws Exception {
        Run body = javaDashJar(List.of(), Map.of("LC_ALL", "C", "LANG", "C"), new byte[0],
                "sign", "--secret-env", "S", dir.resolve("événement.json").toString());
        Run secret = javaDashJar(List.of(), Map.of("LC_ALL", "C", "LANG", "C"), new byte[0],
                "sign", "--secret-file", "sécret_given_as_path_q7Zr2");

        assertEquals(3, body.exitCode(), body.err());
        assertTrue(body.err().startsWith("error: cannot read body file " + dir), body.err());
        assertTrue(body.err().contains("run in a UTF-8 locale, e.g. LC_ALL=C.UTF-8)\n"), body.err());
        assertEquals(3, secret.exitCode(), secret.err());
        assertFalse(secret.err().contains("given_as_path_q7Zr2"), secret.err());
        for (Run run : List.of(body, secret)) {
            assertFalse(run.err().contains("Exception"), run.err());
        }
    }

    /**
     * A secret file that is standard input, with the body there too, under names other than {@code -} for the body
     * and {@code /dev/stdin}, {@code /dev/fd/0} or {@code /proc/self/fd/0} for the secret ({@code /dev/./stdin}, a
     * link to it; a body FILE {@code /dev/stdin}): the secret took what the pipe held, and the body signed was none,
     * a valid signature of no bytes with exit code 0. Here, not in SecretOptionsTest: read, those names are the test
     * JVM's own standard input.
     */
    @Test
    void secretFileAndBodyBothOnStandardInput_underAnyName_isUsageError(@TempDir Path dir) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("secret.txt"), Paths.get("/dev/stdin"));
        for (List<String> files : List.of(List.of("/dev/./stdin"), List.of(link.toString()),
                List.of("/dev/stdin", "/dev/stdin"))) {
            List<String> args = new ArrayList<>(List.of("sign", "--secret-file"));
            args.addAll(files);
            Run run = javaDashJar("secret_on_stdin_0001\n".getBytes(StandardCharsets.UTF_8), args.toArray(new String[0]));

            assertEquals(2, run.exitCode(), files + ": " + run.out() + run.err());
            assertTrue(run.err().startsWith("error: --secret-file " + files.get(0)
                    + " and the body both read standard input;"), run.err());
            assertEquals("", run.out());
        }
    }

    /** A body that fits in the heap once but not twice: 150 MiB of zeros under -Xmx256m. */
    private static final int LARGE = 150 << 20;
    private static final List<String> SMALL_HEAP = List.of("-Xmx256m");
    // head -c 157286400 /dev/zero | { cat; printf '%s' 1700000000; } \
    //   | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64        (OpenSSL 3.0.19)
    private static final String LARGE_V1 = "sgR/TCVAfMnMfFWSdnLvyqe18t5hqtPUFDclvKM9lnI=";
    // The same of 157286399 zero bytes: the large body without the newline that ends it.
    private static final String LARGE_LESS_ONE_V1 = "XXS82Ft2fWoONFGixmbwikBZn9T4FfOG1dL4HjhyKZ4=";

    /**
     * A body file was read into a list of 8 KiB buffers and then copied into one array, twice its size at
     * the peak: a body that fits in the heap once was refused as "it does not fit in this JVM's memory".
     */
    @Test
    void sign_aBodyFileThatFitsInTheHeapOnce(@TempDir Path dir) throws Exception {
        Path body = sparseZeros(dir.resolve("large.bin"), LARGE, false);

        Run run = javaDashJar(SMALL_HEAP, new byte[0], "sign", "--secret-env", "S", "--timestamp", "1700000000",
                body.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("t=1700000000,v1=" + LARGE_V1 + "\n", run.out());
    }

    /**
     * Standard input redirected from a file ({@code sign < large.bin}) was read as a pipe is, into buffers and
     * then a copy, twice its size at the peak: a body that fits in the heap once was refused as "it does not fit
     * in this JVM's memory". Its size is known beforehand (available()), as a body FILE's is.
     */
    @Test
    void sign_standardInputRedirectedFromAFileThatFitsInTheHeapOnce(@TempDir Path dir) throws Exception {
        Path body = sparseZeros(dir.resolve("large.bin"), LARGE, false);

        Run run = javaDashJar(SMALL_HEAP, Map.of(), ProcessBuilder.Redirect.from(body.toFile()), new byte[0],
                "sign", "--secret-env", "S", "--timestamp", "1700000000");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("t=1700000000,v1=" + LARGE_V1 + "\n", run.out());
    }

    /**
     * Piped standard input ({@code cat large.bin | sign}), whose length is not known beforehand, was read into
     * buffers and then copied into one array, twice its size at the peak: a body that fits in the heap once was
     * refused as "it does not fit in this JVM's memory". It is signed from the arrays it was read into.
     */
    @Test
    void sign_pipedStandardInputThatFitsInTheHeapOnce() throws Exception {
        Run run = javaDashJar(SMALL_HEAP, new byte[LARGE], "sign", "--secret-env", "S", "--timestamp", "1700000000");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("t=1700000000,v1=" + LARGE_V1 + "\n", run.out());
    }

    /**
     * verify's hint for a capture with a trailing newline checked a copy of the body without it: a second
     * body in the heap, which ended an otherwise answerable check with an OutOfMemoryError.
     */
    @Test
    void verify_theTrailingNewlineHintOfABodyThatFitsInTheHeapOnce(@TempDir Path dir) throws Exception {
        Path body = sparseZeros(dir.resolve("large.bin"), LARGE, true);

        Run run = javaDashJar(SMALL_HEAP, new byte[0], "verify", "--secret-env", "S", "--now", "1700000000",
                "--signature", "t=1700000000,v1=" + LARGE_LESS_ONE_V1, body.toString());

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.out().contains("  hint:      without its trailing newline the body matches secret 1 of 1"),
                run.out() + run.err());
    }

    /**
     * Standard input has no size to check first: it is read up to the bound (1 GiB, the largest maxBodyBytes)
     * and no further. Under a heap smaller than what arrives, the read fails with a message and exit code 3,
     * not an OutOfMemoryError's stack trace: here zeros without end into -Xmx64m, until the tool gives up.
     */
    @Test
    void sign_endlessStandardInputUnderASmallHeap_isAMessage() throws Exception {
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", JAR.toString(), "sign", "--secret-env", "S");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("S", CliVectors.DEV_SECRET);
        Process process = builder.start();
        Thread feeder = new Thread(() -> {
            byte[] zeros = new byte[1 << 20];
            try (OutputStream stdin = process.getOutputStream()) {
                for (int mib = 0; mib < 1100; mib++) {
                    stdin.write(zeros);
                }
            } catch (IOException e) {
                // The tool stopped reading: what this test waits for.
            }
        });
        feeder.start();
        Run run = finish(process);
        feeder.join(10_000);

        assertEquals(3, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals("error: cannot read the body on standard input: it does not fit in this JVM's memory; give it"
                + " more with java -Xmx...\n", run.err());
    }

    /**
     * Standard input redirected from a file over the bound, 1 GiB and a byte ({@code sign < huge.bin}), was read up
     * to the bound into an array of its size before it was refused; under a small heap the array failed first, and
     * the refusal said to give the JVM more memory. It is refused as over the bound, as the same file given as FILE
     * is, with exit code 3.
     */
    @Test
    void sign_standardInputRedirectedFromAFileOverTheBound_isRefusedAsTooLargeUnderASmallHeap(@TempDir Path dir)
            throws Exception {
        Path body = sparseZeros(dir.resolve("huge.bin"), (1L << 30) + 1, false);

        Run stdin = javaDashJar(List.of("-Xmx64m"), Map.of(), ProcessBuilder.Redirect.from(body.toFile()), new byte[0],
                "sign", "--secret-env", "S");
        Run file = javaDashJar(List.of("-Xmx64m"), new byte[0], "sign", "--secret-env", "S", body.toString());

        assertEquals(3, stdin.exitCode(), stdin.err());
        assertEquals("", stdin.out());
        assertEquals("error: cannot read the body on standard input: it is larger than 1073741824 bytes, the most the"
                + " filter's maxBodyBytes can accept\n", stdin.err());
        assertEquals(3, file.exitCode(), file.err());
        assertEquals("error: cannot read body file " + body + ": it is larger than 1073741824 bytes, the most the"
                + " filter's maxBodyBytes can accept\n", file.err());
    }

    /** A file of {@code size} bytes, all zero but, if {@code newline}, the last: sparse, so nothing is written. */
    private static Path sparseZeros(Path file, long size, boolean newline) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            if (newline) {
                raf.seek(size - 1);
                raf.write('\n');
            }
        }
        return file;
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code java -jar} on the packaged jar with {@code stdin}, the secret in the environment variable S. */
    private static Run javaDashJar(byte[] stdin, String... args) throws Exception {
        return javaDashJar(List.of(), stdin, args);
    }

    /** As {@link #javaDashJar(byte[], String...)}, with {@code jvmOptions} before {@code -jar}. */
    private static Run javaDashJar(List<String> jvmOptions, byte[] stdin, String... args) throws Exception {
        return javaDashJar(jvmOptions, Map.of(), stdin, args);
    }

    /** As {@link #javaDashJar(List, byte[], String...)}, with {@code environment} added to the process's. */
    private static Run javaDashJar(List<String> jvmOptions, Map<String, String> environment, byte[] stdin,
                                   String... args) throws Exception {
        return javaDashJar(jvmOptions, environment, ProcessBuilder.Redirect.PIPE, stdin, args);
    }

    /**
     * As {@link #javaDashJar(List, Map, byte[], String...)}, with standard input from {@code input}: {@code stdin}
     * is written to it when it is a pipe.
     */
    private static Run javaDashJar(List<String> jvmOptions, Map<String, String> environment,
                                   ProcessBuilder.Redirect input, byte[] stdin, String... args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " (mvn package builds it)");
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("S", CliVectors.DEV_SECRET);
        builder.environment().putAll(environment);
        builder.redirectInput(input);
        Process process = builder.start();
        process.getOutputStream().write(stdin);
        process.getOutputStream().close();
        return finish(process);
    }

    /** What {@code process} printed, each stream read to its end, and its exit code, once it exited within 60 s. */
    private static Run finish(Process process) throws Exception {
        String out;
        String err;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out, err);
    }
}
