package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    /** Records what the subscriber asked for. */
    private static final class Subscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private static ByteBuffer bytes(int count, char c) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) c);
        return ByteBuffer.wrap(bytes);
    }

    @Test
    void keepsUpToTheLimitAndCountsTheRest() throws Exception {
        BoundedBody body = new BoundedBody();
        Subscription subscription = new Subscription();
        body.onSubscribe(subscription);

        body.onNext(List.of(bytes(65_000, 'a'), bytes(1_000, 'b')));
        body.onNext(List.of(bytes(10, 'c')));
        body.onComplete();

        assertEquals(Long.MAX_VALUE, subscription.requested, "asks for everything, to drop it as it comes");
        byte[] kept = body.kept();
        assertEquals(65_536, kept.length);
        assertEquals('a', kept[64_999]);
        assertEquals('b', kept[65_000]);
        assertEquals('b', kept[65_535]);
        assertEquals(66_010, body.received());
        assertSame(body, body.getBody().toCompletableFuture().get());
    }

    @Test
    void keepsAShortBodyWhole() {
        BoundedBody body = new BoundedBody();
        body.onSubscribe(new Subscription());

        body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));

        assertArrayEquals(new byte[] {1, 2, 3}, body.kept());
        assertEquals(3, body.received());
        assertFalse(body.getBody().toCompletableFuture().isDone());
    }

    @Test
    void cancel_cancelsTheSubscriptionAndKeepsWhatArrived() {
        BoundedBody body = new BoundedBody();
        Subscription subscription = new Subscription();
        body.onSubscribe(subscription);
        body.onNext(List.of(bytes(5, 'x')));

        body.cancel();

        assertTrue(subscription.cancelled);
        assertEquals(5, body.kept().length);
    }

    @Test
    void cancel_beforeSubscription_doesNothing() {
        new BoundedBody().cancel();
    }

    @Test
    void onError_failsTheBody() {
        BoundedBody body = new BoundedBody();
        IOException error = new IOException("reset");

        body.onError(error);

        ExecutionException e = assertThrows(ExecutionException.class, () -> body.getBody().toCompletableFuture().get());
        assertSame(error, e.getCause());
    }
}
