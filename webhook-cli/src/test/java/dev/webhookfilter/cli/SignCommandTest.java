package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.DEV_SECRET;
import static dev.webhookfilter.cli.CliVectors.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.cli.Cli.Result;
import dev.webhookfilter.cli.CliVectors.Vector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignCommandTest {

    @TempDir
    Path dir;

    @Nested
    class Signs {

        /** A body read from a pipe, held in the arrays it was read into, is signed as openssl signs it whole. */
        @Test
        void pipedBodyHeldInArrays_isSignedWhole() {
            Result result = cli().now(T).env("S", DEV_SECRET).pipe(CliVectors.CRLF_ACROSS_ARRAYS.body())
                    .run("sign", "--secret-env", "S");

            assertEquals(0, result.exitCode(), result.all());
            assertEquals("t=1700000000,v1=" + CliVectors.CRLF_ACROSS_ARRAYS.v1() + "\n", result.out());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.cli.CliVectors#all")
        void bodyFile_matchesOpensslVector(Vector vector) throws IOException {
            Path body = Files.write(dir.resolve("body"), vector.body());

            Result result = cli().env("S", vector.secret())
                    .run("sign", "--secret-env", "S", "--timestamp", Long.toString(vector.t()), body.toString());

            assertEquals(0, result.exitCode(), result.err());
            assertEquals("t=" + vector.t() + ",v1=" + vector.v1() + "\n", result.out());
            assertEquals("", result.err());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.cli.CliVectors#all")
        void standardInput_matchesOpensslVector(Vector vector) {
            Result result = cli().env("S", vector.secret()).stdin(vector.body())
                    .run("sign", "--secret-env=S", "--timestamp=" + vector.t());

            assertEquals("t=" + vector.t() + ",v1=" + vector.v1() + "\n", result.out());
        }

        /**
         * A --timestamp in milliseconds is signed as given (one may want to see the refusal) with a warning; a stale
         * or future time in seconds without one. It was signed without a word, and the filter refused it.
         */
        @ParameterizedTest(name = "--timestamp {0}: warned {1}")
        @CsvSource({"1700000000000, true", "1700000000999, true", "1731622400000, true", "1668377600000, true",
                "1700000000, false", "1699913600, false", "1700000000000000, false", "1731708800000, false"})
        void aTimestampInMilliseconds_isSignedWithAWarning(long timestamp, boolean warned) {
            Result result = cli().now(CliVectors.T).env("S", DEV_SECRET).stdin(CliVectors.utf8(CliVectors.TEST_EVENT))
                    .run("sign", "--secret-env", "S", "--timestamp", Long.toString(timestamp), "-");

            assertEquals(0, result.exitCode(), result.err());
            assertTrue(result.out().startsWith("t=" + timestamp + ",v1="), result.out());
            // T is 1700000000; a year either side of it (366 days) reads as milliseconds.
            assertEquals(warned ? "warning: --timestamp " + timestamp + " looks like milliseconds; a receiver"
                    + " refuses it (t looks like milliseconds; senders send seconds): give Unix seconds, such as "
                    + timestamp / 1000 + "\n" : "", result.err());
        }

        /**
         * A file read into an array of its size must not stop at that size: /proc says 0 for a file that holds
         * "Linux\n" (Linux only; skipped elsewhere).
         */
        @Test
        void fileWhoseSizeIsNotItsContent_isReadWhole() {
            Path ostype = Path.of("/proc/sys/kernel/ostype");
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(ostype), "no " + ostype);

            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", "--timestamp", "1700000000",
                    ostype.toString());

            // printf 'Linux\n1700000000' | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
            assertEquals("t=1700000000,v1=8wTGAy3Mh+G76Qf8fgqIv/FkQCO47YEULq0uiPvXTV0=\n", result.out(), result.err());
        }

        @Test
        void dashReadsStandardInput() {
            Result result = cli().env("S", DEV_SECRET).stdin(CliVectors.utf8(CliVectors.TEST_EVENT))
                    .run("sign", "--secret-env", "S", "--timestamp", "1700000000", "-");

            assertEquals("t=1700000000,v1=" + CliVectors.TEST_EVENT_VECTOR.v1() + "\n", result.out());
        }

        @Test
        void atATerminal_saysThatTheBodyIsAwaitedOnStandardInput() {
            Result atTerminal = cli().interactive().env("S", DEV_SECRET).stdin(CliVectors.utf8("hello\n"))
                    .run("sign", "--secret-env", "S", "--timestamp", "1700000000");
            Result piped = cli().env("S", DEV_SECRET).stdin(CliVectors.utf8("hello\n"))
                    .run("sign", "--secret-env", "S", "--timestamp", "1700000000");

            assertTrue(atTerminal.err().startsWith("Reading the body from standard input; end it with Ctrl-D"),
                    atTerminal.err());
            assertEquals("t=1700000000,v1=" + CliVectors.HELLO_NEWLINE.v1() + "\n", atTerminal.out());
            assertEquals("", piped.err());
        }

        @Test
        void withoutTimestamp_signsAtNow() {
            Result result = cli().now(T).env("S", DEV_SECRET).stdin(CliVectors.utf8(CliVectors.TEST_EVENT))
                    .run("sign", "--secret-env", "S");

            assertEquals("t=1700000000,v1=" + CliVectors.TEST_EVENT_VECTOR.v1() + "\n", result.out());
        }

        @Test
        void twoSecrets_giveOneV1EachInOrder() {
            Result result = cli().env("OLD", "old_secret").env("NEW", "new_secret").stdin(CliVectors.utf8("{}"))
                    .run("sign", "--secret-env", "OLD", "--secret-env", "NEW", "--timestamp", "1700000300");

            assertEquals("t=1700000300,v1=" + CliVectors.ROTATION_OLD_V1 + ",v1=" + CliVectors.ROTATION_NEW_V1 + "\n",
                    result.out());
        }

        @Test
        void secretFile_givesOneV1PerNonBlankLine() throws IOException {
            Path secrets = Files.writeString(dir.resolve("secrets"), "old_secret\n\n  new_secret  \n");

            Result result = cli().stdin(CliVectors.utf8("{}"))
                    .run("sign", "--secret-file", secrets.toString(), "--timestamp", "1700000300");

            assertEquals("t=1700000300,v1=" + CliVectors.ROTATION_OLD_V1 + ",v1=" + CliVectors.ROTATION_NEW_V1 + "\n",
                    result.out());
        }

        @Test
        void literalSecret_signsAndWarnsAboutShellHistory() {
            Result result = cli().stdin(CliVectors.utf8("hello\n"))
                    .run("sign", "--secret", DEV_SECRET, "--timestamp", "1700000000");

            assertEquals("t=1700000000,v1=" + CliVectors.HELLO_NEWLINE.v1() + "\n", result.out());
            assertTrue(result.err().contains("warning: --secret puts the secret in your shell history"), result.err());
            assertFalse(result.err().contains(DEV_SECRET), result.err());
        }
    }

    /** The help promised several signatures for every scheme; these three take one (README's scheme table). */
    @Test
    void helpOfSign_saysWhichSchemesTakeOneSignatureOnly() {
        assertTrue(cli().run("sign", "--help").out().contains("Several secrets give one signature each, in order,"
                + " as senders do while a secret rotates\n(at most 8); not for github, slack and shopify, whose header"
                + " carries one.\n"), () -> cli().run("sign", "--help").out());
    }

    @Nested
    class Refuses {

        @Test
        void noSecret_isUsageError() {
            Result result = cli().run("sign", "--timestamp", "1700000000");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("error: no secret: give --secret-env NAME or --secret-file PATH"),
                    result.err());
            assertTrue(result.err().contains("sign --help' for usage"), result.err());
            assertEquals("", result.out());
        }

        @Test
        void unsetVariable_isUsageErrorNamingIt() {
            Result result = cli().run("sign", "--secret-env", "WEBHOOK_SECRET");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("environment variable WEBHOOK_SECRET is not set"), result.err());
        }

        @Test
        void secretPassedAsVariableName_isNotEchoed() {
            Result result = cli().run("sign", "--secret-env", DEV_SECRET);

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("takes the name of an environment variable"), result.err());
            assertFalse(result.all().contains(DEV_SECRET), result.all());
        }

        /** The core's words ("give the secret as file:PATH") are the init-param's syntax, not the CLI's. */
        @Test
        void blankVariable_isUsageErrorPointingToTheCliOptions() {
            Result result = cli().env("S", "  ").run("sign", "--secret-env", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("error: --secret-env: environment variable S is empty; set it to the"
                    + " secret, or give --secret-file PATH"), result.err());
            assertFalse(result.err().contains("file:PATH"), result.err());
        }

        @Test
        void missingSecretFile_isIoError() {
            Result result = cli().run("sign", "--secret-file", dir.resolve("nope").toString());

            assertEquals(3, result.exitCode());
            assertTrue(result.err().contains("error: cannot read secret file " + dir.resolve("nope") + ": no such file"),
                    result.err());
        }

        @Test
        void emptySecretFile_isUsageError() throws IOException {
            Path secrets = Files.writeString(dir.resolve("secrets"), "\n \n");

            Result result = cli().run("sign", "--secret-file", secrets.toString());

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("holds no secret"), result.err());
        }

        @Test
        void missingBodyFile_isIoError() {
            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", dir.resolve("body").toString());

            assertEquals(3, result.exitCode());
            assertTrue(result.err().contains("cannot read body file " + dir.resolve("body") + ": no such file"),
                    result.err());
            assertEquals("", result.out());
        }

        /** A body no array can hold (a sparse file: cheap to make, nothing is read) must end with a message, not a stack trace. */
        @Test
        void bodyFileTooLargeToHold_isIoErrorNotAnOutOfMemoryError() throws IOException {
            Path huge = dir.resolve("huge.bin");
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
                file.setLength(3L << 30);
            }

            Result result;
            try {
                result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", huge.toString());
            } catch (OutOfMemoryError e) {
                // Rethrown as is, JUnit would abort the whole run: this is what the user sees as a stack trace.
                throw new AssertionError("escaped Main.run, so the JVM prints a stack trace and exits 1: " + e, null);
            }

            assertEquals(3, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("error: cannot read body file " + huge), result.err());
        }

        /**
         * A name Java cannot make a path of threw InvalidPathException out of the tool, whose message quotes it.
         * On Linux a NUL does so in any locale; from a shell, a name outside ASCII under LC_ALL=C does
         * (ExecutableJarIT runs that).
         */
        @Test
        void bodyFileNameThatIsNoPath_isIoError() {
            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", "event\u0000.json");

            assertEquals(3, result.exitCode(), result.all());
            // The NUL is printed escaped, as Main prints every message.
            assertTrue(result.err().startsWith("error: cannot read body file event\\u0000.json: it is not a valid path"
                    + " here\n"), result.err());
        }

        @Test
        void secretFileNameThatIsNoPath_isIoErrorWithoutQuotingIt() {
            Result result = cli().run("sign", "--secret-file", "whsec_given_as_path\u0000");

            assertEquals(3, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: cannot read the --secret-file given (not shown"), result.err());
            assertTrue(result.err().contains(": it is not a valid path here\n"), result.err());
            assertFalse(result.all().contains("whsec_given_as_path"), result.all());
        }

        @Test
        void directoryAsBodyFile_isIoError() {
            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", dir.toString());

            assertEquals(3, result.exitCode());
            assertTrue(result.err().contains("cannot read body file " + dir), result.err());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "+5", "1.5", "now", "99999999999999999999", ""})
        void badTimestamp_isUsageError(String timestamp) {
            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", "--timestamp=" + timestamp);

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--timestamp must be a whole number of seconds from 1"), result.err());
        }

        @Test
        void twoFiles_isUsageError() {
            Result result = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", "a", "b");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("too many arguments: a b; expected at most one FILE"), result.err());
        }

        /**
         * The secret given where FILE goes ({@code sign "$WEBHOOK_SECRET"}, or before the body file): the errors
         * quoted it. A word of a secret's length that looks like no path is not shown; a short one or a path is.
         */
        @Test
        void aSecretGivenWhereFileGoes_isNotQuoted() {
            String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            Result missing = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", secret);
            Result twice = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", secret, "./event.json");

            assertEquals(3, missing.exitCode(), missing.all());
            assertTrue(missing.err().contains("cannot read the body FILE given (not shown: it does not look like a file"
                    + " name, and may be a secret given in its place; the secret goes in --secret-env or --secret-file):"
                    + " no such file"), missing.err());
            assertEquals(2, twice.exitCode(), twice.all());
            assertTrue(twice.err().contains("too many arguments: (one not shown: it may be a secret) ./event.json;"
                    + " expected at most one FILE"), twice.err());
            assertFalse(missing.all().contains("MfKQ9r8"), missing.all());
            assertFalse(twice.all().contains("MfKQ9r8"), twice.all());
        }

        /**
         * A URL given where FILE goes ({@code sign} typed for {@code send}, or a URL left over) was quoted whole,
         * with its user-info, query and fragment, which may carry a password or a token. It is quoted as send quotes
         * a text refused as a URL.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "http://user:pw_Q3x9@127.0.0.1:9/hooks/?token=tok_q7Zr2mW9xK4#access_token=tok_f8Hd3kQ2zX7"
                    + " | http://127.0.0.1:9/hooks/?***",
            "http://127.0.0.1:9/hooks/#access_token=tok_f8Hd3kQ2zX7 | http://127.0.0.1:9/hooks/#***",
        })
        void aUrlGivenWhereFileGoes_isQuotedWithoutItsCredentials(String url, String shown) {
            Result missing = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", url);
            Result twice = cli().env("S", DEV_SECRET).run("sign", "--secret-env", "S", "./event.json", url);

            assertEquals(3, missing.exitCode(), missing.all());
            assertTrue(missing.err().contains("error: cannot read body file '" + shown + "': no such file"),
                    missing.err());
            assertEquals(2, twice.exitCode(), twice.all());
            assertTrue(twice.err().contains("too many arguments: ./event.json '" + shown + "'; expected at most one"
                    + " FILE"), twice.err());
            for (Result result : new Result[] {missing, twice}) {
                for (String credential : new String[] {"pw_Q3x9", "tok_q7Zr2", "tok_f8Hd3", "access_token"}) {
                    assertFalse(result.all().contains(credential), result.all());
                }
            }
        }

        @Test
        void moreSecretsThanAHeaderCarries_isUsageError() throws IOException {
            Path secrets = Files.writeString(dir.resolve("secrets"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
                    StandardCharsets.UTF_8);

            Result result = cli().run("sign", "--secret-file", secrets.toString());

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("9 secrets given; a header carries at most 8 signatures, one per secret"),
                    result.err());
        }

        @Test
        void moreSecretsThanAPaddleHeaderCarries_isNotToldInV1Values() throws IOException {
            // Paddle's header carries h1 values, Standard Webhooks' v1,... elements: "v1 values" was the default's word.
            Path secrets = Files.writeString(dir.resolve("secrets"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
                    StandardCharsets.UTF_8);

            Result result = cli().run("sign", "--scheme", "paddle", "--secret-file", secrets.toString());

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("9 secrets given; a header carries at most 8 signatures, one per secret"),
                    result.err());
            assertFalse(result.err().contains("v1"), result.err());
        }
    }

    /** {@code --id}: the message id of a scheme that signs one, fixed, as a de-duplication test needs. */
    @Nested
    class MessageId {

        /** The Standard Webhooks documented example (the id, t, secret and body of its reference libraries' tests). */
        @ParameterizedTest
        @CsvSource({"standard-webhooks, webhook-", "svix, svix-"})
        void signsTheGivenId_asTheDocumentedExample(String scheme, String prefix) {
            Result result = cli().env("S", Vectors.STANDARD_DOC_SECRET).stdin(Vectors.STANDARD_DOC_BODY)
                    .run("sign", "--scheme", scheme, "--secret-env", "S", "--id", Vectors.STANDARD_DOC_ID,
                            "--timestamp", Long.toString(Vectors.STANDARD_DOC_T));

            assertEquals(0, result.exitCode(), result.all());
            assertEquals(prefix + "signature: " + Vectors.STANDARD_DOC_HEADER + "\n" + prefix + "timestamp: 1614265330\n"
                    + prefix + "id: msg_p5jXN8AQM9LWM0D4loKWxJek\n", result.out());
        }

        @Test
        void anIdOf256Characters_isTaken() {
            String id = "m".repeat(256);

            Result result = cli().env("S", Vectors.StandardWebhooks.SECRET_A).stdin(Vectors.SIMPLE_BODY)
                    .run("sign", "--scheme", "standard-webhooks", "--secret-env", "S", "--id", id);

            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.out().endsWith("\nwebhook-id: " + id + "\n"), result.out());
        }

        /**
         * What the filter refuses as a message id (1 to 256 visible ASCII characters other than '.'), refused here.
         * Blanks around an id are refused, not stripped: a header value loses them on the way (RFC 9110's OWS), so
         * the id given could not arrive as given, and stripping would quietly sign another.
         */
        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"", "msg.1", "msg 1", "msg\t1", "msg_é", "msg_\u007f", " msg_1", "msg_1 "})
        void anIdTheFilterRefuses_isUsageError(String id) {
            assertIdRefused(id);
        }

        @Test
        void anIdOf257Characters_isUsageError() {
            assertIdRefused("m".repeat(257));
        }

        private void assertIdRefused(String id) {
            Result result = cli().env("S", Vectors.StandardWebhooks.SECRET_A).stdin(Vectors.SIMPLE_BODY)
                    .run("sign", "--scheme", "standard-webhooks", "--secret-env", "S", "--id=" + id);

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --id: a message id is 1 to 256 visible ASCII characters other"
                    + " than '.'\n"), result.err());
            assertEquals("", result.out());
        }

        /** Given, it would change nothing, and the user could believe the receiver sees it. */
        @ParameterizedTest
        @ValueSource(strings = {"wealthkernel-2022", "wealthkernel", "stripe", "slack", "paddle"})
        void forASchemeThatSignsNoId_isUsageError(String scheme) {
            Result result = cli().env("S", Vectors.Wealthkernel.SECRET_A).stdin(Vectors.SIMPLE_BODY)
                    .run("sign", "--scheme", scheme, "--secret-env", "S", "--id", "msg_1");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --id has no effect: scheme " + scheme + " signs no message id\n"),
                    result.err());
        }

        @ParameterizedTest
        @CsvSource({"github, X-GitHub-Delivery", "shopify, X-Shopify-Webhook-Id"})
        void forASchemeWithAnUnsignedDeliveryId_isUsageErrorNamingItsHeader(String scheme, String header) {
            Result result = cli().env("S", "s3cret").stdin(Vectors.SIMPLE_BODY)
                    .run("sign", "--scheme", scheme, "--secret-env", "S", "--id", "msg_1");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --id has no effect: scheme " + scheme + " signs no message id;"
                    + " its delivery id header, which it does not sign, is sent with send -H '" + header
                    + ": VALUE'\n"), result.err());
        }

        @Test
        void isInTheHelpOfSignAndSend() {
            for (String command : new String[] {"sign", "send"}) {
                assertTrue(cli().run(command, "--help").out().contains("  --id VALUE            the message id to sign"),
                        command);
            }
        }
    }
}
