package dev.webhookfilter;

import static dev.webhookfilter.Vectors.EMPTY_A;
import static dev.webhookfilter.Vectors.NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SECRET_B;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_A_TIMESTAMP_FIRST;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.SIMPLE_NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.SIMPLE_REPLAY_KEY_HEX;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.ascii;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.fuzz.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

    private static Clock at(long seconds) {
        return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    }

    private static WebhookVerifier verifier(String... secrets) {
        return WebhookVerifier.builder().secrets(List.of(secrets)).clock(at(T)).build();
    }

    @Nested
    class KnownVectors {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#bodiesUnderSecretA")
        void verifiesTheIndependentlyComputedSignature(String name, byte[] body, String v1) {
            Verification result = verifier(SECRET_A).verify(header(v1), body);
            assertTrue(result.isVerified(), result.toString());
            assertFalse(result.isRejected());
            assertNull(result.rejection());
            assertNull(result.detail());
            assertEquals(T, result.timestamp());
            assertEquals(0, result.secretIndex());
        }

        @Test
        void keysANonAsciiSecretAsItsUtf8Bytes() {
            assertTrue(verifier(NON_ASCII_SECRET).verify(header(SIMPLE_NON_ASCII_SECRET), SIMPLE_BODY).isVerified());
            WebhookVerifier fromBytes = WebhookVerifier.builder()
                    .secret(NON_ASCII_SECRET.getBytes(StandardCharsets.UTF_8)).clock(at(T)).build();
            assertTrue(fromBytes.verify(header(SIMPLE_NON_ASCII_SECRET), SIMPLE_BODY).isVerified());
        }

        /** A header that is not a String: its t is copied into the signed bytes character by character. */
        @Test
        void verifiesAHeaderGivenAsAnotherCharSequence() {
            WebhookVerifier verifier = verifier(SECRET_A);
            assertTrue(verifier.verify(new StringBuilder(header(SIMPLE_A)), SIMPLE_BODY).isVerified());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE,
                    verifier.verify(new StringBuilder("t=1700000001,v1=" + SIMPLE_A), SIMPLE_BODY).rejection());
            // Where t comes first (stripe signs t.body), the '.' is copied after it, not over it.
            WebhookVerifier stripe = WebhookVerifier.builder().scheme(Scheme.named("stripe")).secret(Vectors.Stripe.SECRET_A)
                    .clock(at(T)).build();
            String header = Vectors.headers("stripe", Vectors.Stripe.SIMPLE_A).get("Stripe-Signature");
            assertTrue(stripe.verify(new StringBuilder(header), SIMPLE_BODY).isVerified());
        }

        @Test
        void aSignatureUnderAnotherSecretDoesNotVerify() {
            Verification result = verifier(SECRET_B).verify(header(SIMPLE_A), SIMPLE_BODY);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
            assertEquals(T, result.timestamp());
            assertEquals(-1, result.secretIndex());
            assertFalse(result.isVerified());
            assertEquals("none of the 1 v1 values matches the body and t under the 1 configured secret",
                    result.detail());
        }
    }

    @Nested
    class Rotation {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.WebhookVerifierTest#rotations")
        @Tag("broad")
        void saysWhichSecretMatched(String header, List<String> secrets, int expectedIndex) {
            Verification result = WebhookVerifier.builder().secrets(secrets).clock(at(T)).build()
                    .verify(header, SIMPLE_BODY);
            assertTrue(result.isVerified(), result.toString());
            assertEquals(expectedIndex, result.secretIndex());
        }

        @Test
        void reportsTheCountsWhenNothingMatches() {
            Verification result = verifier(SECRET_A, SECRET_B).verify(header(SIMPLE_A_TIMESTAMP_FIRST, otherMac(SIMPLE_B)),
                    SIMPLE_BODY);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
            assertEquals("none of the 2 v1 values matches the body and t under the 2 configured secrets",
                    result.detail());
        }
    }

    /** v1 with its first character changed: still canonical base64, another MAC. */
    private static String otherMac(String v1) {
        return (v1.charAt(0) == 'A' ? "B" : "A") + v1.substring(1);
    }

    static Stream<Arguments> rotations() {
        List<String> ab = List.of(SECRET_A, SECRET_B);
        List<String> ba = List.of(SECRET_B, SECRET_A);
        return Stream.of(
                Arguments.of(header(SIMPLE_A, SIMPLE_B), ab, 0),
                Arguments.of(header(SIMPLE_B, SIMPLE_A), ab, 0),
                Arguments.of(header(SIMPLE_A, SIMPLE_B), ba, 0),
                Arguments.of(header(SIMPLE_B, SIMPLE_A), ba, 0),
                Arguments.of(header(SIMPLE_B), ab, 1),
                Arguments.of(header(SIMPLE_A), ba, 1),
                Arguments.of(header(otherMac(SIMPLE_A), SIMPLE_B), ab, 1),
                Arguments.of(header(SIMPLE_B, otherMac(SIMPLE_A)), ab, 1));
    }

    @Nested
    class Forgeries {

        @Test
        void rejectsTheTimestampSignedBeforeTheBody() {
            assertEquals(Rejection.NO_MATCHING_SIGNATURE,
                    verifier(SECRET_A).verify(header(SIMPLE_A_TIMESTAMP_FIRST), SIMPLE_BODY).rejection());
        }

        @Test
        void rejectsTheBodyReserialised() {
            assertEquals(Rejection.NO_MATCHING_SIGNATURE,
                    verifier(SECRET_A).verify(header(SIMPLE_A), ascii("{\"a\": 1}")).rejection());
        }

        @Test
        void rejectsOneByteChanged() {
            byte[] body = SIMPLE_BODY.clone();
            body[5] = '2';
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier(SECRET_A).verify(header(SIMPLE_A), body).rejection());
        }

        @Test
        void rejectsATrailingNewlineAdded() {
            byte[] body = Arrays.copyOf(SIMPLE_BODY, SIMPLE_BODY.length + 1);
            body[SIMPLE_BODY.length] = '\n';
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier(SECRET_A).verify(header(SIMPLE_A), body).rejection());
        }

        /** Every byte of the MAC is compared: a flip of any one of its 256 bits is refused. */
        @Test
        void rejectsTheMacWithAnyOneBitFlipped() {
            byte[] mac = Base64.getDecoder().decode(SIMPLE_A);
            WebhookVerifier verifier = verifier(SECRET_A);
            for (int bit = 0; bit < 8 * mac.length; bit++) {
                byte[] flipped = mac.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                String header = "t=" + T + ",v1=" + Base64.getEncoder().encodeToString(flipped);
                assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.verify(header, SIMPLE_BODY).rejection(), header);
            }
            assertTrue(verifier.verify("t=" + T + ",v1=" + Base64.getEncoder().encodeToString(mac), SIMPLE_BODY).isVerified());
        }

        @Test
        void rejectsAnotherTimestampWithTheSameSignature() {
            Verification result = verifier(SECRET_A).verify("t=1700000001,v1=" + SIMPLE_A, SIMPLE_BODY);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
            assertEquals(T + 1, result.timestamp());
        }
    }

    @Nested
    class Freshness {

        private final WebhookVerifier.Builder builder = WebhookVerifier.builder().secret(SECRET_A);

        /** The default tolerance, written out: set explicitly here, these tests are about the comparison. */
        private static final Duration FIVE_MINUTES = Duration.ofSeconds(300);

        private Verification checkAt(Clock clock, Duration tolerance) {
            return checkAt(clock, tolerance, header(SIMPLE_A));
        }

        private Verification checkAt(Clock clock, Duration tolerance, String header) {
            return builder.clock(clock).tolerance(tolerance).build().verify(header, SIMPLE_BODY);
        }

        @Test
        void acceptsExactlyTheToleranceEitherWay() {
            assertTrue(checkAt(at(T + 300), FIVE_MINUTES).isVerified());
            assertTrue(checkAt(at(T - 300), FIVE_MINUTES).isVerified());
            assertTrue(checkAt(at(T + 7), Duration.ofSeconds(7)).isVerified());
            assertTrue(checkAt(at(T - 7), Duration.ofSeconds(7)).isVerified());
        }

        @Test
        void rejectsOneSecondStale() {
            Verification result = checkAt(at(T + 301), FIVE_MINUTES);
            assertEquals(Rejection.STALE_TIMESTAMP, result.rejection());
            assertEquals("the timestamp is 301 seconds old; the tolerance is 300 seconds", result.detail());
            assertEquals(T, result.timestamp());
            assertEquals(-1, result.secretIndex());
        }

        @Test
        void rejectsOneSecondInTheFuture() {
            Verification result = checkAt(at(T - 301), FIVE_MINUTES);
            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection());
            assertEquals("the timestamp is 301 seconds in the future; the tolerance is 300 seconds", result.detail());
            assertEquals(T, result.timestamp());
        }

        @Test
        void rejectsOneSecondOutsideACustomTolerance() {
            assertEquals(Rejection.STALE_TIMESTAMP, checkAt(at(T + 8), Duration.ofSeconds(7)).rejection());
            assertEquals(Rejection.FUTURE_TIMESTAMP, checkAt(at(T - 8), Duration.ofSeconds(7)).rejection());
        }

        @Test
        void countsWholeSecondsOfTheClock() {
            Clock lastMillisecond = Clock.fixed(Instant.ofEpochMilli((T + 300) * 1000 + 999), ZoneOffset.UTC);
            assertTrue(checkAt(lastMillisecond, FIVE_MINUTES).isVerified());
        }

        @Test
        void checksFreshnessBeforeTheSignature() {
            Verification result = builder.clock(at(T + 301)).build().verify(header(SIMPLE_B), SIMPLE_BODY);
            assertEquals(Rejection.STALE_TIMESTAMP, result.rejection());
        }

        @Test
        void aTimestampAtLongMaxIsInTheFutureWhateverTheClock() {
            // now - t is -1 - Long.MAX_VALUE = Long.MIN_VALUE, whose negation is itself: no longer "> tolerance".
            String header = "t=9223372036854775807,v1=" + Vectors.SIMPLE_A_AT_LONG_MAX;
            Verification result = checkAt(at(-1), FIVE_MINUTES, header);
            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection(), result.toString());
            assertEquals("the timestamp is 9223372036854775807 seconds in the future; the tolerance is 300 seconds",
                    result.detail(), "the age stops at -Long.MAX_VALUE, whose negation fits");
            assertEquals(Rejection.FUTURE_TIMESTAMP, checkAt(at(0), FIVE_MINUTES, header).rejection());
            assertEquals(Rejection.FUTURE_TIMESTAMP, checkAt(at(T), FIVE_MINUTES, header).rejection());
        }

        @Test
        void aClockBefore1970PutsAnOrdinaryTimestampInTheFutureByItsDistance() {
            Verification result = checkAt(at(-1), FIVE_MINUTES);
            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection());
            assertEquals("the timestamp is " + (T + 1) + " seconds in the future; the tolerance is 300 seconds",
                    result.detail());
        }

        @Test
        void aTimestampAtLongMaxIsJudgedAgainWithoutOverflowWhenTheBodyArrives() {
            // Fresh when the header came, by a tolerance of nearly Long.MAX_VALUE seconds; the clock then set
            // back before 1970: the second judgement (matched, not fresh) must not wrap either.
            String header = "t=9223372036854775807,v1=" + Vectors.SIMPLE_A_AT_LONG_MAX;
            long now = 1_000_000_000_000_000L;
            MutableClock clock = new MutableClock(now);
            WebhookVerifier verifier = builder.clock(clock).tolerance(Duration.ofSeconds(Long.MAX_VALUE - now)).build();
            HeaderCheck checked = verifier.checkHeader(header);
            assertTrue(checked.isAccepted(), checked.toString());
            clock.advanceSeconds(-now - 1);
            Verification result = verifier.checkBody(checked, SIMPLE_BODY, 0, SIMPLE_BODY.length);
            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection(), result.toString());
            assertTrue(result.detail().startsWith("the timestamp is 9223372036854775807 seconds in the future;"),
                    result.detail());
        }

        @Test
        void usesTheSystemClockByDefault() {
            Verification result = WebhookVerifier.builder().secret(SECRET_A).build().verify(header(SIMPLE_A), SIMPLE_BODY);
            assertEquals(Rejection.STALE_TIMESTAMP, result.rejection(), "2023 is long past");
        }
    }

    @Nested
    class SplitCheck {

        private final WebhookVerifier verifier = verifier(SECRET_A);

        @Test
        void checkHeaderAcceptsWithoutTheBody() {
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));
            assertTrue(header.isAccepted());
            assertNull(header.rejection());
            assertNull(header.detail());
            assertEquals(T, header.timestamp());
            assertEquals("HeaderCheck[accepted, t=1700000000]", header.toString());
        }

        @Test
        void checkHeaderReportsAMissingHeader() {
            HeaderCheck result = verifier.checkHeader((CharSequence) null);
            assertFalse(result.isAccepted());
            assertEquals(Rejection.MISSING_HEADER, result.rejection());
            assertEquals(0, result.timestamp());
            assertEquals("HeaderCheck[MISSING_HEADER: the signature header is missing]", result.toString());
        }

        @Test
        void checkBodyMacsOnlyTheGivenRange() {
            byte[] padded = new byte[SIMPLE_BODY.length + 5];
            System.arraycopy(SIMPLE_BODY, 0, padded, 3, SIMPLE_BODY.length);
            padded[0] = 'z';
            padded[padded.length - 1] = 'z';
            Verification result = verifier.checkBody(verifier.checkHeader(header(SIMPLE_A)), padded, 3, SIMPLE_BODY.length);
            assertTrue(result.isVerified(), result.toString());
            assertEquals("Verification[verified, t=1700000000, secret #0]", result.toString());
        }

        @Test
        void verifyReadsTheClockOnceAndTheSplitChecksAtEachStep() {
            MutableClock clock = new MutableClock(T);
            WebhookVerifier timed = WebhookVerifier.builder().secret(SECRET_A).clock(clock).build();
            assertTrue(timed.verify(header(SIMPLE_A), SIMPLE_BODY).isVerified());
            assertEquals(1, clock.reads(), "the body has arrived whole: one reading serves both judgements");
            HeaderCheck header = timed.checkHeader(header(SIMPLE_A));
            assertEquals(2, clock.reads());
            clock.advanceSeconds(301); // the body took longer than the tolerance to arrive
            Verification late = timed.checkBody(header, SIMPLE_BODY, 0, SIMPLE_BODY.length);
            assertEquals(3, clock.reads());
            assertEquals(Rejection.STALE_TIMESTAMP, late.rejection());
        }

        @Test
        void aSchemeWithoutTimestampReadsTheClockOnlyForAReplayGuard() {
            MutableClock clock = new MutableClock(T);
            WebhookVerifier.Builder github = WebhookVerifier.builder().scheme(Scheme.named("github"))
                    .secret(Vectors.GITHUB_DOC_SECRET).clock(clock);
            assertTrue(github.build().verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY).isVerified());
            assertEquals(0, clock.reads(), "nothing to judge fresh, nothing to keep");
            // The guard has its own clock, so that the reads counted are the verifier's alone.
            WebhookVerifier guarded = github.replayGuard(new InMemoryReplayGuard(10, Clock.systemUTC())).build();
            assertTrue(guarded.verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY).isVerified());
            assertEquals(1, clock.reads(), "the record is kept for the tolerance from now");
        }

        @Test
        void checkBodyRejectsARangeOutsideTheArray() {
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));
            assertThrows(IndexOutOfBoundsException.class, () -> verifier.checkBody(header, SIMPLE_BODY, 1, SIMPLE_BODY.length));
            assertThrows(IndexOutOfBoundsException.class, () -> verifier.checkBody(header, SIMPLE_BODY, -1, 1));
        }

        @Test
        void checkBodyTakesOnlyAnAcceptedHeader() {
            HeaderCheck rejected = verifier.checkHeader("t=1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(rejected, SIMPLE_BODY, 0, 1));
            assertEquals("checkBody takes headers that checkHeader accepted", e.getMessage());
            // The body held in buffers, or in the filter's chunks: the same refusal, before the body is looked at.
            assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(rejected, List.of(ByteBuffer.wrap(SIMPLE_BODY)))).getMessage());
            assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(rejected, new byte[][] {SIMPLE_BODY}, SIMPLE_BODY.length)).getMessage());
        }

        /**
         * A check read for another scheme would be judged by that scheme's rules: one for {@code github}, which signs no
         * timestamp, would skip freshness. Its MAC over {@code body}, as {@code stripe}'s over {@code t.body}, is what
         * a request signed a year ago carries.
         */
        @Test
        void checkBodyTakesOnlyAHeaderReadForItsOwnScheme() {
            WebhookVerifier github = WebhookVerifier.builder().scheme(Scheme.named("github"))
                    .secret(Vectors.GITHUB_DOC_SECRET).build();
            HeaderCheck githubs = github.checkHeader(Vectors.GITHUB_DOC_HEADER);
            assertTrue(githubs.isAccepted());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(githubs, Vectors.GITHUB_DOC_BODY, 0, Vectors.GITHUB_DOC_BODY.length));
            assertEquals("checkBody takes headers that checkHeader accepted for this verifier's scheme, wealthkernel-2022;"
                    + " these were read for github", e.getMessage());
            // Another verifier of the same scheme, a copy with a guard or a renamed signature header, reads alike.
            WebhookVerifier renamed = WebhookVerifier.builder().scheme(Scheme.named("github").withSignatureHeader("X-Sig"))
                    .secret(Vectors.GITHUB_DOC_SECRET).build();
            assertTrue(renamed.checkBody(githubs, Vectors.GITHUB_DOC_BODY, 0, Vectors.GITHUB_DOC_BODY.length).isVerified());
            assertTrue(github.withReplayGuard(new InMemoryReplayGuard(10, Clock.systemUTC()))
                    .checkBody(githubs, Vectors.GITHUB_DOC_BODY, 0, Vectors.GITHUB_DOC_BODY.length).isVerified());
        }

        @Test
        void theReplayKeyIsTheDigestOfTheSignedPartsWhicheverSecretMatched() {
            byte[] expected = java.util.HexFormat.of().parseHex(SIMPLE_REPLAY_KEY_HEX);
            ScriptedReplayGuard capturing = ScriptedReplayGuard.answering(ReplayGuard.Decision.FIRST_SEEN);
            List<byte[]> recorded = capturing.keys;
            WebhookVerifier a = WebhookVerifier.builder().secret(SECRET_A).clock(at(T)).replayGuard(capturing).build();
            WebhookVerifier b = WebhookVerifier.builder().secret(SECRET_B).clock(at(T)).replayGuard(capturing).build();
            assertTrue(a.verify(header(SIMPLE_A), SIMPLE_BODY).isVerified());
            assertTrue(b.verify(header(SIMPLE_B), SIMPLE_BODY).isVerified());
            byte[] padded = new byte[SIMPLE_BODY.length + 4];
            System.arraycopy(SIMPLE_BODY, 0, padded, 2, SIMPLE_BODY.length);
            assertTrue(a.checkBody(a.checkHeader(header(SIMPLE_A)), padded, 2, SIMPLE_BODY.length).isVerified());
            assertTrue(a.checkBody(a.checkHeader(header(SIMPLE_A)), pieces(SIMPLE_BODY, 3, SIMPLE_BODY.length - 2)).isVerified());
            assertTrue(a.checkBody(a.checkHeader(header(SIMPLE_A)), chunks(SIMPLE_BODY, 4, 7), SIMPLE_BODY.length).isVerified());
            assertEquals(5, recorded.size());
            for (byte[] key : recorded) {
                assertArrayEquals(expected, key, "the same key under either secret, and only the body's range counts");
            }
        }
    }

    /** A body held in pieces or in arrays, as a server reading it in chunks has it. */
    @Nested
    class Pieces {

        private final WebhookVerifier verifier = verifier(SECRET_A);

        static Stream<Arguments> splits() {
            int n = SIMPLE_BODY.length;
            return Stream.of(Arguments.of((Object) new int[0]), Arguments.of((Object) new int[] {0}),
                    Arguments.of((Object) new int[] {1}), Arguments.of((Object) new int[] {n / 2}),
                    Arguments.of((Object) new int[] {n - 1}), Arguments.of((Object) new int[] {n}),
                    Arguments.of((Object) new int[] {1, 2, 3, n - 1}));
        }

        @ParameterizedTest
        @MethodSource("splits")
        @Tag("broad")
        void aBodySplitAnywhereVerifiesAsTheWhole(int[] cuts) {
            Verification result = verifier.checkBody(verifier.checkHeader(header(SIMPLE_A)), pieces(SIMPLE_BODY, cuts));
            assertTrue(result.isVerified(), result.toString());
            result = verifier.checkBody(verifier.checkHeader(header(SIMPLE_A)), chunks(SIMPLE_BODY, cuts), SIMPLE_BODY.length);
            assertTrue(result.isVerified(), result.toString());
        }

        /** As the filter's chunks are: the last one partly filled, and an array past the body never read. */
        @Test
        void arraysAreReadUpToTheLengthOnly() {
            byte[][] chunks = chunks(SIMPLE_BODY, 5);
            byte[][] spare = {chunks[0], java.util.Arrays.copyOf(chunks[1], chunks[1].length + 7), null};
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));
            assertTrue(verifier.checkBody(header, spare, SIMPLE_BODY.length).isVerified());
            spare[1][spare[1].length - 7] = 'x'; // the first byte past the body counted as the body's
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.checkBody(header, spare, SIMPLE_BODY.length + 1).rejection());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.checkBody(header, spare, SIMPLE_BODY.length - 1).rejection());
        }

        /** Arrays that hold the body exactly: none past them is looked at, not even to count what it holds. */
        @Test
        void noArrayPastTheBodyIsLookedAt() {
            byte[][] chunks = chunks(SIMPLE_BODY, 5);
            byte[][] thenNull = {chunks[0], chunks[1], null};
            assertTrue(verifier.checkBody(verifier.checkHeader(header(SIMPLE_A)), thenNull, SIMPLE_BODY.length)
                    .isVerified());
            // The empty body: no array at all, or only arrays past it.
            HeaderCheck empty = verifier.checkHeader(header(EMPTY_A));
            assertTrue(verifier.checkBody(empty, new byte[0][], 0).isVerified());
            assertTrue(verifier.checkBody(empty, new byte[][] {null}, 0).isVerified());
        }

        @Test
        void arraysHoldingLessThanTheLengthAreRefused() {
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));
            byte[][] chunks = chunks(SIMPLE_BODY, 5);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> verifier.checkBody(header, chunks, SIMPLE_BODY.length + 1));
            assertEquals("the 2 arrays hold " + SIMPLE_BODY.length + " of the body's " + (SIMPLE_BODY.length + 1)
                    + " bytes", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> verifier.checkBody(header, chunks, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> verifier.checkBody(header, new byte[0][], 1));
        }

        /**
         * A null where the arrays go is refused as a null body is by the other overloads (a null array, a
         * null list), whatever the length: not taken as an empty body. EMPTY_A is the MAC of the empty
         * body (printf '%s' '1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64).
         */
        @Test
        void nullArraysAreRefusedNotTakenAsAnEmptyBody() {
            HeaderCheck header = verifier.checkHeader(header(EMPTY_A));
            assertThrows(NullPointerException.class, () -> verifier.checkBody(header, (byte[]) null, 0, 0));
            assertThrows(NullPointerException.class, () -> verifier.checkBody(header, (List<ByteBuffer>) null));
            assertThrows(NullPointerException.class, () -> verifier.checkBody(header, (byte[][]) null, 0),
                    "checkBody(header, null, 0) verified the empty body's signature");
        }

        @Test
        void piecesAreReadFromTheirPositionsAndLeftThere() {
            ByteBuffer offset = ByteBuffer.allocate(SIMPLE_BODY.length + 6);
            offset.put(ascii("xxx")).put(SIMPLE_BODY).put(ascii("yyy"));
            offset.position(3).limit(3 + SIMPLE_BODY.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(SIMPLE_BODY.length);
            direct.put(SIMPLE_BODY).flip();
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));

            assertTrue(verifier.checkBody(header, List.of(offset.slice())).isVerified());
            assertTrue(verifier.checkBody(header, List.of(offset)).isVerified());
            assertTrue(verifier.checkBody(header, List.of(direct)).isVerified());
            assertEquals(3, offset.position());
            assertEquals(0, direct.position());
        }

        /**
         * An empty direct buffer before a direct buffer with bytes: the array they pass through, made for the
         * first, is grown for the second, not left empty (a loop that copies nothing at a time never ends).
         */
        @Test
        void anEmptyDirectBufferBeforeAnotherVerifies() {
            ByteBuffer direct = ByteBuffer.allocateDirect(SIMPLE_BODY.length);
            direct.put(SIMPLE_BODY).flip();
            HeaderCheck header = verifier.checkHeader(header(SIMPLE_A));
            Verification result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> verifier.checkBody(header, List.of(ByteBuffer.allocateDirect(0), direct)));
            assertTrue(result.isVerified(), result::toString);
        }

        /** Direct buffers pass through one array of at most 4 KiB: one larger spans several passes. */
        @Test
        void aDirectBufferLargerThanItsCopyArrayVerifies() {
            byte[] body = new byte[10_001];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31 + 7);
            }
            // The expected MAC from the reference model (the JDK's Mac over body || t), not from the library.
            String v1 = Base64.getEncoder().encodeToString(Reference.hmac(SECRET_A, body, Long.toString(T)));
            // A small direct buffer first, then a larger one: the array they pass through grows between them.
            ByteBuffer small = ByteBuffer.allocateDirect(100);
            small.put(body, 3, 100).flip();
            ByteBuffer direct = ByteBuffer.allocateDirect(body.length - 103);
            direct.put(body, 103, body.length - 103).flip();
            HeaderCheck header = verifier.checkHeader(header(v1));

            assertTrue(verifier.checkBody(header, List.of(ByteBuffer.wrap(body, 0, 3), small, direct)).isVerified());
            assertEquals(0, small.position());
            assertEquals(0, direct.position());
            direct.put(direct.limit() - 1, (byte) (body[body.length - 1] ^ 1));
            assertEquals(Rejection.NO_MATCHING_SIGNATURE,
                    verifier.checkBody(header, List.of(ByteBuffer.wrap(body, 0, 3), small, direct)).rejection(),
                    "the last byte of the last pass through the array counts");
        }

        @Test
        void aChangedPieceIsNoMatch() {
            byte[] changed = SIMPLE_BODY.clone();
            changed[changed.length - 1] ^= 1;
            Verification result = verifier.checkBody(verifier.checkHeader(header(SIMPLE_A)), pieces(changed, 5));
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
        }

        @Test
        void takesOnlyAnAcceptedHeader() {
            assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(verifier.checkHeader("t=1"), pieces(SIMPLE_BODY, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> verifier.checkBody(verifier.checkHeader("t=1"), chunks(SIMPLE_BODY, 1), SIMPLE_BODY.length));
        }
    }

    /** {@code body} cut at each of {@code cuts} (ascending), each piece wrapping its part of the array. */
    static List<ByteBuffer> pieces(byte[] body, int... cuts) {
        List<ByteBuffer> pieces = new java.util.ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(ByteBuffer.wrap(body, from, cut - from));
            from = cut;
        }
        pieces.add(ByteBuffer.wrap(body, from, body.length - from));
        return pieces;
    }

    /** {@code body} cut as {@link #pieces} cuts it, each part copied into an array of its own. */
    static byte[][] chunks(byte[] body, int... cuts) {
        List<ByteBuffer> pieces = pieces(body, cuts);
        byte[][] chunks = new byte[pieces.size()][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new byte[pieces.get(i).remaining()];
            pieces.get(i).get(chunks[i]);
        }
        return chunks;
    }

    @Nested
    class Builder {

        @Test
        void needsASecret() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> WebhookVerifier.builder().build());
            assertEquals("a webhook verifier needs at least one secret", e.getMessage());
        }

        @Test
        void refusesNullOrEmptySecrets() {
            WebhookVerifier.Builder builder = WebhookVerifier.builder();
            assertThrows(IllegalArgumentException.class, () -> builder.secret((String) null));
            assertThrows(IllegalArgumentException.class, () -> builder.secret(""));
            assertThrows(IllegalArgumentException.class, () -> builder.secret((byte[]) null));
            assertThrows(IllegalArgumentException.class, () -> builder.secret(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> builder.secrets(Arrays.asList(SECRET_A, "")));
        }

        /**
         * A reference taken as the secret itself makes a key anyone who reads the configuration can sign with:
         * web.xml's {@code env:NAME} written where secrets are used as they stand, a placeholder left unexpanded.
         */
        @ParameterizedTest
        @ValueSource(strings = {"env:WEBHOOK_SECRET", "file:/run/secrets/webhook", "ENV:WEBHOOK_SECRET",
                " env : WEBHOOK_SECRET", "${WEBHOOK_SECRET}", "$WEBHOOK_SECRET", "%WEBHOOK_SECRET%"})
        void refusesASecretThatLooksLikeAReference_withoutQuotingIt(String reference) {
            WebhookVerifier.Builder builder = WebhookVerifier.builder().secret(SECRET_A).secret(reference);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
            assertTrue(e.getMessage().startsWith("secret #2: looks like a reference (env:NAME, file:PATH) or a"
                    + " placeholder (${NAME}, $NAME, %NAME%)"), e.getMessage());
            assertFalse(e.getMessage().contains("WEBHOOK_SECRET") || e.getMessage().contains("/run/"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of(reference));
        }

        @Test
        void takesTheKeyBytesOfASecretThatLooksLikeAReference() {
            byte[] key = "env:WEBHOOK_SECRET".getBytes(StandardCharsets.UTF_8);
            assertEquals(1, WebhookVerifier.builder().secret(key).build().secretCount());
        }

        @Test
        void acceptsAOneCharacterSecret() {
            assertEquals(1, WebhookVerifier.builder().secret("k").build().secretCount());
            assertEquals(1, WebhookVerifier.builder().secret(new byte[] {1}).build().secretCount());
        }

        @Test
        void copiesSecretBytes() {
            byte[] key = SECRET_A.getBytes(StandardCharsets.UTF_8);
            WebhookVerifier verifier = WebhookVerifier.builder().secret(key).clock(at(T)).build();
            Arrays.fill(key, (byte) 0);
            assertTrue(verifier.verify(header(SIMPLE_A), SIMPLE_BODY).isVerified());
        }

        @Test
        void refusesAToleranceUnderOneSecond() {
            WebhookVerifier.Builder builder = WebhookVerifier.builder();
            for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.tolerance(bad));
                assertEquals("the tolerance must be at least one second", e.getMessage());
            }
            assertEquals(Duration.ofSeconds(1), builder.secret(SECRET_A).tolerance(Duration.ofSeconds(1)).build().tolerance());
        }

        @Test
        void refusesNullClockAndGuard() {
            assertThrows(NullPointerException.class, () -> WebhookVerifier.builder().clock(null));
            assertThrows(NullPointerException.class, () -> WebhookVerifier.builder().replayGuard(null));
        }

        @Test
        void reportsItsConfiguration() {
            WebhookVerifier one = verifier(SECRET_A);
            assertEquals(1, one.secretCount());
            assertEquals(Duration.ofSeconds(300), one.tolerance(), "the default scheme's tolerance");
            assertFalse(one.hasReplayProtection());
            WebhookVerifier guarded = WebhookVerifier.builder().secret(SECRET_A).secret(SECRET_B)
                    .replayGuard(new InMemoryReplayGuard(5, at(T))).tolerance(Duration.ofSeconds(60)).build();
            assertEquals(2, guarded.secretCount());
            assertTrue(guarded.hasReplayProtection());
            assertEquals(Duration.ofSeconds(60), guarded.tolerance());
        }

        @Test
        void toStringShowsCountsNotSecrets() {
            WebhookVerifier one = verifier(SECRET_A);
            assertEquals("WebhookVerifier[1 secret, tolerance 300 s]", one.toString());
            WebhookVerifier two = WebhookVerifier.builder().secret(SECRET_A).secret(NON_ASCII_SECRET)
                    .replayGuard(new InMemoryReplayGuard(5, at(T))).build();
            assertEquals("WebhookVerifier[2 secrets, tolerance 300 s, replay protection InMemoryReplayGuard[0 of 5 keys]]",
                    two.toString());
        }

        @Test
        void withReplayGuard_copiesTheVerifierAndRefusesTheSecondDelivery() {
            Clock clock = at(T);
            WebhookVerifier plain = WebhookVerifier.builder().scheme(Scheme.named("stripe")).secret(Vectors.Stripe.SECRET_A)
                    .tolerance(Duration.ofSeconds(60)).clock(clock).build();
            WebhookVerifier guarded = plain.withReplayGuard(new InMemoryReplayGuard(5, clock));

            assertTrue(guarded.hasReplayProtection());
            assertFalse(plain.hasReplayProtection(), "the original is unchanged");
            assertEquals("stripe", guarded.scheme().name());
            assertEquals(Duration.ofSeconds(60), guarded.tolerance());
            assertEquals(1, guarded.secretCount());
            assertEquals(clock, guarded.clock());
            assertEquals(clock, plain.clock());
            HeaderLookup lookup = HeaderLookup.of(Vectors.headersAt("stripe", Long.toString(T), Vectors.Stripe.SIMPLE_A));
            assertTrue(guarded.verify(lookup, SIMPLE_BODY).isVerified());
            assertEquals(Rejection.REPLAYED, guarded.verify(lookup, SIMPLE_BODY).rejection());
            assertTrue(plain.verify(lookup, SIMPLE_BODY).isVerified(), "the original has no guard");
            assertEquals("WebhookVerifier[stripe, 1 secret, tolerance 60 s, replay protection"
                    + " InMemoryReplayGuard[1 of 5 keys]]", guarded.toString());
        }

        @Test
        void withReplayGuard_refusesASecondGuardAndNull() {
            WebhookVerifier guarded = verifier(SECRET_A).withReplayGuard(new InMemoryReplayGuard(5, at(T)));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> guarded.withReplayGuard(new InMemoryReplayGuard(5, at(T))));
            assertEquals("this verifier has a replay guard already", e.getMessage());
            assertThrows(NullPointerException.class, () -> verifier(SECRET_A).withReplayGuard(null));
        }

        @Test
        void messagesNeverContainTheSecret() {
            Verification stale = WebhookVerifier.builder().secret(SECRET_A).clock(at(T + 999)).build()
                    .verify(header(SIMPLE_A), SIMPLE_BODY);
            Verification mismatch = verifier(SECRET_A).verify(header(SIMPLE_B), SIMPLE_BODY);
            for (Verification result : List.of(stale, mismatch)) {
                assertFalse(result.toString().contains(SECRET_A));
                assertFalse(result.toString().contains(SIMPLE_A));
                assertFalse(result.detail().contains(SIMPLE_B));
            }
        }
    }
}
