package dev.webhookfilter.store.redis;

import static dev.webhookfilter.store.redis.RedisStoreTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.StoreCalls;
import dev.webhookfilter.testing.net.TcpProxy;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
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
    static final Duration BOUND = TIMEOUT.plusMillis(1500);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final int THREADS = 4;
    /** How many times each thread of {@link StoreCalls#callAtOnce} makes its four calls. */
    static final int ROUNDS = 50;

    @TempDir
    Path dir;
    RedisServer server;
    TcpProxy proxy;
    WebhookStore store;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start(dir);
        proxy = TcpProxy.to(server.port());
        store = RedisStoreTest.openUnderLoad(
                () -> new RedisStoreProvider().open("redis://127.0.0.1:" + proxy.port(), TIMEOUT, "proxy:"));
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
        assertEquals(Decision.FIRST_SEEN, store.record(recorded, StoreCalls.expiresAt()));

        proxy.mode(mode);
        for (int round = 0; round < 2; round++) {
            StoreCalls.assertEveryCallUnavailable(store, StoreCalls::randomKey, held, heldToken, recorded, BOUND);
        }

        proxy.mode(TcpProxy.Mode.FORWARD);
        StoreCalls.awaitRecovery(store, StoreCalls::randomKey, Duration.ofSeconds(10));
        assertTrue(store.isAvailable());
        byte[] fresh = random(32);
        assertEquals(Decision.FIRST_SEEN, store.record(fresh, StoreCalls.expiresAt()));
        assertEquals(Decision.REPLAYED, store.record(fresh, StoreCalls.expiresAt()));
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
        StoreCalls.timed("forget", BOUND, () -> {
            store.forget(random(32)); // sent, and its reply never comes
            return null;
        });
        proxy.mode(TcpProxy.Mode.FORWARD);

        StoreCalls.callAtOnce(store, StoreCalls::randomKey, done, THREADS, ROUNDS).assertNoneWrong();
        StoreCalls.awaitRecovery(store, StoreCalls::randomKey, Duration.ofSeconds(10));
        assertEachCallGetsItsOwnAnswer(done);
    }

    /**
     * {@link StoreCalls#callAtOnce} once the store has recovered: every call decides rightly, but for a few that a
     * loaded machine may keep past the timeout (each of those closes the connection, and the next calls wait for the
     * new one).
     */
    void assertEachCallGetsItsOwnAnswer(byte[] done) throws Exception {
        StoreCalls.Answers answers = StoreCalls.callAtOnce(store, StoreCalls::randomKey, done, THREADS, ROUNDS);
        answers.assertNoneWrong();
        answers.assertUnavailableAtMost(answers.calls() / 10);
    }
}
