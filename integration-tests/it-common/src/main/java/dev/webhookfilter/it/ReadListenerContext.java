package dev.webhookfilter.it;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A context with an application that reads the body with Servlet 3.1 non-blocking reads
 * ({@code startAsync()}, then {@code getInputStream().setReadListener(...)}), behind the real filter or, for
 * {@link #PLAIN}, behind none: what the container itself does for the same application. What it does depends on
 * the path under {@code /webhooks/}, its first segment a {@link Mode}; each request notes what happened to it in
 * {@link #events(String)}, by the URI the client sent, and an application that completes the request answers
 * with those notes, one per line.
 *
 * @param path the context path
 * @param filterParameters the filter's init-params; null for no filter
 */
public record ReadListenerContext(String path, Map<String, String> filterParameters) implements AddedContext {

    /** The async timeout the application sets for {@link Mode#TIMEOUT}, in milliseconds. */
    public static final long SHORT_TIMEOUT_MILLIS = 1000;
    /**
     * The async timeout the application sets in every other mode, in milliseconds: longer than a client waits
     * for an answer ({@code RawConnection.READ_TIMEOUT}), so that a request the container does not end otherwise
     * leaves the client without one.
     */
    public static final long LONG_TIMEOUT_MILLIS = 20_000;
    /** How long {@code service()} goes on after {@code setReadListener}: a callback then is one during it. */
    public static final long SERVICE_TAIL_MILLIS = 200;
    /** The header that carries the message id, which the filter's de-duplication claims. */
    public static final String ID_HEADER = "X-Event-Id";

    private static final String ENDED = "request ended";
    private static final String COMPLETED = "AsyncListener.onComplete";
    /** The URIs of the requests whose application started async mode. */
    private static final Set<String> ASYNC = ConcurrentHashMap.newKeySet();
    private static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();

    /** The same application, with no filter in front. */
    public static final ReadListenerContext PLAIN = new ReadListenerContext("/nonblocking-plain", null);

    /**
     * Behind the filter, with a budget ({@code maxBufferedBytes}) of one body of {@code budget} bytes, replay
     * protection and de-duplication by {@value #ID_HEADER}.
     */
    public static ReadListenerContext filtered(String path, int budget) {
        Map<String, String> parameters = new LinkedHashMap<>(ProbeServlet.filterParameters());
        parameters.put(WebhookSignatureFilter.PARAM_MAX_BODY_BYTES, Integer.toString(budget));
        parameters.put(WebhookSignatureFilter.PARAM_MAX_BUFFERED_BYTES, Integer.toString(budget));
        parameters.put(WebhookSignatureFilter.PARAM_REPLAY_PROTECTION, "true");
        parameters.put(WebhookSignatureFilter.PARAM_DEDUPLICATE, "true");
        parameters.put(WebhookSignatureFilter.PARAM_ID_HEADER, ID_HEADER);
        return new ReadListenerContext(path, Map.copyOf(parameters));
    }

    /** What the application does, by the first segment of the path under {@code /webhooks/}. */
    public enum Mode {
        /** Reads while {@code isReady()} in {@code onDataAvailable}, answers and completes in {@code onAllDataRead}. */
        READ,
        /** {@code onDataAvailable} throws; {@code onError} notes it and completes, as most applications do. */
        THROW_IN_DATA,
        /** Reads it all, then {@code onAllDataRead} throws; {@code onError} notes it and completes. */
        THROW_IN_ALL_DATA_READ,
        /** Sets a second listener, noting what that throws, then reads as {@link #READ}. */
        TWICE,
        /** Sets a null listener, noting what that throws, then answers. */
        NULL,
        /** Sets a listener without async mode, noting what that throws, then answers. */
        NOT_ASYNC,
        /** Reads the body with {@code read()} first, then starts async mode and reads as {@link #READ}. */
        AFTER_READ,
        /** Reads as {@link #READ} but never completes: the async timeout of {@value #SHORT_TIMEOUT_MILLIS} ms fires. */
        TIMEOUT,
        /** Starts async mode and dispatches; in that async dispatch, reads as {@link #READ}. */
        REDISPATCH,
        /** Sets the listener from a thread of {@code AsyncContext.start}, then reads as {@link #READ}. */
        FROM_ANOTHER_THREAD,
        /** Reads as {@link #READ} a request whose body is empty. */
        EMPTY;

        /** Whether a callback of the application's read listener throws in this mode. */
        public boolean callbackThrows() {
            return this == THROW_IN_DATA || this == THROW_IN_ALL_DATA_READ;
        }

        /** The first segment of a path for this mode: {@code throw-in-data}. */
        public String segment() {
            return PathModes.segment(this);
        }

        static Mode of(String pathInfo) {
            return PathModes.of(Mode.class, pathInfo);
        }
    }

    /** {@code /webhooks/<mode>/<label>}, under this context. */
    public String target(Mode mode, String label) {
        return path + "/webhooks/" + mode.segment() + "/" + label;
    }

    /**
     * The application's notes of the request to {@code uri}; with {@code ended}, once the request has ended: its
     * async listeners were told it completed, the filter's among them (waiting up to 5 s, as a container ends a
     * request after its answer went out).
     */
    public static List<String> events(String uri, boolean ended) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ended && !hasEnded(uri) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return snapshot(uri).stream().filter(event -> !event.equals(ENDED)).toList();
    }

    /** Whether the request to {@code uri} has ended, and the application was told so if it started async mode. */
    private static boolean hasEnded(String uri) {
        List<String> noted = snapshot(uri);
        return noted.contains(ENDED) && (!ASYNC.contains(uri) || noted.contains(COMPLETED));
    }

    private static List<String> snapshot(String uri) {
        List<String> noted = EVENTS.getOrDefault(uri, List.of());
        synchronized (noted) {
            return List.copyOf(noted);
        }
    }

    private static void note(String uri, String event) {
        List<String> noted = EVENTS.computeIfAbsent(uri, k -> new ArrayList<>());
        synchronized (noted) {
            noted.add(event);
        }
    }

    @Override
    public Map<Integer, String> errorPages() {
        return Map.of();
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        // Added first, so that it runs before the filter, and its listener is told after the filter's.
        EndNoter.addTo(context, uri -> note(uri, ENDED));
        if (filterParameters != null) {
            FilterRegistration.Dynamic filter = context.addFilter(ProbeServlet.FILTER_NAME, WebhookSignatureFilter.class);
            filter.setInitParameters(filterParameters);
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, ProbeContext.WEBHOOK_PATTERN);
        }
        ServletRegistration.Dynamic servlet = context.addServlet("nonBlockingApplication", new Application());
        servlet.setAsyncSupported(true);
        servlet.addMapping(ProbeContext.WEBHOOK_PATTERN);
    }

    @Override
    public String toString() {
        return path + (filterParameters == null ? " without the filter" : " behind the filter");
    }

    /** The application: see {@link Mode}. */
    private static final class Application extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String uri = request.getRequestURI();
            Mode mode = Mode.of(request.getPathInfo());
            if (mode == Mode.NOT_ASYNC) {
                note(uri, "setReadListener: " + thrownBy(() -> request.getInputStream().setReadListener(new Reader(
                        uri, mode, request.getInputStream(), null, response))));
                answer(uri, response);
                return;
            }
            if (mode == Mode.AFTER_READ) {
                note(uri, "read() first: " + request.getInputStream().readAllBytes().length + " bytes");
            }
            if (mode == Mode.REDISPATCH && request.getDispatcherType() == DispatcherType.REQUEST) {
                note(uri, "dispatch");
                ASYNC.add(uri);
                request.startAsync().dispatch();
                return;
            }
            ASYNC.add(uri);
            AsyncContext async = request.startAsync();
            async.setTimeout(mode == Mode.TIMEOUT ? SHORT_TIMEOUT_MILLIS : LONG_TIMEOUT_MILLIS);
            async.addListener(new Noting(uri));
            ServletInputStream in = request.getInputStream();
            Reader reader = new Reader(uri, mode, in, async, response);
            if (mode == Mode.NULL) {
                note(uri, "setReadListener(null): " + thrownBy(() -> in.setReadListener(null)));
                answer(uri, response);
                async.complete();
                return;
            }
            if (mode == Mode.FROM_ANOTHER_THREAD) {
                async.start(() -> in.setReadListener(reader));
                return;
            }
            reader.inService = true;
            try {
                in.setReadListener(reader);
                if (mode == Mode.TWICE) {
                    note(uri, "setReadListener again: " + thrownBy(() -> in.setReadListener(new Reader(uri, mode, in,
                            async, response))));
                }
                Thread.sleep(SERVICE_TAIL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reader.inService = false;
            }
        }

        private static String thrownBy(Action action) {
            try {
                action.run();
                return "nothing";
            } catch (Exception e) {
                return e.getClass().getSimpleName();
            }
        }

        private static void answer(String uri, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(String.join("\n", snapshot(uri)) + "\n");
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** The application's read listener. */
    private static final class Reader implements ReadListener {

        private final String uri;
        private final Mode mode;
        private final ServletInputStream in;
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** Whether {@code service()} is still running, with {@code setReadListener} behind it. */
        volatile boolean inService;

        Reader(String uri, Mode mode, ServletInputStream in, AsyncContext async, HttpServletResponse response) {
            this.uri = uri;
            this.mode = mode;
            this.in = in;
            this.async = async;
            this.response = response;
        }

        @Override
        public void onDataAvailable() throws IOException {
            note(uri, "onDataAvailable" + (inService ? " during service()" : ""));
            if (mode == Mode.THROW_IN_DATA) {
                throw new IllegalStateException("the application failed in onDataAvailable");
            }
            byte[] buffer = new byte[1024];
            int n;
            while (in.isReady() && (n = in.read(buffer)) >= 0) {
                body.write(buffer, 0, n);
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            note(uri, "onAllDataRead" + (inService ? " during service()" : "") + ": " + body.size() + " bytes, sha256 "
                    + Webhooks.sha256(body.toByteArray()));
            if (mode == Mode.THROW_IN_ALL_DATA_READ) {
                throw new IllegalStateException("the application failed in onAllDataRead");
            }
            if (mode == Mode.TIMEOUT) {
                return;
            }
            Application.answer(uri, response);
            async.complete();
        }

        @Override
        public void onError(Throwable t) {
            note(uri, "onError: " + t.getClass().getSimpleName() + ": " + t.getMessage());
            try {
                async.complete();
            } catch (IllegalStateException e) {
                note(uri, "complete() in onError: " + e.getClass().getSimpleName());
            }
        }
    }

    /** Notes the async events the container tells the application of. */
    private static final class Noting implements AsyncListener {

        private final String uri;

        Noting(String uri) {
            this.uri = uri;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            note(uri, COMPLETED);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            note(uri, "AsyncListener.onTimeout");
        }

        @Override
        public void onError(AsyncEvent event) {
            Throwable t = event.getThrowable();
            note(uri, "AsyncListener.onError: " + (t == null ? "null" : t.getClass().getSimpleName()));
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
