package dev.webhookfilter.servlet;

import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_DEDUPLICATE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_DEDUP_TTL_SECONDS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_HEADER_NAME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_ID_HEADER;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_LEASE_SECONDS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_LISTENER;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BODY_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BUFFERED_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_ON_STORE_UNAVAILABLE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_QUERY_STRING;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_CACHE_SIZE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_PROTECTION;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SCHEME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SECRETS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE_KEY_PREFIX;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE_TIMEOUT_MILLIS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.InMemoryDeduplicator;
import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.ReplayGuard;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import dev.webhookfilter.WebhookVerifier;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The filter's configuration, validated once at {@code init} into final fields the request path
 * only reads. Every problem is collected and reported together, each with its parameter and fix.
 */
final class FilterSettings {

    static final int DEFAULT_TOLERANCE_SECONDS = (int) WebhookVerifier.DEFAULT_TOLERANCE.getSeconds();
    static final int MAX_TOLERANCE_SECONDS = 86_400;
    static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_MAX_BODY_BYTES = 1024 * 1024 * 1024;
    static final int DEFAULT_REPLAY_CACHE_SIZE = 100_000;
    static final int MAX_REPLAY_CACHE_SIZE = 10_000_000;
    /** The largest {@code maxBufferedBytes} accepted. */
    static final long MAX_MAX_BUFFERED_BYTES = 1L << 50;
    /** {@code queryString} values: a query string is let through, or refused with 400. */
    static final String QUERY_STRING_ALLOW = "allow";
    static final String QUERY_STRING_REJECT = "reject";
    static final String STORE_MEMORY = "memory";
    static final String DEFAULT_STORE_KEY_PREFIX = "webhook-filter:";
    static final int DEFAULT_STORE_TIMEOUT_MILLIS = 1000;
    static final int MAX_STORE_TIMEOUT_MILLIS = 60_000;
    /** The longest retry window among the senders: three days. */
    static final int DEFAULT_DEDUP_TTL_SECONDS = 259_200;
    static final int MAX_DEDUP_TTL_SECONDS = 31_536_000;
    static final int DEFAULT_LEASE_SECONDS = 60;
    static final int MAX_LEASE_SECONDS = 86_400;
    static final String UNAVAILABLE_REJECT = "reject";
    static final String UNAVAILABLE_ALLOW = "allow";
    /** Secrets shorter than this, in UTF-8 bytes, draw a warning: HMAC keys should carry 128 bits or more. */
    static final int MIN_RECOMMENDED_SECRET_BYTES = 16;

    private static final List<String> PARAMETERS = List.of(PARAM_SECRETS, PARAM_TOLERANCE_SECONDS,
            PARAM_MAX_BODY_BYTES, PARAM_MAX_BUFFERED_BYTES, PARAM_HEADER_NAME, PARAM_QUERY_STRING,
            PARAM_REPLAY_PROTECTION, PARAM_REPLAY_CACHE_SIZE, PARAM_STORE, PARAM_STORE_TIMEOUT_MILLIS,
            PARAM_STORE_KEY_PREFIX, PARAM_ON_STORE_UNAVAILABLE, PARAM_DEDUPLICATE, PARAM_ID_HEADER,
            PARAM_DEDUP_TTL_SECONDS, PARAM_LEASE_SECONDS, PARAM_LISTENER, PARAM_SCHEME); // the filter makes the listener itself
    /**
     * The parameters that configure the verifier, which {@code WebhookSignatureFilter.Builder#verifier} replaces.
     * Replay protection is not one: with a verifier given, it adds the filter's store to that verifier.
     */
    static final Set<String> VERIFIER_PARAMETERS = Set.of(PARAM_SECRETS, PARAM_TOLERANCE_SECONDS, PARAM_SCHEME);
    /** Stands for the store in {@code parse} when a {@link WebhookStore} was given in code. */
    private static final String STORE_GIVEN = "a WebhookStore given in code";

    final WebhookVerifier verifier;
    final int maxBodyBytes;
    /** What the bodies of all requests in flight may hold together. */
    final BodyBudget bodyBudget;
    /** The header that carries the signature: {@code headerName}, or the scheme's. */
    final String headerName;
    /** The scheme's own names for the signature header, read from {@link #headerName} instead when it is set. */
    private final List<String> renamedHeaders;
    /** The scheme reads one header, the signature header, which has no fallback name. */
    private final boolean signatureHeaderOnly;
    final boolean rejectQueryString;
    /** Positions (from 1) of secrets shorter than {@link #MIN_RECOMMENDED_SECRET_BYTES}. */
    final List<Integer> shortSecrets;
    /** The store replay protection and de-duplication use, or null when neither is on. */
    final StoreAccess store;
    /** A store opened from a URI, which the filter closes on destroy; null for memory or none. */
    final WebhookStore openedStore;
    /** De-duplication, or null when off. */
    final Dedup dedup;

    /** De-duplication's settings. */
    static final class Dedup {
        final String idHeader;
        final Duration ttl;
        final Duration lease;

        Dedup(String idHeader, Duration ttl, Duration lease) {
            this.idHeader = idHeader;
            this.ttl = ttl;
            this.lease = lease;
        }
    }

    private FilterSettings(WebhookVerifier verifier, int maxBodyBytes, long maxBufferedBytes, String headerName,
                           boolean rejectQueryString, List<Integer> shortSecrets, StoreAccess store,
                           WebhookStore openedStore, Dedup dedup) {
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyBudget = new BodyBudget(maxBufferedBytes);
        Scheme scheme = verifier.scheme();
        this.headerName = headerName != null ? headerName : scheme.signatureHeader();
        this.renamedHeaders = headerName != null ? scheme.signatureHeaders() : List.of();
        this.signatureHeaderOnly = scheme.headerNames().size() == 1;
        this.rejectQueryString = rejectQueryString;
        this.shortSecrets = shortSecrets;
        this.store = store;
        this.openedStore = openedStore;
        this.dedup = dedup;
    }

    /**
     * The default {@code maxBufferedBytes}: a quarter of the heap the JVM may grow to, and never less
     * than one body of the largest size.
     */
    static long defaultMaxBufferedBytes(int maxBodyBytes) {
        return Math.max(Runtime.getRuntime().maxMemory() / 4, maxBodyBytes);
    }

    /**
     * Reads and checks the init-params.
     *
     * @param names the init-param names present
     * @param parameter the value of an init-param, or null
     * @param environment the value of an environment variable, or null
     * @throws IllegalArgumentException listing every problem found, one line each
     */
    static FilterSettings parse(Iterable<String> names, Function<String, String> parameter,
                                Function<String, String> environment) {
        return parse(names, parameter, environment, null);
    }

    /**
     * As {@link #parse(Iterable, Function, Function)}, or, with a {@code verifier} given, only the
     * parameters outside it (all but {@code secrets}, {@code toleranceSeconds} and {@code scheme});
     * {@code replayProtection} then gives the verifier the filter's store, whose memory form reads the
     * verifier's clock.
     */
    static FilterSettings parse(Iterable<String> names, Function<String, String> parameter,
                                Function<String, String> environment, WebhookVerifier verifier) {
        return parse(names, parameter, environment, verifier, null);
    }

    /**
     * As {@link #parse(Iterable, Function, Function, WebhookVerifier)}, with {@code givenStore}, when
     * not null, as the store instead of the {@code store} parameter: shared, namespaced by endpoint,
     * and never closed by the filter, whose application owns it.
     */
    static FilterSettings parse(Iterable<String> names, Function<String, String> parameter,
                                Function<String, String> environment, WebhookVerifier verifier,
                                WebhookStore givenStore) {
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(toList(names))) {
            if (!PARAMETERS.contains(name)) {
                problems.add(name + ": not a parameter of this filter; the parameters are "
                        + String.join(", ", PARAMETERS) + " (check the spelling and case)");
            } else if (verifier != null && VERIFIER_PARAMETERS.contains(name)) {
                problems.add(name + ": the filter was given a WebhookVerifier, which already holds the"
                        + " secrets, tolerance and scheme; configure them there");
            }
        }

        int maxBodyBytes = integer(parameter, PARAM_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES,
                MAX_MAX_BODY_BYTES, "bytes", problems);
        long maxBufferedBytes = maxBufferedBytes(parameter, maxBodyBytes, problems);
        boolean rejectQueryString = queryString(parameter, problems);
        Scheme scheme = verifier != null ? verifier.scheme() : scheme(parameter, problems);
        String headerName = parameter.apply(PARAM_HEADER_NAME);
        headerName = headerName == null ? null : headerName.strip();
        if (headerName != null && !Scheme.isHeaderName(headerName)) {
            problems.add(PARAM_HEADER_NAME + ": must be an HTTP header name (letters, digits and -);"
                    + " remove it to use " + scheme.signatureHeader());
        }

        boolean replayProtection = bool(parameter, PARAM_REPLAY_PROTECTION, problems);
        if (replayProtection && verifier != null && verifier.hasReplayProtection()) {
            problems.add(PARAM_REPLAY_PROTECTION + ": the WebhookVerifier given has a replay guard of its own;"
                    + " remove " + PARAM_REPLAY_PROTECTION + ", or build the verifier without one");
        }
        Dedup dedup = dedup(parameter, scheme, problems);
        List<Integer> shortSecrets = Collections.emptyList();
        List<String> secrets = Collections.emptyList();
        if (verifier == null) {
            secrets = secrets(parameter.apply(PARAM_SECRETS), environment, problems);
            shortSecrets = shortSecrets(secrets);
            keysFor(scheme, secrets, problems);
        }
        String storeSpec = storeSpec(parameter, givenStore, replayProtection, dedup != null, problems);
        int tolerance = integer(parameter, PARAM_TOLERANCE_SECONDS, (int) scheme.defaultTolerance().getSeconds(),
                MAX_TOLERANCE_SECONDS, "seconds", problems);
        int replayCacheSize = integer(parameter, PARAM_REPLAY_CACHE_SIZE, DEFAULT_REPLAY_CACHE_SIZE,
                MAX_REPLAY_CACHE_SIZE, "entries", problems);
        if (parameter.apply(PARAM_REPLAY_CACHE_SIZE) != null && !(STORE_MEMORY.equals(storeSpec)
                && (replayProtection || dedup != null))) {
            problems.add(PARAM_REPLAY_CACHE_SIZE + ": sizes the memory store, so it has no effect unless "
                    + PARAM_REPLAY_PROTECTION + " or " + PARAM_DEDUPLICATE + " is true with " + PARAM_STORE
                    + " memory; set one, or remove " + PARAM_REPLAY_CACHE_SIZE);
        }
        boolean allowUnavailable = onStoreUnavailable(parameter, storeSpec != null, problems);
        int storeTimeout = integer(parameter, PARAM_STORE_TIMEOUT_MILLIS, DEFAULT_STORE_TIMEOUT_MILLIS,
                MAX_STORE_TIMEOUT_MILLIS, "milliseconds", problems);
        String keyPrefix = parameter.apply(PARAM_STORE_KEY_PREFIX);
        if (keyPrefix != null || parameter.apply(PARAM_STORE_TIMEOUT_MILLIS) != null) {
            if (storeSpec == null || STORE_MEMORY.equals(storeSpec)) {
                problems.add(PARAM_STORE_TIMEOUT_MILLIS + ", " + PARAM_STORE_KEY_PREFIX + ": only for a shared "
                        + PARAM_STORE + " (redis://..., jdbc:...); remove them");
            } else if (givenStore != null) {
                problems.add(PARAM_STORE_TIMEOUT_MILLIS + ", " + PARAM_STORE_KEY_PREFIX + ": the WebhookStore given"
                        + " in code was opened with its own; remove them");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }

        StoreAccess store = null;
        WebhookStore opened = null;
        // The memory store's expiry must agree with the times the verifier gives it.
        Clock clock = verifier != null ? verifier.clock() : Clock.systemUTC();
        if (givenStore != null && storeSpec != null) {
            store = new StoreAccess(givenStore, givenStore, true, allowUnavailable, Clock.systemUTC());
        } else if (STORE_MEMORY.equals(storeSpec)) {
            store = new StoreAccess(new InMemoryReplayGuard(replayCacheSize, clock),
                    new InMemoryDeduplicator(replayCacheSize, clock), false, false, Clock.systemUTC());
        } else if (storeSpec != null) {
            opened = open(storeSpec, Duration.ofMillis(storeTimeout),
                    keyPrefix == null ? DEFAULT_STORE_KEY_PREFIX : keyPrefix.strip());
            store = new StoreAccess(opened, opened, true, allowUnavailable, Clock.systemUTC());
        }
        if (verifier == null) {
            WebhookVerifier.Builder builder = WebhookVerifier.builder()
                    .scheme(scheme)
                    .secrets(secrets)
                    .tolerance(Duration.ofSeconds(tolerance));
            if (replayProtection) {
                builder.replayGuard(store);
            }
            verifier = builder.build();
        } else if (replayProtection) {
            verifier = verifier.withReplayGuard(store);
        }
        return new FilterSettings(verifier, maxBodyBytes, maxBufferedBytes, headerName, rejectQueryString,
                shortSecrets, store, opened, dedup);
    }

    private static Scheme scheme(Function<String, String> parameter, List<String> problems) {
        String name = parameter.apply(PARAM_SCHEME);
        if (name == null) {
            return Scheme.defaultScheme();
        }
        try {
            return Scheme.named(name);
        } catch (IllegalArgumentException e) {
            problems.add(PARAM_SCHEME + ": " + e.getMessage() + "; remove it for the default "
                    + Scheme.defaultScheme().name());
            return Scheme.defaultScheme();
        }
    }

    /** Checks that each secret is what the scheme takes (base64 where it decodes one), before any store is opened. */
    private static void keysFor(Scheme scheme, List<String> secrets, List<String> problems) {
        if (secrets.isEmpty()) {
            return;
        }
        try {
            WebhookVerifier.builder().scheme(scheme).secrets(secrets).build();
        } catch (IllegalArgumentException e) {
            problems.add(PARAM_SECRETS + ": " + e.getMessage());
        }
    }

    /** The verifier's {@code checkHeader} of the request's headers, read as {@link #headers} says. */
    HeaderCheck checkHeader(HttpServletRequest request) {
        if (signatureHeaderOnly) {
            // The common case without a list per request: one signature header, read once.
            Enumeration<String> values = request.getHeaders(headerName);
            String header = values != null && values.hasMoreElements() ? values.nextElement() : null;
            if (header == null || !values.hasMoreElements()) {
                return verifier.checkHeader(header);
            }
        }
        return verifier.checkHeader(headers(request));
    }

    /**
     * The request's headers as the verifier reads them, each of the scheme's names for the signature
     * header read from {@code headerName} instead when that is set.
     */
    HeaderLookup headers(HttpServletRequest request) {
        return name -> {
            Enumeration<String> values = request.getHeaders(renamedHeaders.contains(name) ? headerName : name);
            if (values == null || !values.hasMoreElements()) {
                return List.of();
            }
            String first = values.nextElement();
            if (!values.hasMoreElements()) {
                return List.of(first); // the usual case, without a growable list
            }
            List<String> all = new ArrayList<>(2);
            all.add(first);
            while (values.hasMoreElements()) {
                all.add(values.nextElement());
            }
            return all;
        };
    }

    /**
     * The store's spec ({@code memory}, a URI, or {@link #STORE_GIVEN}) when replay protection or
     * de-duplication needs one, else null.
     */
    private static String storeSpec(Function<String, String> parameter, WebhookStore given, boolean replayProtection,
                                    boolean dedup, List<String> problems) {
        String spec = parameter.apply(PARAM_STORE);
        spec = given != null ? STORE_GIVEN : spec == null || spec.isBlank() ? STORE_MEMORY : spec.strip();
        if (!replayProtection && !dedup) {
            if (parameter.apply(PARAM_STORE) != null || given != null) {
                problems.add(PARAM_STORE + ": has no effect unless " + PARAM_REPLAY_PROTECTION + " or "
                        + PARAM_DEDUPLICATE + " is true; set one, or remove " + PARAM_STORE);
            }
            return null;
        }
        return spec;
    }

    private static WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        String scheme = uri.indexOf(':') > 0 ? uri.substring(0, uri.indexOf(':') + 1) : "(no scheme)";
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (WebhookStoreProvider provider : ServiceLoader.load(WebhookStoreProvider.class,
                loader != null ? loader : FilterSettings.class.getClassLoader())) {
            if (provider.supports(uri)) {
                try {
                    return provider.open(uri, timeout, keyPrefix);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // The provider's message never repeats credentials; the URI itself is not quoted here.
                    throw new IllegalArgumentException(PARAM_STORE + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException(PARAM_STORE + ": no store module on the class path opens '" + scheme
                + "' URIs; give memory, or add webhook-store-redis (redis://, rediss://, redis-cluster://) or"
                + " webhook-store-jdbc (jdbc:postgresql:, jdbc:h2:, java:comp/env/...) beside webhook-filter");
    }

    private static Dedup dedup(Function<String, String> parameter, Scheme scheme, List<String> problems) {
        boolean on = bool(parameter, PARAM_DEDUPLICATE, problems);
        String idHeader = parameter.apply(PARAM_ID_HEADER);
        int ttl = integer(parameter, PARAM_DEDUP_TTL_SECONDS, DEFAULT_DEDUP_TTL_SECONDS, MAX_DEDUP_TTL_SECONDS,
                "seconds", problems);
        int lease = integer(parameter, PARAM_LEASE_SECONDS, DEFAULT_LEASE_SECONDS, MAX_LEASE_SECONDS, "seconds",
                problems);
        if (!on) {
            for (String name : List.of(PARAM_ID_HEADER, PARAM_DEDUP_TTL_SECONDS, PARAM_LEASE_SECONDS)) {
                if (parameter.apply(name) != null) {
                    problems.add(name + ": has no effect unless " + PARAM_DEDUPLICATE + " is true; set that, or remove "
                            + name);
                }
            }
            return null;
        }
        if (idHeader == null) {
            idHeader = scheme.deliveryIdHeader().orElse(null);
        }
        if (idHeader == null || idHeader.isBlank()) {
            problems.add(PARAM_ID_HEADER + ": required with " + PARAM_DEDUPLICATE + "=true, since " + scheme.name()
                    + " senders send no message id header that the filter knows; name the header that carries it");
            return null;
        }
        if (!Scheme.isHeaderName(idHeader.strip())) {
            problems.add(PARAM_ID_HEADER + ": must be an HTTP header name (letters, digits and -)");
            return null;
        }
        return new Dedup(idHeader.strip(), Duration.ofSeconds(ttl), Duration.ofSeconds(lease));
    }

    private static boolean onStoreUnavailable(Function<String, String> parameter, boolean storeInUse,
                                              List<String> problems) {
        String text = parameter.apply(PARAM_ON_STORE_UNAVAILABLE);
        if (text == null) {
            return false;
        }
        if (!storeInUse) {
            problems.add(PARAM_ON_STORE_UNAVAILABLE + ": has no effect unless " + PARAM_REPLAY_PROTECTION + " or "
                    + PARAM_DEDUPLICATE + " is true; remove it");
            return false;
        }
        if (text.strip().equals(UNAVAILABLE_REJECT)) {
            return false;
        }
        if (text.strip().equals(UNAVAILABLE_ALLOW)) {
            return true;
        }
        problems.add(PARAM_ON_STORE_UNAVAILABLE + ": must be " + UNAVAILABLE_REJECT + " (the default) or "
                + UNAVAILABLE_ALLOW);
        return false;
    }

    private static long maxBufferedBytes(Function<String, String> parameter, int maxBodyBytes, List<String> problems) {
        String text = parameter.apply(PARAM_MAX_BUFFERED_BYTES);
        if (text == null) {
            return defaultMaxBufferedBytes(maxBodyBytes);
        }
        String fix = "; give a whole number of bytes from " + PARAM_MAX_BODY_BYTES + " (" + maxBodyBytes + ") to "
                + MAX_MAX_BUFFERED_BYTES + ", or remove it for the default, a quarter of the heap";
        try {
            long value = Long.parseLong(text.strip());
            if (value < maxBodyBytes || value > MAX_MAX_BUFFERED_BYTES) {
                problems.add(PARAM_MAX_BUFFERED_BYTES + ": out of range" + fix);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(PARAM_MAX_BUFFERED_BYTES + ": not a whole number" + fix);
            return maxBodyBytes;
        }
    }

    private static boolean queryString(Function<String, String> parameter, List<String> problems) {
        String text = parameter.apply(PARAM_QUERY_STRING);
        if (text == null || text.strip().equals(QUERY_STRING_ALLOW)) {
            return false;
        }
        if (text.strip().equals(QUERY_STRING_REJECT)) {
            return true;
        }
        problems.add(PARAM_QUERY_STRING + ": must be " + QUERY_STRING_ALLOW + " (the default) or "
                + QUERY_STRING_REJECT);
        return false;
    }

    private static List<String> secrets(String spec, Function<String, String> environment, List<String> problems) {
        if (spec == null || spec.isBlank()) {
            problems.add(PARAM_SECRETS + ": required; give one or more comma-separated secrets, each a"
                    + " literal, env:NAME (an environment variable) or file:PATH (one secret per line)");
            return Collections.emptyList();
        }
        try {
            return Secrets.resolve(spec, environment);
        } catch (IllegalArgumentException e) {
            problems.add(PARAM_SECRETS + ": " + e.getMessage());
            return Collections.emptyList();
        }
    }

    private static List<Integer> shortSecrets(List<String> secrets) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i).getBytes(StandardCharsets.UTF_8).length < MIN_RECOMMENDED_SECRET_BYTES) {
                positions.add(i + 1);
            }
        }
        return positions;
    }

    private static int integer(Function<String, String> parameter, String name, int defaultValue, int max,
                               String unit, List<String> problems) {
        String text = parameter.apply(name);
        if (text == null) {
            return defaultValue;
        }
        String fix = "; give a whole number of " + unit + " from 1 to " + max
                + ", or remove it for the default " + defaultValue;
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 1 || value > max) {
                problems.add(name + ": out of range" + fix);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + ": not a whole number" + fix);
            return defaultValue;
        }
    }

    private static boolean bool(Function<String, String> parameter, String name, List<String> problems) {
        String text = parameter.apply(name);
        if (text == null || text.strip().equals("false")) {
            return false;
        }
        if (text.strip().equals("true")) {
            return true;
        }
        problems.add(name + ": must be true or false (default false)");
        return false;
    }

    private static List<String> toList(Iterable<String> names) {
        List<String> list = new ArrayList<>();
        names.forEach(list::add);
        return list;
    }

    @Override
    public String toString() {
        return "FilterSettings[" + verifier + ", maxBodyBytes " + maxBodyBytes + ", maxBufferedBytes "
                + bodyBudget.limit() + ", header " + headerName
                + ", query string " + (rejectQueryString ? QUERY_STRING_REJECT : QUERY_STRING_ALLOW) + "]";
    }
}
