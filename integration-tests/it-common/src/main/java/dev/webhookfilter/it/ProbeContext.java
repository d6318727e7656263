package dev.webhookfilter.it;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A context a scenario class adds beside the example WAR, configured through the Servlet API
 * alone so that every container sets it up the same way: the fixture only creates an empty
 * context at {@link #path()} and runs this initializer in it. It holds
 * <ul>
 *   <li>the real {@link WebhookSignatureFilter} on {@value #WEBHOOK_PATTERN}, with
 *       {@link #filterParameters()} as init-params (or built from them) and mapped as
 *       {@link #mapping()} says;</li>
 *   <li>at {@value #WEBHOOK_PATTERN} the application: it counts its runs ({@link #handlerRuns()}),
 *       reads the whole body, and answers {@code bytes=N} or, under {@code /params}, the
 *       parameter map it sees;</li>
 *   <li>at {@value #FORWARD_PATTERN}, outside the filter's path, a servlet that forwards any
 *       request to the same path under {@code /webhooks}: an internal dispatch into the webhook path;</li>
 *   <li>in a context registered by the builder, a second endpoint: a filter of its own on
 *       {@value #OTHER_ENDPOINT_PATTERN}, registered the same way with {@link #OTHER_ENDPOINT_SECRET}, in front of
 *       the same application, which forwards what it receives under {@value #TO_OTHER_ENDPOINT} there, once it
 *       has read the body: one endpoint's handler forwarding into another's path; and {@value #OTHER_ERROR_PAGE},
 *       in that endpoint's path, as the error page for 500;</li>
 *   <li>under {@value #FAILS_WITH}, the application reads the body to its end and fails with
 *       {@code sendError} of the status that follows in the path: a handler's failure, which the container
 *       sends to the error page for that status;</li>
 *   <li>under {@value #HELD}, the application reads the body to its end and then waits, until the test lets it
 *       go ({@link #letGo}) or {@link #HELD_AT_MOST} has passed, before it answers as anywhere else: a handler
 *       still running when its sender gives up ({@link #awaitHeld});</li>
 *   <li>under {@value #HELD_ASYNC}, the same from a thread of its own in async mode ({@link #awaitAsyncError});</li>
 *   <li>at {@code /}, the default servlet: {@code sendError(404)} for every other path, and
 *       {@value #ERROR_PAGE} as the error page for 404;</li>
 *   <li>the error pages ({@link #errorPages()}): the fixtures set them with their container's API, since the
 *       Servlet API has none;</li>
 *   <li>a request listener that notes the {@link WebhookSignatureFilter#REJECTION_ATTRIBUTE} of each
 *       finished request ({@link #rejections(String)});</li>
 *   <li>in front of the filter on {@value #COUNTED_PATTERN} only, a filter that counts the body bytes
 *       read from each request ({@link #bodyBytesRead}): what shows a test how much of a body the
 *       filter has taken in while the sender still holds the rest, since the filter exposes nothing of
 *       its buffer budget;</li>
 *   <li>in front of the filter on {@value #OUTER_PATTERN} only, a filter that sets {@value #OUTER_HEADER} once
 *       the chain has returned, as a CORS, request-id or metrics filter does: what shows a test whether the
 *       filter's answer could still be changed by a filter before it, or was already committed.</li>
 * </ul>
 * A context whose filter refuses its configuration fails to start, as an operator's would.
 *
 * @param path the context path, such as {@code /replay}
 * @param filterParameters the filter's init-params
 * @param mapping how the filter is registered and mapped
 */
public record ProbeContext(String path, Map<String, String> filterParameters, Mapping mapping)
        implements AddedContext {

    /** Where the filter and the application are mapped. */
    public static final String WEBHOOK_PATTERN = "/webhooks/*";
    /** Where the forwarding servlet is mapped; not under the filter. */
    public static final String FORWARD_PATTERN = "/forward/*";
    /** The second endpoint's path, in a context registered by the builder. */
    public static final String OTHER_ENDPOINT_PATTERN = "/other/*";
    /** The second endpoint's secret: not one of the probe's. */
    public static final String OTHER_ENDPOINT_SECRET = "whsec_the_other_endpoints_own_secret";
    /** Under {@code /webhooks}, where the application forwards a request to the same path under {@code /other}. */
    public static final String TO_OTHER_ENDPOINT = "/webhooks/to-other/";
    /**
     * The error page for status 404, under the webhook path: the fixtures set it with their
     * container's API, since the Servlet API has none. A request for a path nothing serves in the
     * context reaches the application through it, in an ERROR dispatch.
     */
    public static final String ERROR_PAGE = "/webhooks/error-page";
    /**
     * In a context registered by the builder, the error page for status 500, in the second endpoint's path: a
     * failure of the first endpoint's handler reaches the application there, in an ERROR dispatch that carries
     * the container's own request, through the second endpoint's filter.
     */
    public static final String OTHER_ERROR_PAGE = "/other/error-page";
    /**
     * Under {@code /webhooks}, where the application reads the body to its end and then calls {@code sendError}
     * with the status that follows: {@code /webhooks/fails-with-500/evt-1} fails with 500 (see {@link #failsWith}).
     */
    public static final String FAILS_WITH = "/webhooks/fails-with-";
    /**
     * Under {@code /webhooks}, where the application holds each request once it has read the body, until
     * {@link #letGo} (see {@link #awaitHeld}).
     */
    public static final String HELD = "/webhooks/held/";
    /**
     * Under {@code /webhooks}, where the application reads the body, starts async mode and answers from a thread of
     * its own once {@link #letGo} (see {@link #awaitHeld}); {@link #awaitAsyncError} tells when the container has
     * ended such a request by an error meanwhile.
     */
    public static final String HELD_ASYNC = "/webhooks/held-async/";
    /** How long a held request waits at most for {@link #letGo}: a test that fails does not hold a thread longer. */
    public static final Duration HELD_AT_MOST = Duration.ofSeconds(30);
    /** Where requests' body bytes are counted as they are read ({@link #counted}, {@link #bodyBytesRead}). */
    public static final String COUNTED_PATTERN = "/webhooks/counted/*";
    /** Where a filter in front of the webhook filter sets {@value #OUTER_HEADER} after the chain has returned. */
    public static final String OUTER_PATTERN = "/webhooks/outer/*";
    /** The header the filter on {@value #OUTER_PATTERN} sets once the chain has returned; its value is {@code after-chain}. */
    public static final String OUTER_HEADER = "X-Outer-Filter";
    /** The filter's name in these contexts. */
    public static final String FILTER_NAME = ProbeServlet.FILTER_NAME;

    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> REJECTIONS = new ConcurrentHashMap<>();
    private static final Set<String> INITIALIZED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicLong> BYTES_READ = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> HELD_REQUESTS = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> LET_GO = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> ASYNC_ERRORS = new ConcurrentHashMap<>();

    /** How the filter is put in front of {@value #WEBHOOK_PATTERN}. */
    public enum Mapping {
        /** {@code addFilter} with init-params, dispatcher REQUEST only: the README's mapping before issue 9. */
        REQUEST_ONLY,
        /** {@code addFilter} with init-params, dispatchers REQUEST, FORWARD, INCLUDE, ERROR and ASYNC. */
        ALL_DISPATCHERS,
        /**
         * {@code WebhookSignatureFilter.builder().secrets(...).register(context, name, pattern)}, which
         * chooses the dispatcher types itself; only the {@code secrets} parameter is supported.
         */
        BUILDER_REGISTER
    }

    public ProbeContext {
        filterParameters = Map.copyOf(filterParameters);
    }

    /** The probe's secrets ({@link ProbeServlet#filterParameters()}) with these init-params added. */
    public static ProbeContext withProbeSecrets(String path, Map<String, String> more) {
        Map<String, String> parameters = new LinkedHashMap<>(ProbeServlet.filterParameters());
        parameters.putAll(more);
        return new ProbeContext(path, parameters, Mapping.ALL_DISPATCHERS);
    }

    /**
     * The error pages the fixture sets for this context, by status: {@value #ERROR_PAGE} for 404, and in a
     * context registered by the builder also {@value #OTHER_ERROR_PAGE} for 500.
     */
    @Override
    public Map<Integer, String> errorPages() {
        return mapping == Mapping.BUILDER_REGISTER
                ? Map.of(404, ERROR_PAGE, 500, OTHER_ERROR_PAGE)
                : Map.of(404, ERROR_PAGE);
    }

    /**
     * A path under {@value #FAILS_WITH} whose requests the application fails with {@code status}:
     * {@code failsWith(500, "evt-1")} is {@code /webhooks/fails-with-500/evt-1}.
     */
    public static String failsWith(int status, String label) {
        return FAILS_WITH + status + "/" + label;
    }

    /** A target in this context: {@code path + relative}. */
    public String target(String relative) {
        return path + relative;
    }

    /** How many times this context's application has run since the JVM started. */
    public int handlerRuns() {
        return RUNS.computeIfAbsent(path, k -> new AtomicInteger()).get();
    }

    /** {@code webhookPath} (such as {@code /webhooks/holder-1}) moved under {@value #COUNTED_PATTERN}. */
    public static String counted(String webhookPath) {
        if (!webhookPath.startsWith("/webhooks/")) {
            throw new IllegalArgumentException("not under /webhooks/: " + webhookPath);
        }
        return "/webhooks/counted/" + webhookPath.substring("/webhooks/".length());
    }

    /** {@code webhookPath} (such as {@code /webhooks/evt-1}) moved under {@value #HELD}. */
    public static String held(String webhookPath) {
        if (!webhookPath.startsWith("/webhooks/")) {
            throw new IllegalArgumentException("not under /webhooks/: " + webhookPath);
        }
        return HELD + webhookPath.substring("/webhooks/".length());
    }

    /**
     * How many body bytes the filter (or what runs after it) has read so far from requests to {@code uri}
     * (path as sent, under {@value #COUNTED_PATTERN}); counted as each read returns, so while a request
     * is being buffered this is what its buffer holds.
     */
    public static long bodyBytesRead(String uri) {
        AtomicLong read = BYTES_READ.get(uri);
        return read == null ? 0 : read.get();
    }

    /**
     * Waits until the application holds a request to {@code uri} (path as sent, under {@value #HELD}), its body
     * read to the end.
     *
     * @return false if none was held within {@code patience}
     */
    public static boolean awaitHeld(String uri, Duration patience) throws InterruptedException {
        return latch(HELD_REQUESTS, uri).await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until the container has told the application's {@code AsyncListener} of an error on a request to
     * {@code uri} (path as sent, under {@value #HELD_ASYNC}).
     *
     * @return false if it was not told within {@code patience}
     */
    public static boolean awaitAsyncError(String uri, Duration patience) throws InterruptedException {
        return latch(ASYNC_ERRORS, uri).await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the application answer the requests to {@code uri} that it holds, and any it holds later. */
    public static void letGo(String uri) {
        latch(LET_GO, uri).countDown();
    }

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String uri) {
        return latches.computeIfAbsent(uri, k -> new CountDownLatch(1));
    }

    /**
     * The rejections noted so far for requests to {@code uri} (path as sent, without the query),
     * {@code "none"} for each request that was not rejected; waits up to 5 s for {@code expected}
     * entries, since a request is noted after its response went out.
     */
    public static List<String> rejections(String uri, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<String> noted = REJECTIONS.getOrDefault(uri, List.of());
            synchronized (noted) {
                if (noted.size() >= expected) {
                    return List.copyOf(noted);
                }
            }
            Thread.sleep(10);
        }
        List<String> noted = REJECTIONS.getOrDefault(uri, List.of());
        synchronized (noted) {
            return List.copyOf(noted);
        }
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        context.addListener(new RejectionListener());
        // Added first, so that it runs before the filter (as long as both are matched before the descriptor's).
        context.addFilter("bodyByteCounter", new BodyByteCounter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, COUNTED_PATTERN);
        context.addFilter("headerAfterChain", new HeaderAfterChain())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, OUTER_PATTERN);
        if (mapping == Mapping.BUILDER_REGISTER) {
            if (!filterParameters.keySet().equals(Set.of(WebhookSignatureFilter.PARAM_SECRETS))) {
                throw new IllegalArgumentException("a context registered by the builder takes secrets only");
            }
            WebhookSignatureFilter.builder()
                    .secrets(filterParameters.get(WebhookSignatureFilter.PARAM_SECRETS))
                    .register(context, FILTER_NAME, WEBHOOK_PATTERN);
            WebhookSignatureFilter.builder().secrets(OTHER_ENDPOINT_SECRET).register(context, "otherEndpoint",
                    OTHER_ENDPOINT_PATTERN);
            context.addServlet("otherApplication", new Application(path)).addMapping(OTHER_ENDPOINT_PATTERN);
        } else {
            FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, WebhookSignatureFilter.class);
            filter.setInitParameters(filterParameters);
            EnumSet<DispatcherType> dispatchers = mapping == Mapping.REQUEST_ONLY
                    ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.allOf(DispatcherType.class);
            filter.setAsyncSupported(true); // for HELD_ASYNC
            filter.addMappingForUrlPatterns(dispatchers, false, WEBHOOK_PATTERN);
        }
        ServletRegistration.Dynamic application = context.addServlet("application", new Application(path));
        application.setAsyncSupported(true);
        application.addMapping(WEBHOOK_PATTERN);
        context.addServlet("forwarder", new Forwarder()).addMapping(FORWARD_PATTERN);
        context.addServlet("notFound", new NotFound()).addMapping("/");
        INITIALIZED.add(path);
    }

    /**
     * Whether the container deployed this context and ran its initializer to the end: what is left to
     * stop the context then is the filter's or a servlet's {@code init}.
     */
    public boolean initialized() {
        return INITIALIZED.contains(path);
    }

    @Override
    public String toString() {
        return path + " " + filterParameters.keySet() + " " + mapping;
    }

    /**
     * {@link #HELD_ASYNC}: reads the body, starts async mode and answers from a thread of its own once let go, as
     * an application that hands its work to another thread does; notes an error the container tells it meanwhile.
     */
    private static void holdAsync(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String uri = request.getRequestURI();
        AsyncContext async = request.startAsync();
        async.setTimeout(HELD_AT_MOST.toMillis() * 2);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                latch(ASYNC_ERRORS, uri).countDown();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        latch(HELD_REQUESTS, uri).countDown();
        Thread answering = new Thread(() -> {
            try {
                latch(LET_GO, uri).await(HELD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                async.getResponse().setContentType("text/plain");
                async.getResponse().getWriter().write("bytes=" + body.length + "\n");
                async.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | IllegalStateException e) {
                // The container ended the request meanwhile: nothing to answer.
            }
        }, "held-async " + uri);
        answering.setDaemon(true);
        answering.start();
    }

    /** The application behind the filter. */
    private static final class Application extends HttpServlet {

        private static final long serialVersionUID = 1L;
        private final String contextPath;

        Application(String contextPath) {
            this.contextPath = contextPath;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            RUNS.computeIfAbsent(contextPath, k -> new AtomicInteger()).incrementAndGet();
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            if (path.startsWith(TO_OTHER_ENDPOINT)) {
                request.getInputStream().readAllBytes();
                request.getRequestDispatcher("/other/" + path.substring(TO_OTHER_ENDPOINT.length())).forward(request, response);
                return;
            }
            if (path.startsWith(FAILS_WITH)) {
                request.getInputStream().readAllBytes();
                String status = path.substring(FAILS_WITH.length());
                response.sendError(Integer.parseInt(status.substring(0, status.indexOf('/'))));
                return;
            }
            if (path.startsWith(HELD_ASYNC)) {
                holdAsync(request);
                return;
            }
            if (path.startsWith(HELD)) {
                byte[] body = request.getInputStream().readAllBytes();
                latch(HELD_REQUESTS, request.getRequestURI()).countDown();
                try {
                    latch(LET_GO, request.getRequestURI()).await(HELD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.setContentType("text/plain");
                response.getWriter().write("bytes=" + body.length + "\n");
                return;
            }
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            if ("/params".equals(request.getPathInfo())) {
                StringBuilder text = new StringBuilder();
                new TreeMap<>(request.getParameterMap()).forEach((name, values) ->
                        text.append(name).append('=').append(String.join("|", values)).append('\n'));
                response.getWriter().write(text.toString());
                return;
            }
            long bytes = 0;
            try (InputStream in = request.getInputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes += n;
                }
            }
            response.getWriter().write("bytes=" + bytes + "\n");
        }
    }

    /** Outside the webhook path: forwards to the same path under it, as an application's router might. */
    private static final class Forwarder extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String rest = request.getPathInfo() == null ? "/" : request.getPathInfo();
            request.getRequestDispatcher("/webhooks" + rest).forward(request, response);
        }
    }

    /** The default servlet: every other path is not found, which sends the request to the error page. */
    private static final class NotFound extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /** Counts the body bytes read from each request, by the URI the client sent ({@link #bodyBytesRead}). */
    private static final class BodyByteCounter implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            AtomicLong read = BYTES_READ.computeIfAbsent(http.getRequestURI(), k -> new AtomicLong());
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public ServletInputStream getInputStream() throws IOException {
                    return new CountingInputStream(super.getInputStream(), read);
                }
            }, response);
        }
    }

    /**
     * Sets {@value #OUTER_HEADER} once the chain has returned, as a filter that adds a request id or CORS
     * headers to every answer does: on a response already committed the container drops it.
     */
    private static final class HeaderAfterChain implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
            ((HttpServletResponse) response).setHeader(OUTER_HEADER, "after-chain");
        }
    }

    /** The container's stream, passed through, with every byte read added to {@code read}. */
    private static final class CountingInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final AtomicLong read;

        CountingInputStream(ServletInputStream in, AtomicLong read) {
            this.in = in;
            this.read = read;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                read.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Notes why the filter rejected each finished request, by the URI the client sent. */
    private static final class RejectionListener implements ServletRequestListener {

        @Override
        public void requestDestroyed(ServletRequestEvent event) {
            if (!(event.getServletRequest() instanceof HttpServletRequest request)) {
                return;
            }
            Object rejection = request.getAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE);
            List<String> noted = REJECTIONS.computeIfAbsent(request.getRequestURI(), k -> new ArrayList<>());
            synchronized (noted) {
                noted.add(rejection == null ? "none" : rejection.toString());
            }
        }
    }
}
