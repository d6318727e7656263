package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.net.TcpProxy;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The health check ({@code isAvailable}) on one server ({@code redis://}) fails wherever a record or a claim would,
 * and writes nothing. It was a {@code PING}, which Redis answers while it refuses every request: for a user whose ACL
 * was changed after {@code open} (NOPERM), a full server (OOM), a primary turned replica by a failover (READONLY).
 * It said UP, and every request got 503. Each case below failed on that health check.
 */
class RedisHealthTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final String PREFIX = "wf:";
    /**
     * The key the health check runs its script on: a de-duplication key of 32 zero bytes, which no SHA-256 gives in
     * practice (README.md, "Health check").
     */
    static final String PROBE_KEY = PREFIX + "d:" + "0".repeat(64);

    @TempDir
    Path dir;

    /**
     * Opens a store on {@code uri}, trying again where a loaded machine kept it from connecting within the timeout
     * ({@link RedisStoreTest#openUnderLoad}): the class's first open, a JVM's first connection, failed so twice in a day.
     */
    static WebhookStore open(String uri) {
        return RedisStoreTest.openUnderLoad(() -> new RedisStoreProvider().open(uri, TIMEOUT, PREFIX));
    }

    static long in60s() {
        return Instant.now().getEpochSecond() + 60;
    }

    @Nested
    class LostPermission {

        /**
         * The user had README's ACL at {@code open}; an operator then changed it, which Redis applies to the
         * connection the store already has. The rules are README's again afterwards: the health check is UP again.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "the keys of another prefix | resetkeys ~other:*",
            "read-only keys             | resetkeys %R~wf:*",
            "no scripting               | -eval -evalsha",
            "EVAL but not EVALSHA       | -evalsha",
            "no SET                     | -set",
            "no GET                     | -get",
        })
        void afterTheUsersAclChanged_isDownWhereAClaimIsRefused_andUpOnceItIsBack(String what, String change)
                throws Exception {
            try (RedisServer server = RedisServer.start(dir, "--requirepass", ServerChecksTest.PASSWORD)) {
                ServerChecksTest.addUser(server, "webhooks", "u-s3cret", ServerChecksTest.Permissions.README_ACL);
                try (WebhookStore store = open("redis://webhooks:u-s3cret@" + server.hostPort())) {
                    assertTrue(store.isAvailable());

                    ServerChecksTest.addUser(server, "webhooks", "u-s3cret", change);
                    try (LogCapture log = LogCapture.of(RedisStore.class.getName())) {
                        assertEquals(Claim.UNAVAILABLE, store.claim(RedisStoreTest.random(32), RedisStoreTest.random(16),
                                Duration.ofSeconds(60)), "Redis refuses the claim");
                        assertFalse(store.isAvailable(), "the health check, where Redis refuses a claim");
                        // Redis 7.0 refuses GET or SET in a script with an ERR of its own: named NOPERM all the same
                        assertEquals(List.of("Redis store redis://" + server.hostPort() + " failed (Redis answered NOPERM);"
                                + " requests that need it are refused until it answers again"), log.messages(Level.WARNING));
                    }

                    ServerChecksTest.addUser(server, "webhooks", "u-s3cret", ServerChecksTest.Permissions.README_ACL
                            .replace("~wf:*", "resetkeys ~wf:*"));
                    assertTrue(store.isAvailable());
                    assertEquals(Claim.FIRST, store.claim(RedisStoreTest.random(32), RedisStoreTest.random(16),
                            Duration.ofSeconds(60)));
                }
            }
        }
    }

    /**
     * A user who may no longer run DEL: records and claims still work, but forget and release fail, so the sender's
     * retry of a request the application failed is refused as a replay. The health check says so, as the JDBC store's
     * does after a {@code REVOKE DELETE}.
     */
    @Test
    void afterTheUserLostDel_isDown_andUpOnceItIsBack() throws Exception {
        try (RedisServer server = RedisServer.start(dir, "--requirepass", ServerChecksTest.PASSWORD)) {
            ServerChecksTest.addUser(server, "webhooks", "u-s3cret", ServerChecksTest.Permissions.README_ACL);
            try (WebhookStore store = open("redis://webhooks:u-s3cret@" + server.hostPort())) {
                assertTrue(store.isAvailable());
                ServerChecksTest.addUser(server, "webhooks", "u-s3cret", "-del");
                byte[] key = RedisStoreTest.random(32);
                assertEquals(Decision.FIRST_SEEN, store.record(key, in60s()));
                store.forget(key);
                assertEquals(Decision.REPLAYED, store.record(key.clone(), in60s()), "Redis refused the forget's DEL");
                assertFalse(store.isAvailable(), "the health check, where Redis refuses a forget and a release");
                ServerChecksTest.addUser(server, "webhooks", "u-s3cret", "+del");
                assertTrue(store.isAvailable());
            }
        }
    }

    @Nested
    class FullServer {

        /**
         * With {@code maxmemory} reached and {@code noeviction}, Redis answers OOM to every write, and runs a script
         * that only reads: a probe that only read would say UP. With the probe key taken (it holds a value the health
         * check must leave as it is) or not.
         */
        @ParameterizedTest(name = "probe key taken: {0}")
        @ValueSource(booleans = {false, true})
        void aFullServer_isDown_whereRecordsAndClaimsAreRefused_andUpOnceThereIsRoom(boolean probeKeyTaken) throws Exception {
            try (RedisServer server = RedisServer.start(dir);
                    WebhookStore store = open("redis://" + server.hostPort())) {
                if (probeKeyTaken) {
                    assertEquals("OK", server.cli("SET", PROBE_KEY, "someone's"));
                }
                assertTrue(store.isAvailable());

                RedisFaultTest.fill(server);
                assertEquals(Decision.UNAVAILABLE, store.record(RedisStoreTest.random(32), in60s()), "Redis refuses the record");
                assertEquals(Claim.UNAVAILABLE, store.claim(RedisStoreTest.random(32), RedisStoreTest.random(16),
                        Duration.ofSeconds(60)), "Redis refuses the claim");
                assertFalse(store.isAvailable(), "the health check, where Redis refuses records and claims");

                RedisFaultTest.makeRoom(server);
                assertTrue(store.isAvailable());
                assertEquals(Decision.FIRST_SEEN, store.record(RedisStoreTest.random(32), in60s()));
                assertEquals(probeKeyTaken ? "1" : "0", server.cli("EXISTS", PROBE_KEY));
                if (probeKeyTaken) {
                    assertEquals("someone's", server.cli("GET", PROBE_KEY));
                }
            }
        }
    }

    @Nested
    class Failover {

        /**
         * After a failover the old primary comes back as a replica of the new one (here: {@code REPLICAOF}, as
         * Sentinel sends it), at the address the store was opened with. It answers PING, and READONLY to every write.
         */
        @Test
        void aPrimaryTurnedReplica_isDown_whereRecordsAreRefused_andUpOnceItIsPrimaryAgain() throws Exception {
            Path primaryDir = Files.createDirectories(dir.resolve("primary"));
            Path otherDir = Files.createDirectories(dir.resolve("other"));
            try (RedisServer server = RedisServer.start(primaryDir);
                    RedisServer other = RedisServer.start(otherDir);
                    WebhookStore store = open("redis://" + server.hostPort())) {
                assertTrue(store.isAvailable());

                assertEquals("OK", server.cli("REPLICAOF", "127.0.0.1", Integer.toString(other.port())));
                assertEquals(Decision.UNAVAILABLE, store.record(RedisStoreTest.random(32), in60s()), "Redis refuses the record");
                assertFalse(store.isAvailable(), "the health check, where Redis refuses records");

                assertEquals("OK", server.cli("REPLICAOF", "NO", "ONE"));
                assertTrue(RedisFaultTest.decided(store::isAvailable, false));
                assertEquals(Decision.FIRST_SEEN, store.record(RedisStoreTest.random(32), in60s()));
            }
        }

        /**
         * A failover behind a host name (a managed service's primary endpoint, whose DNS name moves to the promoted
         * replica): the old primary turns replica, and the store's connection, opened before, still reaches it and gets
         * READONLY for every write, while a new connection would reach the new primary. Here the name is a proxy whose
         * new connections go to the other server. The store stayed on the old primary: every request got 503, and the
         * health check said DOWN, until the application was restarted.
         */
        @Test
        void aPrimaryTurnedReplica_behindANameThatMovedToTheNewPrimary_isLeftForTheNewPrimary() throws Exception {
            Path primaryDir = Files.createDirectories(dir.resolve("primary"));
            Path otherDir = Files.createDirectories(dir.resolve("other"));
            // The old primary stops first: Redis 7 stops a primary only once its replicas have caught up, or 10 s later.
            try (RedisServer other = RedisServer.start(otherDir);
                    RedisServer server = RedisServer.start(primaryDir);
                    TcpProxy name = TcpProxy.to(server.port());
                    WebhookStore store = open("redis://127.0.0.1:" + name.port())) {
                assertTrue(store.isAvailable());

                assertEquals("OK", server.cli("REPLICAOF", "127.0.0.1", Integer.toString(other.port())));
                name.retarget(other.port());
                assertEquals(Decision.UNAVAILABLE, store.record(RedisStoreTest.random(32), in60s()), "the old primary refuses it");

                assertEquals(Decision.FIRST_SEEN, RedisFaultTest.decided(() -> store.record(RedisStoreTest.random(32), in60s()),
                        Decision.UNAVAILABLE), "a record, once the store has reached the new primary");
                assertTrue(store.isAvailable());
                assertEquals("1", other.cli("DBSIZE"), "the record, on the new primary");
            }
        }

        /**
         * The same failover, with a claim made on the old primary and replicated to the new one before it: the handler
         * failed, and its release met the old primary's READONLY. It was final, and the claim, on the new primary, held
         * the sender's retry off with 409 for the whole lease; the release is sent again once the store reaches it.
         */
        @Test
        void aReleaseThatTheOldPrimaryRefused_behindANameThatMovedToTheNewPrimary_isSentAgainThere() throws Exception {
            byte[] key = RedisStoreTest.random(32);
            byte[] token = RedisStoreTest.random(16);
            failover("d:", key, "the sender's retry gets 409 for the lease",
                    store -> assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60))),
                    store -> assertFalse(store.release(key, token), "the old primary refuses it"),
                    store -> assertEquals(Claim.FIRST, store.claim(key, RedisStoreTest.random(16), Duration.ofSeconds(60)),
                            "the sender's retry"));
        }

        /**
         * The same with replay protection: the handler failed, and the forget of its request's record met the old
         * primary's READONLY. It was final, and the record, on the new primary, had the sender's retry of the very same
         * request refused as a replay (401) for as long as the message was fresh; the forget is sent again there.
         */
        @Test
        void aForgetThatTheOldPrimaryRefused_behindANameThatMovedToTheNewPrimary_isSentAgainThere() throws Exception {
            byte[] key = RedisStoreTest.random(32);
            long expiresAt = in60s();
            failover("r:", key, "the sender's retry of the same request is refused as a replay",
                    store -> assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt)),
                    store -> store.forget(key),
                    store -> assertEquals(Decision.FIRST_SEEN, store.record(key.clone(), expiresAt), "the sender's retry"));
        }

        /**
         * A failover behind a name, as above, after {@code before} made the store's key of {@code kind} for {@code key}
         * on the old primary, replicated to the new one. {@code during} runs while the name leads to the new primary and
         * the store's connection still reaches the old one, turned replica, which must answer it READONLY; once the key
         * is gone from the new primary ({@code stillThere} says what it costs while it is not), {@code after} runs there.
         */
        void failover(String kind, byte[] key, String stillThere, StoreCall before, StoreCall during, StoreCall after)
                throws Exception {
            Path primaryDir = Files.createDirectories(dir.resolve("primary"));
            Path otherDir = Files.createDirectories(dir.resolve("other"));
            try (RedisServer other = RedisServer.start(otherDir);
                    RedisServer server = RedisServer.start(primaryDir, "--repl-diskless-sync-delay", "0");
                    TcpProxy name = TcpProxy.to(server.port());
                    WebhookStore store = open("redis://127.0.0.1:" + name.port())) {
                assertEquals("OK", other.cli("REPLICAOF", "127.0.0.1", Integer.toString(server.port())));
                String redisKey = PREFIX + kind + RedisStoreTest.hex(key);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!other.cli("INFO", "replication").contains("master_link_status:up")) {
                    assertTrue(System.nanoTime() < deadline, "the replica did not sync within 10 s");
                    Thread.sleep(10);
                }
                before.run(store);
                while (!"1".equals(other.cli("EXISTS", redisKey))) {
                    assertTrue(System.nanoTime() < deadline, "the key never reached the replica");
                    Thread.sleep(10);
                }

                // The failover: the replica is promoted, the old primary follows it, the name leads to the new one.
                assertEquals("OK", other.cli("REPLICAOF", "NO", "ONE"));
                assertEquals("OK", server.cli("REPLICAOF", "127.0.0.1", Integer.toString(other.port())));
                name.retarget(other.port());
                try (LogCapture log = LogCapture.of(RedisStore.class.getName()).level(Level.FINE)) {
                    during.run(store);
                    assertTrue(log.render().contains("Redis answered READONLY"), log.render());
                }

                while (!"0".equals(other.cli("EXISTS", redisKey))) {
                    assertTrue(System.nanoTime() < deadline, redisKey + " is still on the new primary: " + stillThere);
                    store.isAvailable(); // an answer, after which the store sends what it kept
                    Thread.sleep(10);
                }
                after.run(store);
            }
        }
    }

    /** A call on the store, in a test. */
    interface StoreCall {
        void run(WebhookStore store) throws Exception;
    }

    @Nested
    class LeavesNothing {

        /**
         * Redis counts every change to its data ({@code rdb_changes_since_last_save}): health checks make none, with
         * the probe key absent (nothing is created) or taken (its value and time to live stay); and they send nothing
         * to a replica ({@code master_repl_offset}, with the primary's own PING to its replicas put off for an hour).
         */
        @Test
        void healthChecks_changeNothing_andSendNothingToReplicas_whetherTheProbeKeyIsThereOrNot() throws Exception {
            Path primaryDir = Files.createDirectories(dir.resolve("primary"));
            Path replicaDir = Files.createDirectories(dir.resolve("replica"));
            // No wait for more replicas before the first sync (Redis 7's diskless sync waits 5 s by default).
            try (RedisServer server = RedisServer.start(primaryDir, "--repl-ping-replica-period", "3600",
                    "--repl-diskless-sync-delay", "0");
                    RedisServer replica = RedisServer.start(replicaDir, "--replicaof", "127.0.0.1", Integer.toString(server.port()));
                    WebhookStore store = open("redis://" + server.hostPort())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!replica.cli("INFO", "replication").contains("master_link_status:up")) {
                    assertTrue(System.nanoTime() < deadline, "the replica did not sync within 15 s");
                    Thread.sleep(50);
                }
                long before = info(server, "rdb_changes_since_last_save");
                long offset = info(server, "master_repl_offset");
                for (int i = 0; i < 5; i++) {
                    assertTrue(store.isAvailable());
                }
                assertEquals(before, info(server, "rdb_changes_since_last_save"));
                assertEquals(offset, info(server, "master_repl_offset"));
                assertEquals("0", server.cli("DBSIZE"));

                assertEquals("OK", server.cli("SET", PROBE_KEY, "someone's", "EX", "1000"));
                long taken = info(server, "rdb_changes_since_last_save");
                offset = info(server, "master_repl_offset");
                for (int i = 0; i < 5; i++) {
                    assertTrue(store.isAvailable());
                }
                assertEquals(taken, info(server, "rdb_changes_since_last_save"));
                assertEquals(offset, info(server, "master_repl_offset"));
                assertEquals("someone's", server.cli("GET", PROBE_KEY));
                long ttl = Long.parseLong(server.cli("TTL", PROBE_KEY));
                assertTrue(ttl > 990 && ttl <= 1000, "TTL " + ttl);
            }
        }

        /** An integer field of the server's INFO, read with redis-cli. */
        long info(RedisServer server, String field) throws Exception {
            Matcher m = Pattern.compile("(?m)^" + field + ":(\\d+)").matcher(server.cli("INFO"));
            assertTrue(m.find(), "INFO gives " + field);
            return Long.parseLong(m.group(1));
        }
    }
}
