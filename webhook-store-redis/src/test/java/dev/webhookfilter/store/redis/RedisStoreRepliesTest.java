package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.internal.ExceptionFactory;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answers no Redis gives (our scripts always answer an integer), from a server that only says it is Redis: the
 * store takes them as "cannot decide", never throws; and which of Redis's error replies to a drop have it sent again.
 * No server runs here: the commands are a stand-in that answers as each test says.
 */
class RedisStoreRepliesTest {

    @Test
    void aClaimAnsweredWithNil_isUnavailable_andItsClaimIsDropped() {
        AtomicInteger scripts = new AtomicInteger();
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<byte[], byte[]> nil = (RedisClusterAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(
                RedisClusterAsyncCommands.class.getClassLoader(), new Class<?>[] {RedisClusterAsyncCommands.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("evalsha")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    scripts.incrementAndGet();
                    AsyncCommand<byte[], byte[], Long> answer = new AsyncCommand<>(
                            new Command<>(CommandType.EVALSHA, new IntegerOutput<>(ByteArrayCodec.INSTANCE)));
                    answer.complete(); // its output never set: nil
                    return answer;
                });
        AtomicInteger resyncs = new AtomicInteger();
        RedisStore store = new RedisStore(nil, List::of, key -> resyncs.incrementAndGet(), () -> { }, Duration.ofSeconds(1),
                "webhook-filter:", "stand-in");

        assertEquals(Claim.UNAVAILABLE, store.claim(new byte[32], new byte[16], Duration.ofSeconds(60)));
        assertEquals(2, scripts.get(), "the claim, then the release of a claim that may have been made");
        assertEquals(1, resyncs.get(), "a reply of the wrong kind has the connection closed: it may be out of step");
    }

    /**
     * A claim whose answer was lost is dropped again; a drop that Redis answers with an error that means "not now" is
     * sent again once Redis answers. It was dropped for good, as the final ones are, and the sender's retry could get
     * 409 for the lease: on Redis Cluster, drops kept for a restarting master are sent again while it loads, after the
     * other masters' answers. The errors are Lettuce's own, made by the factory it makes them with from Redis's reply,
     * as redis-server 7.0.15 answers them: LOADING just after a restart with data; BUSY while another client's script
     * loops past {@code busy-reply-threshold}; MASTERDOWN from a replica with {@code replica-serve-stale-data no} whose
     * master is gone; NOREPLICAS to the release script's DEL on a master with {@code min-replicas-to-write 1} and no
     * replica; MISCONF to a script's DEL once a save with save points set has failed; NOPERM, WRONGTYPE and READONLY to
     * redis-cli; TRYAGAIN and CLUSTERDOWN as Redis 7.0's
     * {@code src/cluster.c} writes them. READONLY means "not now" too: a primary turned replica by a failover answers it,
     * the store has that connection closed, and the new one may reach the new primary (RedisHealthTest.Failover).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "LOADING Redis is loading the dataset in memory | true",
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE. | true",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'. | true",
        "NOREPLICAS Not enough good replicas to write. script: 7573f1a7737651d214b1d0fe8be55aeb3e8cccef, on @user_script:2. | true",
        "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error. script: e212a91aa9756e471f2c4b7c088d396d70748b11, on @user_script:1. | true",
        "TRYAGAIN Multiple keys request during rehashing of slot | true",
        "CLUSTERDOWN Hash slot not served | true",
        "NOPERM this user has no permissions to run the 'evalsha' command | false",
        "WRONGTYPE Operation against a key holding the wrong kind of value | false",
        "READONLY You can't write against a read only replica. | true",
    })
    void aDropAnsweredWithAnError_isSentAgainOnceRedisAnswers_onlyIfTheErrorMeansNotNow(String error, boolean again) {
        AtomicInteger scripts = new AtomicInteger();
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(
                RedisClusterAsyncCommands.class.getClassLoader(), new Class<?>[] {RedisClusterAsyncCommands.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("evalsha")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    AsyncCommand<byte[], byte[], Long> answer = new AsyncCommand<>(
                            new Command<>(CommandType.EVALSHA, new IntegerOutput<>(ByteArrayCodec.INSTANCE)));
                    switch (scripts.incrementAndGet()) {
                        case 1: // the claim: nil, so that its drop is sent
                            answer.complete();
                            break;
                        case 2: // the drop
                            answer.completeExceptionally(ExceptionFactory.createExecutionException(error));
                            break;
                        default: // another key's release, and the drop sent again
                            answer.getOutput().set(0L);
                            answer.complete();
                    }
                    return answer;
                });
        RedisStore store = new RedisStore(commands, List::of, key -> { }, () -> { }, Duration.ofSeconds(1),
                "webhook-filter:", "stand-in");

        assertEquals(Claim.UNAVAILABLE, store.claim(new byte[32], new byte[16], Duration.ofSeconds(60)));
        assertEquals(2, scripts.get(), "the claim, then the drop of a claim that may have been made");
        assertFalse(store.release(new byte[32], new byte[16]));
        assertEquals(again ? 4 : 3, scripts.get(), again ? "the drop was not sent again after the next answer"
                : "a drop that can never succeed was sent again");
    }

    /**
     * A SET NX that finds the key answers late, and the GET that tells this call's record from a replay's never
     * answers: the record waits the store's timeout in all, not once for each command.
     */
    @Test
    void aRecordWhoseSetAnswersLate_waitsTheTimeoutInAll_notOnceMoreForTheGet() {
        Duration timeout = Duration.ofSeconds(1);
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<byte[], byte[]> slow = (RedisClusterAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(
                RedisClusterAsyncCommands.class.getClassLoader(), new Class<?>[] {RedisClusterAsyncCommands.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "set": // nil, the key is taken, 0.9 s late
                            AsyncCommand<byte[], byte[], String> nil = new AsyncCommand<>(
                                    new Command<>(CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE)));
                            CompletableFuture.delayedExecutor(900, TimeUnit.MILLISECONDS).execute(nil::complete);
                            return nil;
                        case "get": // never answered
                            return new AsyncCommand<>(new Command<>(CommandType.GET, new ValueOutput<>(ByteArrayCodec.INSTANCE)));
                        case "evalsha": // the drop of a record that may be this call's: not waited for
                            return new AsyncCommand<>(new Command<>(CommandType.EVALSHA, new IntegerOutput<>(ByteArrayCodec.INSTANCE)));
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        RedisStore store = new RedisStore(slow, List::of, key -> { }, () -> { }, timeout, "webhook-filter:", "stand-in");

        long start = System.nanoTime();
        assertEquals(Decision.UNAVAILABLE, store.record(new byte[32], Long.MAX_VALUE));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 1500, "the record took " + millis + " ms with a timeout of 1000 ms");
    }
}
