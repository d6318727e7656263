package dev.webhookfilter.servlet;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.Verification;
import dev.webhookfilter.VerificationListener;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.internal.ServletUrlPatterns;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets through only requests whose signature verifies (by default the {@code X-Webhook-Signature} of
 * scheme {@code wealthkernel-2022}; the {@code scheme} init-param picks another sender's); answers every other with
 * 401 (413 for a body over the limit, 400 for a body that cannot be read in full, a refused query
 * string or a form of more than 1000 pairs, 503 with {@code Retry-After} when the filter cannot decide now) and
 * never calls the rest of
 * the chain for it.
 *
 * <p>Applications without {@code web.xml} use {@link #builder()} with {@code ServletContext.addFilter}.
 *
 * <p>Work per request, cheapest first: no query string if refused; the header is present, single and
 * well formed; its timestamp is fresh; {@code Content-Length} is within {@code maxBodyBytes}; only then
 * is the body read, once, into a buffer that grows as bytes arrive (within {@code maxBufferedBytes} for
 * all requests in flight), and its MAC checked; the timestamp must still be fresh when the MAC matches.
 * Downstream sees the exact bytes again through {@code getInputStream()}, {@code getReader()} and, for
 * form posts, {@code getParameter()}, for which room is taken in that budget before the chain runs.
 *
 * <p>What is signed is the body and the timestamp: not the method, the path or the query string. A
 * query string's parameters come first in {@code getParameter()} (the Servlet order) though nobody
 * signed them; {@code queryString=reject} refuses requests that carry one.
 *
 * <p>The init-params are named by the {@code PARAM_*} constants below: {@code secrets} (required),
 * {@code toleranceSeconds}, {@code maxBodyBytes}, {@code maxBufferedBytes}, {@code scheme},
 * {@code headerName}, {@code queryString}, {@code replayProtection}, {@code replayCacheSize},
 * {@code deduplicate}, {@code idHeader}, {@code dedupTtlSeconds}, {@code leaseSeconds}, {@code store},
 * {@code storeTimeoutMillis}, {@code storeKeyPrefix}, {@code onStoreUnavailable} and {@code listener}.
 * Their defaults, ranges and meanings are in the README's parameter table, which is rendered from the
 * table the filter checks them against.
 * Any other init-param, or a bad value, stops the application from starting; so does a mapping on a URL
 * pattern the Servlet specification gives no meaning ({@code /webhooks/**}), which Tomcat takes literally, on a
 * valid one that Tomcat or Jetty matches to no request as written ({@code *.json.gz}, {@code /webhooks//events},
 * {@code /webhooks;v=1}, {@code /webhooks/%65vents}), or on one that reaches no servlet of the application by the registrations the container reports ({@code /webhook/*}
 * for a handler on {@code /webhooks/*}, or the context path in the pattern), unless another filter covers it.
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>webhookSignature</filter-name>
 *   <filter-class>dev.webhookfilter.servlet.WebhookSignatureFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param>
 *     <param-name>secrets</param-name>
 *     <param-value>env:WEBHOOK_SECRET</param-value>
 *   </init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>webhookSignature</filter-name>
 *   <url-pattern>/webhooks/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>FORWARD</dispatcher>
 *   <dispatcher>INCLUDE</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * Map every dispatcher type, as above: mapped for {@code REQUEST} only, an internal forward or
 * error page into the webhook path would reach the handler without verification. Without
 * {@code async-supported}, Tomcat refuses {@code startAsync()} to the handler. A request verified
 * once passes its later dispatches through this filter untouched; one that another instance verified (a
 * forward or include from one endpoint's handler into another endpoint's path, or an error page of one
 * endpoint in another's path) is checked again here, from the bytes that instance read, against this filter's
 * scheme, secrets and limits. Who verified a request is known from the filter's request wrapper, or, on a
 * dispatch of the container's own request (an error dispatch), from a private attribute the filter records
 * through it when the handler ends in an error status, an exception or async mode, after which a container
 * may dispatch an error page; a later dispatch with {@link #TIMESTAMP_ATTRIBUTE} but no such record (a forward
 * of the container's request by the handler itself) is verified as if it were new. Inside an error dispatch a refusal leaves the response to the container, which answers with the error
 * it dispatched for, without the page.
 *
 * <p>Thread-safe once initialised. Rejections are logged at DEBUG with their reason, method and
 * path (without path parameters such as {@code ;jsessionid}); no log line, response or exception ever contains a secret, a signature, a header value
 * or a body.
 */
public final class WebhookSignatureFilter implements Filter {

    // The init-params' names. Their defaults, ranges and descriptions are in the README's parameter table.
    /** Init-param: the secrets, comma-separated; each a literal, {@code env:NAME} or {@code file:PATH}. Required. */
    public static final String PARAM_SECRETS = "secrets";
    /** Init-param: how far {@code t} may be from now, either way, in seconds. */
    public static final String PARAM_TOLERANCE_SECONDS = "toleranceSeconds";
    /** Init-param: the largest body accepted, in bytes. */
    public static final String PARAM_MAX_BODY_BYTES = "maxBodyBytes";
    /** Init-param: the most body bytes all requests in flight may hold together. */
    public static final String PARAM_MAX_BUFFERED_BYTES = "maxBufferedBytes";
    /** Init-param: the sender's signature scheme, one of {@link dev.webhookfilter.Scheme#names()}. */
    public static final String PARAM_SCHEME = "scheme";
    /** Init-param: the header that carries the signature, when not the scheme's. */
    public static final String PARAM_HEADER_NAME = "headerName";
    /** Init-param: {@code allow} or {@code reject} requests with a query string. */
    public static final String PARAM_QUERY_STRING = "queryString";
    /**
     * Init-param: {@code true} to refuse a signed message (timestamp and body) accepted before, within the
     * tolerance window, whichever secret or signature it carries.
     */
    public static final String PARAM_REPLAY_PROTECTION = "replayProtection";
    /** Init-param: how many entries the memory store holds at most. */
    public static final String PARAM_REPLAY_CACHE_SIZE = "replayCacheSize";
    /** Init-param: {@code true} to run the handler once per sender's message id. */
    public static final String PARAM_DEDUPLICATE = "deduplicate";
    /** Init-param: the header that carries the sender's message id, for de-duplication. */
    public static final String PARAM_ID_HEADER = "idHeader";
    /** Init-param: how long a processed message id is remembered, in seconds. */
    public static final String PARAM_DEDUP_TTL_SECONDS = "dedupTtlSeconds";
    /** Init-param: how long a claim holds if its request never finishes, in seconds. */
    public static final String PARAM_LEASE_SECONDS = "leaseSeconds";
    /** Init-param: where replay protection and de-duplication keep their records: {@code memory} or a store's URI. */
    public static final String PARAM_STORE = "store";
    /** Init-param: the most any one call to a shared store may take, in milliseconds. */
    public static final String PARAM_STORE_TIMEOUT_MILLIS = "storeTimeoutMillis";
    /** Init-param: prepended to every key in a shared store. */
    public static final String PARAM_STORE_KEY_PREFIX = "storeKeyPrefix";
    /** Init-param: {@code reject} (503) or {@code allow} (go on, weaker) when the store cannot decide. */
    public static final String PARAM_ON_STORE_UNAVAILABLE = "onStoreUnavailable";
    /** Init-param: a {@link VerificationListener} class with a public no-arg constructor, told each outcome. */
    public static final String PARAM_LISTENER = "listener";

    /** Response header on a duplicate answered without running the handler: {@code true}. */
    public static final String DUPLICATE_HEADER = "Webhook-Duplicate";
    /** Request attribute on a verified request: the signature's timestamp, Unix seconds, a {@link Long}. */
    public static final String TIMESTAMP_ATTRIBUTE = "dev.webhookfilter.timestamp";
    /** Request attribute on a verified request: the position from 0 of the matching secret, an {@link Integer}. */
    public static final String SECRET_INDEX_ATTRIBUTE = "dev.webhookfilter.secretIndex";
    /**
     * Request attribute on a rejected request: why, a {@link RejectionReason} ({@link Rejection} or
     * {@link FilterRejection}). Set before the filter begins its answer, so that a filter in front of this one
     * sees it from the moment the request is refused, through a request wrapper's {@code setAttribute}.
     */
    public static final String REJECTION_ATTRIBUTE = "dev.webhookfilter.rejection";

    /**
     * Of a rejected request, this many unread body bytes at most are read and discarded so that
     * the connection can carry the sender's next request; past it the response says
     * {@code Connection: close}.
     */
    static final int DRAIN_LIMIT = 64 * 1024;
    /** What {@link #declaredLength} gives for a {@code Content-Length} the container cannot read. */
    private static final long UNREADABLE_LENGTH = Long.MIN_VALUE;
    /** A 503 (busy, or replay protection cannot decide) asks the sender to retry after this long. */
    private static final String RETRY_AFTER_SECONDS = "60";

    private static final System.Logger LOG = System.getLogger(WebhookSignatureFilter.class.getName());
    private static final Map<RejectionReason, byte[]> RESPONSE_BODIES = responseBodies();
    private static final byte[] DUPLICATE_BODY = "webhook duplicate: processed before\n".getBytes(StandardCharsets.UTF_8);

    private final boolean configuredByBuilder;
    private final List<VerificationListener> builderListeners;
    private volatile FilterSettings settings;
    /** Set at {@code init}, with the filter's name; a built filter has one without a name before. */
    private volatile OutcomeReporter reporter;
    /**
     * The store opened from a URI that {@code destroy} closed, or null. A built filter's settings are made once,
     * so it cannot start again then; a container that keeps the instance (Jetty's {@code FilterHolder} of an
     * instance) calls {@code init} again when its context restarts.
     */
    private volatile dev.webhookfilter.WebhookStore closedStore;

    /** For {@code web.xml}: the container calls {@link #init} with the init-params. */
    public WebhookSignatureFilter() {
        this.configuredByBuilder = false;
        this.builderListeners = List.of();
    }

    private WebhookSignatureFilter(FilterSettings settings, List<VerificationListener> listeners) {
        this.configuredByBuilder = true;
        this.settings = settings;
        this.builderListeners = List.copyOf(listeners);
        this.reporter = new OutcomeReporter(builderListeners, "", settings.verifier.scheme().name(),
                System::nanoTime);
    }

    /**
     * Configures a filter in code, for applications that register filters with
     * {@code ServletContext.addFilter} instead of {@code web.xml}; {@link Builder#register} maps it
     * on every dispatcher type:
     * <pre>{@code
     * WebhookSignatureFilter.builder()
     *         .secrets("env:WEBHOOK_SECRET")
     *         .register(context, "webhookSignature", "/webhooks/*");
     * }</pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates the init-params; a filter made by {@link #builder()} must be given none.
     *
     * @throws ServletException naming every bad or missing parameter, and every mapping that guards nothing,
     *         with its fix; the application must not start without this filter
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        FilterSettings parsed = settings;
        List<VerificationListener> listeners = builderListeners;
        List<String> mappingWarnings;
        try {
            List<String> problems = new ArrayList<>(3);
            if (!configuredByBuilder) {
                try {
                    parsed = FilterSettings.parse(Collections.list(config.getInitParameterNames()),
                            config::getInitParameter, System::getenv);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
                try {
                    VerificationListener listener = OutcomeReporter.instantiate(config.getInitParameter(PARAM_LISTENER),
                            classLoader());
                    listeners = listener == null ? List.of() : List.of(listener);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            } else if (config.getInitParameterNames().hasMoreElements()) {
                problems.add("the filter was configured with WebhookSignatureFilter.builder();"
                        + " configure it there, not with init-params");
            }
            if (configuredByBuilder && closedStore != null) {
                problems.add("the filter was destroyed, which closed the store it opened from its store URI; a filter"
                        + " made by WebhookSignatureFilter.builder() starts once: build a new one for the context that"
                        + " starts again, or give it a store the application owns with Builder.store(WebhookStore)");
            }
            List<String> validPatterns = new ArrayList<>();
            for (String pattern : urlPatterns(config)) {
                if (!ServletUrlPatterns.isValid(pattern)) {
                    // Tomcat takes /webhooks/** as one literal path (with a log line), and the filter guards nothing.
                    problems.add("url-pattern '" + pattern + "' of its filter-mapping is not a Servlet URL pattern"
                            + " and would match no request: a * stands only at the end of a prefix (/webhooks/*,"
                            + " which covers everything under /webhooks/) or at the start of an extension (*.json)");
                } else {
                    String unmatched = ServletUrlPatterns.unmatchedOnSomeContainer(pattern);
                    if (unmatched != null) {
                        problems.add("url-pattern '" + pattern + "' of its filter-mapping " + unmatched);
                    } else {
                        validPatterns.add(pattern);
                    }
                }
            }
            mappingWarnings = MappingCheck.check(config, validPatterns, problems);
            if (parsed != null && parsed.store != null && parsed.store.isShared() && isMadeUpName(config.getFilterName())) {
                problems.add("its name '" + config.getFilterName() + "' was made up by the container (a Jetty FilterHolder"
                        + " without setName), and differs on every instance and after every restart; a shared store"
                        + " keeps its records under the filter's name, so instances would not see each other's, and a"
                        + " replay or a duplicate refused by one would be let through by another. Give the filter a name"
                        + " that every instance shares: FilterHolder.setName(\"webhooks\"), or"
                        + " ServletContext.addFilter(\"webhooks\", ...)");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
        } catch (IllegalArgumentException e) {
            // Containers call destroy only after an init that returned: close what this filter opened from a URI.
            if (configuredByBuilder) {
                destroy();
            } else if (parsed != null && parsed != settings && parsed.openedStore != null) {
                parsed.openedStore.close();
            }
            String message = "WebhookSignatureFilter '" + config.getFilterName()
                    + "' is misconfigured and will not start:\n" + e.getMessage();
            // Also through our own logger: Tomcat's catalina.out shows only "One or more Filters failed to start".
            LOG.log(Level.ERROR, message);
            throw new ServletException(message);
        }
        settings = parsed;
        if (parsed.store != null) {
            parsed.store.namespace(config.getFilterName());
        }
        reporter = new OutcomeReporter(listeners, config.getFilterName(), parsed.verifier.scheme().name(),
                System::nanoTime);
        reporter.started();
        WebhookVerifier verifier = parsed.verifier;
        LOG.log(Level.INFO, "WebhookSignatureFilter ''{0}'' verifies {1} with {2}, tolerance {3} s,"
                        + " bodies up to {4} bytes ({5} bytes in flight), query strings {6}, replay protection {7}",
                config.getFilterName(), schemeAndHeader(parsed), plural(verifier.secretCount(), "secret"),
                Long.toString(verifier.tolerance().getSeconds()), Integer.toString(parsed.maxBodyBytes),
                Long.toString(parsed.bodyBudget.limit()), parsed.rejectQueryString ? "refused" : "allowed",
                verifier.hasReplayProtection() ? "on" : "off");
        if (!verifier.scheme().hasTimestamp()) {
            LOG.log(Level.INFO, "WebhookSignatureFilter ''{0}'': scheme {1} signs no timestamp, so freshness"
                    + " cannot bound a replay; with " + PARAM_REPLAY_PROTECTION + "=true an accepted message is"
                    + " refused again for {2} s after it was accepted (five minutes more on the Redis or JDBC store), and"
                    + " not after; " + (parsed.dedup == null ? "for longer, de-duplicate by the sender''s delivery id ("
                    + PARAM_DEDUPLICATE + ", " + PARAM_ID_HEADER + ")" : "de-duplication by the sender''s delivery id"
                    + " ({3}) is on"), config.getFilterName(), verifier.scheme().name(),
                    Long.toString(verifier.tolerance().getSeconds()), parsed.dedup == null ? "" : parsed.dedup.idHeader);
        }
        if (parsed.dedup != null || parsed.openedStore != null) {
            LOG.log(Level.INFO, "WebhookSignatureFilter ''{0}'': store {1}, de-duplication {2}", config.getFilterName(),
                    parsed.openedStore != null ? parsed.openedStore.toString() : FilterParameter.STORE.defaultText(),
                    parsed.dedup == null ? "off" : "on " + parsed.dedup.idHeader + ", lease "
                            + parsed.dedup.lease.getSeconds() + " s, remembered " + parsed.dedup.ttl.getSeconds() + " s");
        }
        for (String warning : mappingWarnings) {
            LOG.log(Level.WARNING, "WebhookSignatureFilter '" + config.getFilterName() + "': " + warning);
        }
        if (!listeners.isEmpty() && isMadeUpName(config.getFilterName())) {
            // Not refused, as a shared store is: each count stays right, only its endpoint tag moves.
            LOG.log(Level.WARNING, "WebhookSignatureFilter ''{0}'': its name was made up by the container (a Jetty"
                    + " FilterHolder without setName), and differs on every instance and after every restart; its"
                    + " VerificationListeners tag each outcome with it (the endpoint tag of webhooks.requests), so every"
                    + " instance and every restart counts under an endpoint of its own. Give the filter a name that every"
                    + " instance shares: FilterHolder.setName(\"webhooks\"), or ServletContext.addFilter(\"webhooks\", ...)",
                    config.getFilterName());
        }
        long formRoom = FormBody.room(parsed.maxBodyBytes);
        if (parsed.bodyBudget.limit() < formRoom) {
            // Not refused: most endpoints never get a form, and their budget may be as low as one body.
            LOG.log(Level.WARNING, "WebhookSignatureFilter ''{0}'': " + PARAM_MAX_BUFFERED_BYTES + " ({1}) is less than a"
                    + " form post of " + PARAM_MAX_BODY_BYTES + " ({2}) takes with its decoded parameters ({3} bytes, {4}"
                    + " pairs in UTF-8): such a form gets 413 (BODY_TOO_LARGE) whatever else is in flight; if this endpoint takes"
                    + " application/x-www-form-urlencoded posts, raise " + PARAM_MAX_BUFFERED_BYTES + " to at least {3},"
                    + " or lower " + PARAM_MAX_BODY_BYTES, config.getFilterName(), Long.toString(parsed.bodyBudget.limit()),
                    Integer.toString(parsed.maxBodyBytes), Long.toString(formRoom),
                    Integer.toString(FormBody.mostPairs(parsed.maxBodyBytes)));
        }
        for (int position : parsed.shortSecrets) {
            LOG.log(Level.WARNING, "WebhookSignatureFilter ''{0}'': secret #{1} gives a key shorter than {2} bytes;"
                    + " use a long random secret, such as the one the platform generates",
                    config.getFilterName(), position, Secrets.MIN_RECOMMENDED_BYTES);
        }
    }

    /**
     * Whether {@code name} is one Jetty gives a holder that was not named: the class's name, {@code -} and the
     * holder's hash code in hex. It differs on every instance and after every restart.
     */
    static boolean isMadeUpName(String name) {
        String generated = WebhookSignatureFilter.class.getName() + "-";
        if (name == null || !name.startsWith(generated) || name.length() == generated.length()
                || name.length() > generated.length() + 8) {
            return false;
        }
        for (int i = generated.length(); i < name.length(); i++) {
            if ("0123456789abcdef".indexOf(name.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The URL patterns the filter is mapped on; none when the container does not tell (a bare {@code FilterConfig},
     * or a context that does not support registrations).
     */
    private static Collection<String> urlPatterns(FilterConfig config) {
        ServletContext context = config.getServletContext();
        try {
            FilterRegistration registration = context == null ? null : context.getFilterRegistration(config.getFilterName());
            Collection<String> patterns = registration == null ? null : registration.getUrlPatternMappings();
            return patterns == null ? List.of() : patterns;
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            throw new ServletException("WebhookSignatureFilter handles HTTP requests only");
        }
        FilterSettings settings = this.settings;
        if (settings == null) {
            throw new ServletException("WebhookSignatureFilter was not initialised");
        }
        long start = reporter.start();
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // A later dispatch (forward, include, error page, async) of a request this filter verified passes. One that
        // another endpoint's filter verified is checked again here, from the bytes that filter read; one that
        // carries the timestamp attribute but no record of who verified it, as if it were new.
        BufferedBody readBefore = null;
        VerifiedRequest recorded = null;
        if (request.getDispatcherType() != DispatcherType.REQUEST && request.getAttribute(TIMESTAMP_ATTRIBUTE) != null) {
            if (VerifiedRequest.isVerifiedBy(request, this)) {
                // A read listener set in this dispatch (the async dispatch of startAsync().dispatch()) waits for it.
                VerifiedRequest passing = VerifiedRequest.outermost(request);
                if (passing != null) {
                    passing.chainStarted();
                }
                try {
                    chain.doFilter(req, res);
                } catch (Throwable t) {
                    if (request.getDispatcherType() == DispatcherType.ASYNC && !isAsyncStarted(request)) {
                        // An async dispatch that threw out of async mode has ended, as a synchronous handler that
                        // throws has: judged now, before the container's onError (Tomcat's) or 500 (Jetty's) follows.
                        VerifiedRequest own = VerifiedRequest.madeBy(request, this);
                        if (own != null) {
                            own.dispatchFailed();
                        }
                    }
                    throw t;
                } finally {
                    if (passing != null) {
                        passing.chainReturned();
                    }
                }
                return;
            }
            VerifiedRequest another = VerifiedRequest.lastVerified(request);
            readBefore = another == null ? null : another.body();
            recorded = VerifiedRequest.recorded(request);
        }
        boolean bodyUnread = readBefore == null;

        if (settings.rejectQueryString && hasQueryString(request)) {
            reject(start, request, response, FilterRejection.QUERY_STRING, "the request has a query string, which is not signed",
                    bodyUnread);
            return;
        }
        WebhookVerifier verifier = settings.verifier;
        HeaderCheck check = settings.checkHeader(request);
        if (!check.isAccepted()) {
            reject(start, request, response, check.rejection(), check.detail(), bodyUnread);
            return;
        }

        long declared = bodyUnread ? declaredLength(request) : 0;
        if (declared == UNREADABLE_LENGTH) {
            reject(start, request, response, FilterRejection.BODY_INCOMPLETE,
                    "the Content-Length is not one number", true);
            return;
        }
        BufferedBody body = bodyUnread ? BufferedBody.read(declared, request,
                ServletRequest::getInputStream, settings.maxBodyBytes, settings.bodyBudget)
                : readBefore.lentTo(settings.maxBodyBytes);
        if (!body.isComplete()) {
            reject(start, request, response, body.refusal(), body.detail(), false);
            return;
        }
        boolean releaseLater = false;
        try {
            Verification result = verifier.checkBody(check, body.chunks(), body.length);
            if (result.isRejected()) {
                reject(start, request, response, result.rejection(), result.detail(), false);
                return;
            }
            if ((settings.dedup != null || verifier.hasReplayProtection()) && !"POST".equals(request.getMethod())) {
                // Senders POST. Another method's outcome cannot be remembered: kept, a signed copy sent as OPTIONS
                // (which HttpServlet answers 200 for a handler of POST alone) uses up the message before the sender's
                // POST; forgotten, one sent as PUT to a handler that takes any method (Spring MVC's @RequestMapping
                // without a method) runs it again each time. So it does not reach the handler.
                verifier.release(result);
                reject(start, request, response, FilterRejection.METHOD_NOT_ALLOWED, "the request is not a POST", false);
                return;
            }
            // Decoded, a form costs far more than its bytes, and the application may ask for its parameters: room for
            // them is taken now, while a refusal can still be clean, as the filter cannot know whether it will ask.
            FilterRejection form = VerifiedRequest.isFormPost(request)
                    ? FormBody.hold(body, VerifiedRequest.formCharset(request)) : null;
            if (form != null) {
                verifier.release(result); // the handler did not run: the sender's retry must not count as a replay
                reject(start, request, response, form, form == FilterRejection.TOO_MANY_PARAMETERS
                        ? "the form has more than " + FormBody.MAX_PAIRS + " pairs"
                        : "the form's decoded parameters would overflow maxBufferedBytes (" + settings.bodyBudget.limit()
                        + " bytes)" + (form == FilterRejection.BUSY ? "" : " even with nothing else in flight"), false);
                return;
            }
            Claim claim = settings.dedup == null ? null : claim(start, request, response, settings, check);
            if (claim == Claim.REFUSED) {
                verifier.release(result); // the handler did not run: the sender's retry must not count as a replay
                return;
            }
            if (claim == Claim.DUPLICATE) {
                // Answered 200, which its sender does not send again: the message stays seen, as a processed one does,
                // so a captured copy under an id of its own (one the sender does not sign) is a replay.
                return;
            }
            boolean processed = false;
            boolean answered = false;
            boolean outcomeUnknown = false;
            VerifiedRequest verified = null;
            AsyncEnd end = null;
            Throwable failed = null;
            try {
                // Inside the try: a listener's VirtualMachineError passes through reporter.verified, and an
                // application's attribute listener may throw here; the handler has not run either way. Told first,
                // so that the decision counts whatever the attribute listener does.
                reporter.verified(start);
                request.setAttribute(TIMESTAMP_ATTRIBUTE, result.timestamp());
                request.setAttribute(SECRET_INDEX_ATTRIBUTE, result.secretIndex());
                verified = new VerifiedRequest(request, body, response, this, recorded);
                verified.chainStarted();
                try {
                    chain.doFilter(verified, response);
                } catch (Throwable t) {
                    failed = t;
                    // A handler that started async mode, maybe handing the request to a thread of its own, then threw:
                    // as at an async error, its outcome is not known. The message stays recorded, the claim runs out
                    // with its lease.
                    outcomeUnknown = isAsyncStarted(request);
                    // A handler that had answered, its response committed, and then threw (a write once its client
                    // had gone, say) is judged by the status it answered, as if it had returned: forgotten, a copy of
                    // the request could run it again by closing each connection before the answer.
                    processed = outcomeUnknown || answeredBelow500(response);
                    throw t;
                }
                boolean async = request.isAsyncStarted();
                int status = response.getStatus();
                processed = async || status < 500;
                answered = !async && isSuccess(status);
                end = async ? finishOnCompletion(request, response, verifier, result, body, claim) : null;
                releaseLater = end != null;
            } finally {
                if (!processed) {
                    verifier.release(result); // the sender's retry of this same request must not count as a replay
                }
                if (claim != null && !releaseLater && !outcomeUnknown) {
                    claim.finish(processed && isSuccess(response.getStatus()));
                }
                if (verified != null) {
                    chainReturned(request, verified, !answered, end, failed);
                }
            }
        } finally {
            if (!releaseLater) {
                body.release();
            }
        }
    }

    /**
     * What follows the chain's return with a verified request, last: the request recorded where the container may
     * dispatch an error page with its own request rather than ours, then a read listener set in the chain started, as
     * the container's would be once the chain returned, even if an application's attribute listener threw on the
     * record. That exception then passes on, unless the chain threw one of its own, which it is added to.
     *
     * @param record whether the request ended in an error status, an exception or async mode: a plain success needs no
     *        record (one attribute less per request); the bytes stay with it once their room is given back
     * @param end what ends an async request, which a read listener needs; null for a synchronous one
     * @param failed what the chain threw; null if it returned
     */
    private static void chainReturned(HttpServletRequest request, VerifiedRequest verified, boolean record, AsyncEnd end,
                                      Throwable failed) {
        RuntimeException recordFailed = null;
        if (record) {
            try {
                VerifiedRequest.record(request, verified);
            } catch (RuntimeException e) {
                recordFailed = e;
            }
        }
        if (end != null) {
            verified.onReadFailure(end::failed);
            verified.onDispatchFailure(end::thrownInDispatch);
        }
        verified.chainReturned();
        if (recordFailed != null) {
            if (failed == null) {
                throw recordFailed;
            }
            failed.addSuppressed(recordFailed);
        }
    }

    /**
     * De-duplication's claim on a verified request's message id. Answers the request itself when the handler must
     * not run, and gives {@link Claim#DUPLICATE} for a duplicate answered 200 ({@value #DUPLICATE_HEADER}), and
     * {@link Claim#REFUSED} for one being processed elsewhere (409), no usable id (400), an undecided store (503), or a
     * duplicate that could not be answered so (an error dispatch, a response committed).
     */
    private Claim claim(long start, HttpServletRequest request, HttpServletResponse response, FilterSettings settings,
                        HeaderCheck check) {
        FilterSettings.Dedup dedup = settings.dedup;
        String id = messageId(request, check, dedup);
        if (id == null || !Claim.isWellFormed(id)) {
            reject(start, request, response, FilterRejection.MISSING_ID, "de-duplication needs exactly one " + dedup.idHeader
                    + (dedup.fallbackIdHeader == null ? "" : " (or, without it, " + dedup.fallbackIdHeader + ")")
                    + " header of 1 to " + Claim.MAX_ID_LENGTH + " visible ASCII characters", false);
            return Claim.REFUSED;
        }
        StoreAccess store = settings.store;
        byte[] key = store.dedupKey(id);
        byte[] token = Claim.newToken();
        switch (store.claim(key, token, dedup.lease)) {
            case FIRST:
                return new Claim(store, key, token, dedup.ttl);
            case DONE:
                reporter.duplicate(start);
                return duplicate(request, response) ? Claim.DUPLICATE : Claim.REFUSED;
            case IN_PROGRESS:
                reject(start, request, response, FilterRejection.IN_PROGRESS, "another request with this message id is being"
                        + " processed", false);
                return Claim.REFUSED;
            default:
                if (store.allowWhenUnavailable()) {
                    return null; // onStoreUnavailable=allow: run the handler without a claim
                }
                reject(start, request, response, FilterRejection.STORE_UNAVAILABLE, "the store could not claim the message id", false);
                return Claim.REFUSED;
        }
    }

    /**
     * The message id to claim: the one the verifier read where the scheme signs it, from whichever header set the
     * request carried; otherwise the {@code idHeader}'s value, or where that header is absent its fallback's
     * ({@code shopify-webhook-id}). Null when there is none, or more than one header of the name read.
     */
    private static String messageId(HttpServletRequest request, HeaderCheck check, FilterSettings.Dedup dedup) {
        if (dedup.signedId) {
            return check.messageId().orElse(null);
        }
        Enumeration<String> ids = request.getHeaders(dedup.idHeader);
        String id = ids != null && ids.hasMoreElements() ? ids.nextElement() : null;
        if (id == null && dedup.fallbackIdHeader != null) {
            // Looked up only where the usual header is absent: shopify's usual request costs one lookup, as before.
            ids = request.getHeaders(dedup.fallbackIdHeader);
            id = ids != null && ids.hasMoreElements() ? ids.nextElement() : null;
        }
        return id == null || ids.hasMoreElements() ? null : id;
    }

    /**
     * Answers a duplicate of a message the handler processed before, without running it again.
     *
     * @return whether it was answered 200; false in an error dispatch or on a response committed already
     */
    private static boolean duplicate(HttpServletRequest request, HttpServletResponse response) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "duplicate {0} {1}: processed before, answered without the handler",
                    request.getMethod(), withoutPathParameters(request.getRequestURI()));
        }
        if (response.isCommitted() || request.getDispatcherType() == DispatcherType.ERROR) {
            return false; // in an error dispatch, as a refusal: the page does not run and the client gets the error
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(DUPLICATE_HEADER, "true");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(DUPLICATE_BODY.length);
        try {
            response.getOutputStream().write(DUPLICATE_BODY);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "could not send the duplicate answer: {0}", e.getClass().getSimpleName());
        }
        return true;
    }

    /** {@return whether the request is in async mode; false where the request cannot say} */
    private static boolean isAsyncStarted(HttpServletRequest request) {
        try {
            return request.isAsyncStarted();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@return whether the response was committed with a status below 500; false if the response cannot tell} Such an
     * answer is flushed, so that the sender gets the status judged: Tomcat 10.1 says a response is committed once its
     * Content-Length is written in full, while the bytes wait in its buffer, and on the exception sent 500 instead. A
     * flush that fails (the client gone) leaves the judgement as it is, and the handler's exception passes on.
     */
    private static boolean answeredBelow500(HttpServletResponse response) {
        try {
            if (!response.isCommitted() || response.getStatus() >= 500) {
                return false;
            }
        } catch (RuntimeException e) {
            return false;
        }
        try {
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            // The client is gone, most likely what the handler's own exception says: the answer stands as committed.
        }
        return true;
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /**
     * Waits for an async request to end before doing what the synchronous path does once the chain
     * returns: the body is counted against the budget until then, and the request's outcome, known only
     * then, decides whether the message is forgotten and how de-duplication's claim finishes.
     *
     * @return the listener added, which ends the request; null if the request completed meanwhile, and the caller
     *         must do it now
     */
    private static AsyncEnd finishOnCompletion(HttpServletRequest request, HttpServletResponse response,
                                              WebhookVerifier verifier, Verification result, BufferedBody body,
                                              Claim claim) {
        AsyncContext async;
        try {
            async = request.getAsyncContext();
        } catch (IllegalStateException e) {
            return null; // completed meanwhile
        }
        if (async == null) {
            return null;
        }
        try {
            AsyncEnd end = new AsyncEnd(response, verifier, result, body, claim);
            async.addListener(end);
            return end;
        } catch (IllegalStateException e) {
            return null; // completed meanwhile
        }
    }

    /**
     * The end of an async request, acted on once: at {@code onComplete}, by its status as the synchronous path's
     * (5xx failed, 2xx succeeded), or at {@code onError}, whose outcome is not known, as the status that follows an
     * error says nothing of the handler's own: the message stays recorded and de-duplication's claim runs out with its
     * lease. A timeout is judged when the request completes, by the status the sender gets: where the application
     * answered it (a {@code DeferredResult}'s timeout result, its own listener's 202), a 2xx is remembered as any other,
     * since the sender does not retry it; where nobody answered it, the container completes it with 500 (Spring with
     * 503), or with what an error page for 500 answers. A timeout that ends in 5xx leaves the claim to its lease, as an
     * error does, since the work the application started may still be running on a thread of its own, but is forgotten
     * as a failure. A cycle the application starts anew (a dispatch at the timeout that calls {@code startAsync} again)
     * is judged by its own end.
     *
     * <p>The status is the supplied response's, as Tomcat and Jetty give it to a listener added without one: the
     * response that {@code startAsync} was given. Where the event has none (the Servlet API promises it only to a
     * listener added with a request and response) or one that is not HTTP (an application's
     * {@code startAsync(request, new ServletResponseWrapper(response))}), it is the response the filter passed on.
     */
    private static final class AsyncEnd implements AsyncListener {

        /** The response the filter passed on: its status is read when the event supplies no HTTP response. */
        private final HttpServletResponse response;
        private final WebhookVerifier verifier;
        private final Verification result;
        private final BufferedBody body;
        private final Claim claim;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean timedOut;

        AsyncEnd(HttpServletResponse response, WebhookVerifier verifier, Verification result, BufferedBody body,
                 Claim claim) {
            this.response = response;
            this.verifier = verifier;
            this.result = result;
            this.body = body;
            this.claim = claim;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ServletResponse supplied = event.getSuppliedResponse();
            int status = (supplied instanceof HttpServletResponse ? (HttpServletResponse) supplied : response).getStatus();
            boolean failed = status >= 500;
            end(!failed, isSuccess(status), !(failed && timedOut));
        }

        /** Judged at {@code onComplete}, which follows, once the application or the container has answered. */
        @Override
        public void onTimeout(AsyncEvent event) {
            timedOut = true;
        }

        /**
         * The container ended the request by an error (its sender reset the stream or closed the connection, or a
         * dispatch failed): the status that follows says nothing of the handler's own, and the application may still
         * hold the request on a thread of its own. So its outcome is not known, as a dead instance's is not: the claim
         * is left to run out with its lease, rather than let the sender's retry run the handler beside it, and the
         * message stays recorded. Were it forgotten, whoever holds a copy of a signed request could run an async
         * handler again and again within the tolerance, resetting each stream it sends.
         */
        @Override
        public void onError(AsyncEvent event) {
            end(true, false, false);
        }

        /**
         * A read listener's callback threw: the request failed, as the container reports by {@code onError} where it
         * ends such a request itself (Tomcat), whatever the application answers in the listener's {@code onError}.
         * After a timeout the claim is left to its lease, as at a timeout nobody answered: the work the application
         * started may still be running on a thread of its own.
         */
        void failed() {
            end(false, false, !timedOut);
        }

        /**
         * An async dispatch threw and left the request out of async mode: its end is known, as a synchronous handler's
         * that throws is. Failed, unless the answer was committed below 500 (judged by that status); after a timeout
         * a failure leaves the claim to its lease, as at a timeout nobody answered.
         */
        void thrownInDispatch() {
            boolean failed = !answeredBelow500(response);
            end(!failed, !failed && isSuccess(response.getStatus()), !(failed && timedOut));
        }

        /** A new cycle (the application dispatched at a timeout, say) is judged by its own end. */
        @Override
        public void onStartAsync(AsyncEvent event) {
            timedOut = false;
            event.getAsyncContext().addListener(this); // startAsync again drops listeners
        }

        /**
         * As the synchronous path: a failed request is forgotten, so that the sender's retry is not a replay.
         *
         * @param processed whether the message stays recorded: the handler did not fail, or its outcome is not known
         * @param finishClaim whether the handler's end is known, and the claim is marked done or released now;
         *        if not, it runs out with its lease
         */
        private void end(boolean processed, boolean succeeded, boolean finishClaim) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            body.release();
            if (!processed) {
                verifier.release(result);
            }
            if (claim != null && finishClaim) {
                claim.finish(succeeded);
            }
        }
    }

    /**
     * Answers a rejected request without calling the chain, and tells the listener.
     *
     * @param start {@code System.nanoTime()} when {@code doFilter} began
     * @param bodyUnread whether the body may still be unread: it is drained if small, once the answer is
     *        on its way, otherwise the connection is closed so that the sender's next request does not land
     *        in it
     */
    private void reject(long start, HttpServletRequest request, HttpServletResponse response,
                        RejectionReason rejection, String detail, boolean bodyUnread) {
        // Told first: an application's attribute listener may throw on the mark, and the decision counts all the same.
        reporter.rejected(rejection, start);
        request.setAttribute(REJECTION_ATTRIBUTE, rejection);
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "rejected {0} {1}: {2} ({3})", request.getMethod(),
                    withoutPathParameters(request.getRequestURI()), rejection, detail);
        }
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            // The error page does not run, and the client gets the error the container dispatched for: the status
            // the handler sent, 500 for an exception, 404 for a path nothing serves. A 401 would tell the sender
            // that its signature failed, where the request failed before this check, often after passing its own
            // endpoint's; and the container deals with the connection and any unread body after an error.
            return;
        }
        // A body refused unread or half read leaves the connection unusable: close it. A small one is read
        // and thrown away instead, but not one the sender waits to be asked for (Expect: 100-continue): the
        // first read would ask for it. One of a declared length is read once the answer is on its way, so
        // that a body that stalls holds up nothing the sender waits for; a chunked one first, since only
        // reading it tells whether it fits. Over HTTP/2 and later no header waits on that, so a body of
        // unknown length is read after the answer too; a larger one is left to the container, which resets
        // its stream, not the connection. (Tomcat takes DATA still arriving for a stream it ended as a flow
        // control error, and after several ends the connection: hence the drain on HTTP/2 as well.)
        long declared = declaredLength(request);
        boolean http2 = isHttp2OrLater(request.getProtocol());
        boolean drainLater = bodyUnread && (declared > 0 || http2 && declared < 0) && declared <= DRAIN_LIMIT;
        // A body of a length the container cannot read is neither drained nor waited for.
        boolean keepAlive = rejection != FilterRejection.BODY_TOO_LARGE && rejection != FilterRejection.BODY_INCOMPLETE
                && rejection != FilterRejection.BUSY && declared != UNREADABLE_LENGTH
                && (!bodyUnread || !expectsContinue(request) && (drainLater || drain(request, declared)));
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(rejection.status());
        if (rejection.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Webhook-Signature header=\"" + settings.headerName + "\"");
        } else if (rejection.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        } else if (rejection == FilterRejection.METHOD_NOT_ALLOWED) {
            response.setHeader("Allow", "POST");
        } else if (rejection == FilterRejection.IN_PROGRESS) {
            response.setHeader("Retry-After", Long.toString(settings.dedup.lease.getSeconds()));
        }
        response.setHeader("Cache-Control", "no-store");
        if (!keepAlive && !http2) {
            // HTTP/2 forbids connection headers; there the container resets just this stream.
            response.setHeader("Connection", "close");
        }
        byte[] message = RESPONSE_BODIES.get(rejection);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(message.length);
        try {
            ServletOutputStream out = response.getOutputStream();
            out.write(message);
            if (keepAlive && drainLater) {
                // A read that fails now, or a body longer than declared, is the container's to end: it
                // closes the connection, as the Connection header would have.
                response.flushBuffer();
                if (http2) {
                    // Tomcat 10.1 ends an HTTP/2 answer's stream when it is closed, not when its declared
                    // length is written: flushed only, a body that stalls would hold the answer's end back.
                    out.close();
                }
                drain(request, declared);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "could not send the rejection: {0}", e.getClass().getSimpleName());
        }
    }

    /** Whether the sender waits for {@code 100 Continue} before it sends the body. */
    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.strip().equalsIgnoreCase("100-continue");
    }

    private static boolean hasQueryString(HttpServletRequest request) {
        String query = request.getQueryString();
        return query != null && !query.isEmpty();
    }

    /**
     * The request's {@code Content-Length}, -1 when it has none, or {@link #UNREADABLE_LENGTH} when the container
     * cannot read it: Tomcat over HTTP/2 parses the header only when asked, and throws
     * {@code IllegalArgumentException} for one that is repeated, a list or not a number that fits a long.
     */
    private static long declaredLength(HttpServletRequest request) {
        try {
            return request.getContentLengthLong();
        } catch (IllegalArgumentException e) {
            return UNREADABLE_LENGTH;
        }
    }

    /**
     * Reads and discards what is left of a small body, of {@code declared} length (-1 unknown). True when it ended
     * within {@link #DRAIN_LIMIT}.
     */
    private static boolean drain(HttpServletRequest request, long declared) {
        if (declared == 0) {
            return true;
        }
        if (declared > DRAIN_LIMIT) {
            return false;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] scratch = new byte[declared > 0 ? (int) Math.min(declared, 8192) : 8192];
            long left = DRAIN_LIMIT;
            int n;
            while ((n = in.read(scratch, 0, (int) Math.min(scratch.length, left + 1))) >= 0) {
                left -= n;
                if (left < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /** Where the {@code listener} init-param's class is looked up: the web application's loader. */
    private static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : WebhookSignatureFilter.class.getClassLoader();
    }

    /** The path with every {@code ;parameter} of its segments removed: a session id stays out of the logs. */
    static String withoutPathParameters(String uri) {
        if (uri == null || uri.indexOf(';') < 0) {
            return uri;
        }
        StringBuilder path = new StringBuilder(uri.length());
        boolean inParameter = false;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == ';') {
                inParameter = true;
            } else if (c == '/') {
                inParameter = false;
            }
            if (!inParameter) {
                path.append(c);
            }
        }
        return path.toString();
    }

    private static boolean isHttp2OrLater(String protocol) {
        return protocol != null && (protocol.startsWith("HTTP/2") || protocol.startsWith("HTTP/3"));
    }

    private static Map<RejectionReason, byte[]> responseBodies() {
        Map<RejectionReason, byte[]> bodies = new HashMap<>();
        for (RejectionReason reason : OutcomeReporter.REASONS) {
            bodies.put(reason, ("webhook rejected: " + reason.message() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** The signature header, after the scheme's name unless it is the default scheme (as before schemes existed). */
    private static String schemeAndHeader(FilterSettings settings) {
        String scheme = settings.verifier.scheme().name();
        return scheme.equals(dev.webhookfilter.Scheme.defaultScheme().name()) ? settings.headerName
                : "scheme " + scheme + " (" + settings.headerName + ")";
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /**
     * Configures a {@link WebhookSignatureFilter} in code, with the same rules as the init-params:
     * {@link #build()} reports every problem at once. Not thread-safe.
     */
    public static final class Builder {

        /** The values set, typed as {@link FilterParameter} takes them from a builder. */
        private final Map<FilterParameter, Object> values = new EnumMap<>(FilterParameter.class);
        private WebhookVerifier verifier;
        private dev.webhookfilter.WebhookStore store;
        private final List<VerificationListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The secrets, as the {@code secrets} init-param: comma-separated literals, {@code env:NAME}, {@code file:PATH}.
         *
         * @param secrets the init-param's value
         * @return this builder
         */
        public Builder secrets(String secrets) {
            set(FilterParameter.SECRETS, secrets);
            return this;
        }

        /**
         * As the {@code toleranceSeconds} init-param.
         *
         * @param seconds the init-param's value
         * @return this builder
         */
        public Builder toleranceSeconds(int seconds) {
            set(FilterParameter.TOLERANCE_SECONDS, seconds);
            return this;
        }

        /**
         * As the {@code maxBodyBytes} init-param.
         *
         * @param bytes the init-param's value
         * @return this builder
         */
        public Builder maxBodyBytes(int bytes) {
            set(FilterParameter.MAX_BODY_BYTES, bytes);
            return this;
        }

        /**
         * As the {@code maxBufferedBytes} init-param.
         *
         * @param bytes the init-param's value
         * @return this builder
         */
        public Builder maxBufferedBytes(long bytes) {
            set(FilterParameter.MAX_BUFFERED_BYTES, bytes);
            return this;
        }

        /**
         * As {@code queryString=reject}: requests with a query string get 400.
         *
         * @return this builder
         */
        public Builder rejectQueryStrings() {
            set(FilterParameter.QUERY_STRING, true);
            return this;
        }

        /**
         * As the {@code scheme} init-param: the sender's signature scheme, one of
         * {@link dev.webhookfilter.Scheme#names()}.
         *
         * @param name the init-param's value
         * @return this builder
         */
        public Builder scheme(String name) {
            set(FilterParameter.SCHEME, name);
            return this;
        }

        /**
         * As the {@code store} init-param: {@code memory}, or a URI that a store module on the class path opens.
         *
         * @param store the init-param's value
         * @return this builder
         */
        public Builder store(String store) {
            set(FilterParameter.STORE, store);
            this.store = null;
            return this;
        }

        /**
         * Uses a store the application opened, instead of the {@code store} init-param: for replay
         * protection and de-duplication, shared and namespaced by the filter's name as a store opened
         * from a URI is. The application owns it: the filter never closes it. Replaces an earlier
         * {@link #store(String)}, as that replaces this.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(dev.webhookfilter.WebhookStore store) {
            this.store = java.util.Objects.requireNonNull(store, "store");
            values.remove(FilterParameter.STORE);
            return this;
        }

        /**
         * As the {@code storeKeyPrefix} init-param.
         *
         * @param prefix the init-param's value
         * @return this builder
         */
        public Builder storeKeyPrefix(String prefix) {
            set(FilterParameter.STORE_KEY_PREFIX, prefix);
            return this;
        }

        /**
         * As the {@code storeTimeoutMillis} init-param.
         *
         * @param millis the init-param's value
         * @return this builder
         */
        public Builder storeTimeoutMillis(int millis) {
            set(FilterParameter.STORE_TIMEOUT_MILLIS, millis);
            return this;
        }

        /**
         * As {@code onStoreUnavailable=allow}: when the store cannot decide, requests go on unprotected
         * (a WARNING a minute) instead of getting 503. Weaker; see the README.
         *
         * @return this builder
         */
        public Builder allowWhenStoreUnavailable() {
            set(FilterParameter.ON_STORE_UNAVAILABLE, true);
            return this;
        }

        /**
         * As {@code deduplicate=true}: claims the scheme's delivery id header
         * ({@link dev.webhookfilter.Scheme#deliveryIdHeader()}, or where it is absent the next of
         * {@link dev.webhookfilter.Scheme#deliveryIdHeaders()}); building fails for a scheme that has none.
         *
         * @return this builder
         */
        public Builder deduplicate() {
            set(FilterParameter.DEDUPLICATE, true);
            return this;
        }

        /**
         * As {@code deduplicate=true} with the {@code idHeader} init-param.
         *
         * @param idHeader the header that carries the sender's message id
         * @return this builder
         */
        public Builder deduplicate(String idHeader) {
            set(FilterParameter.DEDUPLICATE, true);
            set(FilterParameter.ID_HEADER, idHeader);
            return this;
        }

        /**
         * As the {@code leaseSeconds} init-param.
         *
         * @param seconds how long a claim holds if its request never finishes
         * @return this builder
         */
        public Builder leaseSeconds(int seconds) {
            set(FilterParameter.LEASE_SECONDS, seconds);
            return this;
        }

        /**
         * As the {@code dedupTtlSeconds} init-param.
         *
         * @param seconds how long a processed id is remembered
         * @return this builder
         */
        public Builder dedupTtlSeconds(int seconds) {
            set(FilterParameter.DEDUP_TTL_SECONDS, seconds);
            return this;
        }

        /**
         * As the {@code headerName} init-param.
         *
         * @param name the init-param's value
         * @return this builder
         */
        public Builder headerName(String name) {
            set(FilterParameter.HEADER_NAME, name);
            return this;
        }

        /**
         * As {@code replayProtection=true}, with the memory store's default size or the {@code store} given.
         *
         * @return this builder
         */
        public Builder replayProtection() {
            set(FilterParameter.REPLAY_PROTECTION, true);
            return this;
        }

        /**
         * As the {@code replayCacheSize} init-param: the size of the memory store, which replay protection
         * and de-duplication use unless a shared store is given.
         *
         * @param cacheSize the init-param's value
         * @return this builder
         */
        public Builder replayCacheSize(int cacheSize) {
            set(FilterParameter.REPLAY_CACHE_SIZE, cacheSize);
            return this;
        }

        /**
         * Uses a verifier built in code (a custom clock, or a {@link dev.webhookfilter.ReplayGuard}
         * shared by a cluster) instead of secrets, tolerance and scheme. With {@link #replayProtection()}
         * as well, the filter gives a copy of it the filter's store as its replay guard (the memory store
         * then reads the verifier's clock); a verifier with a replay guard of its own refuses that.
         *
         * @param verifier the verifier
         * @return this builder
         */
        public Builder verifier(WebhookVerifier verifier) {
            this.verifier = java.util.Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Tells {@code listener} each request's outcome, for metrics, as the {@code listener} init-param
         * does. Each call adds one, unless an equal one was added already (the same instance, or another that says it
         * counts into the same place, as two {@code MicrometerVerificationListener}s on one registry do): it is told
         * once, not once per call. They are told in the order added, each one even when another threw.
         *
         * @param listener the listener: fast, thread-safe, and it should not throw
         * @return this builder
         */
        public Builder listener(VerificationListener listener) {
            java.util.Objects.requireNonNull(listener, "listener");
            for (VerificationListener added : listeners) {
                if (added.equals(listener)) {
                    return this;
                }
            }
            listeners.add(listener);
            return this;
        }

        /**
         * Builds the filter; register it with {@code ServletContext.addFilter} and give it no init-params.
         *
         * @return the filter
         * @throws IllegalArgumentException listing every problem, as {@code init} would
         */
        public WebhookSignatureFilter build() {
            return new WebhookSignatureFilter(FilterSettings.of(new EnumMap<>(values), new ArrayList<>(),
                    System::getenv, verifier, store), listeners);
        }

        /** Sets {@code parameter} to {@code value}, or unsets it for null. */
        private void set(FilterParameter parameter, Object value) {
            if (value == null) {
                values.remove(parameter);
            } else {
                values.put(parameter, value);
            }
        }

        /**
         * Builds the filter and registers it in {@code context} for {@code urlPatterns} on every
         * dispatcher type, so that a forward, include, error page or async dispatch into those paths
         * is verified too (a request this filter verified passes them untouched).
         *
         * @param context the application's context, before it starts
         * @param filterName the filter's name, unique in the context
         * @param urlPatterns the paths that receive webhooks, such as {@code /webhooks/*}
         * @return the registration, mapped already
         * @throws IllegalArgumentException listing every configuration problem, as {@link #build()}
         * @throws IllegalStateException if the context already has a filter of that name
         */
        public FilterRegistration.Dynamic register(ServletContext context, String filterName, String... urlPatterns) {
            if (urlPatterns.length == 0) {
                throw new IllegalArgumentException("give at least one URL pattern, such as /webhooks/*");
            }
            FilterRegistration.Dynamic registration = context.addFilter(filterName, build());
            if (registration == null) {
                throw new IllegalStateException("the context already has a filter named '" + filterName + "'");
            }
            registration.setAsyncSupported(true);
            registration.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, urlPatterns);
            return registration;
        }
    }

    /**
     * Closes a store opened from a URI. A filter made by {@link #builder()} that opened one cannot be initialised
     * again afterwards; one configured by init-params opens a new store at its next {@code init}.
     */
    @Override
    public void destroy() {
        FilterSettings current = settings;
        if (current != null && current.openedStore != null && current.openedStore != closedStore) {
            closedStore = current.openedStore;
            current.openedStore.close();
        }
    }

    /**
     * Whether the store this filter opened from its {@code store} URI ({@code redis://...}, {@code jdbc:...}) answers
     * now, by its {@link dev.webhookfilter.WebhookStore#isAvailable()}: for a health check, such as the Spring Boot
     * starter's, without handing out the store, which the filter owns and closes. A filter made by {@link #builder()}
     * opens its store when it is built, so this may be asked before {@code init}; one configured by init-params opens
     * it at {@code init}.
     *
     * <p>True when the filter opened no store: it uses the memory store or none, a store the application gave it with
     * {@link Builder#store(dev.webhookfilter.WebhookStore)} (whose health is the application's to check), or it was
     * not initialised yet. False once {@link #destroy()} closed the store, and when the store's check throws (short of a
     * {@link VirtualMachineError}): what it threw is logged at DEBUG by its type only, as its message may hold the
     * store's address or credentials.
     * Thread-safe; it takes as long as the store's check, which its {@code storeTimeoutMillis} bounds.
     *
     * @return whether the store opened from the URI answers; true when there is none
     */
    public boolean isStoreAvailable() {
        FilterSettings current = settings;
        dev.webhookfilter.WebhookStore opened = current == null ? null : current.openedStore;
        if (opened == null) {
            return true;
        }
        if (opened == closedStore) {
            return false;
        }
        try {
            return opened.isAvailable();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.log(Level.DEBUG, "WebhookSignatureFilter: the store''s health check threw {0}", e.getClass().getName());
            return false;
        }
    }

    @Override
    public String toString() {
        FilterSettings current = settings;
        return "WebhookSignatureFilter[" + (current == null ? "not initialised" : current.toString()) + "]";
    }
}
