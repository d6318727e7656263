package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InMemoryDeduplicatorTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofSeconds(3600);
    private static final byte[] KEY = Deduplicator.key("payments", "msg_1");
    private static final byte[] OWNER = {1};
    private static final byte[] OTHER = {2};

    private final MutableClock clock = new MutableClock(1_700_000_000L);
    private final InMemoryDeduplicator dedup = new InMemoryDeduplicator(3, clock);

    @Test
    void theKeyHashesTheNamespaceAndTheId() {
        // python3 -c "import hashlib; print(hashlib.sha256(b'payments\x00msg_1').hexdigest())"
        assertArrayEquals(HexFormat.of().parseHex("be73883bc459abf3ccaa2b30447b59d398f98210a348ae2a0bf5e9a99d40bcae"), KEY);
    }

    @Test
    void aFirstClaimWinsAndOthersSeeItInProgress() {
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, LEASE));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OTHER, LEASE));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OWNER, LEASE), "the owner too: one run at a time");
    }

    @Test
    void aCompletedIdIsDoneUntilItsTimeToLiveEnds() {
        dedup.claim(KEY, OWNER, LEASE);
        assertTrue(dedup.complete(KEY, OWNER, TTL));
        assertEquals(Claim.DONE, dedup.claim(KEY, OTHER, LEASE));
        clock.advanceSeconds(3599);
        assertEquals(Claim.DONE, dedup.claim(KEY, OTHER, LEASE));
        clock.advanceSeconds(1);
        assertEquals(Claim.FIRST, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aTimeToLiveOfForeverNeitherThrowsNorForgets() {
        // Deduplicator: "Implementations must be thread-safe and must not throw".
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        dedup.claim(KEY, OWNER, LEASE);
        assertTrue(dedup.complete(KEY, OWNER, forever));
        assertEquals(Claim.DONE, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aLeaseNearLongMaxMillisIsNotAlreadyOver() {
        // now + lease.toMillis() overflows to a negative instant: the claim is expired as it is made.
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, Duration.ofMillis(Long.MAX_VALUE)));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aLeaseEndingJustPastLongMaxMillisIsNotAlreadyOver() {
        // The largest whole seconds that cannot be added to now in millis, with the most nanoseconds.
        long room = Long.MAX_VALUE - clock.millis();
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, Duration.ofSeconds(room / 1000, 999_999_999)));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aNegativeLeaseOrTimeToLiveIsOverAtOnceAndDoesNotThrow() {
        Duration never = Duration.ofSeconds(Long.MIN_VALUE);
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, never));
        assertEquals(Claim.FIRST, dedup.claim(KEY, OTHER, LEASE));
        assertTrue(dedup.complete(KEY, OTHER, never));
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, LEASE));
        // Over at now, whatever now is, a clock before 1970 too.
        InMemoryDeduplicator early = new InMemoryDeduplicator(3, new MutableClock(-10));
        assertEquals(Claim.FIRST, early.claim(KEY, OWNER, never));
        assertEquals(Claim.FIRST, early.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aLeaseOfLessThanASecondStillHolds() {
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, Duration.ofMillis(500)));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aReleasedClaimLetsTheRetryRun() {
        dedup.claim(KEY, OWNER, LEASE);
        assertTrue(dedup.release(KEY, OWNER));
        assertEquals(Claim.FIRST, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void anExpiredLeaseLetsTheRetryRunAndItsOwnerCanNoLongerFinish() {
        dedup.claim(KEY, OWNER, LEASE);
        clock.advanceSeconds(60);
        assertEquals(Claim.FIRST, dedup.claim(KEY, OTHER, LEASE));
        assertFalse(dedup.complete(KEY, OWNER, TTL), "the dead owner's late completion");
        assertFalse(dedup.release(KEY, OWNER));
        assertEquals(Claim.IN_PROGRESS, dedup.claim(KEY, OWNER, LEASE));
    }

    /**
     * A handler that outlasts its lease and succeeds, while nobody claimed the id since, marks it done, as the JDBC
     * store's owner does (StoreContract): the sender's later retry is a duplicate, not a second run. It could not,
     * and the retry ran the handler again. Its release is over with the lease: the lapsed claim is as good as gone.
     */
    @Test
    void anOwnerWhoseLeaseLapsedStillCompletesWhileNobodyClaimedSince() {
        dedup.claim(KEY, OWNER, LEASE);
        clock.advanceSeconds(60);
        assertFalse(dedup.release(KEY, OWNER));
        assertTrue(dedup.complete(KEY, OWNER, TTL));
        assertEquals(Claim.DONE, dedup.claim(KEY, OTHER, LEASE));
    }

    @Test
    void aCapacityOfOneHoldsOneId() {
        InMemoryDeduplicator one = new InMemoryDeduplicator(1, clock);
        assertEquals(Claim.FIRST, one.claim(KEY, OWNER, LEASE));
        assertEquals(Claim.UNAVAILABLE, one.claim(Deduplicator.key("payments", "msg_2"), OWNER, LEASE));
    }

    @Test
    void onlyTheOwnerCompletesOrReleases() {
        dedup.claim(KEY, OWNER, LEASE);
        assertFalse(dedup.complete(KEY, OTHER, TTL));
        assertFalse(dedup.release(KEY, OTHER));
        assertFalse(dedup.complete(Deduplicator.key("payments", "msg_2"), OWNER, TTL), "never claimed");
        assertTrue(dedup.complete(KEY, OWNER, TTL));
        assertFalse(dedup.release(KEY, OWNER), "done is not a claim");
    }

    @Test
    void aFullStoreIsUnavailableUntilSomethingExpires() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Claim.FIRST, dedup.claim(Deduplicator.key("p", "id" + i), OWNER, LEASE));
        }
        assertEquals(Claim.UNAVAILABLE, dedup.claim(KEY, OWNER, LEASE));
        clock.advanceSeconds(60);
        assertEquals(Claim.FIRST, dedup.claim(KEY, OWNER, LEASE));
        assertEquals(1, dedup.size());
    }

    @Test
    void namespacesKeepEndpointsApart() {
        assertFalse(java.util.Arrays.equals(Deduplicator.key("payments", "msg_1"), Deduplicator.key("orders", "msg_1")));
        assertFalse(java.util.Arrays.equals(Deduplicator.key("a", "bc"), Deduplicator.key("ab", "c")));
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryDeduplicator(0, clock));
        assertEquals("InMemoryDeduplicator[0 of 3 ids]", dedup.toString());
    }

    @Test
    void anApplicationHoldingTheDeduplicatorsMonitor_doesNotStallIt() throws Exception {
        assertEquals(Claim.FIRST,
                InMemoryReplayGuardTest.whileMonitorHeld(dedup, () -> dedup.claim(KEY, OWNER, LEASE)));
        assertTrue(InMemoryReplayGuardTest.whileMonitorHeld(dedup, () -> dedup.complete(KEY, OWNER, TTL)));
    }
}
