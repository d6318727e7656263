package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static dev.webhookfilter.store.jdbc.StoreContract.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many threads, each with the store's connections, race for the same key, released together by a
 * barrier, round after round: exactly one of them wins each round. Two stores (two "instances",
 * each with its own pool) share the server.
 */
class PostgresConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 400;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private JdbcStore instanceA;
    private JdbcStore instanceB;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        String prefix = "race-" + UUID.randomUUID();
        instanceA = PostgresStoreTest.open(POSTGRES.server(), prefix, Clock.systemUTC(), TIMEOUT, THREADS / 2);
        instanceB = PostgresStoreTest.open(POSTGRES.server(), prefix, Clock.systemUTC(), TIMEOUT, THREADS / 2);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        instanceA.close();
        instanceB.close();
    }

    /** Runs {@code attempt(round, thread)} on every thread at once, round after round; the outcomes by round. */
    private <T> List<List<T>> race(int rounds, BiFunction<Integer, Integer, T> attempt) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        long start = System.nanoTime();
        List<Future<List<T>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(threads.submit(() -> {
                List<T> mine = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    barrier.await(30, TimeUnit.SECONDS);
                    mine.add(attempt.apply(r, thread));
                }
                return mine;
            }));
        }
        List<List<T>> byThread = new ArrayList<>();
        for (Future<List<T>> f : futures) {
            byThread.add(f.get(120, TimeUnit.SECONDS));
        }
        System.out.println("PostgresConcurrencyTest: " + rounds * THREADS + " calls, " + THREADS + " threads racing in "
                + rounds + " rounds, in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        List<List<T>> byRound = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<T> round = new ArrayList<>();
            for (List<T> thread : byThread) {
                round.add(thread.get(r));
            }
            byRound.add(round);
        }
        return byRound;
    }

    private JdbcStore instance(int thread) {
        return thread % 2 == 0 ? instanceA : instanceB;
    }

    @Test
    void claim_sameKeyFromEveryThread_exactlyOneFirstPerRound() throws Exception {
        String run = UUID.randomUUID().toString();
        List<List<Claim>> rounds = race(ROUNDS, (r, t) -> instance(t).claim(key(run + r), token(t), LEASE));
        for (int r = 0; r < ROUNDS; r++) {
            Map<Claim, Integer> counts = count(rounds.get(r));
            assertEquals(1, counts.get(Claim.FIRST), "round " + r + ": " + rounds.get(r));
            assertEquals(THREADS - 1, counts.get(Claim.IN_PROGRESS), "round " + r + ": " + rounds.get(r));
        }
    }

    @Test
    void record_sameKeyFromEveryThread_exactlyOneFirstSeenPerRound() throws Exception {
        String run = UUID.randomUUID().toString();
        long expiresAt = Instant.now().getEpochSecond() + 300;
        List<List<Decision>> rounds = race(ROUNDS, (r, t) -> instance(t).record(key(run + r), expiresAt));
        for (int r = 0; r < ROUNDS; r++) {
            Map<Decision, Integer> counts = count(rounds.get(r));
            assertEquals(1, counts.get(Decision.FIRST_SEEN), "round " + r + ": " + rounds.get(r));
            assertEquals(THREADS - 1, counts.get(Decision.REPLAYED), "round " + r + ": " + rounds.get(r));
        }
    }

    @Test
    void claim_expiredLeaseFromEveryThread_exactlyOneTakesItOver() throws Exception {
        String run = UUID.randomUUID().toString();
        int rounds = ROUNDS / 4;
        for (int r = 0; r < rounds; r++) {
            assertEquals(Claim.FIRST, instanceA.claim(key(run + r), token(999), Duration.ofMillis(1)));
        }
        StoreContract.pause(50);
        List<List<Claim>> results = race(rounds, (r, t) -> instance(t).claim(key(run + r), token(t), LEASE));
        for (int r = 0; r < rounds; r++) {
            Map<Claim, Integer> counts = count(results.get(r));
            assertEquals(1, counts.get(Claim.FIRST), "round " + r + ": " + results.get(r));
            assertEquals(THREADS - 1, counts.get(Claim.IN_PROGRESS), "round " + r + ": " + results.get(r));
        }
    }

    @Test
    void claimWhileTheOwnerCompletes_neverASecondFirst() throws Exception {
        String run = UUID.randomUUID().toString();
        // Thread 0 owns each key and completes it while the others claim it.
        for (int r = 0; r < ROUNDS; r++) {
            assertEquals(Claim.FIRST, instanceA.claim(key(run + r), token(0), LEASE));
        }
        List<List<Object>> rounds = race(ROUNDS, (r, t) -> t == 0
                ? (Object) instanceA.complete(key(run + r), token(0), LEASE)
                : instance(t).claim(key(run + r), token(t), LEASE));
        for (int r = 0; r < ROUNDS; r++) {
            List<Object> round = rounds.get(r);
            assertEquals(Boolean.TRUE, round.get(0), "round " + r);
            for (Object o : round.subList(1, THREADS)) {
                assertTrue(o == Claim.IN_PROGRESS || o == Claim.DONE, "round " + r + ": " + round);
            }
        }
    }

    private static <E extends Enum<E>> Map<E, Integer> count(List<E> outcomes) {
        Map<E, Integer> counts = new EnumMap<>(outcomes.get(0).getDeclaringClass());
        for (E e : outcomes.get(0).getDeclaringClass().getEnumConstants()) {
            counts.put(e, 0);
        }
        for (E e : outcomes) {
            counts.merge(e, 1, Integer::sum);
        }
        return counts;
    }
}
