package dev.webhookfilter.store.redis;

import static dev.webhookfilter.store.redis.RedisStoreTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.net.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store talking to a real redis-server through a {@link TcpProxy} that starts to misbehave: it puts
 * garbage in place of the server's replies, or drops every byte while the connection stays open. While
 * it does, every call of the store's API answers "unavailable" within the timeout (and a margin for a
 * loaded machine) and none throws; once it forwards again, the same store decides again within seconds,
 * and each call gets its own answer, not another's (a reply lost in the stream would otherwise be
 * matched to the next command, for good).
 */
class RedisProxyFaultTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    /** The most one call may take: the timeout, plus room for a loaded 2-core machine to schedule us. */
    static final long BOUND_NANOS = TIMEOUT.plusMillis(1500).toNanos();
    static final Duration LEASE = Duration.ofSeconds(60);
    static final int THREADS = 4;
    /** How many times each thread of {@link #callAtOnce} makes its four calls. */
    static final int ROUNDS = 50;
    static final int CALLS = THREADS * ROUNDS * 4;

    @TempDir
    Path dir;
    RedisServer server;
    TcpProxy proxy;
    WebhookStore store;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start(dir);
        proxy = TcpProxy.to(server.port());
        store = new RedisStoreProvider().open("redis://127.0.0.1:" + proxy.port(), TIMEOUT, "proxy:");
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        server.close();
    }

    @ParameterizedTest
    @EnumSource(value = TcpProxy.Mode.class, names = {"GARBAGE", "DROP"})
    void aMisbehavingLink_answersUnavailableInTime_andTheStoreDecidesRightlyOnceItForwards(TcpProxy.Mode mode)
            throws Exception {
        byte[] done = random(32);
        byte[] doneToken = random(16);
        assertEquals(Claim.FIRST, store.claim(done, doneToken, LEASE));
        assertTrue(store.complete(done, doneToken, Duration.ofHours(1)));
        byte[] held = random(32);
        byte[] heldToken = random(16);
        assertEquals(Claim.FIRST, store.claim(held, heldToken, LEASE));
        byte[] recorded = random(32);
        assertEquals(Decision.FIRST_SEEN, store.record(recorded, expiresAt()));

        proxy.mode(mode);
        for (int round = 0; round < 2; round++) {
            assertEquals(Decision.UNAVAILABLE, timed("record", () -> store.record(random(32), expiresAt())));
            assertEquals(Claim.UNAVAILABLE, timed("claim", () -> store.claim(random(32), random(16), LEASE)));
            assertFalse(timed("complete", () -> store.complete(held, heldToken, Duration.ofHours(1))));
            assertFalse(timed("release", () -> store.release(held, heldToken)));
            timed("forget", () -> {
                store.forget(recorded);
                return null;
            });
            assertFalse(timed("isAvailable", store::isAvailable));
        }

        proxy.mode(TcpProxy.Mode.FORWARD);
        awaitRecovery();
        assertTrue(store.isAvailable());
        byte[] fresh = random(32);
        assertEquals(Decision.FIRST_SEEN, store.record(fresh, expiresAt()));
        assertEquals(Decision.REPLAYED, store.record(fresh, expiresAt()));
        assertEquals(Claim.DONE, store.claim(done, random(16), LEASE));
        assertEachCallGetsItsOwnAnswer(done);
    }

    @Test
    void aReplyLostOnTheWay_isNeverTakenForAnotherCallsReply() throws Exception {
        byte[] done = random(32);
        byte[] token = random(16);
        assertEquals(Claim.FIRST, store.claim(done, token, LEASE));
        assertTrue(store.complete(done, token, Duration.ofHours(1)));

        proxy.mode(TcpProxy.Mode.DROP);
        timed("forget", () -> {
            store.forget(random(32)); // sent, and its reply never comes
            return null;
        });
        proxy.mode(TcpProxy.Mode.FORWARD);

        assertNoWrongDecision(callAtOnce(done));
        awaitRecovery();
        assertEachCallGetsItsOwnAnswer(done);
    }

    /** What {@link #callAtOnce} saw: the wrong decisions, and how many calls answered UNAVAILABLE. */
    record Answers(List<String> wrong, int unavailable) {
    }

    /**
     * THREADS threads at once, each claiming the completed key and a fresh one, and recording a fresh key twice:
     * DONE, FIRST, FIRST_SEEN and REPLAYED each time, or UNAVAILABLE; any other answer means that replies
     * have come apart from their commands.
     */
    Answers callAtOnce(byte[] done) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Answers>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    int unavailable = 0;
                    for (int i = 0; i < ROUNDS; i++) {
                        Claim again = store.claim(done, random(16), LEASE);
                        Claim first = store.claim(random(32), random(16), LEASE);
                        byte[] key = random(32);
                        Decision seen = store.record(key, expiresAt());
                        Decision replayed = store.record(key, expiresAt());
                        List<Object> got = List.of(again, first, seen, replayed);
                        List<Object> right = List.of(Claim.DONE, Claim.FIRST, Decision.FIRST_SEEN, Decision.REPLAYED);
                        for (int k = 0; k < got.size(); k++) {
                            if (got.get(k) == Claim.UNAVAILABLE || got.get(k) == Decision.UNAVAILABLE) {
                                unavailable++;
                            } else if (got.get(k) != right.get(k)) {
                                wrong.add(got.get(k) + " for " + right.get(k));
                            }
                        }
                    }
                    return new Answers(wrong, unavailable);
                }));
            }
            List<String> wrong = new ArrayList<>();
            int unavailable = 0;
            for (Future<Answers> r : results) {
                Answers a = r.get(120, TimeUnit.SECONDS);
                wrong.addAll(a.wrong);
                unavailable += a.unavailable;
            }
            return new Answers(wrong, unavailable);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * {@link #callAtOnce} once the store has recovered: every call decides rightly, but for a few that a loaded
     * machine may keep past the timeout (each of those closes the connection, and the next calls wait for the new one).
     */
    void assertEachCallGetsItsOwnAnswer(byte[] done) throws Exception {
        Answers answers = callAtOnce(done);
        assertNoWrongDecision(answers);
        assertTrue(answers.unavailable <= CALLS / 10, answers.unavailable + " of " + CALLS
                + " calls answered UNAVAILABLE once the store had recovered");
    }

    static void assertNoWrongDecision(Answers answers) {
        assertTrue(answers.wrong.isEmpty(), answers.wrong.size() + " decisions other than DONE, FIRST, FIRST_SEEN and"
                + " REPLAYED, such as " + answers.wrong.subList(0, Math.min(10, answers.wrong.size())));
    }

    /** Runs one call of the store's API, which must return within the bound. */
    static <T> T timed(String what, Supplier<T> call) {
        long start = System.nanoTime();
        T answer = call.get();
        long took = System.nanoTime() - start;
        assertTrue(took <= BOUND_NANOS, what + " took " + took / 1_000_000 + " ms");
        return answer;
    }

    /** Polls with fresh claims until one is FIRST, for at most 10 s. */
    void awaitRecovery() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (store.claim(random(32), random(16), LEASE) == Claim.FIRST) {
                System.out.printf("the store decided again %d ms after the proxy forwarded again%n",
                        (System.nanoTime() - start) / 1_000_000);
                return;
            }
            Thread.sleep(50);
        }
        fail("the store did not decide again within 10 s of the proxy's forwarding again");
    }

    static long expiresAt() {
        return Instant.now().getEpochSecond() + 60;
    }
}
