package dev.webhookfilter.store.redis;

import static dev.webhookfilter.store.redis.RedisStoreTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.StoreCalls;
import dev.webhookfilter.testing.net.TcpProxy;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RedisProxyFaultTest}'s lost reply on Redis Cluster: each master behind a {@link TcpProxy} of its own (the
 * port it announces to clients), one of which drops the bytes of one command. The store closes that master's
 * connection when the command times out, so no later call on it takes another's reply.
 */
class RedisClusterProxyFaultTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final String PREFIX = "wf:proxied:";
    static final int THREADS = 4;
    /** How many times each thread of {@link StoreCalls#callAtOnce} makes its four calls. */
    static final int ROUNDS = 50;

    @TempDir
    Path dir;
    RedisCluster cluster;
    WebhookStore store;

    @BeforeEach
    void start() throws Exception {
        cluster = RedisCluster.startBehindProxies(dir);
        // Under load the cluster's first health check has missed the 500 ms timeout ("does not answer the health
        // check's script as Redis does (1) within PT0.5S" in a run of the module's tests); what this class tests starts
        // once the store is open.
        store = RedisStoreTest.openUnderLoad(() -> new RedisStoreProvider()
                .open("redis-cluster://127.0.0.1:" + cluster.proxies.get(0).port(), TIMEOUT, PREFIX));
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        cluster.close();
    }

    @Test
    void aReplyLostOnTheWayToOneMaster_isNeverTakenForAnotherCallsReply() throws Exception {
        TcpProxy victim = cluster.proxies.get(1);
        String nodes = cluster.nodes.get(0).cli("CLUSTER", "NODES");
        Function<String, byte[]> onVictim = kind -> keyOn(nodes, victim, kind);
        byte[] done = onVictim.apply(StoreCalls.CLAIM);
        byte[] token = random(16);
        assertEquals(Claim.FIRST, store.claim(done, token, LEASE));
        assertTrue(store.complete(done, token, Duration.ofHours(1)));

        victim.mode(TcpProxy.Mode.DROP);
        store.forget(onVictim.apply(StoreCalls.RECORD)); // sent to the victim, and its reply never comes
        victim.mode(TcpProxy.Mode.FORWARD);

        StoreCalls.callAtOnce(store, onVictim, done, THREADS, ROUNDS).assertNoneWrong();
        StoreCalls.awaitRecovery(store, onVictim, Duration.ofSeconds(10));
    }

    /** A fresh key whose {@code kind} ("d:" or "r:") key in Redis lives on the master behind {@code proxy}. */
    static byte[] keyOn(String nodes, TcpProxy proxy, String kind) {
        while (true) {
            byte[] key = random(32);
            int slot = SlotHash.getSlot((PREFIX + kind + RedisStoreTest.hex(key)).getBytes(StandardCharsets.US_ASCII));
            if (RedisCluster.serves(nodes, proxy.port(), slot)) {
                return key;
            }
        }
    }
}
