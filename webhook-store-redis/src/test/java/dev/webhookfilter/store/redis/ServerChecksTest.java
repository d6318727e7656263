package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.Readme;
import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.net.WrongServer;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code open} asks the server before it takes requests: a replica, or a Redis older than 6.2 (no
 * {@code SET ... EXAT}), is refused; an evicting {@code maxmemory-policy} gets one WARNING. Real redis-server
 * processes where one can show it, a RESP stand-in for what none here can be (an old version, a managed
 * service that refuses CONFIG).
 */
class ServerChecksTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final String PASSWORD = "s3cret";
    static final String LOGGER = RedisStoreProvider.class.getName();

    @TempDir
    Path dir;

    @Nested
    class EvictionPolicy {

        /** volatile-lru evicts keys with a TTL, which every key of the store has: a replay's record can go. */
        @Test
        void open_onAnEvictingPolicy_warnsOnce_namingIt_andNeverThePassword() throws Exception {
            try (RedisServer server = RedisServer.start(dir, "--maxmemory-policy", "volatile-lru", "--requirepass", PASSWORD);
                    LogCapture log = LogCapture.of(LOGGER)) {
                new RedisStoreProvider().open("redis://:" + PASSWORD + "@" + server.hostPort(), TIMEOUT, "wf:").close();
                List<String> warnings = log.messages(Level.WARNING);
                assertEquals(1, warnings.size(), warnings::toString);
                String warning = warnings.get(0);
                assertTrue(warning.startsWith("Redis store redis://" + server.hostPort() + " "), warning);
                assertTrue(warning.contains("maxmemory-policy volatile-lru"), warning);
                assertTrue(warning.contains("a replay can be accepted"), warning);
                assertTrue(warning.contains("set maxmemory-policy noeviction"), warning);
                assertFalse(log.render().contains(PASSWORD), log.render());
            }
        }

        @Test
        void open_onNoeviction_warnsNothing() throws Exception {
            try (RedisServer server = RedisServer.start(dir, "--maxmemory-policy", "noeviction");
                    LogCapture log = LogCapture.of(LOGGER)) {
                new RedisStoreProvider().open("redis://" + server.hostPort(), TIMEOUT, "wf:").close();
                assertEquals(List.of(), log.messages(Level.WARNING));
            }
        }

        /** A Redis whose INFO lacks maxmemory_policy (before 3.2): CONFIG GET answers instead. */
        @Test
        void open_whereInfoLacksThePolicy_asksConfigGet() throws Exception {
            try (WrongServer server = WrongServer.start(standIn(info("6.2.14", "master", null),
                    "*2\r\n" + bulk("maxmemory-policy") + bulk("allkeys-lru")));
                    LogCapture log = LogCapture.of(LOGGER)) {
                new RedisStoreProvider().open("redis://127.0.0.1:" + server.port(), TIMEOUT, "wf:").close();
                List<String> warnings = log.messages(Level.WARNING);
                assertEquals(1, warnings.size(), warnings::toString);
                assertTrue(warnings.get(0).contains("maxmemory-policy allkeys-lru"), warnings.get(0));
            }
        }

        /** Managed services often refuse CONFIG: with INFO silent too, open says nothing of the policy. */
        @Test
        void open_whereNeitherInfoNorConfigTellsThePolicy_opensAndWarnsNothing() throws Exception {
            try (WrongServer server = WrongServer.start(standIn(info("7.2.4", "master", null),
                    "-ERR unknown command 'CONFIG', with args beginning with: 'GET'\r\n"));
                    LogCapture log = LogCapture.of(LOGGER)) {
                new RedisStoreProvider().open("redis://127.0.0.1:" + server.port(), TIMEOUT, "wf:").close();
                assertEquals(List.of(), log.messages(Level.WARNING));
            }
        }
    }

    @Nested
    class Replica {

        /** A replica answers PING, and refuses every write (READONLY): each request would get 503. */
        @Test
        void open_onAReplica_isRefused_sayingToGiveThePrimary_andLeavesNoThread() throws Exception {
            Path primaryDir = Files.createDirectories(dir.resolve("primary"));
            Path replicaDir = Files.createDirectories(dir.resolve("replica"));
            try (RedisServer primary = RedisServer.start(primaryDir);
                    RedisServer replica = RedisServer.start(replicaDir, "--replicaof", "127.0.0.1", Integer.toString(primary.port()),
                            "--requirepass", PASSWORD)) {
                Set<Thread> before = Threads.running();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                        .open("redis://:" + PASSWORD + "@" + replica.hostPort(), TIMEOUT, "wf:").close());
                assertEquals("the Redis store redis://" + replica.hostPort()
                        + " is a replica (read-only); give the primary's address", e.getMessage());
                assertNull(e.getCause());
                Threads.assertNoneLeftSince(before, Duration.ofSeconds(10));
                // and the primary itself opens
                new RedisStoreProvider().open("redis://" + primary.hostPort(), TIMEOUT, "wf:").close();
            }
        }
    }

    @Nested
    class Version {

        /** SET ... EXAT came with Redis 6.2: on an older server every replay record fails, so open refuses it. */
        @Test
        void open_onRedisOlderThan6_2_isRefused_sayingWhichVersionItNeeds() throws Exception {
            try (WrongServer server = WrongServer.start(standIn(info("6.0.16", "master", "noeviction"), null))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                        .open("redis://:" + PASSWORD + "@127.0.0.1:" + server.port(), TIMEOUT, "wf:").close());
                assertEquals("the Redis store redis://127.0.0.1:" + server.port() + " runs Redis 6.0.16;"
                        + " the store needs Redis 6.2 or later (SET ... EXAT)", e.getMessage());
            }
        }

        @Test
        void open_onRedis6_2_opens() throws Exception {
            try (WrongServer server = WrongServer.start(standIn(info("6.2.0", "master", "noeviction"), null))) {
                WebhookStore store = new RedisStoreProvider().open("redis://127.0.0.1:" + server.port(), TIMEOUT, "wf:");
                store.close();
            }
        }
    }

    /** redis_version as servers write it, read without a server: none older than 6.2 can be started here. */
    @Nested
    class VersionTable {

        @ParameterizedTest(name = "{0}: older than 6.2 is {1}")
        @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
                2.8.24      | true
                5.0.7       | true
                6.0.16      | true
                6.0.0       | true
                6.1.9       | true
                6.2         | false
                6.2.0       | false
                6.2.14      | false
                7.0.15      | false
                7.2.4       | false
                8.0.2       | false
                10.0.0      | false
                6.10.1      | false
                5.99.99     | true
                6.0.9-rc1   | true
                7.0.0-rc1   | false
                255.255.255 | false
                NULL        | false
                ''          | false
                unknown     | false
                6           | false
                6.x.1       | false
                99999999999.0 | false
                """)
        void olderThanMinimum(String version, boolean older) {
            assertEquals(older, ServerChecks.olderThanMinimum(version));
        }

        @Test
        void field_readsTheValueOfItsOwnLineOnly() {
            String info = "# Server\r\nredis_version:7.0.15\r\nredis_version_extra:x\r\nrole_x:no\r\n"
                    + "# Replication\r\nrole:slave\r\nmaxmemory_policy:\r\n";
            assertEquals("7.0.15", ServerChecks.field(info, "redis_version"));
            assertEquals("slave", ServerChecks.field(info, "role"));
            assertNull(ServerChecks.field(info, "maxmemory_policy"), "an empty value says nothing");
            assertNull(ServerChecks.field(info, "redis_mode"));
            assertNull(ServerChecks.field(null, "role"));
        }
    }

    /**
     * An ACL user that may not run what the store sends (its scripts by EVALSHA and EVAL, on keys under the prefix):
     * open used to succeed, the health check answered PING, and every claim (or every call) was refused. open now runs
     * the release script once on a de-duplication key that cannot exist, and refuses such a user.
     */
    @Nested
    class Permissions {

        /** What README.md gives as the ACL the store needs, with the prefix {@code wf:}. */
        static final String README_ACL = "~wf:* +@connection +get +set +del +eval +evalsha +info";

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "no scripting                  | ~wf:* +@connection +get +set +del +info",
            "EVAL but not EVALSHA          | ~wf:* +@connection +get +set +del +eval +info",
            "the keys of another prefix    | ~other:* +@connection +get +set +del +eval +evalsha +info",
            "no SET                        | ~wf:* +@connection +get +del +eval +evalsha +info",
            "no DEL                        | ~wf:* +@connection +get +set +eval +evalsha +info",
        })
        void open_asAUserThatMayNotRunTheStoresCommands_isRefused_sayingWhatItNeeds(String what, String rules)
                throws Exception {
            try (RedisServer server = RedisServer.start(dir, "--requirepass", PASSWORD)) {
                addUser(server, "webhooks", "u-s3cret", rules);
                Set<Thread> before = Threads.running();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                        .open("redis://webhooks:u-s3cret@" + server.hostPort(), TIMEOUT, "wf:").close());
                assertEquals("the Redis store redis://" + server.hostPort() + " refuses the store's commands to the URI's"
                        + " user (NOPERM); give it at least: ~wf:* +@connection +get +set +del +eval +evalsha", e.getMessage());
                assertNull(e.getCause());
                Threads.assertNoneLeftSince(before, Duration.ofSeconds(10));
            }
        }

        @Test
        void open_asAUserWithTheReadmesAcl_opensAndDecides() throws Exception {
            assertTrue(Readme.text().contains(README_ACL.replace("wf:", "<prefix>")),
                    "README.md must give the ACL: " + README_ACL.replace("wf:", "<prefix>"));
            try (RedisServer server = RedisServer.start(dir, "--requirepass", PASSWORD)) {
                addUser(server, "webhooks", "u-s3cret", README_ACL);
                byte[] key = RedisStoreTest.random(32);
                try (LogCapture log = LogCapture.of(RedisStore.class.getName());
                        WebhookStore store = new RedisStoreProvider().open("redis://webhooks:u-s3cret@" + server.hostPort(),
                                TIMEOUT, "wf:")) {
                    byte[] token = RedisStoreTest.random(16);
                    assertEquals(Decision.FIRST_SEEN, store.record(key, java.time.Instant.now().getEpochSecond() + 60));
                    assertEquals(Decision.REPLAYED, store.record(key.clone(), java.time.Instant.now().getEpochSecond() + 60));
                    store.forget(key);
                    assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
                    assertTrue(store.release(key, token));
                    assertEquals(Claim.FIRST, store.claim(key, token, Duration.ofSeconds(60)));
                    assertTrue(store.complete(key, token, Duration.ofSeconds(60)));
                    assertTrue(store.isAvailable());
                    assertEquals(List.of(), log.messages(Level.WARNING));
                }
                // open's check wrote nothing: the one key is the completed claim's
                assertEquals("wf:d:" + RedisStoreTest.hex(key),
                        server.cli("--no-auth-warning", "-a", PASSWORD, "--scan", "--pattern", "*"));
            }
        }

    }

    /**
     * {@code ACL SETUSER user on >password rules...} on a server started with {@code --requirepass} {@value #PASSWORD};
     * also how a test changes a user's rules while a store is connected as it.
     */
    static void addUser(RedisServer server, String user, String password, String rules) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("--no-auth-warning", "-a", PASSWORD,
                "ACL", "SETUSER", user, "on", ">" + password));
        command.addAll(List.of(rules.split(" ")));
        assertEquals("OK", server.cli(command.toArray(new String[0])));
    }

    @Nested
    class ClusterForm {

        /**
         * The cluster form at a server outside a cluster: open failed at once, as it should, but said the server
         * "cannot be reached, or does not answer as Redis does". It says the server is not a cluster, and what to use.
         */
        @Test
        void open_clusterUriAtAServerOutsideACluster_saysToGiveItAsOneServer() throws Exception {
            try (RedisServer server = RedisServer.start(dir, "--requirepass", PASSWORD)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                        .open("redis-cluster://:" + PASSWORD + "@" + server.hostPort(), TIMEOUT, "wf:").close());
                assertEquals("the Redis store redis-cluster://" + server.hostPort() + " is not a Redis Cluster: its server"
                        + " answers that cluster support is disabled; for one server, use redis://" + server.hostPort(),
                        e.getMessage());
                assertNull(e.getCause());
            }
        }
    }

    @Test
    void readme_namesTheOldestRedisTheStoreTakes() {
        String needs = "needs Redis " + ServerChecks.MIN_MAJOR + "." + ServerChecks.MIN_MINOR + " or later";
        assertTrue(Readme.text().contains(needs), "README.md must say: " + needs);
    }

    /**
     * A RESP stand-in for a Redis server: PONG to PING, {@code info} to INFO, {@code config} (if not null) to CONFIG,
     * 1 to the health check's script and 0 to open's trial of the release script (EVALSHA).
     */
    static WrongServer.Answer standIn(String info, String config) {
        return RedisWrongServerTest.answering(command -> {
            switch (command.get(0).toUpperCase(java.util.Locale.ROOT)) {
                case "PING":
                    return "+PONG\r\n";
                case "INFO":
                    return bulk(info);
                case "CONFIG":
                    return config == null ? "-ERR not here\r\n" : config;
                case "EVALSHA":
                    // the health check: 1; open's trial of the release script: no key, nothing released
                    return command.get(1).equals(RedisStore.Script.sha1Hex(RedisStore.HEALTH)) ? ":1\r\n" : ":0\r\n";
                default:
                    return null;
            }
        });
    }

    /** An INFO reply as Redis writes it, with only the fields the store reads; {@code policy} left out if null. */
    static String info(String version, String role, String policy) {
        return "# Server\r\nredis_version:" + version + "\r\nredis_mode:standalone\r\n\r\n"
                + "# Memory\r\nused_memory:1000000\r\n" + (policy == null ? "" : "maxmemory_policy:" + policy + "\r\n") + "\r\n"
                + "# Replication\r\nrole:" + role + "\r\nconnected_slaves:0\r\n";
    }

    static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }
}
