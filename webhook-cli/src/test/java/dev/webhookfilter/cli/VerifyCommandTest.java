package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.DEV_SECRET;
import static dev.webhookfilter.cli.CliVectors.HELLO_NEWLINE;
import static dev.webhookfilter.cli.CliVectors.TEST_EVENT_VECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerifyCommandTest {

    private static final String GOOD = "t=1700000000,v1=" + TEST_EVENT_VECTOR.v1();
    // The v1 of TEST_EVENT_VECTOR with one character changed: well formed, never matches.
    private static final String WRONG_V1 = "QMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=";

    @TempDir
    Path dir;

    private Result verify(long now, String signature, byte[] body, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "verify";
        args[1] = "--secret-env";
        args[2] = "S";
        args[3] = "--signature=" + signature;
        System.arraycopy(more, 0, args, 4, more.length);
        return cli().now(now).env("S", DEV_SECRET).stdin(body).run(args);
    }

    @Nested
    class Verified {

        @Test
        void saysWhichSecretMatchedAndTheAge() {
            Result result = verify(1_700_000_012L, GOOD, TEST_EVENT_VECTOR.body());

            assertEquals(0, result.exitCode(), result.all());
            assertEquals("""
                    OK verified
                      signature: matches secret 1 of 1 (--secret-env S)
                      signed at: 1700000000 (2023-11-14T22:13:20Z), 12 seconds ago (tolerance 300 seconds)
                    """, result.out().substring(0, result.out().indexOf("  body:")));
            assertEquals("", result.err());
        }

        @Test
        void rotation_namesTheSecondSecret() throws IOException {
            Path secrets = Files.writeString(dir.resolve("secrets"), "unrelated\nold_secret\n");
            Path body = Files.writeString(dir.resolve("body"), "{}");

            Result result = cli().now(CliVectors.ROTATION_T).env("NEW", "new_secret")
                    .run("verify", "--secret-env", "NEW", "--secret-file", secrets.toString(),
                            "--signature", "t=1700000300,v1=" + CliVectors.ROTATION_OLD_V1, body.toString());

            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.out().contains("matches secret 3 of 3 (--secret-file " + secrets
                    + ", secret 2 of 2 there)"), result.out());
            assertFalse(result.all().contains("old_secret"), result.all());
        }

        @Test
        void copiedHeaderLineWithName_isAccepted() {
            Result result = verify(1_700_000_000L, "X-Webhook-Signature: " + GOOD, TEST_EVENT_VECTOR.body());

            assertEquals(0, result.exitCode(), result.all());
        }

        @Test
        void futureWithinTolerance_saysInTheFuture() {
            Result result = verify(1_699_999_999L, GOOD, TEST_EVENT_VECTOR.body());

            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.out().contains("1 second in the future (tolerance 300 seconds)"), result.out());
        }

        @Test
        void printsTheBodyDigestToCompareWithTheReceiver() {
            // printf '%s' '{"eventId":"whevt-1","eventType":{"name":"webhooks.test","version":1},"payload":{}}' | sha256sum
            Result result = verify(1_700_000_000L, GOOD, TEST_EVENT_VECTOR.body());

            assertTrue(result.out().contains("  body:      83 bytes, SHA-256 "
                    + "4931305dd769fea0be2771a2b94059e3570665329fc1510a623b6ef710f1b772"), result.out());
        }

        @Test
        void nowOption_checksAnOldCapture() throws IOException {
            Path body = Files.write(dir.resolve("body"), TEST_EVENT_VECTOR.body());

            Result result = cli().now(1_800_000_000L).env("S", DEV_SECRET)
                    .run("verify", "--secret-env", "S", "--signature", GOOD, "--now", "1700000100", body.toString());

            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.out().contains("100 seconds ago"), result.out());
        }
    }

    @Nested
    class Fails {

        @Test
        void stale_saysBySecondsAndThatTheSignatureItselfMatches() {
            Result result = verify(1_700_000_400L, GOOD, TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertEquals("""
                    FAILED timestamp too old: the timestamp is 400 seconds old; the tolerance is 300 seconds
                      signed at: 1700000000 (2023-11-14T22:13:20Z)
                      now:       1700000400 (2023-11-14T22:20:00Z)
                      signature: matches secret 1 of 1 (--secret-env S); only the time is wrong
                      hint:      to check a capture made earlier, add --now <unix seconds when it was received>
                    """, result.out());
        }

        @Test
        void stale_withWrongSignature_saysItDoesNotMatchEither() {
            Result result = verify(1_700_000_400L, "t=1700000000,v1=" + WRONG_V1, TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().contains("  signature: does not match either\n"), result.out());
        }

        @Test
        void future_saysBySeconds() {
            Result result = verify(1_699_999_000L, GOOD, TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("FAILED timestamp in the future: the timestamp is 1000 seconds in the"
                    + " future; the tolerance is 300 seconds\n"), result.out());
        }

        @Test
        void timestampBeyondAnyClock_isFutureAndTheSignatureIsNotChecked() {
            Result result = verify(1_700_000_000L, "t=9223372036854775807,v1=" + WRONG_V1, TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("FAILED timestamp in the future"), result.out());
            assertTrue(result.out().contains("  signed at: 9223372036854775807\n"), result.out());
            assertTrue(result.out().contains("  signature: not checked, t is too far in the future"), result.out());
        }

        @Test
        void toleranceOption_widensTheWindow() {
            Result strict = verify(1_700_000_010L, GOOD, TEST_EVENT_VECTOR.body(), "--tolerance", "5");
            Result loose = verify(1_700_000_400L, GOOD, TEST_EVENT_VECTOR.body(), "--tolerance", "600");

            assertEquals(1, strict.exitCode());
            assertTrue(strict.out().contains("10 seconds old; the tolerance is 5 seconds"), strict.out());
            assertEquals(0, loose.exitCode(), loose.all());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "t=1700000000                                        | the header has no v1",
            "v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=     | the header has no t",
            "t=01700000000,v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM= | t is not a canonical positive decimal",
            "t=1700000000,v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM   | a v1 value is not the padded base64",
            "t=1700000000,t=1700000000,v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM= | more than one t",
            "t=1700000000;v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM= | t is not a canonical positive decimal",
            "t=1700000000,v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=,garbage | an element has no '='",
            "t=1700000000,v1=PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=,x=é | outside visible ASCII",
        })
        void malformedHeader_namesTheRule(String signature, String rule) {
            Result result = verify(1_700_000_000L, signature, TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("FAILED malformed signature header: "), result.out());
            assertTrue(result.out().lines().findFirst().orElseThrow().contains(rule), result.out());
            assertTrue(result.out().contains("expected:  t=<unix seconds>,v1=<base64"), result.out());
        }

        @Test
        void tooLongHeader_isMalformed() {
            Result result = verify(1_700_000_000L, GOOD + ",x=" + "a".repeat(9000), TEST_EVENT_VECTOR.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().contains("the header is longer than 8192 characters"), result.out());
        }

        @Test
        void wrongSecret_isNoMatchingSignature() {
            Result result = cli().now(1_700_000_000L).env("S", "another_secret").stdin(TEST_EVENT_VECTOR.body())
                    .run("verify", "--secret-env", "S", "--signature", GOOD);

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("FAILED no matching signature: none of the 1 v1 values matches"),
                    result.out());
            assertTrue(result.out().contains("hint:      check that the body is byte for byte what was signed"),
                    result.out());
            assertFalse(result.all().contains("another_secret"), result.all());
            assertFalse(result.all().contains(TEST_EVENT_VECTOR.v1().substring(1)), "prints no expected signature");
        }

        @Test
        void captureWithAddedNewline_isNamedAsTheCause() {
            Result result = verify(1_700_000_000L, "t=1700000000,v1=" + CliVectors.HELLO_WITHOUT_NEWLINE_V1,
                    HELLO_NEWLINE.body());

            assertEquals(1, result.exitCode());
            assertTrue(result.out().contains("hint:      without its trailing newline the body matches secret 1 of 1"
                    + " (--secret-env S): the capture added one"), result.out());
        }

        /**
         * A body read from a pipe is held in the arrays it was read into: checked there, its CR LF end split
         * between the first two, it verifies, its SHA-256 is the whole body's, and the hint finds the CR LF.
         */
        @Test
        void pipedBodyHeldInArrays_verifiesAndIsHintedAcrossThem() {
            byte[] body = CliVectors.CRLF_ACROSS_ARRAYS.body();
            Result verified = cli().now(CliVectors.T).env("S", DEV_SECRET).pipe(body).run("verify", "--secret-env", "S",
                    "--signature=t=1700000000,v1=" + CliVectors.CRLF_ACROSS_ARRAYS.v1());
            Result hinted = cli().now(CliVectors.T).env("S", DEV_SECRET).pipe(body).run("verify", "--secret-env", "S",
                    "--signature=t=1700000000,v1=" + CliVectors.CRLF_ACROSS_ARRAYS_WITHOUT_V1);

            assertEquals(0, verified.exitCode(), verified.all());
            assertTrue(verified.out().contains("  body:      8193 bytes, SHA-256 " + CliVectors.CRLF_ACROSS_ARRAYS_SHA256
                    + "\n"), verified.out());
            assertEquals(1, hinted.exitCode(), hinted.all());
            assertTrue(hinted.out().contains("hint:      without its trailing newline the body matches secret 1 of 1"),
                    hinted.out());
        }

        @Test
        void bodyThatReallyEndsInANewline_verifies() {
            Result result = verify(1_700_000_000L, "t=1700000000,v1=" + HELLO_NEWLINE.v1(), HELLO_NEWLINE.body());

            assertEquals(0, result.exitCode(), result.all());
        }
    }

    @Nested
    class Refuses {

        @Test
        void missingSignature_isUsageError() {
            Result result = cli().env("S", DEV_SECRET).run("verify", "--secret-env", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("error: verify needs --signature VALUE: the captured X-Webhook-Signature"
                    + " value, t=...,v1=..."), result.err());
        }

        @Test
        void missingSignature_namesTheSchemesSignatureHeader() {
            Result result = cli().env("S", DEV_SECRET).run("verify", "--scheme", "github", "--secret-env", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("error: verify needs --signature VALUE: the captured X-Hub-Signature-256"
                    + " value\n"), result.err());
        }

        @Test
        void signatureGivenTwice_isUsageError() {
            Result result = verify(1_700_000_000L, GOOD, new byte[0], "--signature", GOOD);

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--signature is given 2 times; give it once"), result.err());
        }

        @Test
        void zeroTolerance_isUsageError() {
            Result result = verify(1_700_000_000L, GOOD, new byte[0], "--tolerance", "0");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--tolerance must be a whole number of seconds from 1 to 86400, not '0'"),
                    result.err());
        }

        /** The filter's toleranceSeconds is 1 to 86400 (README's parameter table): verify gives no verdict a filter cannot. */
        @Test
        void toleranceAboveTheFiltersLargest_isUsageError() {
            Result result = verify(1_700_000_000L, GOOD, TEST_EVENT_VECTOR.body(), "--tolerance", "86401");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("--tolerance must be a whole number of seconds from 1 to 86400, not '86401'"),
                    result.err());
        }

        @Test
        void theFiltersLargestTolerance_isAccepted() {
            Result result = verify(1_700_000_000L + 86_400, GOOD, TEST_EVENT_VECTOR.body(), "--tolerance", "86400");

            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.out().contains("86400 seconds ago (tolerance 86400 seconds)"), result.out());
        }

        @Test
        void nowBeyondWhatAClockHolds_isUsageError() {
            Result result = verify(1_700_000_000L, GOOD, new byte[0], "--now", "9223372036854775807");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--now must be a whole number of seconds from 1 to 9223372036854775"),
                    result.err());
        }

        @Test
        void missingBodyFile_isIoError() {
            Result result = verify(1_700_000_000L, GOOD, new byte[0], dir.resolve("capture.json").toString());

            assertEquals(3, result.exitCode());
            assertTrue(result.err().contains("cannot read body file"), result.err());
        }
    }
}
