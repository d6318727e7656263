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
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A context whose application answers from a second async cycle: it starts async mode and dispatches, and in that
 * async dispatch starts async mode again, behind the real filter with replay protection and de-duplication by
 * {@value #ID_HEADER}, and a buffer budget of one body. How the second cycle ends depends on the path under
 * {@code /webhooks/}, its first segment a {@link Mode}, on the first delivery of each message id only: a later one
 * (the sender's retry) is answered 200 from the second cycle, as the application that failed once now succeeds.
 * The application counts its runs by message id ({@link #runs}), a run being a request that reached it.
 *
 * @param path the context path
 * @param filterParameters the filter's init-params
 */
public record AsyncCycleContext(String path, Map<String, String> filterParameters) implements AddedContext {

    /** The header that carries the message id, which the filter's de-duplication claims. */
    public static final String ID_HEADER = "X-Event-Id";
    /** How long a claim holds unless finished, in seconds: short, so that a test waits it out. */
    public static final int LEASE_SECONDS = 3;
    /** The async timeout of a second cycle that {@link Mode#TIMEOUT} lets run out, in milliseconds. */
    public static final long SHORT_TIMEOUT_MILLIS = 500;
    /** The async timeout of every other cycle, in milliseconds: longer than any test waits. */
    static final long LONG_TIMEOUT_MILLIS = 30_000;
    /** The attribute in which the application counts the async cycles it started on a request. */
    private static final String CYCLES = AsyncCycleContext.class.getName() + ".cycles";

    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> ENDED = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> DESTROYED = new ConcurrentHashMap<>();

    /** Behind the filter, with a budget ({@code maxBufferedBytes}) of one body of {@code budget} bytes. */
    public static AsyncCycleContext filtered(String path, int budget) {
        Map<String, String> parameters = new LinkedHashMap<>(ProbeServlet.filterParameters());
        parameters.put(WebhookSignatureFilter.PARAM_MAX_BODY_BYTES, Integer.toString(budget));
        parameters.put(WebhookSignatureFilter.PARAM_MAX_BUFFERED_BYTES, Integer.toString(budget));
        parameters.put(WebhookSignatureFilter.PARAM_REPLAY_PROTECTION, "true");
        parameters.put(WebhookSignatureFilter.PARAM_DEDUPLICATE, "true");
        parameters.put(WebhookSignatureFilter.PARAM_ID_HEADER, ID_HEADER);
        parameters.put(WebhookSignatureFilter.PARAM_LEASE_SECONDS, Integer.toString(LEASE_SECONDS));
        return new AsyncCycleContext(path, Map.copyOf(parameters));
    }

    /** How the second async cycle ends on a message id's first delivery. */
    public enum Mode {
        /** A thread of the second cycle reads the body and answers 200, then completes. */
        OK,
        /** A thread of the second cycle reads the body, answers 503 and completes: a failure the application answered. */
        FAIL_5XX,
        /** The second cycle dispatches again; that third dispatch answers 200 itself. */
        DISPATCH_AGAIN,
        /** The second cycle dispatches again; that third dispatch answers 500 itself. */
        DISPATCH_AGAIN_5XX,
        /** The second cycle runs out its timeout of {@value #SHORT_TIMEOUT_MILLIS} ms unanswered: the container's 500. */
        TIMEOUT,
        /** The second cycle's listener answers its timeout with 503 and completes. */
        TIMEOUT_ANSWERED_5XX,
        /** The async dispatch starts the second cycle, then throws. */
        THROW_AFTER_START,
        /** The async dispatch throws without starting a second cycle. */
        THROW,
        /** The second cycle reads the body with a read listener and answers 200 in {@code onAllDataRead}. */
        READ_LISTENER,
        /** The second cycle's read listener throws in {@code onDataAvailable}; its {@code onError} answers 200. */
        READ_LISTENER_THROWS;

        /** The first segment of a path for this mode: {@code fail-5xx}. */
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

    /** How many requests with message id {@code id} reached the application. */
    public static int runs(String id) {
        AtomicInteger runs = RUNS.get(id);
        return runs == null ? 0 : runs.get();
    }

    /**
     * Waits until the requests to {@code uri} that reached the application have ended, their async listeners told,
     * the filter's first (up to {@code seconds}).
     *
     * @return whether they had
     */
    public static boolean awaitEnded(String uri, long seconds) throws InterruptedException {
        return ENDED.computeIfAbsent(uri, k -> new CountDownLatch(1)).await(seconds, TimeUnit.SECONDS);
    }

    /**
     * Waits until the container has destroyed the request to {@code uri} (up to {@code seconds}): the filter has returned
     * by then, and given back the room of a body it refused, which it does once its answer is written, and which the
     * client may have read before.
     *
     * @return whether it had
     */
    public static boolean awaitDestroyed(String uri, long seconds) throws InterruptedException {
        return DESTROYED.computeIfAbsent(uri, k -> new CountDownLatch(1)).await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public Map<Integer, String> errorPages() {
        return Map.of();
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletRequestListener() {
            @Override
            public void requestDestroyed(ServletRequestEvent event) {
                if (event.getServletRequest() instanceof HttpServletRequest request) {
                    DESTROYED.computeIfAbsent(request.getRequestURI(), k -> new CountDownLatch(1)).countDown();
                }
            }
        });
        // Added first, so that it runs before the filter, and its listener is told after the filter's.
        EndNoter.addTo(context, uri -> ENDED.computeIfAbsent(uri, k -> new CountDownLatch(1)).countDown());
        FilterRegistration.Dynamic filter = context.addFilter(ProbeServlet.FILTER_NAME, WebhookSignatureFilter.class);
        filter.setInitParameters(filterParameters);
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, ProbeContext.WEBHOOK_PATTERN);
        ServletRegistration.Dynamic servlet = context.addServlet("cyclingApplication", new Application());
        servlet.setAsyncSupported(true);
        servlet.addMapping(ProbeContext.WEBHOOK_PATTERN);
    }

    @Override
    public String toString() {
        return path + " (two async cycles) behind the filter";
    }

    /** The application: see {@link Mode}. */
    private static final class Application extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String id = request.getHeader(ID_HEADER);
            Object started = request.getAttribute(CYCLES);
            int cycles = started == null ? 0 : (Integer) started;
            if (cycles == 0) {
                int run = RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                request.setAttribute(CYCLES, 1);
                request.setAttribute(Mode.class.getName(), run == 1 ? Mode.of(request.getPathInfo()) : Mode.OK);
                AsyncContext first = request.startAsync();
                first.setTimeout(LONG_TIMEOUT_MILLIS);
                first.dispatch();
                return;
            }
            Mode mode = (Mode) request.getAttribute(Mode.class.getName());
            if (cycles == 2) { // the third dispatch, of DISPATCH_AGAIN and DISPATCH_AGAIN_5XX
                byte[] body = request.getInputStream().readAllBytes();
                answer(response, mode == Mode.DISPATCH_AGAIN_5XX ? 500 : 200, body.length);
                return;
            }
            if (mode == Mode.THROW) {
                throw new IllegalStateException("the application failed in its async dispatch");
            }
            request.setAttribute(CYCLES, 2);
            AsyncContext second = request.startAsync();
            second.setTimeout(mode == Mode.TIMEOUT || mode == Mode.TIMEOUT_ANSWERED_5XX ? SHORT_TIMEOUT_MILLIS
                    : LONG_TIMEOUT_MILLIS);
            switch (mode) {
                case THROW_AFTER_START:
                    throw new IllegalStateException("the application failed once it started a second async cycle");
                case DISPATCH_AGAIN:
                case DISPATCH_AGAIN_5XX:
                    second.dispatch();
                    return;
                case TIMEOUT:
                    return;
                case TIMEOUT_ANSWERED_5XX:
                    second.addListener(new AnswerAtTimeout());
                    return;
                case READ_LISTENER:
                case READ_LISTENER_THROWS:
                    ServletInputStream in = request.getInputStream();
                    in.setReadListener(new Reader(in, second, mode == Mode.READ_LISTENER_THROWS));
                    return;
                default:
                    second.start(() -> {
                        try {
                            byte[] body = second.getRequest().getInputStream().readAllBytes();
                            answer((HttpServletResponse) second.getResponse(), mode == Mode.FAIL_5XX ? 503 : 200,
                                    body.length);
                        } catch (IOException e) {
                            // The client went away: nothing to answer.
                        } finally {
                            second.complete();
                        }
                    });
            }
        }
    }

    private static void answer(HttpServletResponse response, int status, int bytes) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.getWriter().write("bytes=" + bytes + "\n");
    }

    /** Answers a timeout with 503 and completes. */
    private static final class AnswerAtTimeout implements AsyncListener {

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            answer((HttpServletResponse) event.getAsyncContext().getResponse(), 503, 0);
            event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** Reads the body without blocking; throws in {@code onDataAvailable} if told to. */
    private static final class Reader implements ReadListener {

        private final ServletInputStream in;
        private final AsyncContext async;
        private final boolean fails;
        private int bytes;

        Reader(ServletInputStream in, AsyncContext async, boolean fails) {
            this.in = in;
            this.async = async;
            this.fails = fails;
        }

        @Override
        public void onDataAvailable() throws IOException {
            if (fails) {
                throw new IllegalStateException("the application failed in onDataAvailable");
            }
            byte[] buffer = new byte[1024];
            int n;
            while (in.isReady() && (n = in.read(buffer)) >= 0) {
                bytes += n;
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            answer((HttpServletResponse) async.getResponse(), 200, bytes);
            async.complete();
        }

        /** As most applications: answers 200, as the listener gives no status of its own, and completes. */
        @Override
        public void onError(Throwable t) {
            try {
                answer((HttpServletResponse) async.getResponse(), 200, bytes);
            } catch (IOException | IllegalStateException e) {
                // Nothing to answer with.
            }
            async.complete();
        }
    }
}
