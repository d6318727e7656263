package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.Deduplicator.Claim;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
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
}
