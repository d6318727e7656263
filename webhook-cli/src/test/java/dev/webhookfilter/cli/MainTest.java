package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    /** A signature that was not written is no success: a script would go on with an empty one. */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "verify", "--help"})
    void outputThatCannotBeWritten_isIoError(String command) {
        List<String> args = command.equals("--help") ? List.of(command)
                : command.equals("sign") ? List.of(command, "--secret-env", "S")
                : List.of(command, "--secret-env", "S", "--signature",
                        "t=" + CliVectors.T + ",v1=" + CliVectors.TEST_EVENT_VECTOR.v1());
        Result result = cli().env("S", CliVectors.DEV_SECRET).stdin(CliVectors.TEST_EVENT_VECTOR.body()).outFails()
                .run(args.toArray(new String[0]));

        assertEquals(3, result.exitCode(), result.all());
        assertTrue(result.err().contains("error: cannot write to standard output"), result.err());
    }

    /**
     * A fault of the tool's own (an exception no command turns into a message) ended the JVM with a stack
     * trace, whose message may quote an argument or a secret, and the JVM's exit code 1, which says
     * "verification failed". Here the fault is thrown where the environment is read: a seam the tests supply.
     */
    @Nested
    class InternalErrors {

        static List<Throwable> faults() {
            return List.of(new IllegalStateException("found whsec_leaked_by_a_bug in the way"),
                    new java.nio.file.InvalidPathException("whsec_leaked_by_a_bug", "Malformed input"),
                    new OutOfMemoryError("Java heap space whsec_leaked_by_a_bug"));
        }

        @ParameterizedTest
        @MethodSource("faults")
        void areOneLineWithoutTheirMessageAndExitCodeFour(Throwable fault) {
            Result result = cli().stdin(CliVectors.TEST_EVENT_VECTOR.body()).environment(name -> {
                if (fault instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) fault;
            }).run("sign", "--secret-env", "S");

            assertEquals(4, result.exitCode(), result.all());
            assertEquals("", result.out());
            assertTrue(result.err().startsWith("error: internal error (" + fault.getClass().getName()
                    + " at dev.webhookfilter.cli."), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
            assertFalse(result.err().contains("whsec_leaked_by_a_bug"), result.err());
            assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
            assertEquals(fault instanceof OutOfMemoryError, result.err().contains("Give the JVM more memory with java -Xmx"),
                    result.err());
        }

        @Test
        void theExitCodeIsInEveryHelp() {
            assertTrue(cli().run("--help").out().contains("  4  internal error: a fault of webhook-cli's own;"
                    + " please report it\n"), cli().run("--help").out());
            for (String command : List.of("sign", "send", "verify")) {
                String help = cli().run(command, "--help").out();
                assertTrue(help.contains(", 4 internal error"), help);
            }
        }
    }

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
        void perCommand_namesTheDefaultSchemesHeaderAndTolerance() {
            String sign = cli().run("sign", "--help").out();
            assertTrue(sign.contains("for the default scheme, the X-Webhook-Signature value\n"), sign);
            assertTrue(sign.contains("  curl -H \"X-Webhook-Signature: $(java -jar "), sign);
            String verify = cli().run("verify", "--help").out();
            assertTrue(verify.contains("Checks a captured signature header (X-Webhook-Signature for the default scheme)\n"),
                    verify);
            assertTrue(verify.contains("how far the timestamp may be from now, either way (default: 300, 5 for paddle)\n"),
                    verify);
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
            assertTrue(result.err().startsWith("error: unknown command 'sing' (did you mean sign?); the commands are sign,"
                    + " send and verify\n"), result.err());
        }

        /** A misspelled command names the one meant, as a misspelled option or scheme does. */
        @ParameterizedTest
        @CsvSource({"snd, send", "Send, send", "verfy, verify", "sig, sign"})
        void misspelledCommand_suggestsTheNearest(String typo, String meant) {
            Result result = cli().run(typo, "--secret-env", "S", "http://localhost:8080/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: unknown command '" + typo + "' (did you mean " + meant + "?);"
                    + " the commands are sign, send and verify\n"), result.err());
        }

        /**
         * A secret given where the command goes (java -jar webhook-cli.jar "$WEBHOOK_SECRET" ...) was quoted in
         * "unknown command '...'": only a word within two edits of a command is, as --scheme does with schemes.
         */
        @ParameterizedTest
        @ValueSource(strings = {"whsec_9fk4I/K3iXnIIYXGUAggwWg7fEVJ9Hth", "deploy"})
        void unknownCommandFarFromAny_isNotQuoted(String first) {
            Result result = cli().run(first, "--secret-env", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().startsWith("error: unknown command (not shown: it is no misspelling of one, and may"
                    + " be a secret given in the wrong place); the commands are sign, send and verify\n"), result.err());
            assertFalse(result.all().contains(first), result.all());
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
}
