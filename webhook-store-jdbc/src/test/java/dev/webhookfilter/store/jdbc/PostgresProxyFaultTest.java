package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.net.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store talking to a real PostgreSQL through a {@link TcpProxy} that starts to misbehave: it puts garbage in
 * place of the server's messages, or drops every byte while the connections stay open. While it does, every call
 * of the store's API answers "unavailable" within the bound of {@link PostgresFaultTest} and none throws; once it
 * forwards again, the same store (its pool having dropped the broken connections) decides again within seconds,
 * each call with its own answer.
 */
class PostgresProxyFaultTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The bound on any one call: the timeout, plus whole-second rounding of each step, plus scheduling. */
    private static final long BOUND_MILLIS = TIMEOUT.toMillis() + 4_000;
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int THREADS = 4;

    @RegisterExtension
    static final PostgresServer.ForClass POSTGRES = new PostgresServer.ForClass();
    private TcpProxy proxy;
    private WebhookStore store;
    private LogCapture storeLog;

    @BeforeEach
    void open() throws IOException {
        storeLog = LogCapture.of("dev.webhookfilter.store.jdbc").level(Level.ALL);
        proxy = TcpProxy.to(POSTGRES.server().port());
        store = new JdbcStoreProvider().open("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user="
                + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD, TIMEOUT, "proxy-" + UUID.randomUUID());
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        proxy.close();
        storeLog.close();
        String logged = storeLog.render();
        assertFalse(logged.contains(PostgresServer.PASSWORD), logged);
    }

    @ParameterizedTest
    @EnumSource(value = TcpProxy.Mode.class, names = {"GARBAGE", "DROP"})
    void aMisbehavingLink_answersUnavailableInTime_andTheStoreDecidesRightlyOnceItForwards(TcpProxy.Mode mode)
            throws Exception {
        byte[] done = key("done-" + UUID.randomUUID());
        byte[] doneToken = token();
        assertEquals(Claim.FIRST, store.claim(done, doneToken, LEASE));
        assertTrue(store.complete(done, doneToken, Duration.ofHours(1)));
        byte[] held = key("held-" + UUID.randomUUID());
        byte[] heldToken = token();
        assertEquals(Claim.FIRST, store.claim(held, heldToken, LEASE));
        byte[] recorded = fresh();
        assertEquals(Decision.FIRST_SEEN, store.record(recorded, expiresAt()));

        proxy.mode(mode);
        assertEquals(Decision.UNAVAILABLE, timed("record", () -> store.record(fresh(), expiresAt())));
        assertEquals(Claim.UNAVAILABLE, timed("claim", () -> store.claim(fresh(), token(), LEASE)));
        assertFalse(timed("complete", () -> store.complete(held, heldToken, Duration.ofHours(1))));
        assertFalse(timed("release", () -> store.release(held, heldToken)));
        timed("forget", () -> {
            store.forget(recorded);
            return null;
        });
        assertFalse(timed("isAvailable", store::isAvailable));

        proxy.mode(TcpProxy.Mode.FORWARD);
        awaitRecovery();
        assertTrue(store.isAvailable());
        byte[] fresh = fresh();
        assertEquals(Decision.FIRST_SEEN, store.record(fresh, expiresAt()));
        assertEquals(Decision.REPLAYED, store.record(fresh, expiresAt()));
        assertEquals(Claim.DONE, store.claim(done, token(), LEASE));
        assertEachCallGetsItsOwnAnswer(done);
    }

    /**
     * THREADS threads at once, each claiming the completed key and a fresh one, and recording a fresh key twice:
     * DONE, FIRST, FIRST_SEEN and REPLAYED, every time.
     */
    private void assertEachCallGetsItsOwnAnswer(byte[] done) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        List<Object> got = new ArrayList<>();
                        got.add(store.claim(done, token(), LEASE));
                        got.add(store.claim(fresh(), token(), LEASE));
                        byte[] key = fresh();
                        got.add(store.record(key, expiresAt()));
                        got.add(store.record(key, expiresAt()));
                        if (!got.equals(List.of(Claim.DONE, Claim.FIRST, Decision.FIRST_SEEN, Decision.REPLAYED))) {
                            wrong.add(got.toString());
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> r : results) {
                wrong.addAll(r.get(120, TimeUnit.SECONDS));
            }
            assertEquals(List.of(), wrong, "answers other than [DONE, FIRST, FIRST_SEEN, REPLAYED]");
        } finally {
            threads.shutdownNow();
        }
    }

    /** Runs one call of the store's API, which must return within the bound. */
    private static <T> T timed(String what, Supplier<T> call) {
        long start = System.nanoTime();
        T answer = call.get();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("PostgresProxyFaultTest: " + what + " answered " + answer + " in " + took + " ms");
        assertTrue(took <= BOUND_MILLIS, what + " took " + took + " ms");
        return answer;
    }

    /** Polls with fresh claims until one is FIRST, for at most 20 s. */
    private void awaitRecovery() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (store.claim(fresh(), token(), LEASE) == Claim.FIRST) {
                System.out.printf("PostgresProxyFaultTest: the store decided again %d ms after the proxy forwarded again%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return;
            }
            Thread.sleep(50);
        }
        fail("the store did not decide again within 20 s of the proxy's forwarding again");
    }

    private static byte[] fresh() {
        return key(UUID.randomUUID().toString());
    }

    private static byte[] token() {
        return UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long expiresAt() {
        return Instant.now().getEpochSecond() + 300;
    }
}
