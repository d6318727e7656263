package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    @Nested
    class Help {

        @ParameterizedTest
        @ValueSource(strings = {"--help", "-h", "help"})
        void topLevel_listsCommandsSecretsAndExitCodes(String flag) {
            Result result = cli().run(flag);

            assertEquals(0, result.exitCode());
            assertTrue(result.out().contains("Usage: java -jar "), result.out());
            for (String expected : List.of("  sign ", "  send ", "  verify ", "--secret-env NAME", "--secret-file PATH",
                    "--secret VALUE", "it lands in your shell history", "Exit codes:",
                    "  0  signed; sent and the response was 2xx; verified",
                    "  1  verification failed; the response was not 2xx", "  2  usage error", "  3  I/O error")) {
                assertTrue(result.out().contains(expected), expected + " in\n" + result.out());
            }
            assertEquals("", result.err());
        }

        @ParameterizedTest
        @ValueSource(strings = {"sign", "send", "verify"})
        void perCommand_showsItsUsageOptionsAndExitCodes(String command) {
            Result flag = cli().run(command, "--help");
            Result word = cli().run("help", command);

            assertEquals(0, flag.exitCode());
            assertTrue(flag.out().startsWith("Usage: java -jar "), flag.out());
            assertTrue(flag.out().contains(".jar " + command + " "), flag.out());
            assertTrue(flag.out().contains("--secret-env NAME"), flag.out());
            assertTrue(flag.out().contains("Exit codes: 0 "), flag.out());
            assertEquals(flag.out(), word.out());
        }

        @Test
        void helpWins_evenWithOtherwiseBadOptions() {
            Result result = cli().run("verify", "--bogus", "-h");

            assertEquals(0, result.exitCode());
            assertTrue(result.out().contains("--signature VALUE"), result.out());
        }

        @Test
        void helpAfterDoubleDash_isAnOperand() {
            Result result = cli().env("S", "x").run("sign", "--secret-env", "S", "--", "--help");

            assertEquals(3, result.exitCode(), "--help is read as a file name");
            assertTrue(result.err().contains("cannot read body file --help"), result.err());
        }
    }

    @Nested
    class UsageErrors {

        @Test
        void noArguments_printsHelpToStandardErrorWithExitTwo() {
            Result result = cli().run();

            assertEquals(2, result.exitCode());
            assertEquals("", result.out());
            assertTrue(result.err().contains("Commands:"), result.err());
        }

        @Test
        void unknownCommand_isNamed() {
            Result result = cli().run("sing");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: unknown command 'sing'; the commands are sign, send and verify\n"),
                    result.err());
        }

        @Test
        void optionBeforeCommand_saysTheCommandComesFirst() {
            Result result = cli().run("--secret-env", "S", "sign");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: a command comes first"), result.err());
        }

        @Test
        void unknownOption_suggestsTheClosest() {
            Result result = cli().run("sign", "--secret-ev", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: unknown option --secret-ev (did you mean --secret-env?)\n"
                    + "Run 'java -jar "), result.err());
            assertTrue(result.err().contains(" sign --help' for usage.\n"), result.err());
        }

        @Test
        void optionOfAnotherCommand_isUnknownHere() {
            Result result = cli().run("sign", "--signature", "t=1");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: unknown option --signature\n"), result.err());
        }
    }

    @Nested
    class WithoutTheServletApi {

        private final Path classes = classes();

        @Test
        void noCliOrCoreClassMentionsTheServletApi() throws IOException {
            try (Stream<Path> files = Stream.concat(
                    Files.list(classes.resolve("dev/webhookfilter")), Files.list(classes.resolve("dev/webhookfilter/cli")))) {
                List<Path> classFiles = files.filter(f -> f.toString().endsWith(".class")).toList();
                assertTrue(classFiles.size() > 10, classFiles.toString());
                for (Path file : classFiles) {
                    String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertFalse(constants.contains("jakarta/servlet"), file + " refers to the Servlet API");
                }
            }
        }

        @Test
        void signsInAJvmWithOnlyTheLibraryClasses() throws Exception {
            // As 'java -jar' does: the library's classes alone; no Servlet API, no test dependencies.
            ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classes.toString(), Main.class.getName(), "sign", "--secret-env", "S", "--timestamp", "1700000000");
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

        private static Path classes() {
            try {
                return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
