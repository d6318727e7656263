package dev.webhookfilter.spring;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.internal.AmbiguousPathGuard;
import dev.webhookfilter.internal.ServletUrlPatterns;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The filters of every configured endpoint, built and checked together when the application starts:
 * a problem in any endpoint stops the start, with every problem of every endpoint in one message.
 */
final class WebhookEndpointFilters implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebhookEndpointFilters.class.getName());

    /**
     * Stands in for the secrets while the filter's own rules check the other values: base64, so that
     * every scheme takes it. The real secrets go to a {@link WebhookVerifier} as they are: the filter's
     * {@code secrets} parameter would read commas, spaces and {@code env:}/{@code file:} prefixes in
     * them as syntax.
     */
    private static final String RULES_ONLY_SECRET = "cGxhY2Vob2xkZXItY2hlY2tlZC1zZXBhcmF0ZWx5";

    /** The {@code store} value that picks the application's {@link WebhookStore} bean. */
    static final String STORE_BEAN = "bean";

    /** The {@code store} value of the filter's own memory store, its default. */
    private static final String STORE_MEMORY = "memory";

    /** An unresolved {@code ${NAME}} or {@code ${NAME:default}} anywhere in a value. */
    private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

    /**
     * A value that is one unresolved placeholder and nothing else, with a name a property or an environment
     * variable could have; group 1 is the name. Only such a value is quoted: in any other, the text around or
     * inside the braces may be the secret's own.
     */
    private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]{1,128})}");

    /** An unresolved placeholder named as an environment variable conventionally is; group 1 is the name. */
    private static final Pattern VARIABLE_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]{0,127})}");

    /** The filter's parameter names, as the problems name them, and the properties they come from; README quotes it. */
    static final String PROPERTY_NAMES = "The problems name the filter's parameters; under"
            + " webhooks.endpoints.<name> they are the properties secrets (a list, each entry used literally:"
            + " take it from the environment with a ${VARIABLE} placeholder), scheme, tolerance (toleranceSeconds),"
            + " max-body-size (maxBodyBytes), max-buffered-size (maxBufferedBytes), header-name (headerName),"
            + " query-string (queryString), replay-protection (replayProtection), replay-cache-size"
            + " (replayCacheSize), store (a WebhookStore given in code: store: bean), store-timeout"
            + " (storeTimeoutMillis), store-key-prefix (storeKeyPrefix), on-store-unavailable (onStoreUnavailable),"
            + " deduplicate, id-header (idHeader), dedup-ttl (dedupTtlSeconds) and lease (leaseSeconds).";

    private final Map<String, WebhookSignatureFilter> filters;
    private final Map<String, List<String>> pathPatterns;
    private final Map<String, WebhookSignatureFilter> uriStoreFilters;

    /**
     * @param unknown the keys meant for an endpoint that no property takes: each is a problem
     * @param paths the context path and Spring MVC's servlet path: a path pattern that guards no controller
     *        because of them is a problem
     * @param storeBean the application's one {@link WebhookStore} bean, asked for only by an endpoint
     *        with {@code store: bean}; null when it has none or several and none is primary
     * @param oneString the one string, as its property source holds it and with where it was set, that an endpoint's
     *        list property (by the endpoint's name and the property's) was bound from, split at commas by Spring; null
     *        for a list's elements. An empty pattern there is a problem, and so is a secret a placeholder's comma split,
     *        and, where it gave several secrets, one shorter than {@link Secrets#MIN_RECOMMENDED_BYTES}
     * @throws WebhookConfigurationException listing every problem, after logging it at ERROR
     */
    WebhookEndpointFilters(WebhookProperties properties, UnknownEndpointProperties unknown, ApplicationPaths paths,
                           Clock clock, List<WebhookFilterCustomizer> customizers, Supplier<WebhookStore> storeBean,
                           BiFunction<String, String, ConfigurationProperty> oneString) {
        Map<String, WebhookSignatureFilter> built = new LinkedHashMap<>();
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, WebhookProperties.Endpoint> endpoints = new LinkedHashMap<>(properties.getEndpoints());
        // An endpoint whose every key is misspelled binds to nothing: it is still reported, by name.
        unknown.byEndpoint().keySet().forEach(name -> endpoints.putIfAbsent(name, new WebhookProperties.Endpoint()));
        Function<String, String> secretOwner = value -> secretOwner(endpoints, value);
        endpoints.forEach((name, endpoint) -> {
            try {
                built.put(name, build(name, endpoint, unknown.byEndpoint().getOrDefault(name, List.of()), paths,
                        property -> oneString.apply(name, property), secretOwner, clock, customizers, storeBean));
                patterns.put(name, List.copyOf(endpoint.getPathPatterns()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                failures.add("WebhookSignatureFilter '" + name + "' (webhooks.endpoints." + name
                        + ") is misconfigured and will not start:\n" + e.getMessage());
            } catch (RuntimeException | Error e) {
                // A customizer's own fault: the application will not start, so close the stores opened so far.
                built.values().forEach(WebhookSignatureFilter::destroy);
                throw e;
            }
        });
        if (!unknown.elsewhere().isEmpty()) {
            failures.add("Keys look meant for an endpoint, but no endpoint reads them:\n"
                    + String.join("\n", unknown.elsewhere()));
        }
        List<String> overlaps = new ArrayList<>();
        compareEndpoints(patterns, failures, overlaps);
        if (!failures.isEmpty()) {
            // The application will not start: close the stores the good endpoints opened.
            built.values().forEach(WebhookSignatureFilter::destroy);
            String message = String.join("\n\n", failures) + "\n\n" + PROPERTY_NAMES;
            LOG.log(Level.ERROR, message);
            throw new WebhookConfigurationException(message);
        }
        overlaps.forEach(overlap -> LOG.log(Level.WARNING, overlap));
        this.filters = Collections.unmodifiableMap(built);
        this.pathPatterns = Collections.unmodifiableMap(patterns);
        Map<String, WebhookSignatureFilter> uriStores = new LinkedHashMap<>();
        endpoints.forEach((name, endpoint) -> {
            if (opensStoreFromUri(endpoint)) {
                uriStores.put(name, built.get(name));
            }
        });
        this.uriStoreFilters = Collections.unmodifiableMap(uriStores);
    }

    /**
     * Whether the endpoint's filter opens its store itself, from a URI ({@code redis://...}, {@code jdbc:...}): its
     * {@code store} is set and is neither {@code memory} nor {@code bean}. Such a store is no bean, so only the filter
     * can say whether it answers ({@link WebhookSignatureFilter#isStoreAvailable()}).
     */
    static boolean opensStoreFromUri(WebhookProperties.Endpoint endpoint) {
        String store = endpoint.getStore() == null ? null : endpoint.getStore().strip();
        return store != null && !store.isEmpty() && !store.equals(STORE_BEAN) && !store.equals(STORE_MEMORY);
    }

    /**
     * Closes the stores the endpoints' filters opened from a URI, when the application context closes: a container
     * destroys a filter only once it started it, and a start that fails after the filters were built (another bean
     * failing) starts none. {@link WebhookSignatureFilter#destroy()} closes a store once, so a container's destroy
     * before this one is harmless; a store the application gave ({@code store: bean}) is never closed.
     */
    @Override
    public void close() {
        filters.values().forEach(WebhookSignatureFilter::destroy);
    }

    /** The filters of the endpoints that open their store from a URI, by endpoint name, in configuration order. */
    Map<String, WebhookSignatureFilter> uriStoreFilters() {
        return uriStoreFilters;
    }

    /**
     * Compares each two endpoints' path patterns: a request under a pattern of each runs both filters, each with its
     * own secrets, and each refuses what only the other's secrets sign. The same pattern in both is a problem: a
     * copied endpoint, or one sender's secrets split over two endpoints. Patterns that overlap otherwise
     * ({@code /webhooks/*} and {@code /webhooks/stripe}, {@code /} and {@code /*}) may be meant, for requests that
     * carry both signatures: a warning. Each names both endpoints and their patterns, which hold no secret.
     *
     * @param patterns each endpoint's valid path patterns, in the order the endpoints are configured
     * @param problems where the pairs of endpoints that share a pattern go
     * @param warnings where the pairs of endpoints with overlapping patterns go
     */
    private static void compareEndpoints(Map<String, List<String>> patterns, List<String> problems,
                                         List<String> warnings) {
        List<String> names = new ArrayList<>(patterns.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                List<String> shared = new ArrayList<>();
                List<String> overlapping = new ArrayList<>();
                List<String> firsts = patterns.get(names.get(i));
                List<String> seconds = patterns.get(names.get(j));
                for (int f = 0; f < firsts.size(); f++) {
                    for (int s = 0; s < seconds.size(); s++) {
                        String first = firsts.get(f);
                        String second = seconds.get(s);
                        if (first.equals(second)) {
                            shared.add(shown(first, names.get(i), f));
                        } else if (overlap(first, second)) {
                            overlapping.add(shown(first, names.get(i), f) + " and " + shown(second, names.get(j), s));
                        }
                    }
                }
                String both = "WebhookSignatureFilter '" + names.get(i) + "' and '" + names.get(j)
                        + "' (webhooks.endpoints." + names.get(i) + " and webhooks.endpoints." + names.get(j) + ")";
                String uniform = names.get(i).toLowerCase(Locale.ROOT).replace("-", "");
                if (uniform.equals(names.get(j).toLowerCase(Locale.ROOT).replace("-", ""))) {
                    // GitHub: in YAML, WEBHOOKS_ENDPOINTS_GITHUB_SECRETS_0 in the environment: Spring makes two map keys.
                    problems.add(both + " are one endpoint to Spring, which reads its name without regard to case or"
                            + " dashes, and bound each with the properties of both; name it in lower case without"
                            + " dashes (" + uniform + "), as an environment variable spells it");
                } else if (!shared.isEmpty()) {
                    problems.add(both + " share the path pattern " + String.join(", ", shared) + ": a request there"
                            + " runs both filters, and each refuses what only the other's secrets sign; give each"
                            + " endpoint its own path patterns (the secrets of one sender go in one endpoint's"
                            + " secrets)");
                } else if (!overlapping.isEmpty()) {
                    warnings.add(both + " have overlapping path patterns, " + String.join(", ", overlapping)
                            + ": a request under both runs both filters, and each refuses what only the other's secrets"
                            + " sign; give each endpoint path patterns that no other endpoint's cover, unless such a"
                            + " request is to carry both signatures");
                }
            }
        }
    }

    /**
     * Warns of each endpoint that lets a query string through while Spring MVC's {@code HiddenHttpMethodFilter} is on:
     * that filter runs after the webhook filters and turns a verified POST into the method a {@code _method}
     * parameter names, which the query string, signed by nobody, may carry.
     */
    static void warnOfHiddenMethodFilter(WebhookProperties properties, boolean hiddenMethodFilterOn) {
        if (!hiddenMethodFilterOn) {
            return;
        }
        properties.getEndpoints().forEach((name, endpoint) -> {
            if (endpoint.getQueryString() != WebhookProperties.QueryString.REJECT) {
                LOG.log(Level.WARNING, "WebhookSignatureFilter '" + name + "' (webhooks.endpoints." + name
                        + ") lets a query string through while Spring's HiddenHttpMethodFilter is on ("
                        + WebhookFilterAutoConfiguration.HIDDEN_METHOD_FILTER + "): it runs after the webhook filter"
                        + " and takes _method from the query string, which nobody signed, so that a copy of a verified"
                        + " POST with ?_method=DELETE runs the DELETE handler; set query-string: reject");
            }
        });
    }

    /**
     * Warns of each endpoint that keeps its replay protection or de-duplication records in memory, this instance's
     * alone, while the application has a {@link WebhookStore} bean that no endpoint takes ({@code store: bean}): a bean
     * meant to share them, which Actuator's health shows UP, and which a replay or a duplicate sent to another instance
     * gets past.
     *
     * @param storeBeans the names of the application's {@link WebhookStore} beans
     */
    static void warnOfAStoreBeanNoEndpointTakes(WebhookProperties properties, List<String> storeBeans) {
        Map<String, WebhookProperties.Endpoint> endpoints = properties.getEndpoints();
        if (storeBeans.isEmpty() || endpoints.values().stream()
                .anyMatch(endpoint -> endpoint.getStore() != null && endpoint.getStore().strip().equals(STORE_BEAN))) {
            return;
        }
        endpoints.forEach((name, endpoint) -> {
            boolean inMemory = endpoint.getStore() == null || endpoint.getStore().strip().equals(STORE_MEMORY);
            if (inMemory && (endpoint.isReplayProtection() || endpoint.isDeduplicate())) {
                LOG.log(Level.WARNING, "WebhookSignatureFilter '" + name + "' (webhooks.endpoints." + name + ") keeps its"
                        + " replay protection and de-duplication records in memory (store: memory, the default), this"
                        + " instance's alone, while the application has a WebhookStore bean (" + String.join(", ",
                        storeBeans) + ") that no endpoint takes; set store: bean to keep them there, shared by every"
                        + " instance");
            }
        });
    }

    /** A valid pattern, quoted, or named by its index where it may be a secret ({@link #mayQuote}). */
    private static String shown(String pattern, String endpoint, int index) {
        return mayQuote(pattern) ? "'" + pattern + "'"
                : "path-patterns[" + index + "] of " + endpoint + " (not shown: it may be a secret)";
    }

    /** Whether a path exists that both valid Servlet URL patterns cover, by {@link ServletUrlPatterns#covers}. */
    static boolean overlap(String first, String second) {
        if (first.startsWith("*.") && second.startsWith("*.")) {
            return first.equals(second);
        }
        if (first.startsWith("*.") || second.startsWith("*.")) {
            String other = first.startsWith("*.") ? second : first;
            String extension = first.startsWith("*.") ? first : second;
            // A prefix or every path holds paths with any extension; an exact path has its own.
            return other.equals("/") || other.endsWith("/*") || ServletUrlPatterns.covers(extension, other);
        }
        return ServletUrlPatterns.covers(first, examplePath(second))
                || ServletUrlPatterns.covers(second, examplePath(first));
    }

    /** The one path an exact pattern covers, or the base of a prefix (which it covers too); {@code /} for the rest. */
    private static String examplePath(String pattern) {
        if (pattern.isEmpty() || pattern.equals("/")) {
            return "/";
        }
        return pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) + "/" : pattern;
    }

    /**
     * The endpoint of which {@code value} is a secret, ignoring case and surrounding white space (a header's name is
     * read without regard to case); null when it is none's.
     */
    private static String secretOwner(Map<String, WebhookProperties.Endpoint> endpoints, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (Map.Entry<String, WebhookProperties.Endpoint> endpoint : endpoints.entrySet()) {
            for (String secret : endpoint.getValue().getSecrets()) {
                if (secret != null && !secret.isBlank() && secret.strip().equalsIgnoreCase(value.strip())) {
                    return endpoint.getKey();
                }
            }
        }
        return null;
    }

    /** Adds a problem when {@code value}, which is shown as {@code how} says, is a secret of an endpoint. */
    private static void secretShownElsewhere(String property, String value, String how,
                                             Function<String, String> secretOwner, List<String> problems) {
        String owner = secretOwner.apply(value);
        if (owner != null) {
            problems.add(property + ": a secret of endpoint '" + owner + "' (not shown), " + how + "; check that its"
                    + " ${...} placeholder is the one meant for this key");
        }
    }

    /**
     * @param secretOwner the endpoint of which a value is a secret, or null: a header's name, a store's key prefix or a
     *        URL pattern is no place for one, as the filter logs the first two at start-up and names the signature's
     *        header in every 401, and the container shows its mappings
     */
    private static WebhookSignatureFilter build(String name, WebhookProperties.Endpoint endpoint,
                                                List<String> unknownKeys, ApplicationPaths paths,
                                                Function<String, ConfigurationProperty> oneString,
                                                Function<String, String> secretOwner, Clock clock,
                                                List<WebhookFilterCustomizer> customizers,
                                                Supplier<WebhookStore> storeBean) {
        List<String> problems = new ArrayList<>(unknownKeys);
        if (name.equals(AmbiguousPathFilter.NAME)) {
            // The endpoint's filter is registered under its name: the container would refuse the second.
            problems.add("the name " + name + " is taken by the starter's own filter, which refuses ambiguous"
                    + " paths; give the endpoint another name");
        }
        if (endpoint.getPathPatterns().isEmpty()) {
            problems.add("path-patterns: required; give the URL patterns this endpoint's requests arrive on,"
                    + " such as /webhooks/" + name + "/*");
        }
        boolean patternsInOneString = oneString.apply("path-patterns") != null;
        for (int i = 0; i < endpoint.getPathPatterns().size(); i++) {
            String pattern = endpoint.getPathPatterns().get(i);
            if (patternsInOneString && pattern.isEmpty()) {
                // A blank value or a stray comma: the empty pattern is the context root alone, guarding no controller.
                problems.add("path-patterns[" + i + "]: empty, in a single string of patterns that Spring splits at"
                        + " commas (a blank value, or a comma with no pattern after it), and the empty pattern guards"
                        + " the context root alone; check that its environment variable is set, and write the patterns"
                        + " as a list (the context root alone is '' in a list)");
                continue;
            }
            if (!ServletUrlPatterns.isValid(pattern)) {
                // A container takes /webhooks/** as one literal path: the filter would guard nothing.
                // A password may begin with '*' or '/', or hold '/*': quoted only when written as paths are.
                String which = looksLikeAPattern(pattern) && writtenAsPaths(pattern)
                        ? "path-patterns: '" + pattern + "' is"
                        : looksLikeAPattern(pattern)
                        ? "path-patterns[" + i + "] (not shown: it may be a secret, such as a ${...} placeholder under"
                                + " the wrong key) is"
                        : "path-patterns[" + i + "] (not shown: it looks like no path, and may be a secret, such as a"
                                + " ${...} placeholder under the wrong key) is";
                problems.add(which + " not a Servlet URL pattern and would match"
                        + " no request; write an exact path (/webhooks/" + name + "), a prefix (/webhooks/*) or an"
                        + " extension (*.json); /webhooks/* covers everything under /webhooks/");
            } else {
                // A base64 secret may begin with '/' and hold nothing a path cannot: a valid exact path.
                secretShownElsewhere("path-patterns[" + i + "]", pattern, "where a URL pattern goes, which the"
                        + " container's mappings and /actuator/mappings show", secretOwner, problems);
                String unmatched = ServletUrlPatterns.unmatchedOnSomeContainer(pattern);
                boolean shown = mayQuote(pattern);
                String which = shown ? "path-patterns: '" + pattern + "'"
                        : "path-patterns[" + i + "] (not shown: it may be a secret, such as a base64 one taken by a"
                                + " ${...} placeholder under the wrong key)";
                String problem = unmatched != null ? which + " " + unmatched : paths.problem(pattern, which, shown);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        Integer toleranceSeconds = seconds(endpoint.getTolerance(), "tolerance", "300s", problems);
        Integer dedupTtlSeconds = seconds(endpoint.getDedupTtl(), "dedup-ttl", "3d", problems);
        Integer leaseSeconds = seconds(endpoint.getLease(), "lease", "60s", problems);
        // A secret's ${...} placeholder under the wrong key: letters, digits and dashes make a valid header name, and
        // the filter takes any key prefix.
        secretShownElsewhere("header-name", endpoint.getHeaderName(), "where a header's name goes, which is logged at"
                + " start-up and sent in every 401's WWW-Authenticate", secretOwner, problems);
        secretShownElsewhere("id-header", endpoint.getIdHeader(), "where a header's name goes, which is logged at"
                + " start-up and with each request that lacks it", secretOwner, problems);
        secretShownElsewhere("store-key-prefix", endpoint.getStoreKeyPrefix(), "which is logged at start-up (a Redis"
                + " store's) and begins every key in the store", secretOwner, problems);
        Duration storeTimeout = endpoint.getStoreTimeout();
        if (storeTimeout != null && storeTimeout.getNano() % 1_000_000 != 0) {
            problems.add("store-timeout: whole milliseconds only, such as 500ms");
        }
        List<String> secrets = endpoint.getSecrets();
        boolean secretsUsable = !secrets.isEmpty();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.isEmpty()) {
                problems.add("secrets[" + i + "]: empty; check that its environment variable is set and not empty");
                secretsUsable = false;
                continue;
            }
            if (isBlank(secret)) {
                // A variable set to a space or a line break: as the key, anyone could guess it.
                problems.add("secrets[" + i + "]: blank (white space only); check that its environment variable is"
                        + " set to the secret");
                secretsUsable = false;
                continue;
            }
            // Spring leaves a placeholder it cannot resolve as it stands; its text must not become the key.
            if (UNRESOLVED_PLACEHOLDER.matcher(secret).find()) {
                Matcher whole = WHOLE_PLACEHOLDER.matcher(secret);
                problems.add("secrets[" + i + "]: " + (whole.matches()
                        ? "the placeholder " + secret + " is not resolved; set the environment variable or property "
                                + whole.group(1)
                        : "holds a placeholder (${...}) that is not resolved, not shown as the text around it may be"
                                + " the secret; set the environment variable or property it names"));
                secretsUsable = false;
            }
        }
        ConfigurationProperty secretsString = oneString.apply("secrets");
        if (secretsUsable && secrets.size() > partsWritten(secretsString == null ? null : secretsString.getValue())) {
            // secrets: ${GITHUB_WEBHOOK_SECRET}, whose value holds a comma: each piece would be a key of its own.
            problems.add("secrets: one string, which Spring splits at commas, and a placeholder's value in it holds a"
                    + " comma, so pieces of a secret became secrets of their own (a short piece is a key anyone could"
                    + " guess); write the secrets as a list (secrets[0]: ${...}), whose elements are taken whole");
        } else if (secretsUsable && secrets.size() > 1 && secretsString != null
                && !String.valueOf(secretsString.getValue()).contains("${")) {
            // WEBHOOKS_ENDPOINTS_<NAME>_SECRETS=new,old is Spring's idiom for a list in one variable, and so is
            // secrets: new,old; but a secret that holds a comma, given so, is split too. Its pieces cannot be told from
            // two secrets, save that a piece is usually short: a key anyone could guess, so that stops the start.
            // (Placeholders' values are whole, or refused above: ${NEW},${OLD} was written as two.)
            int shortIndex = firstShort(schemeOrDefault(endpoint), secrets);
            if (shortIndex >= 0) {
                problems.add("secrets[" + shortIndex + "]: shorter than " + Secrets.MIN_RECOMMENDED_BYTES + " bytes, one"
                        + " of " + secrets.size() + " secrets that Spring split at commas from one string"
                        + (secretsString.getOrigin() == null ? "" : " (set in " + secretsString.getOrigin() + ")")
                        + "; if it is a piece of one secret that holds a comma, give that secret as a list's element"
                        + " (secrets[0], or WEBHOOKS_ENDPOINTS_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "")
                        + "_SECRETS_0), which is taken whole; two secrets while rotating must each be at least "
                        + Secrets.MIN_RECOMMENDED_BYTES + " bytes");
            }
        }
        String storeSpec = endpoint.getStore() == null ? null : endpoint.getStore().strip();
        boolean bean = STORE_BEAN.equals(storeSpec);
        // Spring leaves a placeholder it cannot resolve as it stands: opened so, the URI met the driver's or the
        // server's complaint (a port that is not a number, a password refused), which named no variable to set.
        boolean storeUnresolved = storeSpec != null && UNRESOLVED_PLACEHOLDER.matcher(storeSpec).find();
        if (storeUnresolved) {
            problems.add("store: " + unresolvedInStore(storeSpec));
        }
        WebhookStore store = bean ? storeBean.get() : null;
        if (bean && store == null) {
            problems.add("store: bean needs exactly one bean of type " + WebhookStore.class.getName()
                    + " in the application context (or one marked @Primary); define it, or give memory or a"
                    + " store URI");
        }

        // The filter's own rules, with its own words, for what the verifier holds: scheme, tolerance and
        // whether there are secrets. Nothing here opens a store.
        List<String> verifierProblems = new ArrayList<>();
        WebhookSignatureFilter.Builder rules = WebhookSignatureFilter.builder();
        if (endpoint.getScheme() != null) {
            rules.scheme(endpoint.getScheme());
        }
        if (toleranceSeconds != null) {
            rules.toleranceSeconds(toleranceSeconds);
        }
        // Always: the filter's words for missing secrets are its init-param's (comma-separated, env:NAME, file:PATH),
        // which would stop the start here.
        rules.secrets(RULES_ONLY_SECRET);
        try {
            rules.build();
        } catch (IllegalArgumentException e) {
            verifierProblems.add(e.getMessage());
        }
        if (secrets.isEmpty()) {
            verifierProblems.add(WebhookSignatureFilter.PARAM_SECRETS + ": required; give a list of one or more"
                    + " secrets, each used as it stands (not env:NAME or file:PATH, which stop the start here): take it"
                    + " from the environment with a placeholder, such as [\"${"
                    + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_WEBHOOK_SECRET}\"]");
        }
        Scheme scheme = Scheme.defaultScheme();
        try {
            scheme = scheme(endpoint);
        } catch (IllegalArgumentException e) {
            // reported by the rules above, in the filter's words
        }
        WebhookVerifier.Builder verifier = null;
        if (verifierProblems.isEmpty() && secretsUsable) {
            verifier = WebhookVerifier.builder()
                    .scheme(scheme)
                    .secrets(secrets)
                    .clock(clock);
            if (toleranceSeconds != null) {
                verifier.tolerance(Duration.ofSeconds(toleranceSeconds));
            }
            try {
                verifier.build();
            } catch (IllegalArgumentException e) {
                // As the filter words it: which secret the scheme cannot take, never the secret.
                verifierProblems.add(WebhookSignatureFilter.PARAM_SECRETS + ": " + e.getMessage());
                verifier = null;
            }
        }

        // Everything else, checked by the filter that is built. It is built even after a problem above (with a
        // stand-in verifier), so that every problem is reported at once; a store it opened is then closed below.
        WebhookSignatureFilter.Builder filter = WebhookSignatureFilter.builder();
        if (endpoint.getMaxBodySize() != null) {
            filter.maxBodyBytes(clamp(endpoint.getMaxBodySize().toBytes()));
        }
        if (endpoint.getMaxBufferedSize() != null) {
            filter.maxBufferedBytes(endpoint.getMaxBufferedSize().toBytes());
        }
        if (endpoint.getHeaderName() != null) {
            filter.headerName(endpoint.getHeaderName());
        }
        if (endpoint.getQueryString() == WebhookProperties.QueryString.REJECT) {
            filter.rejectQueryStrings();
        }
        if (endpoint.isReplayProtection()) {
            filter.replayProtection();
        }
        if (endpoint.isDeduplicate()) {
            filter.deduplicate(endpoint.getIdHeader());
        } else if (endpoint.getIdHeader() != null) {
            // The builder sets the id header only with deduplicate; these are the filter's words for the init-param.
            problems.add(WebhookSignatureFilter.PARAM_ID_HEADER + ": has no effect unless "
                    + WebhookSignatureFilter.PARAM_DEDUPLICATE + " is true; set that, or remove "
                    + WebhookSignatureFilter.PARAM_ID_HEADER);
        }
        if (dedupTtlSeconds != null) {
            filter.dedupTtlSeconds(dedupTtlSeconds);
        }
        if (leaseSeconds != null) {
            filter.leaseSeconds(leaseSeconds);
        }
        if (endpoint.getReplayCacheSize() != null) {
            // Only when set: the filter then says whether the memory store it sizes is in use.
            filter.replayCacheSize(endpoint.getReplayCacheSize());
        }
        if (store != null) {
            filter.store(store);
        } else if (storeSpec != null && !bean && !storeUnresolved) {
            filter.store(storeSpec);
        }
        if ((!bean || store != null) && !storeUnresolved) {
            // Without the bean, the store's own settings would be judged against memory: leave them out.
            if (storeTimeout != null) {
                filter.storeTimeoutMillis(clampMillis(storeTimeout));
            }
            if (endpoint.getStoreKeyPrefix() != null) {
                filter.storeKeyPrefix(endpoint.getStoreKeyPrefix());
            }
        }
        if (endpoint.getOnStoreUnavailable() == WebhookProperties.StoreUnavailable.ALLOW && !storeUnresolved) {
            filter.allowWhenStoreUnavailable();
        }

        boolean wellSoFar = problems.isEmpty() && verifierProblems.isEmpty();
        if (wellSoFar) {
            for (WebhookFilterCustomizer customizer : customizers) {
                customizer.customize(name, verifier, filter);
            }
            filter.verifier(verifier.build());
        } else {
            // For the other checks only (in the scheme's words where it has one); this filter is never used.
            filter.verifier(WebhookVerifier.builder().scheme(scheme).secret(RULES_ONLY_SECRET).clock(clock).build());
        }
        WebhookSignatureFilter built = null;
        try {
            built = filter.build();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(verifierProblems);
        if (!problems.isEmpty()) {
            if (built != null) {
                built.destroy();
            }
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        // The filter warns of short secrets only in its secrets init-param; it is given a verifier here.
        for (int i = 0; i < secrets.size(); i++) {
            if (Secrets.isShort(scheme(endpoint), secrets.get(i))) {
                LOG.log(Level.WARNING, "WebhookSignatureFilter '" + name + "' (webhooks.endpoints." + name + "): secrets["
                        + i + "] gives a key shorter than " + Secrets.MIN_RECOMMENDED_BYTES + " bytes; use a long random secret,"
                        + " such as the one the platform generates");
            }
        }
        return built;
    }

    /**
     * What is wrong with a store URI that holds an unresolved placeholder: the placeholders named where each is one of
     * an environment variable's conventional names, as a password's characters around or inside other braces are not.
     */
    private static String unresolvedInStore(String storeSpec) {
        List<String> names = new ArrayList<>();
        Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(storeSpec);
        while (placeholder.find()) {
            Matcher variable = VARIABLE_PLACEHOLDER.matcher(placeholder.group());
            if (!variable.matches()) {
                return "holds a placeholder (${...}) that is not resolved, not shown as the text around it may be a"
                        + " password; set the environment variable or property it names";
            }
            names.add(variable.group(1));
        }
        return (names.size() == 1 ? "the placeholder ${" + names.get(0) + "} is" : "the placeholders ${"
                + String.join("}, ${", names) + "} are") + " not resolved; set the environment variable or property "
                + String.join(" and ", names);
    }

    /** The endpoint's scheme, or the default one for a name that is none (the filter's rules report it). */
    private static Scheme schemeOrDefault(WebhookProperties.Endpoint endpoint) {
        try {
            return scheme(endpoint);
        } catch (IllegalArgumentException e) {
            return Scheme.defaultScheme();
        }
    }

    /**
     * {@return the index of the first of {@code secrets} whose key under {@code scheme} is short, or -1} A secret the
     * scheme takes no key from (not base64 where it decodes) is left to the verifier, which reports it.
     */
    private static int firstShort(Scheme scheme, List<String> secrets) {
        for (int i = 0; i < secrets.size(); i++) {
            try {
                if (Secrets.isShort(scheme, secrets.get(i))) {
                    return i;
                }
            } catch (IllegalArgumentException e) {
                // reported by the verifier's build
            }
        }
        return -1;
    }

    /** The endpoint's scheme; its name was checked by the filter's rules. */
    static Scheme scheme(WebhookProperties.Endpoint endpoint) {
        return endpoint.getScheme() == null ? Scheme.defaultScheme() : Scheme.named(endpoint.getScheme());
    }

    /**
     * The whole seconds of {@code value}, or null when it is unset; a fraction of a second is a problem.
     * Out-of-range values stay out of range, for the filter's rules to report.
     */
    private static Integer seconds(Duration value, String property, String example, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (value.getNano() != 0) {
            problems.add(property + ": whole seconds only, such as " + example);
        }
        return clamp(value.getSeconds());
    }

    /**
     * Whether a valid pattern may be quoted: an extension, or one written as paths are, in lower-case letters, digits
     * and {@code / - . _ ~ *} alone. A base64 secret that begins with {@code /} (a {@code ${...}} placeholder under
     * the wrong key) is a valid exact path, but holds upper-case letters, {@code +} or {@code =}.
     */
    private static boolean mayQuote(String pattern) {
        return pattern.startsWith("*.") || writtenAsPaths(pattern);
    }

    /**
     * {@return how many entries Spring makes of {@code oneString} at its commas if no placeholder's value holds one;
     * the most an int holds for no string, or one without a placeholder (every comma written was meant)}
     */
    private static int partsWritten(Object oneString) {
        if (!(oneString instanceof String) || !((String) oneString).contains("${")) {
            return Integer.MAX_VALUE;
        }
        String outsidePlaceholders = UNRESOLVED_PLACEHOLDER.matcher((String) oneString).replaceAll("");
        return (int) outsidePlaceholders.chars().filter(c -> c == ',').count() + 1;
    }

    /**
     * Whether any path pattern, valid or not, may be shown as the problems quote it: a valid one that {@link #mayQuote
     * may be quoted}, another that looks like a mistaken pattern and is written as paths are.
     */
    static boolean mayShow(String pattern) {
        return ServletUrlPatterns.isValid(pattern) ? mayQuote(pattern) : looksLikeAPattern(pattern) && writtenAsPaths(pattern);
    }

    /** Whether {@code value} is written in lower-case letters, digits and {@code / - . _ ~ *} alone. */
    private static boolean writtenAsPaths(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "/-._~*".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code pattern}, not a Servlet URL pattern, looks like a mistaken one: it begins with {@code /} or
     * {@code *}, or holds {@code /*}. Anything else may be a secret, pasted or taken by a placeholder under the wrong
     * key; so may a password with symbols that looks like one, which is quoted only when also
     * {@linkplain #writtenAsPaths written as paths are}.
     */
    private static boolean looksLikeAPattern(String pattern) {
        return pattern.startsWith("/") || pattern.startsWith("*") || pattern.contains("/*");
    }

    /** Whether {@code secret} is white space only, no-break spaces included, which {@link String#isBlank} misses. */
    private static boolean isBlank(String secret) {
        return secret.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /**
     * The whole milliseconds of {@code value}, out of range when they are: {@link Duration#toMillis()} throws for a
     * duration of more than {@code Long.MAX_VALUE} milliseconds, which binds ({@code 9223372036854775807s}).
     */
    private static int clampMillis(Duration value) {
        return value.getSeconds() > Integer.MAX_VALUE ? Integer.MAX_VALUE
                : value.getSeconds() < Integer.MIN_VALUE ? Integer.MIN_VALUE : clamp(value.toMillis());
    }

    /** Out-of-range values stay out of range, for the filter's rules to report. */
    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** The registration of one endpoint's filter: named after the endpoint, on its path patterns. */
    FilterRegistrationBean<WebhookSignatureFilter> registration(String endpoint) {
        FilterRegistrationBean<WebhookSignatureFilter> registration = new FilterRegistrationBean<>(filters.get(endpoint));
        registration.setName(endpoint);
        registration.setUrlPatterns(pathPatterns.get(endpoint));
        return forEveryDispatch(registration, WebhookFilterAutoConfiguration.FILTER_ORDER);
    }

    /**
     * The registration of the {@link AmbiguousPathFilter} over every endpoint's path patterns: on {@code /*},
     * just before the endpoints' filters, for the same dispatches. It lists those patterns in the init parameter
     * {@link AmbiguousPathGuard#PATTERNS}, so that an endpoint's filter does not warn at start-up of the trailing
     * {@code /} this filter refuses, while a filter the application registers itself, on other patterns, still does.
     */
    FilterRegistrationBean<AmbiguousPathFilter> ambiguousPathRegistration() {
        List<String> all = new ArrayList<>();
        pathPatterns.values().forEach(all::addAll);
        FilterRegistrationBean<AmbiguousPathFilter> registration =
                new FilterRegistrationBean<>(new AmbiguousPathFilter(new AmbiguousPaths(all)));
        registration.setName(AmbiguousPathFilter.NAME);
        registration.addUrlPatterns("/*");
        registration.addInitParameter(AmbiguousPathGuard.PATTERNS, AmbiguousPathGuard.join(all));
        return forEveryDispatch(registration, WebhookFilterAutoConfiguration.FILTER_ORDER - 1);
    }

    private static <T extends Filter> FilterRegistrationBean<T> forEveryDispatch(
            FilterRegistrationBean<T> registration, int order) {
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE,
                DispatcherType.ERROR, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(order);
        return registration;
    }
}
