package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.DEV_SECRET;
import static dev.webhookfilter.cli.CliVectors.HELLO_WITHOUT_NEWLINE_V1;
import static dev.webhookfilter.cli.CliVectors.TEST_EVENT_VECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The details of each command's output and limits that the scenario tests leave open. */
class CommandDetailsTest {

    private static final String GOOD = "t=1700000000,v1=" + TEST_EVENT_VECTOR.v1();
    private static final String WRONG_V1 = "QMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=";

    private static Result verify(long now, String signature, byte[] body) {
        return cli().now(now).env("S", DEV_SECRET).stdin(body)
                .run("verify", "--secret-env", "S", "--signature", signature);
    }

    @Nested
    class Verify {

        @Test
        void atTheSigningSecondTheAgeIsZeroSecondsAgo() {
            Result result = verify(1_700_000_000L, GOOD, TEST_EVENT_VECTOR.body());
            assertTrue(result.out().contains("  signed at: 1700000000 (2023-11-14T22:13:20Z), 0 seconds ago (tolerance"),
                    result.out());
        }

        @Test
        void aMismatchPrintsWhenItWasSignedAndTheBody() {
            Result result = verify(1_700_000_001L, "t=1700000000,v1=" + WRONG_V1, TEST_EVENT_VECTOR.body());
            assertEquals(1, result.exitCode());
            String[] lines = result.out().split("\n");
            assertEquals("  signed at: 1700000000 (2023-11-14T22:13:20Z), 1 second ago", lines[1]);
            assertTrue(lines[2].startsWith("  body:      " + TEST_EVENT_VECTOR.body().length + " bytes, SHA-256 "), lines[2]);
            assertTrue(lines[3].startsWith("  hint:      check that the body is byte for byte"), lines[3]);
        }

        @Test
        void aFutureTimestampHintsAtTheClocks() {
            Result result = verify(1_699_999_000L, GOOD, TEST_EVENT_VECTOR.body());
            assertTrue(result.out().endsWith("  hint:      the sender's clock or yours is wrong; check both with NTP\n"),
                    result.out());
        }

        @Test
        void aCapturedCrlfIsNamedAsTheCause() {
            Result result = verify(1_700_000_000L, "t=1700000000,v1=" + HELLO_WITHOUT_NEWLINE_V1,
                    "hello\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(result.out().contains("without its trailing newline the body matches secret 1 of 1"), result.out());
        }

        @Test
        void aMismatchedEmptyOrNewlineOnlyBodyGetsTheGeneralHint() {
            for (String body : new String[] {"", "\n", "\r\n"}) {
                Result result = verify(1_700_000_000L, "t=1700000000,v1=" + WRONG_V1, body.getBytes(StandardCharsets.US_ASCII));
                assertEquals(1, result.exitCode(), result.all());
                assertTrue(result.out().contains("  hint:      check that the body is byte for byte"), result.out());
            }
        }

        @Test
        void theLatestTimestampAClockHoldsIsStillChecked() {
            // printf '%s%s' 'hello' '9223372036854775' | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
            Result result = verify(1_700_000_000L, "t=9223372036854775,v1=KrpEfRzUZrG2LV6nfJTtp1h4lUzXSCDtPtjAP5yKknI=",
                    "hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1, result.exitCode());
            assertTrue(result.out().contains("  signed at: 9223372036854775 (+292278994-08-17T07:12:55Z)\n"), result.out());
            assertTrue(result.out().contains("  signature: matches secret 1 of 1 (--secret-env S); only the time is wrong"),
                    result.out());
        }
    }

    @Nested
    class Send {

        @Test
        void saysHowManySecretsSigned() throws IOException {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }
            Result two = cli().env("A", "a_secret").env("B", "b_secret").stdin(new byte[] {'x'})
                    .run("send", "--secret-env", "A", "--secret-env", "B", "http://127.0.0.1:" + port + "/", "-");
            assertTrue(two.err().contains("> (1 bytes from standard input, signed with 2 secrets)"), two.err());
            Result one = cli().env("A", "a_secret").stdin(new byte[] {'x'})
                    .run("send", "--secret-env", "A", "http://127.0.0.1:" + port + "/", "-");
            assertTrue(one.err().contains("> (1 bytes from standard input, signed with 1 secret)"), one.err());
            assertTrue(one.err().contains("error: cannot connect to 127.0.0.1:" + port
                    + ": connection refused; is the server running?"), one.err());
        }

        @Test
        void namesPortZeroWhenItCannotConnect() {
            Result result = cli().env("A", "a_secret").run("send", "--secret-env", "A", "http://127.0.0.1:0/");
            assertEquals(3, result.exitCode(), result.all());
            assertTrue(result.err().contains("error: cannot connect to 127.0.0.1:0: connection refused"), result.err());
        }

        /** The HTTP client refused it once sending began, "request to URL failed: port out of range", exit code 3. */
        @ParameterizedTest
        @ValueSource(strings = {"65536", "99999"})
        void refusesAPortAbove65535AsAUsageError(String port) {
            Result result = cli().env("A", "a_secret").run("send", "--secret-env", "A", "http://127.0.0.1:" + port + "/x");
            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: 'http://127.0.0.1:" + port + "/x' has port " + port
                    + "; a port is at most 65535\n"), result.err());
            assertTrue(!result.err().contains("> POST"), "refused before anything is sent: " + result.err());
        }

        /** {@code --timeout} takes 1 to 3600 seconds, and {@code send --help} says so, as README does. */
        @ParameterizedTest
        @ValueSource(strings = {"0", "3601"})
        void refusesATimeoutOutsideOneSecondToAnHourAsItsHelpSays(String timeout) {
            Result result = cli().env("A", "a_secret")
                    .run("send", "--secret-env", "A", "--timeout", timeout, "http://127.0.0.1:0/");
            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --timeout must be a whole number of seconds from 1 to 3600, not '"
                    + timeout + "'\n"), result.err());
            String help = cli().run("send", "--help").out();
            assertTrue(help.contains("receiving the response to its last byte (1 to 3600; default: 10)\n"), help);
        }

        @Test
        void refusesAnotherSchemeWithAHostAndTakesHttps() {
            Result ftp = cli().env("A", "a_secret").run("send", "--secret-env", "A", "ftp://127.0.0.1/webhooks/");
            assertEquals(2, ftp.exitCode(), ftp.all());
            Result https = cli().env("A", "a_secret").run("send", "--secret-env", "A", "HTTPS://127.0.0.1:0/webhooks/");
            assertEquals(3, https.exitCode(), "accepted, then cannot connect: " + https.all());
        }

        @Test
        void refusesAUrlWithoutAScheme() {
            Result result = cli().env("A", "a_secret").run("send", "--secret-env", "A", "/webhooks/");
            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("'/webhooks/' is not an http:// or https:// URL with a host"), result.err());
        }

        @Test
        void refusesAUrlWithoutAHost() {
            Result result = cli().env("A", "a_secret").run("send", "--secret-env", "A", "http:/webhooks/");
            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("is not an http:// or https:// URL with a host"), result.err());
        }
    }

    @Nested
    class Sign {

        @Test
        void eightSecretsGiveEightV1() {
            Cli cli = cli().stdin(new byte[0]);
            List<String> args = new ArrayList<>(List.of("sign", "--timestamp", "1"));
            for (int i = 1; i <= 8; i++) {
                cli.env("S" + i, "secret_" + i);
                args.add("--secret-env");
                args.add("S" + i);
            }
            Result result = cli.run(args.toArray(new String[0]));
            assertEquals(0, result.exitCode(), result.all());
            assertEquals(8, result.out().split(",v1=").length - 1, result.out());
        }
    }

    @Nested
    class Help {

        @Test
        void listsEachCommandWithItsSummary() {
            String help = cli().run("--help").out();
            assertTrue(help.contains("  sign     print the signature header for a body\n"), help);
            assertTrue(help.contains("  send     POST a signed event to a URL and print the response\n"), help);
            assertTrue(help.contains("  verify   check a captured signature and body, saying which check fails\n"), help);
        }

        @Test
        void anUnknownCommandPointsToTheHelp() {
            Result result = cli().run("sing");
            assertTrue(result.err().endsWith("Run 'java -jar webhook-cli.jar --help' for usage.\n"), result.err());
        }
    }

    @Nested
    class OptionRules {

        @Test
        void secondsAcceptTheirBoundsOnly() throws CliException {
            for (String value : new String[] {"5", "10"}) {
                Options options = Options.parse(List.of("--n", value), Set.of("--n"), Set.of());
                assertEquals(Long.parseLong(value), options.seconds("--n", 5, 10, 7));
            }
            for (String value : new String[] {"4", "11"}) {
                Options options = Options.parse(List.of("--n", value), Set.of("--n"), Set.of());
                CliException e = assertThrows(CliException.class, () -> options.seconds("--n", 5, 10, 7));
                assertEquals("--n must be a whole number of seconds from 5 to 10, not '" + value + "'", e.getMessage());
            }
        }

        @Test
        void anOptionThreeEditsAwaySuggestsNothing() {
            CliException e = assertThrows(CliException.class,
                    () -> Options.parse(List.of("--xyz"), Set.of("--abc"), Set.of()));
            assertEquals("unknown option --xyz", e.getMessage());
        }

        @Test
        void aTieBetweenSuggestionsGoesToTheFirstInAlphabeticalOrder() {
            CliException e = assertThrows(CliException.class,
                    () -> Options.parse(List.of("--ab"), Set.of("--abc"), Set.of("--abd")));
            assertEquals("unknown option --ab (did you mean --abc?)", e.getMessage());
        }
    }

    @Test
    void secretOptionsShowTheirSourcesNotTheirValues() throws CliException {
        Options options = Options.parse(List.of("--secret-env", "S"), SecretOptions.NAMES, Set.of());
        SecretOptions secrets = SecretOptions.from(options, new Io(null, null, null, name -> DEV_SECRET, null, false), null);
        assertEquals("SecretOptions[--secret-env S]", secrets.toString());
    }

    @Test
    void anotherReadFailureGivesItsOwnMessage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("file"), "x");
        Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", file + "/body");
        assertEquals(3, result.exitCode());
        assertTrue(result.err().contains("cannot read body file " + file + "/body: " + file + "/body: Not a directory"),
                result.err());
    }

    @Test
    void theSystemIoIsTheProcesss() {
        Io io = Io.system();
        assertEquals(System.out, io.out);
        assertEquals(System.err, io.err);
        assertEquals(System.in, io.in);
        if (System.console() == null) {
            assertEquals(false, io.interactive, "no console: not a terminal");
        }
    }

    @Test
    void aDirectoryAsBodyFileIsNamedSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", dir.toString());
        assertTrue(result.err().contains("cannot read body file " + dir + ": it is a directory"), result.err());
    }
}
