package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookStoreProvider;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.redis.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store against a real redis-server, checked with redis-cli. */
class RedisStoreTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "wf:test:";

    @TempDir
    static Path dir;
    static RedisServer server;
    static WebhookStore store;

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start(dir);
        store = openUnderLoad(() -> new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, PREFIX));
    }

    /**
     * Opens a store with {@code open}, up to three times while opening fails because the server did not answer in time
     * (the connection or its setup: "cannot be reached", with a RedisCommandTimeoutException or, seen once, a
     * RedisConnectionException as the cause; the health check; or the trial run of the release script, "does not run
     * the store's scripts within PT0.5S", seen once in 23 runs of RedisFaultTest pinned to one core beside two busy
     * loops, where this JVM also stood still for 0.7 s in a Full GC), which a loaded 2-core machine causes now and then:
     * a store connects within the same 500 ms as every call, and a JVM's first connection takes longest. For servers
     * that are up: any refusal Redis answers is thrown at once, so that the tests of what open refuses (a wrong
     * password, a database the server lacks) still see it.
     */
    static WebhookStore openUnderLoad(java.util.function.Supplier<WebhookStore> open) {
        for (int attempt = 1; ; attempt++) {
            try {
                return open.get();
            } catch (IllegalStateException e) {
                String m = String.valueOf(e.getMessage());
                if (attempt == 3 || !(m.contains(" cannot be reached, or does not answer as Redis does (")
                        || m.contains("does not answer the health check's script as Redis does (1) within")
                        || m.contains("does not run the store's scripts within "))) {
                    throw e;
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Nested
    class Replay {

        @Test
        void firstRecordIsFirstSeen_secondIsReplayed() {
            byte[] key = random(32);
            long expiresAt = Instant.now().getEpochSecond() + 300;
            assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt));
            assertEquals(Decision.REPLAYED, store.record(key.clone(), expiresAt));
            assertEquals(Decision.FIRST_SEEN, store.record(random(32), expiresAt));
        }

        /**
         * Lettuce sends an unanswered command again once its connection is back (the store closes a connection
         * after a timeout): the same call's SET, run twice, finds its own record the second time. Before, that
         * second run answered REPLAYED, and a genuine first delivery got 401.
         */
        @Test
        void theSameCallsSetSentAgain_isFirstSeen_anotherCallsIsReplayed() {
            RedisStore redis = (RedisStore) store;
            byte[] key = random(32);
            byte[] mark = random(8);
            long expiresAt = Instant.now().getEpochSecond() + 300;
            assertEquals(Decision.FIRST_SEEN, redis.record(key, expiresAt, mark));
            assertEquals(Decision.FIRST_SEEN, redis.record(key.clone(), expiresAt, mark.clone()));
            assertEquals(Decision.REPLAYED, redis.record(key.clone(), expiresAt, random(8)));
            assertEquals(Decision.REPLAYED, store.record(key.clone(), expiresAt));
        }

        @Test
        void recordExpiresFiveMinutesAfterTheGivenUnixSecondHasEnded_forClockSkew() throws Exception {
            byte[] key = random(32);
            long expiresAt = Instant.now().getEpochSecond() + 300;
            store.record(key, expiresAt);
            String redisKey = PREFIX + "r:" + hex(key);
            // PEXPIRETIME (Redis 7): the key's absolute expiry in Unix milliseconds.
            // Five minutes past the end of the last fresh second.
            assertEquals(Long.toString((expiresAt + 1 + 300) * 1000), server.cli("PEXPIRETIME", redisKey));
            assertEquals("8", server.cli("STRLEN", redisKey)); // a random mark: 8 bytes
        }

        /**
         * expiresAt is the last second at which the message is fresh: a verifier takes it for fresh until that second
         * has ended. The record must outlive the end of that second by the five minutes, as the JDBC store's does
         * ({@code StoreContract.record_throughItsLastFreshSecondAndTheGrace_isReplayed}), so that an instance whose clock
         * runs five minutes behind Redis's, or whose {@code toleranceSeconds} is five minutes longer than the recording
         * instance's, still finds it throughout that second.
         */
        @Test
        void record_throughItsLastFreshSecondAndTheFiveMinutes_isReplayed() throws Exception {
            // Start early in a second, so that the calls fall within it (Redis's clock is this machine's).
            if (Instant.now().getNano() > 500_000_000) {
                Thread.sleep(1000 - Instant.now().getNano() / 1_000_000 + 10);
            }
            long thisSecond = Instant.now().getEpochSecond();
            byte[] graced = random(32);
            assertEquals(Decision.FIRST_SEEN, store.record(graced, thisSecond - 300));
            assertEquals(Decision.REPLAYED, store.record(graced.clone(), thisSecond - 300), "the five minutes' last second");
            byte[] older = random(32);
            assertEquals(Decision.FIRST_SEEN, store.record(older, thisSecond - 301));
            assertEquals(Decision.FIRST_SEEN, store.record(older.clone(), thisSecond - 301), "the five minutes have passed");
        }

        /**
         * An instance whose {@code toleranceSeconds} is five minutes longer (600 s beside 300 s, while it rolls out, which
         * README says is safe) takes a message for fresh throughout the second {@code t + 600}: the record that an
         * instance with 300 s made must still be there then, as it is on the JDBC store.
         */
        @Test
        void aReplayInTheLastFreshSecondOfAToleranceFiveMinutesLonger_isRefused() throws Exception {
            if (Instant.now().getNano() > 500_000_000) {
                Thread.sleep(1000 - Instant.now().getNano() / 1_000_000 + 10);
            }
            long now = Instant.now().getEpochSecond();
            long t = now - 600;
            byte[] body = ("{\"id\":\"" + hex(random(8)) + "\"}").getBytes(StandardCharsets.UTF_8);
            String header = WebhookSigner.of("redis-store-test-secret").sign(body, t);
            Verification accepted = verifierAt(300, t + 300).verify(header, body);
            assertTrue(accepted.isVerified(), accepted::detail);
            Verification replayed = verifierAt(600, now).verify(header, body);
            assertEquals(Rejection.REPLAYED, replayed.rejection(), replayed::toString);
        }

        /** A verifier with {@code tolerance} seconds whose clock stands at {@code second}, recording in the store. */
        private WebhookVerifier verifierAt(long tolerance, long second) {
            return WebhookVerifier.builder().secret("redis-store-test-secret").tolerance(Duration.ofSeconds(tolerance))
                    .clock(Clock.fixed(Instant.ofEpochSecond(second), ZoneOffset.UTC)).replayGuard(store).build();
        }

        /** A verifier given a tolerance of centuries saturates expiresAt at Long.MAX_VALUE (WebhookVerifier). */
        @Test
        void theLatestExpiryIsKeptUntilTheYear9999() throws Exception {
            byte[] key = random(32);
            assertEquals(Decision.FIRST_SEEN, store.record(key, Long.MAX_VALUE));
            assertEquals(Decision.REPLAYED, store.record(key.clone(), Long.MAX_VALUE));
            // date -u -d '9999-12-31T23:59:59Z' +%s gives 253402300799; plus that second and the five minutes for clock skew
            assertEquals(Long.toString((253_402_300_799L + 1 + 300) * 1000), server.cli("PEXPIRETIME", PREFIX + "r:" + hex(key)));
        }

        @Test
        void forgetLetsTheSameKeyBeRecordedAgain() {
            byte[] key = random(32);
            long expiresAt = Instant.now().getEpochSecond() + 300;
            assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt));
            store.forget(key);
            assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt));
        }
    }

    @Nested
    class Dedup {

        @Test
        void claimIsFirst_thenInProgress_thenDoneAfterComplete() throws Exception {
            byte[] key = random(32);
            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertEquals(Claim.IN_PROGRESS, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertTrue(store.complete(key, token, Duration.ofHours(72)));
            assertEquals(Claim.DONE, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertEquals("done", server.cli("GET", PREFIX + "d:" + hex(key)));
        }

        /**
         * Lettuce sends an unanswered command again once its connection is back (the store closes a connection
         * after a timeout): the same claim run twice is still its caller's. Before, the second run answered
         * IN_PROGRESS, and the sender's retry waited out the lease.
         */
        @Test
        void theSameTokensClaimSentAgain_isFirst_untilCompleted() {
            byte[] key = random(32);
            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertEquals(Claim.FIRST, store.claim(key, token.clone(), Duration.ofSeconds(60)));
            assertEquals(Claim.IN_PROGRESS, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertTrue(store.complete(key, token, Duration.ofHours(72)));
            assertEquals(Claim.DONE, store.claim(key, token, Duration.ofSeconds(60)));
        }

        @Test
        void claimAndCompleteForDurationsBeyondAnyClockHoldInsteadOfFailing() {
            byte[] key = random(32);
            byte[] token = random(16);
            Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
            assertEquals(Claim.FIRST, store.claim(key, token, forever));
            assertEquals(Claim.IN_PROGRESS, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertTrue(store.complete(key, token, forever));
            assertEquals(Claim.DONE, store.claim(key, random(16), Duration.ofSeconds(60)));
        }

        @Test
        void claimHoldsTheTokenForTheLease_completionForTheTtl() throws Exception {
            byte[] key = random(32);
            byte[] token = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String redisKey = PREFIX + "d:" + hex(key);
            store.claim(key, token, Duration.ofSeconds(60));
            assertEquals("0123456789abcdef", server.cli("GET", redisKey));
            long leaseLeft = Long.parseLong(server.cli("PTTL", redisKey));
            assertTrue(leaseLeft > 50_000 && leaseLeft <= 60_000, "lease PTTL " + leaseLeft);
            store.complete(key, token, Duration.ofSeconds(259_200));
            long ttlLeft = Long.parseLong(server.cli("PTTL", redisKey));
            assertTrue(ttlLeft > 259_190_000L && ttlLeft <= 259_200_000L, "done PTTL " + ttlLeft);
        }

        @Test
        void anotherTokenCanNeitherCompleteNorRelease() {
            byte[] key = random(32);
            byte[] token = random(16);
            store.claim(key, token, Duration.ofSeconds(60));
            assertFalse(store.complete(key, random(16), Duration.ofHours(1)));
            assertFalse(store.release(key, random(16)));
            assertEquals(Claim.IN_PROGRESS, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertTrue(store.release(key, token));
        }

        @Test
        void releaseLetsTheRetryClaimAgain() {
            byte[] key = random(32);
            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertTrue(store.release(key, token));
            assertFalse(store.release(key, token));
            assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
        }

        /**
         * A failed request's release that Redis answers NOREPLICAS (a master with fewer replicas in reach than its
         * min-replicas-to-write, as while one lags past min-replicas-max-lag) is kept and sent again once Redis answers.
         * It was dropped as final: once the replica was back, the claim held the sender's retry off with 409 for the lease.
         */
        @Test
        void aReleaseAnsweredNoReplicas_isSentAgainOnceRedisAnswers() throws Exception {
            byte[] key = random(32);
            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertEquals("OK", server.cli("CONFIG", "SET", "min-replicas-to-write", "1")); // the server has no replica
            try {
                assertFalse(store.release(key, token));
            } finally {
                assertEquals("OK", server.cli("CONFIG", "SET", "min-replicas-to-write", "0"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!"0".equals(server.cli("EXISTS", PREFIX + "d:" + hex(key)))) {
                assertTrue(System.nanoTime() < deadline, "the claim whose release Redis answered NOREPLICAS is still"
                        + " held: the retry gets 409 for the lease");
                assertTrue(store.isAvailable()); // an answer, after which a few of the releases kept are sent
                Thread.sleep(10);
            }
            assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
        }

        @Test
        void aCompletedKeyCannotBeReleasedNorCompletedAgain() {
            byte[] key = random(32);
            byte[] token = random(16);
            store.claim(key, token, Duration.ofSeconds(60));
            assertTrue(store.complete(key, token, Duration.ofHours(1)));
            assertFalse(store.release(key, token));
            assertFalse(store.complete(key, token, Duration.ofHours(1)));
            assertEquals(Claim.DONE, store.claim(key, token, Duration.ofSeconds(60)));
        }

        /**
         * Once the lease lapsed, a retry claims the id, and while it holds it the first owner cannot complete it. Where
         * the retry then fails and releases the id, the key is gone, and Redis cannot tell that from a lapsed claim
         * nobody took over: the first owner's success marks the id done, where the JDBC and memory stores refuse it
         * (the retry's claim shut the first owner out) and the next retry runs the handler again. The README said the
         * retry's outcome counts on every store.
         */
        @ParameterizedTest(name = "the retry succeeds: {0}")
        @ValueSource(booleans = {true, false})
        void anExpiredLeaseLetsTheRetryClaim_whichShutsTheOldOwnerOutWhileItHoldsIt(boolean retrySucceeds) throws Exception {
            byte[] key = random(32);
            byte[] first = random(16);
            claimAndLetLapse(key, first);
            byte[] retry = random(16);
            assertEquals(Claim.FIRST, store.claim(key, retry, Duration.ofSeconds(60)));
            assertFalse(store.complete(key, first, Duration.ofHours(1)));
            if (retrySucceeds) {
                assertTrue(store.complete(key, retry, Duration.ofHours(1)));
            } else {
                assertTrue(store.release(key, retry));
                assertTrue(store.complete(key, first, Duration.ofHours(1)));
            }
            assertEquals(Claim.DONE, store.claim(key, random(16), Duration.ofSeconds(60)));
        }

        /**
         * A handler that outlasts its lease and succeeds, while nobody claimed the id since, marks it done, as the JDBC
         * store's owner does (StoreContract): the sender's later retry is a duplicate, not a second run.
         */
        @Test
        void anOwnerWhoseLeaseLapsedStillCompletesWhileNobodyClaimedSince() throws Exception {
            byte[] key = random(32);
            byte[] owner = random(16);
            String redisKey = claimAndLetLapse(key, owner);
            assertTrue(store.complete(key, owner, Duration.ofHours(1)));
            assertEquals(Claim.DONE, store.claim(key, random(16), Duration.ofSeconds(60)));
            long ttl = Long.parseLong(server.cli("PTTL", redisKey));
            assertTrue(ttl > 3_590_000 && ttl <= 3_600_000, () -> "done for the TTL, not the lease: " + ttl + " ms");
        }

        /** Claims {@code key} for 200 ms and waits until Redis has let the claim expire; returns its Redis key. */
        private String claimAndLetLapse(byte[] key, byte[] owner) throws Exception {
            assertEquals(Claim.FIRST, store.claim(key, owner, Duration.ofMillis(200)));
            String redisKey = PREFIX + "d:" + hex(key);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"-2".equals(server.cli("PTTL", redisKey))) { // -2: no such key
                assertTrue(System.nanoTime() < deadline, "the lease never expired");
                Thread.sleep(50);
            }
            return redisKey;
        }

        @Test
        void scriptsAreSentBySha1_andReloadedAfterScriptFlush() throws Exception {
            // SCRIPT LOAD answers the SHA-1 that Redis itself computes: the store must ask for the same.
            assertEquals(server.cli("SCRIPT", "LOAD", RedisStore.CLAIM), new RedisStore.Script(RedisStore.CLAIM).sha1);
            assertEquals(server.cli("SCRIPT", "LOAD", RedisStore.COMPLETE), new RedisStore.Script(RedisStore.COMPLETE).sha1);
            assertEquals(server.cli("SCRIPT", "LOAD", RedisStore.RELEASE), new RedisStore.Script(RedisStore.RELEASE).sha1);
            assertEquals("OK", server.cli("SCRIPT", "FLUSH"));
            byte[] key = random(32);
            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertEquals("OK", server.cli("SCRIPT", "FLUSH"));
            assertTrue(store.complete(key, token, Duration.ofHours(1)));
            assertEquals("OK", server.cli("SCRIPT", "FLUSH"));
            assertFalse(store.release(key, token));
        }
    }

    @Test
    void keysAreThePrefixAKindAndTheHexOfTheDigest_neverTheRawBytes() throws Exception {
        byte[] replayKey = random(32);
        byte[] dedupKey = random(32);
        store.record(replayKey, Instant.now().getEpochSecond() + 60);
        store.claim(dedupKey, random(16), Duration.ofSeconds(60));
        List<String> keys = List.of(server.cli("--scan", "--pattern", PREFIX + "*").split("\n"));
        assertTrue(keys.contains(PREFIX + "r:" + hex(replayKey)), keys.toString());
        assertTrue(keys.contains(PREFIX + "d:" + hex(dedupKey)), keys.toString());
        for (String k : keys) {
            assertTrue(k.matches("wf:test:[rd]:[0-9a-f]{64}"), k);
        }
    }

    @Test
    void theDatabaseInTheUriIsTheOneUsed() throws Exception {
        try (WebhookStore db3 = new RedisStoreProvider().open("redis://" + server.hostPort() + "/3", TIMEOUT, "db3:")) {
            byte[] key = random(32);
            assertEquals(Decision.FIRST_SEEN, db3.record(key, Instant.now().getEpochSecond() + 60));
            assertEquals("db3:r:" + hex(key), server.cli("-n", "3", "--scan", "--pattern", "db3:*"));
            assertEquals("", server.cli("-n", "0", "--scan", "--pattern", "db3:*"));
        }
    }

    @Test
    void isAvailableWhileTheServerAnswers_andACloseStoreAnswersUnavailable() {
        WebhookStore own = new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, PREFIX);
        assertTrue(own.isAvailable());
        own.close();
        own.close();
        assertFalse(own.isAvailable());
        byte[] key = random(32);
        assertEquals(Decision.UNAVAILABLE, own.record(key, Instant.now().getEpochSecond() + 60));
        assertEquals(Claim.UNAVAILABLE, own.claim(key, random(16), Duration.ofSeconds(1)));
        assertFalse(own.complete(key, random(16), Duration.ofSeconds(1)));
        assertFalse(own.release(key, random(16)));
        own.forget(key);
    }

    /**
     * Closing waits for Lettuce's event loop at most the timeout (and a margin): a loop that never comes back, as one
     * Lettuce's own topology refresh deadlocks by closing a late connection on the loop it runs on (seen once under
     * load, rev37a), held the undeploy, or open's refusal after a failed connect, forever. Here a callback of the
     * store's own connection blocks its loop: the close before gave it a blocking {@code close()} and waited on.
     */
    @Test
    void close_whileTheEventLoopIsStuck_returnsWithinTheTimeout() throws Exception {
        RedisStore own = (RedisStore) openUnderLoad(() -> new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, PREFIX));
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch freed = new java.util.concurrent.CountDownLatch(1);
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Thread test = Thread.currentThread();
            for (int tries = 0; tries < 20 && stuck.getCount() > 0; tries++) {
                // A callback attached after the answer came runs here, on the test's thread: only the loop's blocks.
                java.util.concurrent.CompletableFuture<byte[]> answer = own.commands().get(random(8)).toCompletableFuture();
                answer.thenRun(() -> {
                    if (Thread.currentThread() != test) {
                        stuck.countDown();
                        awaitQuietly(freed);
                    }
                });
                answer.get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(0, stuck.getCount(), "no callback ran on the event loop");
            long start = System.nanoTime();
            Future<?> closing = closer.submit(own::close);
            assertTrue(awaitDone(closing, TIMEOUT.multipliedBy(4).plusSeconds(3)),
                    "close was still waiting for the stuck event loop after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } finally {
            freed.countDown();
            closer.shutdown();
        }
    }

    /**
     * Closing asked Lettuce's threads to end and returned while they ran: Tomcat 11.0.24, which looks for threads an
     * application started right after its filters' {@code destroy}, warned at an undeploy that the application "appears
     * to have started a thread named [lettuce-eventExecutorLoop-1-1] but has failed to stop it". Close returns once the
     * store's threads have ended.
     */
    @Test
    void close_returnsOnceTheStoresThreadsHaveEnded() throws Exception {
        Set<Thread> before = Threads.running();
        WebhookStore own = openUnderLoad(() -> new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, PREFIX));
        // A reconnect, as after a timeout or an outage, runs on a computation thread, which the Tomcat warning named.
        // The newest connection but redis-cli's own, which lists them, is this store's.
        long newest = server.cli("CLIENT", "LIST").lines().filter(l -> l.startsWith("id=") && !l.contains("cmd=client|list"))
                .mapToLong(l -> Long.parseLong(l.substring(3, l.indexOf(' ')))).max().orElseThrow();
        server.cli("CLIENT", "KILL", "ID", Long.toString(newest));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (own.record(random(32), Instant.now().getEpochSecond() + 60) != Decision.FIRST_SEEN) {
            assertTrue(System.nanoTime() < deadline, "the store did not reconnect within 10 s");
            Thread.sleep(20);
        }
        Set<Thread> made = Threads.running().stream().filter(t -> !before.contains(t) && t.getName().startsWith("lettuce-"))
                .collect(java.util.stream.Collectors.toSet());
        assertFalse(made.isEmpty(), "the store made no thread of its own");

        own.close();
        assertEquals(Set.of(), made.stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(java.util.stream.Collectors.toSet()), "the store's threads still running once close returned");
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitDone(Future<?> future, Duration within) throws Exception {
        try {
            future.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        List<WebhookStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(WebhookStoreProvider.class).forEach(found::add);
        assertTrue(found.stream().anyMatch(p -> p instanceof RedisStoreProvider), found.toString());
        WebhookStoreProvider redis = found.stream().filter(p -> p instanceof RedisStoreProvider).findFirst().orElseThrow();
        assertTrue(redis.supports("redis://localhost"));
        assertTrue(redis.supports("REDISS://h:1"));
        assertTrue(redis.supports("redis-cluster://a:1,b:2"));
        assertFalse(redis.supports("memory"));
        assertFalse(redis.supports("jdbc:postgresql://h/db"));
    }

    @Nested
    class Concurrency {

        static final int THREADS = 8;
        static final int ROUNDS = 1000;

        @Test
        void claimsOfOneKeyAtTheSameMoment_exactlyOneIsFirst() throws Exception {
            byte[][] keys = new byte[ROUNDS][];
            for (int i = 0; i < ROUNDS; i++) {
                keys[i] = random(32);
            }
            AtomicIntegerArray first = new AtomicIntegerArray(ROUNDS);
            AtomicIntegerArray inProgress = new AtomicIntegerArray(ROUNDS);
            race(round -> {
                Claim c = store.claim(keys[round].clone(), random(16), Duration.ofSeconds(60));
                (c == Claim.FIRST ? first : c == Claim.IN_PROGRESS ? inProgress : null).incrementAndGet(round);
            });
            for (int i = 0; i < ROUNDS; i++) {
                assertEquals(1, first.get(i), "FIRST in round " + i);
                assertEquals(THREADS - 1, inProgress.get(i), "IN_PROGRESS in round " + i);
            }
        }

        @Test
        void recordsOfOneKeyAtTheSameMoment_exactlyOneIsFirstSeen() throws Exception {
            byte[][] keys = new byte[ROUNDS][];
            for (int i = 0; i < ROUNDS; i++) {
                keys[i] = random(32);
            }
            long expiresAt = Instant.now().getEpochSecond() + 300;
            AtomicIntegerArray firstSeen = new AtomicIntegerArray(ROUNDS);
            AtomicIntegerArray replayed = new AtomicIntegerArray(ROUNDS);
            race(round -> {
                Decision d = store.record(keys[round].clone(), expiresAt);
                (d == Decision.FIRST_SEEN ? firstSeen : d == Decision.REPLAYED ? replayed : null).incrementAndGet(round);
            });
            for (int i = 0; i < ROUNDS; i++) {
                assertEquals(1, firstSeen.get(i), "FIRST_SEEN in round " + i);
                assertEquals(THREADS - 1, replayed.get(i), "REPLAYED in round " + i);
            }
        }

        /** THREADS threads run {@code call} for each round, released together by a barrier. */
        void race(java.util.function.IntConsumer call) throws Exception {
            CyclicBarrier barrier = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    done.add(pool.submit(() -> {
                        for (int round = 0; round < ROUNDS; round++) {
                            barrier.await();
                            call.accept(round);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Opening {

        @Test
        void anUnreachableServerFailsToOpen_withoutThePassword() throws Exception {
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                    .open("redis://admin:hunter2-pw@127.0.0.1:" + closedPort, TIMEOUT, PREFIX));
            assertTrue(e.getMessage().contains("redis://127.0.0.1:" + closedPort), e.getMessage());
            assertNoPassword(e, "hunter2-pw");
        }

        /**
         * Netty takes the connect timeout in int milliseconds: a timeout past 2^31 - 1 ms (24.8 days) failed saying the
         * server "cannot be reached, or does not answer as Redis does (java.lang.ArithmeticException)", and one past
         * Long.MAX_VALUE nanoseconds threw the ArithmeticException itself, leaving Lettuce's timer thread behind.
         */
        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"PT596H31M23.648S", "PT720H", "PT2628000H"})
        void aTimeoutPastWhatNettyTakes_isRefusedAsAnArgument_beforeAnyThreadStarts(String timeout) throws Exception {
            Set<Thread> before = Threads.running();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RedisStoreProvider()
                    .open("redis://:hunter2-pw@" + server.hostPort(), Duration.parse(timeout), PREFIX).close());
            assertEquals("the Redis store's timeout must be at most 2147483647 ms (24.8 days), not " + timeout,
                    e.getMessage());
            assertEquals(Set.of(), Threads.running().stream().filter(t -> !before.contains(t)).collect(
                    java.util.stream.Collectors.toSet()));
            IllegalArgumentException longest = assertThrows(IllegalArgumentException.class, () -> new RedisStoreProvider()
                    .open("redis://" + server.hostPort(), Duration.ofSeconds(Long.MAX_VALUE), PREFIX).close());
            assertTrue(longest.getMessage().startsWith("the Redis store's timeout must be at most"), longest.getMessage());
            Threads.assertNoneLeftSince(before, Duration.ofSeconds(10));
        }

        /**
         * Connecting builds Netty's channel pipeline on the calling thread, which left Netty's thread-local map there:
         * on a container's thread that outlives the application, Tomcat 11.0.24 logged at the WAR's undeploy "The web
         * application [hooks] created a ThreadLocal with key of type [java.lang.ThreadLocal] ... and a value of type
         * [io.netty.util.internal.InternalThreadLocalMap] ... but failed to remove it when the web application was
         * stopped" (SEVERE), which holds the application's class loader until the thread is renewed. Opened or refused,
         * the calling thread is left without one.
         */
        @Test
        void openingLeavesNoNettyThreadLocalOnTheCallingThread() throws Exception {
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            String opened = onNewThread(() -> {
                try (WebhookStore s = openUnderLoad(() -> new RedisStoreProvider().open("redis://" + server.hostPort(),
                        TIMEOUT, PREFIX))) {
                    return "opened: " + nettyThreadLocals();
                }
            });
            String refused = onNewThread(() -> {
                assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                        .open("redis://127.0.0.1:" + closedPort, TIMEOUT, PREFIX));
                return "refused: " + nettyThreadLocals();
            });
            assertEquals(List.of("opened: none left", "refused: none left"), List.of(opened, refused));
        }

        /** A thread that held Netty thread-locals of its own before keeps them: they are not the store's to remove. */
        @Test
        void openingKeepsTheCallingThreadsOwnNettyThreadLocals() throws Exception {
            io.netty.util.concurrent.FastThreadLocal<String> own = new io.netty.util.concurrent.FastThreadLocal<>();
            assertEquals("own", onNewThread(() -> {
                own.set("own");
                openUnderLoad(() -> new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, PREFIX))
                        .close();
                return own.get();
            }));
        }

        private String nettyThreadLocals() {
            return io.netty.util.internal.InternalThreadLocalMap.getIfSet() == null ? "none left" : "a map left";
        }

        private <T> T onNewThread(java.util.concurrent.Callable<T> work) throws Exception {
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                return thread.submit(work).get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                thread.shutdownNow();
            }
        }

        @Test
        void theLongestTimeoutOpens() {
            try (WebhookStore s = new RedisStoreProvider().open("redis://" + server.hostPort(),
                    Duration.ofMillis(Integer.MAX_VALUE), PREFIX)) {
                assertEquals(Decision.FIRST_SEEN, s.record(random(32), Instant.now().getEpochSecond() + 60));
            }
        }

        @Test
        void aMalformedUriFailsWithIllegalArgument() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RedisStoreProvider().open("redis://:hunter2-pw@127.0.0.1:notaport", TIMEOUT, PREFIX));
            assertNoPassword(e, "hunter2-pw");
        }
    }

    @Nested
    class WithPassword {

        static final String PASSWORD = "s3cr%t-pw";
        RedisServer guarded;

        @BeforeEach
        void startGuarded(@TempDir Path guardedDir) throws Exception {
            guarded = RedisServer.start(guardedDir, "--requirepass", PASSWORD);
        }

        @org.junit.jupiter.api.AfterEach
        void stopGuarded() throws Exception {
            guarded.close();
        }

        @Test
        void thePercentEncodedPasswordOpensTheStore_andNeverShows() {
            try (WebhookStore s = openUnderLoad(() -> new RedisStoreProvider().open(
                    "redis://:s3cr%25t-pw@" + guarded.hostPort(), TIMEOUT, PREFIX))) {
                assertEquals(Decision.FIRST_SEEN, s.record(random(32), Instant.now().getEpochSecond() + 60));
                assertFalse(s.toString().contains("s3cr"), s.toString());
                assertTrue(s.toString().contains(guarded.hostPort()), s.toString());
            }
        }

        @Test
        void theDefaultUserNamedExplicitlyWorksToo() {
            try (WebhookStore s = openUnderLoad(() -> new RedisStoreProvider().open(
                    "redis://default:s3cr%25t-pw@" + guarded.hostPort(), TIMEOUT, PREFIX))) {
                assertTrue(s.isAvailable());
            }
        }

        /**
         * A refused password said "cannot be reached, or does not answer as Redis does", which sends an operator to
         * look at the network; it says what Redis answered, by its error code, and neither password.
         */
        @Test
        void aWrongPasswordFailsToOpen_sayingSo_andTheMessageHoldsNeither() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openUnderLoad(() -> new RedisStoreProvider()
                    .open("redis://:wrong-pw-42@" + guarded.hostPort(), TIMEOUT, PREFIX)));
            assertEquals("the Redis store redis://" + guarded.hostPort() + " refuses the URI's user and password (WRONGPASS)",
                    e.getMessage());
            assertNoPassword(e, "wrong-pw-42");
            assertNoPassword(e, "s3cr");
        }

        @Test
        void aWrongUserFailsToOpen_sayingSo_withoutTheUser() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openUnderLoad(() -> new RedisStoreProvider()
                    .open("redis://hunter-user:s3cr%25t-pw@" + guarded.hostPort(), TIMEOUT, PREFIX)));
            assertEquals("the Redis store redis://" + guarded.hostPort() + " refuses the URI's user and password (WRONGPASS)",
                    e.getMessage());
            assertNoPassword(e, "hunter-user");
        }

        @Test
        void noPasswordFailsToOpen_sayingTheServerAsksForOne() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openUnderLoad(() -> new RedisStoreProvider()
                    .open("redis://" + guarded.hostPort(), TIMEOUT, PREFIX)));
            assertEquals("the Redis store redis://" + guarded.hostPort() + " asks for a password, and the URI gives none"
                    + " (NOAUTH)", e.getMessage());
        }

        /**
         * README said the URI's password never appears in a log line; Lettuce's own logger writes each command as
         * sent at TRACE (JUL's FINEST), HELLO's password included. At DEBUG (FINE) it names command types only:
         * README and SECURITY.md now say to keep {@code io.lettuce} above TRACE.
         */
        @Test
        void lettucesLogger_atDebug_showsNoPassword_atTrace_showsIt_asReadmeSays() {
            String readme = dev.webhookfilter.testing.Readme.text();
            assertTrue(readme.contains("`io.lettuce.core.protocol`, at TRACE"), "README.md must warn of Lettuce's TRACE");
            try (dev.webhookfilter.testing.LogCapture debug = dev.webhookfilter.testing.LogCapture.of("io.lettuce")
                    .level(java.util.logging.Level.FINE)) {
                openUnderLoad(() -> new RedisStoreProvider().open("redis://:s3cr%25t-pw@" + guarded.hostPort(), TIMEOUT, PREFIX)).close();
                assertTrue(debug.render().contains("type=HELLO"), "Lettuce logs at DEBUG: " + debug.render().length());
                assertFalse(debug.render().contains("s3cr%t-pw"));
            }
            try (dev.webhookfilter.testing.LogCapture trace = dev.webhookfilter.testing.LogCapture.of("io.lettuce")
                    .level(java.util.logging.Level.FINEST)) {
                openUnderLoad(() -> new RedisStoreProvider().open("redis://:s3cr%25t-pw@" + guarded.hostPort(), TIMEOUT, PREFIX)).close();
                assertTrue(trace.render().contains("s3cr%t-pw"), "Lettuce's TRACE no longer shows the password: README"
                        + " and SECURITY.md can drop their warning");
            }
        }

        /** SELECT 99 on a server with the default 16 databases. */
        @Test
        void aDatabaseTheServerLacksFailsToOpen_sayingSo() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openUnderLoad(() -> new RedisStoreProvider()
                    .open("redis://:s3cr%25t-pw@" + guarded.hostPort() + "/99", TIMEOUT, PREFIX)));
            assertEquals("the Redis store redis://" + guarded.hostPort() + "/99 has no database 99 (ERR DB index is out of"
                    + " range; its databases setting says how many it has)", e.getMessage());
            assertNoPassword(e, "s3cr");
        }

        /** A user that may not SELECT, as the URI's database asks: the same message as open's trial of the scripts. */
        @Test
        void aUserThatMayNotSelectTheDatabaseFailsToOpen_sayingWhatItNeeds() throws Exception {
            assertEquals("OK", guarded.cli("--no-auth-warning", "-a", PASSWORD, "ACL", "SETUSER", "hunter-user", "on",
                    ">u-pw-42", "~*", "+@all", "-select"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openUnderLoad(() -> new RedisStoreProvider()
                    .open("redis://hunter-user:u-pw-42@" + guarded.hostPort() + "/3", TIMEOUT, PREFIX)));
            assertEquals("the Redis store redis://" + guarded.hostPort() + "/3 refuses the store's commands to the URI's"
                    + " user (NOPERM); give it at least: ~" + PREFIX + "* +@connection +get +set +del +eval +evalsha",
                    e.getMessage());
            assertNoPassword(e, "hunter-user");
            assertNoPassword(e, "u-pw-42");
        }
    }

    /**
     * A Redis in protected mode (no password, bound beyond loopback) answers every client from another host with
     * DENIED; none can be made to here, so a stand-in answers as it does. open said the server could not be reached.
     */
    @Test
    void aServerInProtectedModeFailsToOpen_sayingSo() throws Exception {
        try (dev.webhookfilter.testing.net.WrongServer denied = dev.webhookfilter.testing.net.WrongServer.start(
                dev.webhookfilter.testing.net.WrongServer.replyToEveryRead(("-DENIED Redis is running in protected mode"
                        + " because protected mode is enabled and no password is set for the default user.\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                    .open("redis://127.0.0.1:" + denied.port(), TIMEOUT, PREFIX));
            assertEquals("the Redis store redis://127.0.0.1:" + denied.port() + " refuses clients from other hosts:"
                    + " it runs in protected mode (DENIED); give its default user a password", e.getMessage());
        }
    }

    static void assertNoPassword(Throwable e, String password) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(password), trace.toString());
        assertNotEquals(null, e.getMessage());
    }
}
