package dev.webhookfilter.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A request body read once into memory, or why it was not: the one place that enforces
 * {@code maxBodyBytes} and the buffer budget, whether the body is declared by Content-Length or chunked,
 * and that turns a failed read into a result instead of an exception.
 *
 * <p>The buffer grows with the bytes that actually arrive, never from {@code Content-Length} alone: a
 * client that declares a megabyte and sends nothing holds a few kilobytes, not a megabyte. It grows by
 * adding a chunk as large as all before it, so that nothing read is ever copied again: a body of up to
 * {@link #INITIAL_CAPACITY} bytes, or one whose length was declared at most that, is one chunk; a larger
 * one is several ({@link #chunks()}), which the MAC and the application read in turn. Every chunk is
 * first taken from the filter's {@link BodyBudget}; {@link #release()} gives it back.
 */
final class BufferedBody {

    /** The first chunk holds at most this much; each next one doubles the capacity, up to the body's size. */
    static final int INITIAL_CAPACITY = 8192;

    /**
     * Opens the body's stream from what holds it (the filter passes {@code ServletRequest::getInputStream},
     * which captures nothing, so no object is made for it per request); called only once the declared
     * length is known to be within the limit.
     */
    interface Source<T> {
        InputStream open(T from) throws IOException;
    }

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(BufferedBody.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte[][] NONE = new byte[0][];

    /** The body's chunks when {@link #isComplete()}, each full but the last; none otherwise. */
    private final byte[][] chunks;
    /** The body's length in bytes. */
    final int length;
    private final FilterRejection refusal;
    private final String detail;
    private final BodyBudget budget;
    private final long taken;
    /**
     * What {@link #holdMore} took from the budget besides the buffer, for a form's decoded parameters, and those
     * parameters; a lent body's is its lender's. Null for any other body.
     */
    private FormRoom form;
    /** 1 once the bytes were given back; read and set through {@link #RELEASED}. */
    @SuppressWarnings("unused")
    private volatile int released;

    private BufferedBody(byte[][] chunks, int length, FilterRejection refusal, String detail, BodyBudget budget,
                         long taken) {
        this.chunks = chunks;
        this.length = length;
        this.refusal = refusal;
        this.detail = detail;
        this.budget = budget;
        this.taken = taken;
    }

    /**
     * Reads the whole body, or finds why it cannot be had. Never throws for anything the client does; whatever
     * else is thrown meanwhile (a container's unchecked exception, an {@link OutOfMemoryError}) goes on with what
     * was taken from the budget given back.
     *
     * @param declaredLength the request's Content-Length, or -1 when unknown (chunked)
     * @param from what holds the body, such as the request
     * @param source opens the body's stream from {@code from}; not called when the declared length is over
     *        the limit or the budget cannot hold the first buffer
     * @param limit the most bytes a body may have
     * @param budget what the buffer's capacity is taken from
     * @return the complete body; or, holding nothing, {@code BODY_TOO_LARGE} when more than {@code limit}
     *         bytes are declared or arrive, {@code BUSY} when the budget runs out (before anything is read
     *         when it cannot even hold the first buffer), {@code BODY_INCOMPLETE} when the stream ends before
     *         the declared length or reading fails (client gone, timeout)
     */
    static <T> BufferedBody read(long declaredLength, T from, Source<T> source, int limit, BodyBudget budget) {
        if (declaredLength > limit) {
            return refused(FilterRejection.BODY_TOO_LARGE, "Content-Length " + declaredLength
                    + " exceeds the limit of " + limit + " bytes");
        }
        // The most bytes held: the declared length, or the limit for a chunked body. A body may take the
        // whole budget (maxBufferedBytes is at least maxBodyBytes), so one byte past the limit is read
        // on its own, into no buffer, to notice a chunked body over it.
        long end = declaredLength >= 0 ? declaredLength : limit;
        int capacity = (int) Math.min(end, INITIAL_CAPACITY);
        if (!budget.tryTake(capacity)) {
            return busy(budget);
        }
        long taken = capacity;
        try {
            InputStream in = source.open(from);
            byte[] chunk = new byte[capacity];
            // A declared length says how many chunks there will be; a chunked body's table grows with them.
            byte[][] chunks = new byte[declaredLength >= 0 ? chunkCount(end) : 1][];
            chunks[0] = chunk;
            int count = 1;
            int filled = 0;
            int length = 0;
            while (true) {
                if (filled == chunk.length) {
                    if (taken == end) {
                        if (declaredLength < 0 && in.read() >= 0) {
                            length++; // over the limit
                        }
                        break;
                    }
                    int next = (int) Math.min(taken, end - taken);
                    if (!budget.tryTake(next)) {
                        budget.giveBack(taken);
                        return busy(budget);
                    }
                    taken += next;
                    chunk = new byte[next];
                    if (count == chunks.length) {
                        chunks = Arrays.copyOf(chunks, count * 2);
                    }
                    chunks[count++] = chunk;
                    filled = 0;
                }
                int n = in.read(chunk, filled, chunk.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
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
            return new BufferedBody(count == chunks.length ? chunks : Arrays.copyOf(chunks, count), length, null, null,
                    budget, taken);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: the container's getInputStream after getReader, or a closed request.
            budget.giveBack(taken);
            return refused(FilterRejection.BODY_INCOMPLETE, "reading the body failed: " + e.getClass().getSimpleName());
        } catch (Throwable e) {
            // Anything else goes on to the container, the room given back: an OutOfMemoryError as a chunk is
            // allocated too, which a server survives, where a budget that kept the room would refuse every body.
            budget.giveBack(taken);
            throw e;
        }
    }

    /**
     * {@return how many chunks hold {@code end} bytes: the first of at most {@link #INITIAL_CAPACITY}, each
     * next as large as all before it}
     */
    static int chunkCount(long end) {
        int count = 1;
        for (long held = Math.min(end, INITIAL_CAPACITY); held < end; held += Math.min(held, end - held)) {
            count++;
        }
        return count;
    }

    private static BufferedBody busy(BodyBudget budget) {
        return refused(FilterRejection.BUSY, "the bodies in flight fill maxBufferedBytes (" + budget.limit() + " bytes)");
    }

    private static BufferedBody refused(FilterRejection refusal, String detail) {
        return new BufferedBody(NONE, 0, refusal, detail, null, 0);
    }

    /** {@return true when the whole body was read} */
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

    /** {@return how many chunks hold the body: 1 unless it is larger than the first chunk; 0 when not complete} */
    int chunkCount() {
        return chunks.length;
    }

    /** {@return chunk {@code i}, of which the first {@link #chunkLength(int)} bytes are the body's} */
    byte[] chunk(int i) {
        return chunks[i];
    }

    /** {@return how many bytes of chunk {@code i} are the body's: all but in the last} */
    int chunkLength(int i) {
        return i < chunks.length - 1 ? chunks[i].length : length - (int) (taken - chunks[i].length);
    }

    /** {@return the chunks themselves, not copies, for the verifier: the body is their first {@link #length} bytes} */
    byte[][] chunks() {
        return chunks;
    }

    /** {@return a copy of the body's bytes from {@code from} to its end} */
    byte[] copy(int from) {
        byte[] copy = new byte[length - from];
        int chunkStart = 0;
        for (int i = 0; i < chunks.length && chunkStart < length; i++) {
            int chunkEnd = chunkStart + chunkLength(i);
            if (chunkEnd > from) {
                int start = Math.max(from, chunkStart);
                System.arraycopy(chunks[i], start - chunkStart, copy, start - from, chunkEnd - start);
            }
            chunkStart = chunkEnd;
        }
        return copy;
    }

    /**
     * {@return this body, for another filter to check against its own {@code limit}: the same chunks, which
     * that filter does not give back to the budget (its {@link #release()} does nothing, this body's does),
     * or {@code BODY_TOO_LARGE} when they hold more than {@code limit} bytes}
     */
    BufferedBody lentTo(int limit) {
        return length > limit ? refused(FilterRejection.BODY_TOO_LARGE, "the body of " + length
                + " bytes exceeds the limit of " + limit + " bytes")
                : lent(new BufferedBody(chunks, length, null, null, null, taken));
    }

    private BufferedBody lent(BufferedBody lent) {
        lent.form = form;
        return lent;
    }

    /** {@return whether the budget could hold {@code bytes} beside this body's buffer once nothing else is in flight} */
    boolean couldHoldMore(long bytes) {
        return budget == null || bytes <= budget.limit() - taken;
    }

    /**
     * Takes {@code bytes} more from the budget, for what is made of the body while its request holds it (its form
     * parameters), given back with the buffer's capacity by {@link #release()}. Called once, before the request
     * reaches the application; a lent body ({@link #lentTo}) takes nothing, as its lender took this already.
     *
     * @return false when the budget cannot hold them, and nothing was taken
     */
    boolean holdMore(long bytes) {
        if (budget == null) {
            return true;
        }
        if (!budget.tryTake(bytes)) {
            return false;
        }
        form = new FormRoom(budget, bytes);
        return true;
    }

    /**
     * {@return the room {@link #holdMore} took, which decodes the form's parameters once for every wrapper of these
     * bytes; null when none was taken}
     */
    FormRoom form() {
        return form;
    }

    /**
     * Gives the buffer's capacity back to the budget, and the form's room; later calls do nothing. The chunks stay as
     * they are: an error page in another endpoint's path, dispatched once the filter has returned, is checked from them.
     */
    void release() {
        if (budget != null && RELEASED.compareAndSet(this, 0, 1)) {
            budget.giveBack(taken);
            if (form != null) {
                form.release();
            }
        }
    }
}
