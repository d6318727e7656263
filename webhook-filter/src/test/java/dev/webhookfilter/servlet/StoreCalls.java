package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls of a store's API for the stores' tests of a link that misbehaves (a proxy that garbles or drops the server's
 * replies): every call answering "unavailable" in time while it does, and, once it forwards again, each call getting
 * its own answer, not another's. Public for them, through the test-jar.
 *
 * <p>Keys come from a function of their kind, {@link #CLAIM} or {@link #RECORD}, so that a Redis Cluster test can
 * put every key on the master behind its proxy; {@link #randomKey} suits the others.
 */
public final class StoreCalls {

    /** The kind of a key given to {@code claim}. */
    public static final String CLAIM = "d:";
    /** The kind of a key given to {@code record}. */
    public static final String RECORD = "r:";
    private static final Duration LEASE = Duration.ofSeconds(60);

    private StoreCalls() {
    }

    /** A random 32-byte key, of any kind. */
    public static byte[] randomKey(String kind) {
        return random(32);
    }

    /**
     * Every call of the API while the store cannot reach its server: a fresh record and a fresh claim answer
     * UNAVAILABLE, completing and releasing the claim {@code heldToken} holds on {@code held} answer false,
     * forgetting {@code recorded} and {@code isAvailable} return; each within {@code bound}.
     */
    public static void assertEveryCallUnavailable(WebhookStore store, Function<String, byte[]> keys, byte[] held,
                                                  byte[] heldToken, byte[] recorded, Duration bound) {
        assertEquals(Decision.UNAVAILABLE, timed("record", bound, () -> store.record(keys.apply(RECORD), expiresAt())));
        assertEquals(Claim.UNAVAILABLE, timed("claim", bound, () -> store.claim(keys.apply(CLAIM), random(16), LEASE)));
        assertFalse(timed("complete", bound, () -> store.complete(held, heldToken, Duration.ofHours(1))));
        assertFalse(timed("release", bound, () -> store.release(held, heldToken)));
        timed("forget", bound, () -> {
            store.forget(recorded);
            return null;
        });
        assertFalse(timed("isAvailable", bound, store::isAvailable));
    }

    /** Runs one call, which must return within {@code bound}, and prints how long it took. */
    public static <T> T timed(String what, Duration bound, Supplier<T> call) {
        long start = System.nanoTime();
        T answer = call.get();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("StoreCalls: " + what + " answered " + answer + " in " + took + " ms");
        assertTrue(took <= bound.toMillis(), what + " took " + took + " ms");
        return answer;
    }

    /**
     * Polls with claims of fresh keys until one is FIRST, once the server or the link to it is back, and prints how
     * long that took.
     *
     * @return {@code System.nanoTime()} when that claim came back: not when it was sent, as one sent while the client
     *         still reconnected may wait for the connection and succeed, where another sent then is refused
     * @throws AssertionError when none is within {@code patience}
     */
    public static long awaitRecovery(WebhookStore store, Function<String, byte[]> keys, Duration patience)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (store.claim(keys.apply(CLAIM), random(16), LEASE) == Claim.FIRST) {
                long recovered = System.nanoTime();
                System.out.printf("StoreCalls: the store decided again %d ms after it was back%n",
                        TimeUnit.NANOSECONDS.toMillis(recovered - start));
                return recovered;
            }
            Thread.sleep(50);
        }
        fail("the store did not decide again within " + patience.toSeconds() + " s of its being back");
        return 0;
    }

    /**
     * {@code threads} threads at once, each {@code rounds} times claiming the completed key {@code done} and a fresh
     * one, and recording a fresh key twice: DONE, FIRST, FIRST_SEEN and REPLAYED, or UNAVAILABLE (and FIRST_SEEN for
     * the second record when the first answered UNAVAILABLE). Any other answer is another call's.
     *
     * @return the answers other than the right one and UNAVAILABLE, and how many calls answered UNAVAILABLE
     */
    public static Answers callAtOnce(WebhookStore store, Function<String, byte[]> keys, byte[] done, int threads,
                                     int rounds) throws Exception {
        List<Object> right = List.of(Claim.DONE, Claim.FIRST, Decision.FIRST_SEEN, Decision.REPLAYED);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Answers>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    int unavailable = 0;
                    for (int i = 0; i < rounds; i++) {
                        byte[] recorded = keys.apply(RECORD);
                        List<Object> got = List.of(store.claim(done, random(16), LEASE),
                                store.claim(keys.apply(CLAIM), random(16), LEASE),
                                store.record(recorded, expiresAt()), store.record(recorded, expiresAt()));
                        for (int k = 0; k < got.size(); k++) {
                            if (got.get(k) == Claim.UNAVAILABLE || got.get(k) == Decision.UNAVAILABLE) {
                                unavailable++;
                            } else if (got.get(k) != right.get(k) && !(k == 3 && retriedRecord(got))) {
                                wrong.add(got.get(k) + " for " + right.get(k) + " in " + got);
                            }
                        }
                    }
                    return new Answers(wrong, unavailable, rounds * right.size());
                }));
            }
            List<String> wrong = new ArrayList<>();
            int unavailable = 0;
            for (Future<Answers> r : results) {
                Answers a = r.get(120, TimeUnit.SECONDS);
                wrong.addAll(a.wrong);
                unavailable += a.unavailable;
            }
            return new Answers(wrong, unavailable, threads * rounds * right.size());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether the second record is a retry of a first that answered UNAVAILABLE: then FIRST_SEEN is right too, since
     * the first may never have run, or its record was dropped as the store drops the record of a failed call.
     */
    private static boolean retriedRecord(List<Object> got) {
        return got.get(2) == Decision.UNAVAILABLE && got.get(3) == Decision.FIRST_SEEN;
    }

    /** What {@link #callAtOnce} saw: the wrong answers, how many calls answered UNAVAILABLE, of how many calls. */
    public record Answers(List<String> wrong, int unavailable, int calls) {

        /** Fails naming the first wrong answers, if there is any. */
        public void assertNoneWrong() {
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + calls + " answers other than DONE, FIRST, FIRST_SEEN"
                    + " and REPLAYED, such as " + wrong.subList(0, Math.min(10, wrong.size())));
        }

        /** Fails when more than {@code most} calls answered UNAVAILABLE. */
        public void assertUnavailableAtMost(int most) {
            assertTrue(unavailable <= most, unavailable + " of " + calls + " calls answered UNAVAILABLE");
        }
    }

    /** A record's expiry: a minute from now. */
    public static long expiresAt() {
        return Instant.now().getEpochSecond() + 60;
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
