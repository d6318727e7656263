package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplayProtectionTest {

    private static final String SECRET = "whsec_replay_test_secret_01";
    private static final byte[] BODY = "{\"eventId\":\"whevt-replay\"}".getBytes(StandardCharsets.US_ASCII);
    // printf '%s%s' '{"eventId":"whevt-replay"}' '1700000000' | openssl dgst -sha256 -hmac 'whsec_replay_test_secret_01' -binary | base64
    private static final String HEADER_T0 = "t=1700000000,v1=dflQqq3WTMJnjkxy8puDEewrWkkDCvLxQcrhIy6oixg=";
    // printf '%s%s' '{"eventId":"whevt-replay"}' '1700000001' | openssl dgst -sha256 -hmac 'whsec_replay_test_secret_01' -binary | base64
    private static final String HEADER_T1 = "t=1700000001,v1=F/tQjHAW5NpD853E52TEK/Z8oCB/rBIG9D0kOIiCS8Y=";

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_010L), ZoneOffset.UTC);

    private WebhookVerifier verifier(ReplayGuard guard) {
        return WebhookVerifier.builder().secret(SECRET).clock(clock).replayGuard(guard).build();
    }

    @Test
    void refusesTheSameSignedRequestTheSecondTime() {
        WebhookVerifier verifier = verifier(new InMemoryReplayGuard(100, clock));
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        Verification replay = verifier.verify(HEADER_T0, BODY);
        assertEquals(Rejection.REPLAYED, replay.rejection());
        assertEquals(1_700_000_000L, replay.timestamp());
    }

    @Test
    void refusesAReplayThatAddsAnUnknownSchemeOrWhitespace() {
        WebhookVerifier verifier = verifier(new InMemoryReplayGuard(100, clock));
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        assertEquals(Rejection.REPLAYED, verifier.verify(" v0=x, " + HEADER_T0 + " ,", BODY).rejection());
    }

    @Test
    void aToleranceOfLongMaxSecondsStillRefusesTheReplay() {
        // expiresAt = t + tolerance overflows to a negative second: the guard drops the key at once.
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).clock(clock)
                .tolerance(java.time.Duration.ofSeconds(Long.MAX_VALUE))
                .replayGuard(new InMemoryReplayGuard(100, clock)).build();
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        assertEquals(Rejection.REPLAYED, verifier.verify(HEADER_T0, BODY).rejection());
    }

    @Test
    void aSchemeWithoutTimestampRemembersForALongToleranceToo() {
        WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("github"))
                .secret(Vectors.GITHUB_DOC_SECRET).clock(clock)
                .tolerance(java.time.temporal.ChronoUnit.FOREVER.getDuration())
                .replayGuard(new InMemoryReplayGuard(100, clock)).build();
        assertTrue(verifier.verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY).isVerified());
        assertEquals(Rejection.REPLAYED, verifier.verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY).rejection());
    }

    @Test
    void acceptsTheSameBodySignedAtAnotherTime() {
        WebhookVerifier verifier = verifier(new InMemoryReplayGuard(100, clock));
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        assertTrue(verifier.verify(HEADER_T1, BODY).isVerified(), "a retry re-signed by the platform is new");
    }

    @Test
    void forgedRequestsAreNotRecorded() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(100, clock);
        WebhookVerifier verifier = verifier(guard);
        byte[] changed = BODY.clone();
        changed[3] ^= 1;
        assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.verify(HEADER_T0, changed).rejection());
        assertEquals(0, guard.size());
    }

    @Test
    void releaseLetsTheSenderRetryTheSameRequest() {
        WebhookVerifier verifier = verifier(new InMemoryReplayGuard(100, clock));
        Verification first = verifier.verify(HEADER_T0, BODY);
        verifier.release(first);
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
    }

    @Test
    void releaseTakesOnlyVerifiedResults() {
        WebhookVerifier verifier = verifier(new InMemoryReplayGuard(100, clock));
        Verification rejected = verifier.verify("t=1", BODY);
        assertThrows(IllegalArgumentException.class, () -> verifier.release(rejected));
    }

    /**
     * A guard whose {@code forget} throws, as it must not, keeps its record: the exception is not passed on to the
     * caller's {@code finally}, where it would skip the caller's own work (the filter's answer, its claim).
     */
    @Test
    void releaseThroughAGuardThatThrowsKeepsTheRecordAndDoesNotThrow() {
        InMemoryReplayGuard memory = new InMemoryReplayGuard(100, clock);
        ReplayGuard forgetThrows = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                return memory.record(key, expiresAt);
            }

            @Override
            public void forget(byte[] key) {
                throw new IllegalStateException("the guard's store is closed");
            }
        };
        WebhookVerifier verifier = verifier(forgetThrows);
        Verification first = verifier.verify(HEADER_T0, BODY);
        verifier.release(first);
        assertEquals(Rejection.REPLAYED, verifier.verify(HEADER_T0, BODY).rejection());
    }

    /**
     * A guard that breaks its contract, throwing or answering null, cannot decide either: the request is refused
     * as unavailable (the filter's 503), not failed with its exception (a 500), and the detail names the
     * exception's class, never its message.
     */
    @Test
    void aGuardThatThrowsOrAnswersNothingFailsClosedToo() {
        ReplayGuard throwing =
                ScriptedReplayGuard.throwing(new IllegalStateException("redis://user:password@10.0.0.1 refused"));
        Verification threw = verifier(throwing).verify(HEADER_T0, BODY);
        assertEquals(Rejection.REPLAY_CHECK_UNAVAILABLE, threw.rejection());
        assertEquals("the replay guard could not record the signed message (it threw java.lang.IllegalStateException)",
                threw.detail());
        ReplayGuard silent = ScriptedReplayGuard.answering(null);
        assertEquals(Rejection.REPLAY_CHECK_UNAVAILABLE, verifier(silent).verify(HEADER_T0, BODY).rejection());
    }

    /**
     * Java checks exceptions only at compile time: a guard written in Kotlin over JDBC or a socket throws an
     * {@code SQLException} or an {@code IOException} from {@code record} or {@code forget}, which declare none; a
     * guard whose client lacks a class at run time throws a {@code NoClassDefFoundError}. It fails closed as a
     * {@code RuntimeException} does; before, it left {@code verify} and {@code release}.
     */
    @ParameterizedTest
    @MethodSource("beyondRuntimeExceptions")
    @Tag("broad")
    void aGuardThatThrowsACheckedExceptionOrAnErrorFailsClosedToo(Throwable failure) {
        ReplayGuard throwing = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                ReplayProtectionTest.<RuntimeException>sneakyThrow(failure);
                return Decision.FIRST_SEEN;
            }

            @Override
            public void forget(byte[] key) {
                ReplayProtectionTest.<RuntimeException>sneakyThrow(failure);
            }
        };
        Verification threw = verifier(throwing).verify(HEADER_T0, BODY);
        assertEquals(Rejection.REPLAY_CHECK_UNAVAILABLE, threw.rejection());
        assertEquals("the replay guard could not record the signed message (it threw " + failure.getClass().getName()
                + ")", threw.detail());
        Verification verified = verifier(new InMemoryReplayGuard(100, clock)).verify(HEADER_T0, BODY);
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> verifier(throwing).release(verified));
    }

    /**
     * A guard that waits on a lock, a queue or a socket is woken by an interrupt with an {@code InterruptedException},
     * whose throwing clears the thread's interrupt status. Taken as unavailable, the request is refused, but the
     * interrupt is the container's (a stuck-thread valve, a shutdown) and must still be seen by whoever runs next
     * on the thread: the status is set again, from {@code verify} and from {@code release}.
     */
    @Test
    void aGuardInterruptedWhileWaitingLeavesTheThreadInterrupted() {
        ReplayGuard interrupted = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                ReplayProtectionTest.<RuntimeException>sneakyThrow(new InterruptedException("sleep interrupted"));
                return Decision.FIRST_SEEN;
            }

            @Override
            public void forget(byte[] key) {
                ReplayProtectionTest.<RuntimeException>sneakyThrow(new InterruptedException("sleep interrupted"));
            }
        };
        try {
            assertEquals(Rejection.REPLAY_CHECK_UNAVAILABLE, verifier(interrupted).verify(HEADER_T0, BODY).rejection());
            assertTrue(Thread.interrupted(), "the interrupt status after verify");
            Verification verified = verifier(new InMemoryReplayGuard(100, clock)).verify(HEADER_T0, BODY);
            verifier(interrupted).release(verified);
            assertTrue(Thread.interrupted(), "the interrupt status after release");
        } finally {
            Thread.interrupted();
        }
    }

    static java.util.List<Throwable> beyondRuntimeExceptions() {
        return java.util.List.of(new java.io.IOException("connection reset"),
                new NoClassDefFoundError("io/lettuce/core/RedisClient"));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
        throw (T) failure;
    }

    @Test
    void aGuardThatCannotDecideFailsClosed() {
        ReplayGuard unavailable = ScriptedReplayGuard.answering(ReplayGuard.Decision.UNAVAILABLE);
        assertEquals(Rejection.REPLAY_CHECK_UNAVAILABLE, verifier(unavailable).verify(HEADER_T0, BODY).rejection());
        assertEquals(503, Rejection.REPLAY_CHECK_UNAVAILABLE.status());
    }

    @Test
    void recordsUntilTheTimestampGoesStale() {
        ScriptedReplayGuard spy = ScriptedReplayGuard.answering(ReplayGuard.Decision.FIRST_SEEN);
        assertTrue(verifier(spy).verify(HEADER_T0, BODY).isVerified());
        assertEquals(1_700_000_000L + 300, spy.expiries.get(0));
    }

    /** Issue 9, finding 1: with two secrets, a replay that keeps only the other v1 must not pass. */
    @Test
    void aReplayUnderTheOtherSecretsSignatureIsRefused() {
        WebhookVerifier rotating = WebhookVerifier.builder().secret(Vectors.SECRET_A).secret(Vectors.SECRET_B)
                .clock(Clock.fixed(Instant.ofEpochSecond(Vectors.T + 10), ZoneOffset.UTC))
                .replayGuard(new InMemoryReplayGuard(100, clock)).build();
        assertTrue(rotating.verify(Vectors.header(Vectors.SIMPLE_A, Vectors.SIMPLE_B), Vectors.SIMPLE_BODY).isVerified());
        assertEquals(Rejection.REPLAYED,
                rotating.verify(Vectors.header(Vectors.SIMPLE_B), Vectors.SIMPLE_BODY).rejection());
        assertEquals(Rejection.REPLAYED,
                rotating.verify(Vectors.header(Vectors.SIMPLE_A), Vectors.SIMPLE_BODY).rejection());
        assertEquals(Rejection.REPLAYED,
                rotating.verify(Vectors.header(Vectors.SIMPLE_B, Vectors.SIMPLE_A), Vectors.SIMPLE_BODY).rejection());
    }

    /** Issue 9, finding 2: the timestamp must still be fresh when the body has arrived and the MAC matches. */
    @Test
    void freshnessIsJudgedAgainWhenTheBodyHasArrived() {
        MutableClock now = new MutableClock(1_700_000_000L + 298);
        InMemoryReplayGuard guard = new InMemoryReplayGuard(100, now);
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).clock(now).replayGuard(guard).build();
        HeaderCheck header = verifier.checkHeader(HEADER_T0);
        assertTrue(header.isAccepted(), "fresh when the headers arrive");
        now.advanceSeconds(5); // the last body byte arrives at t + 303
        Verification late = verifier.checkBody(header, BODY, 0, BODY.length);
        assertEquals(Rejection.STALE_TIMESTAMP, late.rejection());
        assertEquals(0, guard.size(), "a stale message is not recorded");
    }

    @Test
    void aMessageStaysRecordedUntilItsTimestampCanNoLongerPass() {
        MutableClock now = new MutableClock(1_700_000_000L);
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).clock(now)
                .replayGuard(new InMemoryReplayGuard(100, now)).build();
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        now.advanceSeconds(300); // the last second at which t passes
        assertEquals(Rejection.REPLAYED, verifier.verify(HEADER_T0, BODY).rejection());
        now.advanceSeconds(1);
        assertEquals(Rejection.STALE_TIMESTAMP, verifier.verify(HEADER_T0, BODY).rejection());
    }

    /**
     * A replay judged fresh in the last second of its tolerance, whose guard reads the clock once that second has
     * ended (the digest of a large body, the guard's lock or a pause lies between the two readings): the guard finds
     * the first delivery's record expired and records the replay anew. Before the fix the replay was verified, and
     * the application ran a second time for one signed message; over Tomcat, replays of a 1 MiB body whose last byte
     * arrived within milliseconds of that second's end were delivered.
     */
    @Test
    void aReplayWhoseLastFreshSecondEndsBeforeTheGuardReadsTheClockIsRefused() {
        MutableClock now = new MutableClock(1_700_000_000L);
        InMemoryReplayGuard memory = new InMemoryReplayGuard(100, now);
        boolean[] secondEndsFirst = {false};
        ReplayGuard guard = new ReplayGuard() {
            @Override
            public Decision record(byte[] key, long expiresAt) {
                if (secondEndsFirst[0]) {
                    now.advanceSeconds(1); // after the verifier's reading, before the guard's
                }
                return memory.record(key, expiresAt);
            }

            @Override
            public void forget(byte[] key) {
                memory.forget(key);
            }
        };
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).clock(now).replayGuard(guard).build();
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        now.advanceSeconds(300); // the last second at which t passes
        secondEndsFirst[0] = true;
        HeaderCheck header = verifier.checkHeader(HEADER_T0);
        assertTrue(header.isAccepted(), "fresh when the headers arrive");
        Verification replay = verifier.checkBody(header, BODY, 0, BODY.length);
        assertEquals(Rejection.STALE_TIMESTAMP, replay.rejection(), replay::toString);
    }

    @Test
    void withoutAGuardReplaysVerifyAndReleaseIsHarmless() {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).clock(clock).build();
        Verification first = verifier.verify(HEADER_T0, BODY);
        verifier.release(first);
        assertTrue(verifier.verify(HEADER_T0, BODY).isVerified());
        assertFalse(verifier.hasReplayProtection());
    }
}
