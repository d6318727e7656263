package dev.webhookfilter.servlet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that the buffered bodies of one filter's requests in flight may hold together
 * ({@code maxBufferedBytes}). A body takes its buffer's capacity from the budget as the buffer grows
 * with what arrives, and gives it back when its request is done; past the budget, requests are refused
 * with 503 rather than the heap running out. Thread-safe, lock-free.
 */
final class BodyBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit; true when taken. */
    boolean tryTake(long bytes) {
        long current;
        do {
            current = used.get();
            if (bytes > limit - current) {
                return false;
            }
        } while (!used.compareAndSet(current, current + bytes));
        return true;
    }

    /** Gives back bytes taken with {@link #tryTake}. */
    void giveBack(long bytes) {
        used.addAndGet(-bytes);
    }

    /** {@return the bytes taken now} */
    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
