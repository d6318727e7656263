package dev.webhookfilter.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A verified request whose body was read by the filter: serves those exact bytes again through
 * {@link #getInputStream()}, {@link #getReader()} and, for form posts, the parameter methods, with
 * the rules the Servlet specification sets for each (one of stream or reader; the request's
 * charset, ISO-8859-1 when none, though UTF-8 for a form body on Jetty as Jetty does itself;
 * query parameters before body parameters).
 *
 * <p>Not thread-safe, like the request it wraps, but for its parameters, which two threads may ask for at once: a
 * form's are decoded once.
 */
final class VerifiedRequest extends HttpServletRequestWrapper {

    private static final System.Logger LOG = System.getLogger(WebhookSignatureFilter.class.getName());
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
    static final String NO_PARTS = "webhook-filter read this body to verify its signature, so the container has"
            + " no parts to give: parse the verified bytes from getInputStream() (with Spring Boot, set"
            + " spring.servlet.multipart.enabled=false)";

    /**
     * The request attribute under which the filter records, on the container's own request, the wrapper it passed on,
     * unless the handler answered with a 2xx status outside async mode, when no error page can follow: an error
     * dispatch carries the container's request, not the wrapper, and the filter of the error page's path learns from
     * it who verified the request, and from which bytes. Private to the library, not API: its name is this
     * class's, and its value's {@code toString()} is {@code Object}'s, which says nothing of the request.
     */
    static final String RECORD_ATTRIBUTE = VerifiedRequest.class.getName();

    private final BufferedBody body;
    private final int length;
    private final ServletResponse response;
    /** The filter that verified the request: a later dispatch into another filter's path is checked there again. */
    private final WebhookSignatureFilter verifiedBy;
    /**
     * The record on the request when a later dispatch was checked again to make this wrapper, whose chain may not hold
     * it (an error dispatch's does not); null for a request's first verification.
     */
    private final VerifiedRequest earlier;
    private BodyStream stream;
    /** The thread that runs a filter's chain with this request, while one does. */
    private volatile Thread dispatching;
    /** How many filter chains run with this request, one inside another (a forward, an include); dispatch threads only. */
    private int chains;
    /**
     * What the filter does when a read listener's callback throws: null until the filter says, and nothing then;
     * {@link #FAILED_EARLY} once a callback threw before it said (a listener set from another thread runs at once,
     * while the chain still runs), which the filter's {@link #onReadFailure} then does at once.
     */
    private volatile Runnable readFailed;
    private static final Runnable FAILED_EARLY = () -> { };
    /** Atomic updates of {@link #readFailed} without an object more per request. */
    private static final AtomicReferenceFieldUpdater<VerifiedRequest, Runnable> READ_FAILED =
            AtomicReferenceFieldUpdater.newUpdater(VerifiedRequest.class, Runnable.class, "readFailed");
    /** What the filter does when an async dispatch of this request throws out of async mode: null until it says. */
    private volatile Runnable dispatchFailed;
    private BufferedReader reader;
    private String characterEncoding;
    /** The parameters served, once asked for: written by whichever thread asks first, as two may ask at once. */
    private volatile Map<String, String[]> parameters;

    /**
     * @param response the response the filter passes on with this request, which {@link #startAsync()}
     *        starts async mode with
     * @param verifiedBy the filter that verified it
     * @param earlier the record on the request when a later dispatch was checked again; null otherwise
     */
    VerifiedRequest(HttpServletRequest request, BufferedBody body, ServletResponse response,
                    WebhookSignatureFilter verifiedBy, VerifiedRequest earlier) {
        super(request);
        this.body = body;
        this.length = body.length;
        this.response = response;
        this.verifiedBy = verifiedBy;
        this.earlier = earlier;
    }

    /**
     * Marks the current thread as running a filter's chain with this request, in its first dispatch or a later one
     * (an async dispatch, a forward): a read listener set on it meanwhile waits for the outermost chain to return.
     */
    void chainStarted() {
        if (chains++ == 0) {
            dispatching = Thread.currentThread();
        }
    }

    /** Marks a chain as returned; once the outermost has, starts a read listener set meanwhile. */
    void chainReturned() {
        if (--chains == 0) {
            dispatching = null;
            if (stream != null) {
                stream.startPending();
            }
        }
    }

    /**
     * Sets what the filter does when a callback of a read listener throws; does it now if one threw already.
     *
     * @param onReadFailure what fails the request; null for nothing
     */
    void onReadFailure(Runnable onReadFailure) {
        if (READ_FAILED.getAndSet(this, onReadFailure) == FAILED_EARLY && onReadFailure != null) {
            onReadFailure.run();
        }
    }

    /**
     * Sets what the filter does when an async dispatch of this request throws and leaves it out of async mode.
     *
     * @param onDispatchFailure what ends the request as failed, or as answered if it was committed below 500
     */
    void onDispatchFailure(Runnable onDispatchFailure) {
        dispatchFailed = onDispatchFailure;
    }

    /** Does what {@link #onDispatchFailure} set; nothing before the filter set it. */
    void dispatchFailed() {
        Runnable failed = dispatchFailed;
        if (failed != null) {
            failed.run();
        }
    }

    /** {@return the bytes the filter read and verified; still there once the filter gave their room back to its budget} */
    BufferedBody body() {
        return body;
    }

    /** {@return the wrapper recorded on {@code request} by the filter that verified it last; null when none} */
    static VerifiedRequest recorded(ServletRequest request) {
        Object recorded = request.getAttribute(RECORD_ATTRIBUTE);
        return recorded instanceof VerifiedRequest ? (VerifiedRequest) recorded : null;
    }

    /**
     * Records {@code verified} on the container's own request, through the wrappers, for an error page the container
     * may dispatch once the filter has returned, or later in async mode: an error dispatch carries the container's
     * request, not the wrapper. Leaves a record in place that already names the filter that made {@code verified}
     * (one made by a filter the request reached later, as an overlapping filter or a forward into another endpoint's
     * path, whose chain holds {@code verified}), so that no filter it names checks the request again.
     */
    static void record(ServletRequest request, VerifiedRequest verified) {
        if (!wraps(recorded(request), verified.verifiedBy)) {
            request.setAttribute(RECORD_ATTRIBUTE, verified);
        }
    }

    /**
     * Whether {@code filter} verified the request a later dispatch carries: by its wrapper anywhere in the chain
     * of {@code request} (a forward or include of the wrapper), or in the chain of the record on it (an error
     * dispatch of the container's request), or in one recorded before either.
     */
    static boolean isVerifiedBy(ServletRequest request, WebhookSignatureFilter filter) {
        return wraps(request, filter) || wraps(recorded(request), filter);
    }

    /** Whether a wrapper of {@code filter} is in the chain of {@code request}, or recorded before one that is. */
    private static boolean wraps(ServletRequest request, WebhookSignatureFilter filter) {
        for (ServletRequest r = request; r instanceof ServletRequestWrapper; r = ((ServletRequestWrapper) r).getRequest()) {
            if (r instanceof VerifiedRequest
                    && (((VerifiedRequest) r).verifiedBy == filter || wraps(((VerifiedRequest) r).earlier, filter))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Of a request that another filter verified, the wrapper whose bytes a filter checks again: the outermost in
     * the chain of {@code request}, as on a forward or include from one endpoint's handler into another endpoint's
     * path; else the one recorded on it, as on an error dispatch, which carries the container's own request. Null
     * when neither is there: the timestamp attribute alone, which anyone may set, says nothing.
     */
    static VerifiedRequest lastVerified(ServletRequest request) {
        VerifiedRequest inChain = outermost(request);
        return inChain != null ? inChain : recorded(request);
    }

    /** {@return the wrapper that {@code filter} made, in the chain of {@code request}; null when none is} */
    static VerifiedRequest madeBy(ServletRequest request, WebhookSignatureFilter filter) {
        for (ServletRequest r = request; r instanceof ServletRequestWrapper; r = ((ServletRequestWrapper) r).getRequest()) {
            if (r instanceof VerifiedRequest && ((VerifiedRequest) r).verifiedBy == filter) {
                return (VerifiedRequest) r;
            }
        }
        return null;
    }

    /** {@return the outermost wrapper of a filter in the chain of {@code request}; null when none is} */
    static VerifiedRequest outermost(ServletRequest request) {
        for (ServletRequest r = request; r instanceof ServletRequestWrapper; r = ((ServletRequestWrapper) r).getRequest()) {
            if (r instanceof VerifiedRequest) {
                return (VerifiedRequest) r;
            }
        }
        return null;
    }

    /**
     * Starts async mode with this request and the response the filter passed on, where the wrapped
     * request would start it with the container's own: an {@code AsyncContext.dispatch()} then dispatches
     * this request, whose body is buffered here, and not the container's, whose stream the filter read
     * to its end.
     */
    @Override
    public AsyncContext startAsync() {
        return startAsync(this, response);
    }

    @Override
    public int getContentLength() {
        return length;
    }

    @Override
    public long getContentLengthLong() {
        return length;
    }

    @Override
    public ServletInputStream getInputStream() {
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        if (stream == null) {
            stream = new BodyStream();
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws UnsupportedEncodingException {
        if (stream != null) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(new BodyStream(), charset()));
        }
        return reader;
    }

    /*
     * The filter has read the wrapped request's stream, after which some containers ignore a new
     * encoding; so it is kept here, and passed on for whatever else reads it.
     */
    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : super.getCharacterEncoding();
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        if (reader != null) {
            return; // as the specification says: no effect once the reader exists
        }
        forName(encoding);
        characterEncoding = encoding;
        super.setCharacterEncoding(encoding);
    }

    /**
     * Servlet 6.1 adds this overload with a default that bypasses {@link #setCharacterEncoding(String)};
     * declared without {@code @Override} because the library compiles against Servlet 6.0.
     */
    public void setCharacterEncoding(Charset encoding) {
        try {
            setCharacterEncoding(encoding.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e); // a Charset's own name is always supported
        }
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    /**
     * The container's parameters (from the query string: it no longer has the body) followed, for a
     * form POST whose body the application has not read itself, by those decoded from the buffer: decoded once for
     * the request, within the room the filter took for them, however many threads ask at once. Only a form's take a
     * lock, its room's.
     */
    private Map<String, String[]> parameters() {
        Map<String, String[]> served = parameters;
        if (served == null) {
            Map<String, String[]> query = super.getParameterMap();
            served = stream != null || reader != null || !isFormPost(this) || decodedWithin() ? query : decoded(query);
            parameters = served;
        }
        return served;
    }

    /**
     * The query's parameters then the body's, decoded once within the room the filter took for them; once that room was
     * given back (an async handler asks after its request ended by an error, an error page in another endpoint's path
     * after the filter that verified the request returned), those decoded before, or else the query's alone: decoding
     * then would take heap that {@code maxBufferedBytes} does not bound. So too where no room was taken (a body lent by
     * a filter that did not take the request for a form).
     */
    private Map<String, String[]> decoded(Map<String, String[]> query) {
        FormRoom form = body.form();
        Map<String, String[]> decoded = form == null ? null : form.parameters(body, query, formCharset(this));
        if (decoded == null) {
            LOG.log(Level.DEBUG, "a form's parameters were asked for once their room in maxBufferedBytes had been given"
                    + " back (their request ended): the query's are served without the body's");
            return query;
        }
        return decoded;
    }

    /**
     * Refuses, with a {@link ServletException} that says why: the container would parse the parts from its own
     * stream, which the filter has read to its end, and answer with no parts, or fail in a way its caller takes for
     * something else (Spring's multipart resolver on Jetty then answers 200 without running the controller, and the
     * webhook is lost). Parse the verified bytes from {@link #getInputStream()} instead.
     */
    @Override
    public Collection<Part> getParts() throws ServletException {
        throw new ServletException(NO_PARTS);
    }

    /** Refuses, as {@link #getParts()} does. */
    @Override
    public Part getPart(String name) throws ServletException {
        throw new ServletException(NO_PARTS);
    }

    /**
     * Whether a wrapper this one wraps serves the parameters of the same bytes, lent to this one's filter (a forward of
     * it into another endpoint's path): they come with {@code super}'s, decoded once, within the room its filter took.
     */
    private boolean decodedWithin() {
        VerifiedRequest within = outermost(getRequest());
        return within != null && within.body.chunks() == body.chunks();
    }

    /**
     * Whether the body of {@code request} is a form the container would parse: the media type, then its end, a
     * {@code ;} or a space or tab. Its content type is asked first, so that any other body costs one header.
     */
    static boolean isFormPost(HttpServletRequest request) {
        String contentType = contentType(request);
        if (contentType == null || !contentType.regionMatches(true, 0, FORM_CONTENT_TYPE, 0, FORM_CONTENT_TYPE.length())) {
            return false;
        }
        String method = request.getMethod();
        if (!("POST".equals(method) || "PUT".equals(method) && isJetty(request))) {
            return false;
        }
        if (contentType.length() == FORM_CONTENT_TYPE.length()) {
            return true;
        }
        char next = contentType.charAt(FORM_CONTENT_TYPE.length());
        return next == ';' || next == ' ' || next == '\t'; // RFC 9110's OWS before the parameters: spaces or tabs
    }

    /**
     * {@return the content type of {@code request}; the {@code Content-Type} header as sent where the container throws
     * for its charset} Jetty 12.1 does for a charset Java lacks ({@code UnsupportedCharsetException}) or a name that is
     * none ({@code IllegalCharsetNameException}): the client's, which the filter reads before the application runs.
     */
    private static String contentType(HttpServletRequest request) {
        try {
            return request.getContentType();
        } catch (IllegalArgumentException e) {
            return request.getHeader("Content-Type");
        }
    }

    private Charset charset() throws UnsupportedEncodingException {
        String encoding = getCharacterEncoding();
        return encoding == null ? StandardCharsets.ISO_8859_1 : forName(encoding);
    }

    /**
     * {@return the charset the form body of {@code request} is decoded with: its own, or the container's default}
     * Parameters cannot report a bad charset; like containers, fall back to the default, also where the container
     * throws for it, as Jetty 12.1 does ({@link #contentType}).
     */
    static Charset formCharset(HttpServletRequest request) {
        Charset fallback = isJetty(request) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        try {
            String encoding = request.getCharacterEncoding();
            return encoding == null ? fallback : forName(encoding);
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
            return fallback;
        }
    }

    /**
     * Whether the container is Jetty, whose defaults for form bodies differ from the Servlet
     * specification's, which Tomcat follows: Jetty 12 also parses PUT, and decodes a body without
     * a charset as UTF-8 (the WHATWG rule) where Tomcat uses ISO-8859-1. No API tells these
     * defaults, so the server info does; the body parameters then match what the application
     * would get without the filter.
     */
    private static boolean isJetty(ServletRequest request) {
        ServletContext context = request.getServletContext();
        String server = context == null ? null : context.getServerInfo();
        return server != null && server.regionMatches(true, 0, "jetty", 0, 5);
    }

    private static Charset forName(String encoding) throws UnsupportedEncodingException {
        if (encoding == null) {
            throw new UnsupportedEncodingException("null");
        }
        try {
            return Charset.forName(encoding.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(encoding);
        }
    }

    /**
     * The buffered body as a servlet stream, read from its chunks from the start, each byte copied once;
     * always ready, so a read listener reads it all in one {@code onDataAvailable}. The reader reads one too.
     */
    private final class BodyStream extends ServletInputStream {

        private int position;
        private int chunk;
        private int inChunk;
        private ReadListener listener;
        /** Whether the listener was set while the chain ran, to be started once it returned. */
        private boolean pending;

        @Override
        public int read() {
            if (!seek()) {
                return -1;
            }
            position++;
            return body.chunk(chunk)[inChunk++] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            Objects.checkFromIndexSize(offset, count, target.length);
            if (count == 0) {
                return 0;
            }
            if (!seek()) {
                return -1;
            }
            int n = Math.min(count, body.chunkLength(chunk) - inChunk);
            System.arraycopy(body.chunk(chunk), inChunk, target, offset, n);
            inChunk += n;
            position += n;
            return n;
        }

        /**
         * The rest of the body. A whole body held in one chunk of its exact length (one whose length was
         * declared, up to {@link BufferedBody#INITIAL_CAPACITY} bytes) is that chunk itself, not a copy: once
         * this stream is at its end nothing reads the chunk again (the parameters of a request whose stream
         * was taken are the query's alone). A forward, include or error page into another endpoint's path checks
         * that same chunk again ({@link BufferedBody#lentTo}): a handler that changes the array and then forwards or
         * fails is refused there, which fails closed.
         */
        @Override
        public byte[] readAllBytes() {
            byte[] rest = position == 0 && body.chunkCount() == 1 && body.chunk(0).length == length
                    ? body.chunk(0) : body.copy(position);
            skip(rest.length);
            return rest;
        }

        /**
         * Up to {@code count} bytes; when that is at least what is left, {@link #readAllBytes()}, which hands
         * a whole body over as it says.
         */
        @Override
        public byte[] readNBytes(int count) throws IOException {
            if (count < 0) {
                throw new IllegalArgumentException("count < 0");
            }
            return count >= available() ? readAllBytes() : super.readNBytes(count);
        }

        /**
         * Writes the rest of the body to {@code out} straight from the chunks, as
         * {@code ByteArrayInputStream.transferTo} writes its array: one copy fewer than through a buffer.
         */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            Objects.requireNonNull(out, "out");
            long transferred = 0;
            while (seek()) {
                int n = body.chunkLength(chunk) - inChunk;
                out.write(body.chunk(chunk), inChunk, n);
                inChunk += n;
                position += n;
                transferred += n;
            }
            return transferred;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            for (long left = skipped; left > 0 && seek(); ) {
                int step = (int) Math.min(left, body.chunkLength(chunk) - inChunk);
                inChunk += step;
                position += step;
                left -= step;
            }
            return skipped;
        }

        @Override
        public int available() {
            return length - position;
        }

        /** Moves past a chunk read to its end; false at the end of the body. */
        private boolean seek() {
            if (position >= length) {
                return false;
            }
            while (inChunk == body.chunkLength(chunk)) {
                chunk++;
                inChunk = 0;
            }
            return true;
        }

        @Override
        public boolean isFinished() {
            return available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /**
         * Sets the listener, which a container thread calls once the filter's chain has returned, as a container
         * calls one once the dispatch that set it has returned (at once when set later, or from another thread):
         * {@code onDataAvailable} if any body is left, then {@code onAllDataRead} once it is read. A callback that
         * throws fails the request, as an exception from a handler does: the filter gives back the body's room and
         * releases its claim at once (one that threw before the filter's chain returned, once it has), then the
         * listener's {@code onError} gets what was thrown; the request stays open for the application to complete.
         *
         * @throws IllegalStateException outside asynchronous mode, or if a listener is already set
         */
        @Override
        public void setReadListener(ReadListener readListener) {
            Objects.requireNonNull(readListener, "readListener");
            if (listener != null) {
                throw new IllegalStateException("a ReadListener is already set");
            }
            if (!isAsyncStarted()) {
                throw new IllegalStateException("setReadListener needs asynchronous mode (startAsync)");
            }
            listener = readListener;
            if (dispatching == Thread.currentThread()) {
                pending = true; // started by the outermost chainReturned
            } else {
                getAsyncContext().start(this::notifyListener);
            }
        }

        /** Starts the listener set while the chain ran, unless the request left async mode since. */
        void startPending() {
            if (pending) {
                pending = false;
                try {
                    getAsyncContext().start(this::notifyListener);
                } catch (IllegalStateException e) {
                    // Completed or dispatched meanwhile: the container would call no listener either.
                }
            }
        }

        private void notifyListener() {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                if (isFinished()) {
                    listener.onAllDataRead();
                }
            } catch (Throwable t) {
                // Before onError, where the application may complete the request with a status of its choosing.
                Runnable failed = READ_FAILED.getAndUpdate(VerifiedRequest.this, set -> set == null ? FAILED_EARLY : set);
                try {
                    if (failed != null) {
                        failed.run();
                    }
                } finally {
                    listener.onError(t);
                }
            }
        }
    }
}
