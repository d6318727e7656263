package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar, run as users run it: {@code java -jar webhook-cli-<version>.jar}, nothing beside it. */
class ExecutableJarIT {

    @Test
    void javaDashJar_signsWithTheCoreInside() throws Exception {
        Path jar = Paths.get(System.getProperty("webhook.cli.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " (mvn package builds it)");
        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "sign", "--secret-env", "S", "--timestamp", "1700000000");
        builder.environment().put("S", CliVectors.DEV_SECRET);
        Process process = builder.start();
        process.getOutputStream().write(CliVectors.TEST_EVENT_VECTOR.body());
        process.getOutputStream().close();
        String out;
        String err;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        assertEquals(0, process.exitValue(), err);
        assertEquals("t=1700000000,v1=" + CliVectors.TEST_EVENT_VECTOR.v1() + "\n", out);
    }

    @Test
    void helpNamesTheJarAsItWasRun() throws Exception {
        Path jar = Paths.get(System.getProperty("webhook.cli.jar"));
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--help").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        assertEquals(0, process.exitValue(), out);
        assertTrue(out.startsWith("webhook-cli: "), out);
        assertTrue(out.contains("\nUsage: java -jar " + jar.getFileName() + " <command>"), out);
    }
}
