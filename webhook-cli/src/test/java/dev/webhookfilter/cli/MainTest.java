package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
}
