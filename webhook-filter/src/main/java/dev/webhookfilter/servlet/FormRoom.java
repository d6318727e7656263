package dev.webhookfilter.servlet;

import java.nio.charset.Charset;
import java.util.Map;

/**
 * The room a verified form's decoded parameters took in {@code maxBufferedBytes} ({@link FormBody#hold}), and those
 * parameters once decoded: one for the body, shared with the bodies lent from it ({@link BufferedBody#lentTo}), so
 * that its bytes are decoded once for the request, whichever wrapper or thread asks first, however many ask at once,
 * and only while the room is held: never once it is given back, when nothing would bound what decoding takes.
 *
 * <p>Thread-safe: the application may ask on two threads at once. Made only for a form, so that nothing else takes
 * its lock.
 */
final class FormRoom {

    private final BodyBudget budget;
    private final long bytes;
    private Map<String, String[]> decoded;
    private boolean released;

    /** Holds {@code bytes} taken from {@code budget}, which {@link #release()} gives back. */
    FormRoom(BodyBudget budget, long bytes) {
        this.budget = budget;
        this.bytes = bytes;
    }

    /**
     * {@return the query's parameters then the body's, decoded the first time and the same map each time after; null
     * when none were decoded before the room was given back}
     *
     * @param query the container's parameters, which come first; read only the first time
     * @param charset what the body is decoded with; used only the first time
     */
    synchronized Map<String, String[]> parameters(BufferedBody body, Map<String, String[]> query, Charset charset) {
        if (decoded == null && !released) {
            decoded = FormBody.parameters(body, query, charset);
        }
        return decoded;
    }

    /**
     * Gives the room back, once its body's {@link BufferedBody#release()} calls it; after a decoding under way on
     * another thread has ended. Nothing is decoded after.
     */
    synchronized void release() {
        released = true;
        budget.giveBack(bytes);
    }
}
