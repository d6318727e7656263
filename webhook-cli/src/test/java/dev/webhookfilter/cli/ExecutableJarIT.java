package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
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
        assertTrue(Files.isRegularFile(JAR), JAR + " (mvn package builds it)");
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("S", CliVectors.DEV_SECRET);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin);
        process.getOutputStream().close();
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
