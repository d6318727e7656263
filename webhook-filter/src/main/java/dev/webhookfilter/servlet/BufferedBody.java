package dev.webhookfilter.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A request body read once into memory, {@code bytes[0, length)}, or why it was not: the one place that
 * enforces {@code maxBodyBytes} and the buffer budget, whether the body is declared by Content-Length or
 * chunked, and that turns a failed read into a result instead of an exception.
 *
 * <p>The buffer grows with the bytes that actually arrive, never from {@code Content-Length} alone: a
 * client that declares a megabyte and sends nothing holds a few kilobytes, not a megabyte. Every
 * growth is first taken from the filter's {@link BodyBudget}; {@link #release()} gives it back.
 */
final class BufferedBody {

    /** The first buffer holds at most this much; it doubles as bytes arrive, up to the body's size. */
    static final int INITIAL_CAPACITY = 8192;

    /** Opens the body's stream; called only once the declared length is known to be within the limit. */
    interface Source {
        InputStream open() throws IOException;
    }

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(BufferedBody.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The body when {@link #isComplete()}; null otherwise. */
    final byte[] bytes;
    final int length;
    private final FilterRejection refusal;
    private final String detail;
    private final BodyBudget budget;
    private final long taken;
    /** 1 once the bytes were given back; read and set through {@link #RELEASED}. */
    @SuppressWarnings("unused")
    private volatile int released;

    private BufferedBody(byte[] bytes, int length, FilterRejection refusal, String detail, BodyBudget budget,
                         long taken) {
        this.bytes = bytes;
        this.length = length;
        this.refusal = refusal;
        this.detail = detail;
        this.budget = budget;
        this.taken = taken;
    }

    /**
     * Reads the whole body, or finds why it cannot be had. Never throws for anything the client does.
     *
     * @param declaredLength the request's Content-Length, or -1 when unknown (chunked)
     * @param source opens the body's stream; not called when the declared length is over the limit or
     *        the budget cannot hold the first buffer
     * @param limit the most bytes a body may have
     * @param budget what the buffer's capacity is taken from
     * @return the complete body; or, holding nothing, {@code BODY_TOO_LARGE} when more than {@code limit}
     *         bytes are declared or arrive, {@code BUSY} when the budget runs out (before anything is read
     *         when it cannot even hold the first buffer), {@code BODY_INCOMPLETE} when the stream ends before
     *         the declared length or reading fails (client gone, timeout)
     */
    static BufferedBody read(long declaredLength, Source source, int limit, BodyBudget budget) {
        if (declaredLength > limit) {
            return refused(FilterRejection.BODY_TOO_LARGE, "Content-Length " + declaredLength
                    + " exceeds the limit of " + limit + " bytes");
        }
        // The most bytes held: the declared length, or one past the limit to notice a chunked body over it.
        long end = declaredLength >= 0 ? declaredLength : (long) limit + 1;
        int capacity = (int) Math.min(end, INITIAL_CAPACITY);
        if (!budget.tryTake(capacity)) {
            return busy(budget);
        }
        long taken = capacity;
        try {
            InputStream in = source.open();
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
                        return busy(budget);
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
                budget.giveBack(taken);
                return refused(FilterRejection.BODY_INCOMPLETE, "the body ended after " + length + " of "
                        + declaredLength + " bytes");
            }
            if (length > limit) {
                budget.giveBack(taken);
                return refused(FilterRejection.BODY_TOO_LARGE, "the body exceeds the limit of " + limit + " bytes");
            }
            return new BufferedBody(bytes, length, null, null, budget, taken);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: the container's getInputStream after getReader, or a closed request.
            budget.giveBack(taken);
            return refused(FilterRejection.BODY_INCOMPLETE, "reading the body failed: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            budget.giveBack(taken);
            throw e;
        }
    }

    private static BufferedBody busy(BodyBudget budget) {
        return refused(FilterRejection.BUSY, "the bodies in flight fill maxBufferedBytes (" + budget.limit() + " bytes)");
    }

    private static BufferedBody refused(FilterRejection refusal, String detail) {
        return new BufferedBody(null, 0, refusal, detail, null, 0);
    }

    /** {@return true when the whole body is in {@link #bytes}} */
    boolean isComplete() {
        return refusal == null;
    }

    /** {@return why the body is not complete: {@code BODY_TOO_LARGE}, {@code BUSY} or {@code BODY_INCOMPLETE}; null when it is} */
    FilterRejection refusal() {
        return refusal;
    }

    /** {@return a sentence for the DEBUG log saying why, quoting no byte of the body; null when complete} */
    String detail() {
        return detail;
    }

    /** Gives the buffer's capacity back to the budget; later calls do nothing. */
    void release() {
        if (budget != null && RELEASED.compareAndSet(this, 0, 1)) {
            budget.giveBack(taken);
        }
    }
}
