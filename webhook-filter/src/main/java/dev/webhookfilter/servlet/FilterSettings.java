package dev.webhookfilter.servlet;

import static dev.webhookfilter.servlet.FilterParameter.DEDUPLICATE;
import static dev.webhookfilter.servlet.FilterParameter.DEDUP_TTL_SECONDS;
import static dev.webhookfilter.servlet.FilterParameter.HEADER_NAME;
import static dev.webhookfilter.servlet.FilterParameter.ID_HEADER;
import static dev.webhookfilter.servlet.FilterParameter.LEASE_SECONDS;
import static dev.webhookfilter.servlet.FilterParameter.MAX_BODY_BYTES;
import static dev.webhookfilter.servlet.FilterParameter.MAX_BUFFERED_BYTES;
import static dev.webhookfilter.servlet.FilterParameter.ON_STORE_UNAVAILABLE;
import static dev.webhookfilter.servlet.FilterParameter.QUERY_STRING;
import static dev.webhookfilter.servlet.FilterParameter.REPLAY_CACHE_SIZE;
import static dev.webhookfilter.servlet.FilterParameter.REPLAY_PROTECTION;
import static dev.webhookfilter.servlet.FilterParameter.SCHEME;
import static dev.webhookfilter.servlet.FilterParameter.SECRETS;
import static dev.webhookfilter.servlet.FilterParameter.STORE;
import static dev.webhookfilter.servlet.FilterParameter.STORE_KEY_PREFIX;
import static dev.webhookfilter.servlet.FilterParameter.STORE_TIMEOUT_MILLIS;
import static dev.webhookfilter.servlet.FilterParameter.TOLERANCE_SECONDS;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.InMemoryDeduplicator;
import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import dev.webhookfilter.WebhookVerifier;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The filter's configuration, validated once at {@code init} into final fields the request path
 * only reads. Every problem is collected and reported together, each with its parameter and fix.
 */
final class FilterSettings {

    /**
     * The parameters that configure the verifier, which {@code WebhookSignatureFilter.Builder#verifier} replaces.
     * Replay protection is not one: with a verifier given, it adds the filter's store to that verifier.
     */
    static final Set<FilterParameter> VERIFIER_PARAMETERS = EnumSet.of(SECRETS, TOLERANCE_SECONDS, SCHEME);
    /** Stands for the store in {@code parse} when a {@link WebhookStore} was given in code. */
    private static final String STORE_GIVEN = "a WebhookStore given in code";
    /**
     * A URI scheme as store URIs spell them (RFC 3986's syntax, in lower case, short), the one part of a {@code store}
     * no module opens that its error quotes: a secret given there by mistake may hold a {@code :} too.
     */
    private static final Pattern NAMEABLE_URI_SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,19}:");

    final WebhookVerifier verifier;
    final int maxBodyBytes;
    /** What the bodies of all requests in flight may hold together. */
    final BodyBudget bodyBudget;
    /** The header that carries the signature: {@code headerName}, or the scheme's. */
    final String headerName;
    /** The scheme's own names for the signature header, read from {@link #headerName} instead when it is set. */
    private final List<String> renamedHeaders;
    /** The scheme reads no header but the signature header, under one name or, where that is absent, another. */
    private final boolean signatureHeaderOnly;
    /** The signature header has another name, read where the first is absent ({@code shopify-hmac-sha256}). */
    private final boolean signatureFallback;
    final boolean rejectQueryString;
    /** Positions (from 1) of secrets shorter than {@link Secrets#MIN_RECOMMENDED_BYTES}. */
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
        /**
         * The header read where {@link #idHeader} is absent, or null: where {@code idHeader} was not given, the
         * scheme's second name for its delivery id ({@code shopify}: {@code shopify-webhook-id}). Unread where
         * {@link #signedId}: the verifier chose the header set.
         */
        final String fallbackIdHeader;
        /**
         * Whether {@link #idHeader} is one the scheme signs the message id in: the id claimed is then the one
         * the verifier read, from whichever header set the request carried ({@code svix}: {@code svix-id} or
         * {@code webhook-id}), never an unsigned header of that name beside it.
         */
        final boolean signedId;
        final Duration ttl;
        final Duration lease;

        Dedup(String idHeader, String fallbackIdHeader, boolean signedId, Duration ttl, Duration lease) {
            this.idHeader = idHeader;
            this.fallbackIdHeader = fallbackIdHeader;
            this.signedId = signedId;
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
        this.signatureHeaderOnly = scheme.headerNames().size() == scheme.signatureHeaders().size();
        this.signatureFallback = scheme.signatureHeaders().size() > 1;
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
    static long defaultMaxBufferedBytes(long maxBodyBytes) {
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
        Map<FilterParameter, Object> given = new EnumMap<>(FilterParameter.class);
        for (String name : new TreeSet<>(toList(names))) {
            FilterParameter known = FilterParameter.named(name);
            if (known == null) {
                String meant = FilterParameter.misspelledAs(name);
                problems.add(name + ": not a parameter of this filter"
                        + (meant == null ? "" : " (did you mean " + meant + "?)")
                        + "; the parameters are " + FilterParameter.names() + " (check the spelling and case)");
            } else if (parameter.apply(name) != null) {
                given.put(known, parameter.apply(name));
            }
        }
        return of(given, problems, environment, verifier, givenStore);
    }

    /**
     * Checks the values given, each against its row of {@link FilterParameter}.
     *
     * @param given the values by parameter: init-param text, or the builder's typed values; never null values
     * @param problems problems found already, such as unknown names; this adds the rest
     * @param verifier a verifier given in code, which the verifier's parameters must then not be given beside
     * @param givenStore a store given in code, or null
     * @throws IllegalArgumentException listing every problem found, one line each
     */
    static FilterSettings of(Map<FilterParameter, Object> given, List<String> problems,
                             Function<String, String> environment, WebhookVerifier verifier, WebhookStore givenStore) {
        if (verifier != null) {
            for (FilterParameter replaced : given.keySet()) {
                if (VERIFIER_PARAMETERS.contains(replaced)) {
                    problems.add(replaced + ": the filter was given a WebhookVerifier, which already holds the"
                            + " secrets, tolerance and scheme; configure them there");
                }
            }
        }

        long maxBodyBytes = MAX_BODY_BYTES.number(given, problems);
        long maxBufferedBytes = MAX_BUFFERED_BYTES.number(given, maxBodyBytes,
                defaultMaxBufferedBytes(maxBodyBytes), problems);
        boolean rejectQueryString = QUERY_STRING.choice(given, problems);
        Scheme scheme = verifier != null ? verifier.scheme() : scheme(SCHEME.text(given), problems);
        String headerName = HEADER_NAME.text(given);
        headerName = headerName == null ? null : headerName.strip();
        if (headerName != null && !Scheme.isHeaderName(headerName)) {
            problems.add(HEADER_NAME + ": must be an HTTP header name (letters, digits and -);"
                    + " remove it to use " + scheme.signatureHeader());
        } else if (headerName != null && readsOtherwise(scheme, headerName)) {
            // The signature and the timestamp or id read from one header: no request could verify.
            problems.add(HEADER_NAME + ": " + headerName + " is a header scheme " + scheme.name() + " reads the"
                    + " timestamp or the message id from; name the header that carries the signature, or remove "
                    + HEADER_NAME + " to use " + scheme.signatureHeader());
        }

        boolean replayProtection = REPLAY_PROTECTION.choice(given, problems);
        if (replayProtection && verifier != null && verifier.hasReplayProtection()) {
            problems.add(REPLAY_PROTECTION + ": the WebhookVerifier given has a replay guard of its own;"
                    + " remove " + REPLAY_PROTECTION + ", or build the verifier without one");
        }
        Dedup dedup = dedup(given, scheme, problems);
        List<Integer> shortSecrets = Collections.emptyList();
        List<String> secrets = Collections.emptyList();
        if (verifier == null) {
            secrets = secrets(SECRETS.text(given), environment, problems);
            int before = problems.size();
            keysFor(scheme, secrets, problems);
            if (problems.size() == before) {
                shortSecrets = shortSecrets(scheme, secrets);
            }
        }
        String storeSpec = storeSpec(given, givenStore, replayProtection, dedup != null, problems);
        long tolerance = TOLERANCE_SECONDS.number(given, scheme.defaultTolerance().getSeconds(), problems);
        dedupOutlivesFreshness(dedup, verifier != null ? verifier.tolerance().getSeconds() : tolerance, problems);
        long replayCacheSize = REPLAY_CACHE_SIZE.number(given, problems);
        String memory = STORE.defaultText();
        if (given.containsKey(REPLAY_CACHE_SIZE) && !(memory.equals(storeSpec) && (replayProtection || dedup != null))) {
            problems.add(REPLAY_CACHE_SIZE + ": sizes the memory store, so it has no effect unless "
                    + REPLAY_PROTECTION + " or " + DEDUPLICATE + " is true with " + STORE
                    + " memory; set one, or remove " + REPLAY_CACHE_SIZE);
        }
        boolean allowUnavailable = onStoreUnavailable(given, storeSpec, problems);
        long storeTimeout = STORE_TIMEOUT_MILLIS.number(given, problems);
        String keyPrefix = STORE_KEY_PREFIX.text(given);
        // Named as given: a problem that names a parameter nobody set sends its reader looking for it.
        String uriOnly = keyPrefix == null ? STORE_TIMEOUT_MILLIS.toString()
                : given.containsKey(STORE_TIMEOUT_MILLIS) ? STORE_TIMEOUT_MILLIS + ", " + STORE_KEY_PREFIX
                : STORE_KEY_PREFIX.toString();
        String them = uriOnly.contains(",") ? "them" : "it";
        if (keyPrefix != null || given.containsKey(STORE_TIMEOUT_MILLIS)) {
            if (storeSpec == null || memory.equals(storeSpec)) {
                problems.add(uriOnly + ": only for a shared " + STORE + " (redis://..., jdbc:...); remove " + them);
            } else if (givenStore != null) {
                problems.add(uriOnly + ": the WebhookStore given in code was opened with its own; remove " + them);
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
        } else if (memory.equals(storeSpec)) {
            store = new StoreAccess(new InMemoryReplayGuard((int) replayCacheSize, clock),
                    new InMemoryDeduplicator((int) replayCacheSize, clock), false, false, Clock.systemUTC());
        } else if (storeSpec != null) {
            opened = open(storeSpec, Duration.ofMillis(storeTimeout),
                    keyPrefix == null ? STORE_KEY_PREFIX.defaultText() : keyPrefix.strip());
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
        return new FilterSettings(verifier, (int) maxBodyBytes, maxBufferedBytes, headerName, rejectQueryString,
                shortSecrets, store, opened, dedup);
    }

    private static Scheme scheme(String name, List<String> problems) {
        if (name == null) {
            return Scheme.defaultScheme();
        }
        try {
            return Scheme.named(name);
        } catch (IllegalArgumentException e) {
            problems.add(SCHEME + ": " + e.getMessage() + "; remove it for the default "
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
            problems.add(SECRETS + ": " + e.getMessage());
        }
    }

    /** Whether {@code headerName} is a header the scheme reads its timestamp or message id from, case aside. */
    private static boolean readsOtherwise(Scheme scheme, String headerName) {
        for (String name : scheme.headerNames()) {
            if (name.equalsIgnoreCase(headerName) && !scheme.signatureHeaders().contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The verifier's {@code checkHeader} of the request's headers, read as {@link #headers} says. */
    HeaderCheck checkHeader(HttpServletRequest request) {
        if (signatureHeaderOnly) {
            // The common case without a list per request: one signature header, read once. Where it is absent
            // and has another name, the lookup below reads that.
            Enumeration<String> values = request.getHeaders(headerName);
            String header = values != null && values.hasMoreElements() ? values.nextElement() : null;
            if (header != null ? !values.hasMoreElements() : !signatureFallback) {
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
     * de-duplication needs one, else null. A blank spec, reported, is returned as it is when one is needed.
     */
    private static String storeSpec(Map<FilterParameter, Object> given, WebhookStore givenStore,
                                    boolean replayProtection, boolean dedup, List<String> problems) {
        String spec = STORE.text(given);
        if (givenStore == null && spec != null && spec.isBlank()) {
            // Most likely a URI from a variable that is not set: memory would give each instance its own records.
            problems.add(STORE + ": is empty; give " + STORE.defaultText() + " or a shared store's URI, or remove it");
            // A shared store's, then, as far as the parameters beside it go: they are not refused as well.
            return replayProtection || dedup ? spec : null;
        }
        spec = givenStore != null ? STORE_GIVEN : spec == null ? STORE.defaultText() : spec.strip();
        if (!replayProtection && !dedup) {
            if (given.containsKey(STORE) || givenStore != null) {
                problems.add(STORE + ": has no effect unless " + REPLAY_PROTECTION + " or "
                        + DEDUPLICATE + " is true; set one, or remove " + STORE);
            }
            return null;
        }
        return spec;
    }

    private static WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        int colon = uri.indexOf(':');
        String scheme = colon <= 0 ? "(no scheme)"
                : NAMEABLE_URI_SCHEME.matcher(uri.substring(0, colon + 1)).matches() ? uri.substring(0, colon + 1)
                : "(a scheme not shown)";
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (WebhookStoreProvider provider : ServiceLoader.load(WebhookStoreProvider.class,
                loader != null ? loader : FilterSettings.class.getClassLoader())) {
            if (provider.supports(uri)) {
                try {
                    return provider.open(uri, timeout, keyPrefix);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // The provider's message never repeats credentials; the URI itself is not quoted here.
                    throw new IllegalArgumentException(STORE + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException(STORE + ": no store module on the class path opens '" + scheme
                + "' URIs; give memory, or add webhook-store-redis (redis://, rediss://, redis-cluster://) or"
                + " webhook-store-jdbc (jdbc:postgresql:, jdbc:h2:, java:comp/env/...) beside webhook-filter");
    }

    private static Dedup dedup(Map<FilterParameter, Object> given, Scheme scheme, List<String> problems) {
        boolean on = DEDUPLICATE.choice(given, problems);
        String idHeader = ID_HEADER.text(given);
        long ttl = DEDUP_TTL_SECONDS.number(given, problems);
        long lease = LEASE_SECONDS.number(given, problems);
        if (!on) {
            for (FilterParameter unused : List.of(ID_HEADER, DEDUP_TTL_SECONDS, LEASE_SECONDS)) {
                if (given.containsKey(unused)) {
                    problems.add(unused + ": has no effect unless " + DEDUPLICATE + " is true; set that, or remove "
                            + unused);
                }
            }
            return null;
        }
        String fallbackIdHeader = null;
        if (idHeader == null) {
            List<String> delivery = scheme.deliveryIdHeaders();
            idHeader = delivery.isEmpty() ? null : delivery.get(0);
            fallbackIdHeader = delivery.size() > 1 ? delivery.get(1) : null;
        }
        if (idHeader == null || idHeader.isBlank()) {
            problems.add(ID_HEADER + ": required with " + DEDUPLICATE + "=true, since " + scheme.name()
                    + " senders send no message id header that the filter knows; name the header that carries it."
                    + " Stripe, Slack and Paddle send none (their event ids are in the body, which the filter does not"
                    + " read): for them, turn " + DEDUPLICATE + " off and de-duplicate in the handler by the body's id");
            return null;
        }
        if (!Scheme.isHeaderName(idHeader.strip())) {
            problems.add(ID_HEADER + ": must be an HTTP header name (letters, digits and -)");
            return null;
        }
        idHeader = idHeader.strip();
        boolean signedId = false;
        for (String signed : scheme.messageIdHeaders()) {
            signedId |= signed.equalsIgnoreCase(idHeader);
        }
        return new Dedup(idHeader, fallbackIdHeader, signedId, Duration.ofSeconds(ttl), Duration.ofSeconds(lease));
    }

    /**
     * A signed id must be remembered while a copy of its request can still pass the freshness check: a request is
     * fresh from {@code tolerance} before its timestamp to {@code tolerance} after it, so up to twice the tolerance
     * after the first was processed. Replay protection does not make up for a shorter ttl: it forgets a message that
     * de-duplication refused (409, its id in progress) or whose handler failed, so that the sender can send it again;
     * a captured copy of such a message ran the handler once its id was forgotten.
     * An id the scheme does not sign can be changed in a copy, so its ttl bounds nothing a copy could do.
     */
    private static void dedupOutlivesFreshness(Dedup dedup, long tolerance, List<String> problems) {
        long fresh = 2 * tolerance;
        if (dedup != null && dedup.signedId && dedup.ttl.getSeconds() < fresh) {
            problems.add(DEDUP_TTL_SECONDS + ": " + dedup.ttl.getSeconds() + " is shorter than twice "
                    + TOLERANCE_SECONDS + " (" + fresh + "): a copy of a processed event stays fresh that long and"
                    + " would run the handler again once its id is forgotten; give at least " + fresh);
        }
    }

    /**
     * {@code onStoreUnavailable}, for a shared store only: the memory store always answers, and when full it
     * refuses whatever this says.
     *
     * @param storeSpec the store in use, as {@link #storeSpec} gives it, or null for none
     */
    private static boolean onStoreUnavailable(Map<FilterParameter, Object> given, String storeSpec,
                                              List<String> problems) {
        if (given.containsKey(ON_STORE_UNAVAILABLE) && storeSpec == null) {
            problems.add(ON_STORE_UNAVAILABLE + ": has no effect unless " + REPLAY_PROTECTION + " or "
                    + DEDUPLICATE + " is true; remove it");
            return false;
        }
        if (given.containsKey(ON_STORE_UNAVAILABLE) && STORE.defaultText().equals(storeSpec)) {
            problems.add(ON_STORE_UNAVAILABLE + ": only for a shared " + STORE + " (redis://..., jdbc:...); the"
                    + " memory store ignores it; remove it");
            return false;
        }
        return ON_STORE_UNAVAILABLE.choice(given, problems);
    }

    private static List<String> secrets(String spec, Function<String, String> environment, List<String> problems) {
        if (spec == null || spec.isBlank()) {
            problems.add(SECRETS + ": required; give one or more comma-separated secrets, each a"
                    + " literal, env:NAME (an environment variable) or file:PATH (one secret per line)");
            return Collections.emptyList();
        }
        try {
            return Secrets.resolve(spec, environment);
        } catch (IllegalArgumentException e) {
            problems.add(SECRETS + ": " + e.getMessage());
            return Collections.emptyList();
        }
    }

    private static List<Integer> shortSecrets(Scheme scheme, List<String> secrets) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            if (Secrets.isShort(scheme, secrets.get(i))) {
                positions.add(i + 1);
            }
        }
        return positions;
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
                + ", query string " + QUERY_STRING.word(rejectQueryString) + "]";
    }
}
