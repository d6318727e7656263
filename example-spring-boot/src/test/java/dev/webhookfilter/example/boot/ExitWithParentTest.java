package dev.webhookfilter.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.webhookfilter.testing.RequiredCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's launcher ({@code mvn ... exec:exec}) runs the application as a child of Maven. When Maven is
 * killed rather than stopped with Ctrl-C, nothing signals the child: unless it watches its parent, it
 * lives on, unseen, and keeps the port. Here a shell stands in for Maven: it starts the application
 * in the background with the pom's {@code -Dexample.exitWithParent=true} and is then killed with SIGKILL.
 */
class ExitWithParentTest {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    /** Bounds, not measurements: how long a slow, shared machine may take, far above the usual seconds. */
    private static final long START_SECONDS = 120;
    private static final long EXIT_SECONDS = 60;

    @Test
    void theApplicationStopsAndFreesItsPort_whenItsParentIsKilled(@TempDir Path dir) throws Exception {
        RequiredCommands.onPath("apt-get install dash", "sh");
        Path log = dir.resolve("application.log");
        ProcessBuilder launcher = new ProcessBuilder("sh", "-c", "\"$@\" & wait", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dexample.exitWithParent=true", "-classpath", System.getProperty("java.class.path"),
                ExampleApplication.class.getName(), "--server.port=0", "--management.server.port=0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // As the launcher does: application.yml has no secrets of its own.
        launcher.environment().put("WEBHOOK_SECRET", ExampleApplicationTest.PAYMENTS_SECRET);
        launcher.environment().put("ORDERS_WEBHOOK_SECRET", ExampleApplicationTest.ORDERS_SECRET);
        Process parent = launcher.start();
        ProcessHandle application = null;
        try {
            int port = portOnceStarted(parent, log);
            application = parent.toHandle().children().findFirst()
                    .orElseThrow(() -> new AssertionError("the shell has no child"));

            parent.destroyForcibly().waitFor();

            try {
                application.onExit().get(EXIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("the application outlived its killed parent by %d s", EXIT_SECONDS);
            }
            assertThat(isFree(port)).as("port %d is free", port).isTrue();
        } finally {
            if (application != null) {
                application.destroyForcibly();
            }
            parent.destroyForcibly();
        }
    }

    /** The pom's launcher is what README tells users to run; the flag is what makes it watch Maven. */
    @Test
    void theLauncherPassesTheFlag() throws IOException {
        assertThat(Files.readString(Path.of("pom.xml")))
                .contains("<argument>-Dexample.exitWithParent=true</argument>");
    }

    private static int portOnceStarted(Process parent, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log);
            Matcher started = STARTED.matcher(output);
            if (started.find()) {
                return Integer.parseInt(started.group(1));
            }
            Optional<ProcessHandle> child = parent.toHandle().children().findFirst();
            if (!parent.isAlive() || child.isPresent() && !child.get().isAlive()) {
                fail("the application did not start:%n%s", output);
            }
            Thread.sleep(100);
        }
        return fail("no '%s' within %d s:%n%s", STARTED, START_SECONDS, Files.readString(log));
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
