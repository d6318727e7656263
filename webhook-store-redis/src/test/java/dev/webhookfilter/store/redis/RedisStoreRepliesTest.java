package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
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

/**
 * Answers no Redis gives (our scripts always answer an integer), from a server that only says it is Redis: the
 * store takes them as "cannot decide", never throws. No server runs here: the commands are a stand-in that answers
 * every script with nil.
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
