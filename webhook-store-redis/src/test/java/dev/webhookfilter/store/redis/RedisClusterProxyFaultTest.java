package dev.webhookfilter.store.redis;

import static dev.webhookfilter.store.redis.RedisStoreTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.net.TcpProxy;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @TempDir
    Path dir;
    RedisCluster cluster;
    WebhookStore store;

    @BeforeEach
    void start() throws Exception {
        cluster = RedisCluster.startBehindProxies(dir);
        store = new RedisStoreProvider().open("redis-cluster://127.0.0.1:" + cluster.proxies.get(0).port(), TIMEOUT, PREFIX);
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
        byte[] done = keyOn(nodes, victim, "d:");
        byte[] token = random(16);
        assertEquals(Claim.FIRST, store.claim(done, token, LEASE));
        assertTrue(store.complete(done, token, Duration.ofHours(1)));

        victim.mode(TcpProxy.Mode.DROP);
        store.forget(keyOn(nodes, victim, "r:")); // sent to the victim, and its reply never comes
        victim.mode(TcpProxy.Mode.FORWARD);

        List<String> wrong = callAtOnce(nodes, victim, done);
        assertTrue(wrong.isEmpty(), wrong.size() + " decisions other than DONE, FIRST, FIRST_SEEN and REPLAYED, such as "
                + wrong.subList(0, Math.min(10, wrong.size())));
        awaitRecovery(nodes, victim);
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

    /**
     * THREADS threads at once, each claiming the completed key and a fresh one, and recording a fresh key twice,
     * all on the victim's master: the answers that are neither right nor UNAVAILABLE.
     */
    List<String> callAtOnce(String nodes, TcpProxy victim, byte[] done) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(threads.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        byte[] recorded = keyOn(nodes, victim, "r:");
                        List<Object> got = List.of(store.claim(done, random(16), LEASE),
                                store.claim(keyOn(nodes, victim, "d:"), random(16), LEASE),
                                store.record(recorded, expiresAt()), store.record(recorded, expiresAt()));
                        List<Object> right = List.of(Claim.DONE, Claim.FIRST, Decision.FIRST_SEEN, Decision.REPLAYED);
                        for (int k = 0; k < got.size(); k++) {
                            if (got.get(k) != right.get(k) && got.get(k) != Claim.UNAVAILABLE && got.get(k) != Decision.UNAVAILABLE) {
                                wrong.add(got.get(k) + " for " + right.get(k));
                            }
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> r : results) {
                wrong.addAll(r.get(120, TimeUnit.SECONDS));
            }
            return wrong;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Polls with fresh claims on the victim's master until one is FIRST, for at most 10 s. */
    void awaitRecovery(String nodes, TcpProxy victim) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (store.claim(keyOn(nodes, victim, "d:"), random(16), LEASE) == Claim.FIRST) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the store did not decide again on the victim's master within 10 s");
    }

    static long expiresAt() {
        return Instant.now().getEpochSecond() + 60;
    }
}
