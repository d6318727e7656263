package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing store URIs, without a server. */
class RedisTargetTest {

    @Nested
    class Accepts {

        @Test
        void hostAlone_defaultsToPort6379AndDatabase0() {
            RedisTarget t = RedisTarget.parse("redis://cache.internal");
            assertFalse(t.cluster);
            assertFalse(t.tls);
            assertEquals("cache.internal", t.nodes.get(0).host);
            assertEquals(6379, t.nodes.get(0).port);
            assertEquals(0, t.database);
            assertNull(t.user);
            assertNull(t.password);
            assertEquals("redis://cache.internal:6379", t.describe());
        }

        @Test
        void tlsWithUserPasswordPortAndDatabase() {
            RedisTarget t = RedisTarget.parse("  rediss://app:p%40ss%3Aw0rd+x@cache:6380/2 ");
            assertTrue(t.tls);
            assertEquals("app", t.user);
            assertArrayEquals("p@ss:w0rd+x".toCharArray(), t.password);
            assertEquals(6380, t.nodes.get(0).port);
            assertEquals(2, t.database);
            assertEquals("rediss://cache:6380/2", t.describe());
        }

        @Test
        void aPasswordAloneWithOrWithoutTheColon() {
            assertArrayEquals("pw".toCharArray(), RedisTarget.parse("redis://:pw@h").password);
            assertArrayEquals("pw".toCharArray(), RedisTarget.parse("redis://pw@h").password);
            assertNull(RedisTarget.parse("redis://:pw@h").user);
        }

        /** Percent-encoded UTF-8, as RFC 3986 has it: é is %C3%A9. */
        @Test
        void aPercentEncodedUtf8Password() {
            assertArrayEquals("caf\u00e9".toCharArray(), RedisTarget.parse("redis://:caf%C3%A9@h").password);
        }

        @Test
        void anAtSignInThePasswordUnencoded_theLastAtEndsTheUserInfo() {
            RedisTarget t = RedisTarget.parse("redis://:a@b@h:1");
            assertArrayEquals("a@b".toCharArray(), t.password);
            assertEquals("h", t.nodes.get(0).host);
        }

        @Test
        void clusterSeeds() {
            RedisTarget t = RedisTarget.parse("redis-cluster://:pw@10.0.0.1:7000,10.0.0.2:7001, 10.0.0.3");
            assertTrue(t.cluster);
            assertFalse(t.tls);
            assertEquals(3, t.nodes.size());
            assertEquals(6379, t.nodes.get(2).port);
            assertEquals("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:6379", t.describe());
            assertTrue(RedisTarget.parse("rediss-cluster://h:1").tls);
        }

        @Test
        void ipv6Hosts() {
            RedisTarget t = RedisTarget.parse("redis://[::1]:6390");
            assertEquals("::1", t.nodes.get(0).host);
            assertEquals(6390, t.nodes.get(0).port);
            assertEquals("redis://[::1]:6390", t.describe());
            assertEquals(6379, RedisTarget.parse("redis://[::1]").nodes.get(0).port);
        }

        @ParameterizedTest
        @ValueSource(strings = {"redis://h", "REDIS://h", "rediss://h", "redis-cluster://h:1", "Rediss-Cluster://h:1"})
        void supportsTheFourSchemes(String uri) {
            assertTrue(RedisTarget.supports(uri));
        }

        @ParameterizedTest
        @ValueSource(strings = {"memory", "redis:/h", "redis-sentinel://h", "jdbc:postgresql://h/db", "http://h"})
        void supportsNothingElse(String uri) {
            assertFalse(RedisTarget.supports(uri));
        }
    }

    @Nested
    class Rejects {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "redis://:hunter2@h:0                 | port",
            "redis://:hunter2@h:65536             | port",
            "redis://:hunter2@h:abc               | port",
            "redis://:hunter2@h:                  | port",
            "redis://:hunter2@:6379               | lacks a host",
            "redis://:hunter2@                    | lacks a host",
            "redis://:hunter2@h1:1,h2:2           | names one host",
            "redis://:hunter2@h/x                 | database",
            "redis://:hunter2@h/-1                | database",
            "redis://:hunter2@h/99999999999       | database",
            "redis://:hunter2@h?ssl=true          | no query",
            "redis-cluster://:hunter2@h:1/0       | no database",
            "redis-cluster://:hunter2@h:1,,h:2    | lacks a host",
            "redis://:hunter2@[::1                | unclosed",
            "redis://:hunter2@[::1]x              | after an IPv6 host",
            "redis://:hunt%zer2@h                 | percent-encode",
            "redis://:hunter2%E9@h                | not UTF-8",
            "redis://hunter2%FF:pw@h              | not UTF-8",
            "redis://:hunter2%C3@h                | not UTF-8",
            "redis://hunter2user:@h               | no password",
            "redis://default:hunter2              | port",
            "redis://default:hunter2              | @host must follow",
            "redis://:hunter2                     | lacks a host",
            "redis://:hunter2                     | @host must follow",
            "redis://hunter2!                     | not a host name",
            "redis://:x@hunter2!                  | not a host name",
            "redis://:x@[::1]hunter2              | only :port may follow",
        })
        void malformedUris_sayingWhy_withoutThePassword(String uri, String why) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse(uri));
            assertTrue(e.getMessage().contains(why), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertFalse(e.getMessage().contains("hunt%zer2"), e.getMessage());
        }

        @Test
        void aBadPort_namesItsHost_onlyAfterAnAt() {
            assertEquals("the redis-cluster:// store URI's port for b must be a number from 1 to 65535",
                    assertThrows(IllegalArgumentException.class,
                            () -> RedisTarget.parse("redis-cluster://:pw@a:1,b:x")).getMessage());
            // Without the @, "b" may be a user name: user and password never appear in a message.
            assertEquals("the redis:// store URI's port must be a number from 1 to 65535"
                            + " (if user:password came first, @host must follow it)",
                    assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("redis://b:x")).getMessage());
        }

        @Test
        void anotherScheme() {
            assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse("memcached://h"));
            assertThrows(IllegalArgumentException.class, () -> RedisTarget.parse(null));
        }
    }
}
