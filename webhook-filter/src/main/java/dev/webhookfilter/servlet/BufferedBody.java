package dev.webhookfilter.servlet;

import dev.webhookfilter.Rejection;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A request body read once into memory, {@code bytes[0, length)}, or the reason it was not.
 *
 * <p>The buffer grows with the bytes that actually arrive, never from {@code Content-Length} alone: a
 * client that declares a megabyte and sends nothing holds a few kilobytes, not a megabyte. Every
 * growth is first taken from the filter's {@link BodyBudget}; {@link #release()} gives it back.
 */
final class BufferedBody {

    /** The first buffer holds at most this much; it doubles as bytes arrive, up to the body's size. */
    static final int INITIAL_CAPACITY = 8192;

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(BufferedBody.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] bytes;
    final int length;
    /** Null when the body was read in full; otherwise {@code BODY_TOO_LARGE} or {@code BUSY}. */
    final Rejection problem;
    private final BodyBudget budget;
    private final long taken;
    /** 1 once the bytes were given back; read and set through {@link #RELEASED}. */
    @SuppressWarnings("unused")
    private volatile int released;

    private BufferedBody(byte[] bytes, int length, Rejection problem, BodyBudget budget, long taken) {
        this.bytes = bytes;
        this.length = length;
        this.problem = problem;
        this.budget = budget;
        this.taken = taken;
    }

    /**
     * Reads the whole body.
     *
     * @param declaredLength the request's Content-Length, already checked to be at most {@code limit},
     *        or -1 when unknown (chunked)
     * @param limit the most bytes a body may have
     * @param budget what the buffer's capacity is taken from
     * @return the body; or, with nothing held, {@code BODY_TOO_LARGE} if more than {@code limit} bytes
     *         arrive, {@code BUSY} if the budget runs out (before anything is read when it cannot even
     *         hold the first buffer)
     * @throws EOFException if the stream ends before {@code declaredLength} bytes
     * @throws IOException if reading fails (client gone, timeout)
     */
    static BufferedBody read(InputStream in, long declaredLength, int limit, BodyBudget budget) throws IOException {
        // The most bytes held: the declared length, or one past the limit to notice a chunked body over it.
        long end = declaredLength >= 0 ? declaredLength : (long) limit + 1;
        int capacity = (int) Math.min(end, INITIAL_CAPACITY);
        if (!budget.tryTake(capacity)) {
            return refused(Rejection.BUSY);
        }
        long taken = capacity;
        try {
            byte[] bytes = new byte[capacity];
            int length = 0;
            while (true) {
                if (length == bytes.length) {
                    if (length == end) {
                        break;
                    }
                    int grown = (int) Math.min((long) bytes.length * 2, end);
                    if (!budget.tryTake(grown - bytes.length)) {
                        budget.giveBack(taken);
                        return refused(Rejection.BUSY);
                    }
                    taken += grown - bytes.length;
                    bytes = Arrays.copyOf(bytes, grown);
                }
                int n = in.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
            if (length < declaredLength) {
                throw new EOFException("the body ended after " + length + " of " + declaredLength + " bytes");
            }
            if (length > limit) {
                budget.giveBack(taken);
                return refused(Rejection.BODY_TOO_LARGE);
            }
            return new BufferedBody(bytes, length, null, budget, taken);
        } catch (IOException | RuntimeException e) {
            budget.giveBack(taken);
            throw e;
        }
    }

    private static BufferedBody refused(Rejection problem) {
        return new BufferedBody(null, 0, problem, null, 0);
    }

    /** Gives the buffer's capacity back to the budget; later calls do nothing. */
    void release() {
        if (budget != null && RELEASED.compareAndSet(this, 0, 1)) {
            budget.giveBack(taken);
        }
    }
}
