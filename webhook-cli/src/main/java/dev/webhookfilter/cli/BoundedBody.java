package dev.webhookfilter.cli;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body that keeps its first {@value #LIMIT} bytes and counts, then drops, the rest: an
 * endpoint that answers without end cannot make {@code send} hold more. The deadline that stops an
 * endless body is the caller's. Thread-safe: the HTTP client delivers while the caller may read.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody> {

    /** How many bytes of a body are kept, and printed. */
    static final int LIMIT = 64 * 1024;

    private final CompletableFuture<BoundedBody> done = new CompletableFuture<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long received;
    private Flow.Subscription subscription;

    @Override
    public synchronized void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int length = buffer.remaining();
            byte[] keep = new byte[Math.min(length, LIMIT - kept.size())];
            buffer.get(keep);
            kept.write(keep, 0, keep.length);
            received += length;
        }
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        done.complete(this);
    }

    @Override
    public CompletionStage<BoundedBody> getBody() {
        return done;
    }

    /** Stops the delivery, which closes the connection; what arrived so far stays readable. */
    synchronized void cancel() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** The first {@value #LIMIT} bytes received, or fewer if fewer came. */
    synchronized byte[] kept() {
        return kept.toByteArray();
    }

    /** How many bytes were received in all, kept or not. */
    synchronized long received() {
        return received;
    }
}
