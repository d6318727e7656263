package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.redis.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store on a real 3-master Redis Cluster: the same semantics on keys spread over every master,
 * and a dead master makes the calls for its slots answer UNAVAILABLE within the timeout, not hang.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterStoreTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final long BOUND_NANOS = TIMEOUT.plusMillis(1500).toNanos();
    /**
     * The timeout of a store that a test opens for its decisions, not for its refusals in time (which the class's store
     * is held to with {@link #TIMEOUT}): pinned to one core, with 500 ms, the hash-tag test's record was answered
     * UNAVAILABLE (a RedisCommandTimeoutException) and the README ACL test's open refused with "does not run the store's
     * scripts (io.lettuce.core.RedisCommandTimeoutException)", right answers of a store Redis did not answer in time.
     */
    static final Duration DECIDING = Duration.ofSeconds(5);
    static final String PREFIX = "wf:cluster:";

    @TempDir
    static Path dir;
    static RedisCluster cluster;
    static WebhookStore store;

    @BeforeAll
    static void start() throws Exception {
        cluster = RedisCluster.start(dir);
        // One seed is enough: the client learns the other masters from it.
        store = RedisStoreTest.openUnderLoad(() -> new RedisStoreProvider()
                .open("redis-cluster://" + cluster.nodes.get(0).hostPort(), TIMEOUT, PREFIX));
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] random(int n) {
        return RedisStoreTest.random(n);
    }

    /** The slot of the de-duplication key the store makes of {@code key}. */
    static int dedupSlot(byte[] key) {
        return SlotHash.getSlot((PREFIX + "d:" + RedisStoreTest.hex(key)).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    @Order(1)
    void sameSemanticsOnEveryMaster() throws Exception {
        long expiresAt = Instant.now().getEpochSecond() + 300;
        for (int i = 0; i < 60; i++) {
            byte[] key = random(32);
            assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt));
            assertEquals(Decision.REPLAYED, store.record(key, expiresAt));

            byte[] token = random(16);
            assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
            assertEquals(Claim.IN_PROGRESS, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertFalse(store.complete(key, random(16), Duration.ofHours(1)));
            assertFalse(store.release(key, random(16)));
            if (i % 2 == 0) {
                assertTrue(store.complete(key, token, Duration.ofHours(1)));
                assertEquals(Claim.DONE, store.claim(key, random(16), Duration.ofSeconds(60)));
            } else {
                assertTrue(store.release(key, token));
                assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
            }
        }
        // 60 replay keys and 60 de-duplication keys, spread over all three masters.
        int total = 0;
        for (RedisServer n : cluster.nodes) {
            String[] keys = n.cli("--scan", "--pattern", PREFIX + "*").split("\n");
            assertTrue(keys.length > 5, "master " + n.hostPort() + " holds " + keys.length + " keys");
            for (String k : keys) {
                assertTrue(k.matches("wf:cluster:[rd]:[0-9a-f]{64}"), k);
            }
            total += keys.length;
        }
        assertEquals(120, total);
        assertTrue(store.isAvailable());
    }

    @Test
    @Order(2)
    void theSlotTheTestsComputeIsRedisOwn() throws Exception {
        byte[] key = random(32);
        assertEquals(cluster.nodes.get(0).cli("CLUSTER", "KEYSLOT", PREFIX + "d:" + RedisStoreTest.hex(key)),
                Integer.toString(dedupSlot(key)));
    }

    /**
     * Each master is asked for its own policy: one that evicts is named in one WARNING, the others not. Open
     * with the seed only, as above: the check reaches the masters the client learnt of.
     */
    @Test
    @Order(2)
    void open_warnsOfTheMasterWhosePolicyEvicts_andOnlyOfIt() throws Exception {
        RedisServer evicting = cluster.nodes.get(1);
        evicting.cli("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        try (LogCapture log = LogCapture.of(RedisStoreProvider.class.getName())) {
            new RedisStoreProvider().open("redis-cluster://" + cluster.nodes.get(0).hostPort(), TIMEOUT, "wf:policy:").close();
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains(evicting.hostPort() + " has maxmemory-policy allkeys-lru"), warnings.get(0));
            assertFalse(warnings.get(0).contains(cluster.nodes.get(0).hostPort() + " "), warnings.get(0));
            assertFalse(warnings.get(0).contains(cluster.nodes.get(2).hostPort() + " "), warnings.get(0));
        } finally {
            evicting.cli("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    @Order(3)
    void aDeadMasterMakesItsSlotsUnavailable_theOthersServe_andItRecovers() throws Exception {
        RedisServer victim = cluster.nodes.get(1);
        String nodes = cluster.nodes.get(0).cli("CLUSTER", "NODES");
        List<byte[]> onVictim = new ArrayList<>();
        List<byte[]> elsewhere = new ArrayList<>();
        while (onVictim.size() < 20 || elsewhere.size() < 20) {
            byte[] key = random(32);
            (RedisCluster.serves(nodes, victim.port(), dedupSlot(key)) ? onVictim : elsewhere).add(key);
        }

        victim.kill();
        long slowest = 0;
        for (byte[] key : onVictim) {
            long start = System.nanoTime();
            assertEquals(Claim.UNAVAILABLE, store.claim(key, random(16), Duration.ofSeconds(60)));
            assertFalse(store.complete(key, random(16), Duration.ofHours(1)));
            assertFalse(store.release(key, random(16)));
            slowest = Math.max(slowest, (System.nanoTime() - start) / 3);
        }
        assertTrue(slowest <= BOUND_NANOS, "a call for a dead master's slot took " + slowest / 1_000_000 + " ms");
        // cluster-require-full-coverage no: the live masters keep serving their own slots.
        for (byte[] key : elsewhere) {
            assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
        }
        long start = System.nanoTime();
        assertFalse(store.isAvailable(), "isAvailable with a master dead");
        assertTrue(System.nanoTime() - start <= BOUND_NANOS, "isAvailable took past the bound");

        victim.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.claim(onVictim.get(0), random(16), Duration.ofSeconds(60)) != Claim.FIRST) {
            if (System.nanoTime() > deadline) {
                fail("the dead master's slots did not come back within 30 s of its restart");
            }
            Thread.sleep(100);
        }
        for (byte[] key : onVictim.subList(1, onVictim.size())) {
            assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
        }
        assertTrue(store.isAvailable());
    }

    @Test
    @Order(4)
    void aPrefixWithAHashTagOpens_andKeepsEveryKeyOnTheMasterOfItsSlot() throws Exception {
        // {orders} pins every key to one slot: no probe key with that prefix reaches the other two masters.
        String pinned = "{orders}:";
        WebhookStore tagged = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> new RedisStoreProvider().open("redis-cluster://" + cluster.nodes.get(0).hostPort(), DECIDING, pinned));
        try {
            long expiresAt = Instant.now().getEpochSecond() + 300;
            for (int i = 0; i < 10; i++) {
                byte[] key = random(32);
                assertEquals(Decision.FIRST_SEEN, tagged.record(key, expiresAt));
                assertEquals(Decision.REPLAYED, tagged.record(key, expiresAt));
                assertEquals(Claim.FIRST, tagged.claim(key, random(16), Duration.ofSeconds(60)));
            }
            assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(10), tagged::isAvailable));
            String slot = cluster.nodes.get(0).cli("CLUSTER", "KEYSLOT", "orders");
            int holding = 0;
            for (RedisServer n : cluster.nodes) {
                String keys = n.cli("--scan", "--pattern", "{orders}:*").strip();
                if (!keys.isEmpty()) {
                    holding++;
                    assertTrue(RedisCluster.serves(n.cli("CLUSTER", "NODES"), n.port(), Integer.parseInt(slot)));
                    assertEquals(20, keys.split("\n").length);
                }
            }
            assertEquals(1, holding);
        } finally {
            tagged.close();
        }
    }

    /**
     * A {@code redis://} URI at a cluster node opened, and each request whose key's slot another node serves got
     * MOVED, so 503: {@code open} refuses it, saying to use the cluster form, without repeating the password.
     */
    @Test
    @Order(2)
    void open_redisUriAtAClusterNode_isRefused_sayingToUseTheClusterForm() {
        String node = cluster.nodes.get(0).hostPort();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new RedisStoreProvider().open("redis://:s3cret@" + node, TIMEOUT, PREFIX).close());
        assertEquals("the Redis store redis://" + node + " is a node of a Redis Cluster, which answers MOVED for the keys"
                + " of other nodes' slots; use redis-cluster://" + node, e.getMessage());
        assertEquals(null, e.getCause());
    }

    /**
     * An ACL user that may not run the store's scripts or touch its keys (made on every node: Redis Cluster shares no
     * ACL) opened, or failed saying the masters did not answer PING: open says what the user needs.
     */
    @ParameterizedTest(name = "{0}")
    @Order(3)
    @CsvSource(delimiter = '|', value = {
        "no scripting                  | nos | ~wf:cluster:* +@connection +cluster +get +set +del +info",
        "EVAL but not EVALSHA          | nosha | ~wf:cluster:* +@connection +cluster +get +set +del +eval +info",
        "the keys of another prefix    | other | ~other:* +@connection +cluster +get +set +del +eval +evalsha +info",
    })
    void open_asAUserThatMayNotRunTheStoresCommands_isRefused_sayingWhatItNeeds(String what, String user, String rules)
            throws Exception {
        addUserOnEveryNode(user, rules);
        String seed = cluster.nodes.get(0).hostPort();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new RedisStoreProvider().open("redis-cluster://" + user + ":u-s3cret@" + seed, TIMEOUT, PREFIX).close());
        assertEquals("the Redis store redis-cluster://" + seed + " refuses the store's commands to the URI's user (NOPERM);"
                + " give it at least: ~" + PREFIX + "* +@connection +get +set +del +eval +evalsha", e.getMessage());
    }

    /** README's ACL, and the CLUSTER commands the client learns the cluster's shape with. */
    @Test
    @Order(4)
    void open_asAUserWithTheReadmesAcl_andCluster_opensAndDecidesOnEveryMaster() throws Exception {
        addUserOnEveryNode("readme", ServerChecksTest.Permissions.README_ACL.replace("~wf:", "~" + PREFIX) + " +cluster");
        try (WebhookStore own = new RedisStoreProvider().open("redis-cluster://readme:u-s3cret@"
                + cluster.nodes.get(0).hostPort(), DECIDING, PREFIX)) {
            for (int i = 0; i < 30; i++) {
                byte[] key = random(32);
                byte[] token = random(16);
                assertEquals(Claim.FIRST, own.claim(key, token, Duration.ofSeconds(60)));
                assertTrue(own.complete(key, token, Duration.ofSeconds(60)));
                assertEquals(Decision.FIRST_SEEN, own.record(key, java.time.Instant.now().getEpochSecond() + 60));
            }
            assertTrue(own.isAvailable());
        }
    }

    /**
     * A full master (maxmemory reached, noeviction) answers OOM to every write for its slots. The health check ran a
     * script that wrote nothing ({@code return 1}), which a full master runs, and said UP while those claims got 503.
     */
    @Test
    @Order(5)
    void aFullMaster_makesTheHealthCheckDown_andUpOnceThereIsRoom() throws Exception {
        RedisServer full = cluster.nodes.get(2);
        String nodes = cluster.nodes.get(0).cli("CLUSTER", "NODES");
        byte[] key = random(32);
        while (!RedisCluster.serves(nodes, full.port(), dedupSlot(key))) {
            key = random(32);
        }
        assertTrue(store.isAvailable());
        RedisFaultTest.fill(full);
        try {
            assertEquals(Claim.UNAVAILABLE, store.claim(key, random(16), Duration.ofSeconds(60)), "the full master refuses it");
            assertFalse(store.isAvailable(), "the health check, with a master full");
        } finally {
            RedisFaultTest.makeRoom(full);
        }
        assertTrue(store.isAvailable());
        assertEquals(Claim.FIRST, store.claim(key, random(16), Duration.ofSeconds(60)));
    }

    /**
     * The store sends its scripts by EVALSHA; the health check sent its own by EVAL, so it said UP for a user who may
     * no longer run EVALSHA, while every claim got 503.
     */
    @Test
    @Order(5)
    void aUserThatMayNoLongerRunEvalsha_makesTheHealthCheckDown() throws Exception {
        assertTrue(store.isAvailable());
        for (RedisServer node : cluster.nodes) {
            assertEquals("OK", node.cli("ACL", "SETUSER", "default", "-evalsha"));
        }
        try {
            assertEquals(Claim.UNAVAILABLE, store.claim(random(32), random(16), Duration.ofSeconds(60)), "Redis refuses it");
            assertFalse(store.isAvailable(), "the health check, where Redis refuses claims");
        } finally {
            for (RedisServer node : cluster.nodes) {
                assertEquals("OK", node.cli("ACL", "SETUSER", "default", "+evalsha"));
            }
        }
        assertTrue(store.isAvailable());
    }

    static void addUserOnEveryNode(String user, String rules) throws Exception {
        for (RedisServer node : cluster.nodes) {
            List<String> command = new java.util.ArrayList<>(List.of("ACL", "SETUSER", user, "reset", "on", ">u-s3cret"));
            command.addAll(List.of(rules.split(" ")));
            assertEquals("OK", node.cli(command.toArray(new String[0])));
        }
    }

    /** Redis's own CLUSTER KEYSLOT says whether a prefix pins the store's keys to one slot, and which. */
    @ParameterizedTest
    @ValueSource(strings = {"wf:", "{orders}:", "app:{orders}:", "a{", "a}{b", "{}x{y}:", "x{a}{b}:", "{\u00e9}"})
    void pinnedSlotReadsAHashTagAsRedisDoes(String prefix) throws Exception {
        RedisServer node = cluster.nodes.get(0);
        String replay = node.cli("CLUSTER", "KEYSLOT", prefix + "r:" + "ab".repeat(32));
        String dedup = node.cli("CLUSTER", "KEYSLOT", prefix + "d:" + "cd".repeat(32));
        int expected = replay.equals(dedup) ? Integer.parseInt(replay) : -1;
        assertEquals(expected, RedisStoreProvider.pinnedSlot(prefix));
    }
}
