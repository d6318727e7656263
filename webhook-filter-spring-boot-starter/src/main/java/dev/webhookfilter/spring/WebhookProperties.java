package dev.webhookfilter.spring;

import dev.webhookfilter.Scheme;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The webhook endpoints, under {@code webhooks.endpoints.<name>}; each gets its own
 * {@code WebhookSignatureFilter}:
 * <pre>{@code
 * webhooks:
 *   endpoints:
 *     payments:
 *       path-patterns: [/webhooks/payments/*]
 *       secrets: ["${PAYMENTS_WEBHOOK_SECRET}"]
 * }</pre>
 * Values are checked when the filters are built, by the filter's own rules; a bad one stops the
 * application from starting.
 */
@ConfigurationProperties(WebhookProperties.PREFIX)
public class WebhookProperties {

    /** The prefix of every property bound here; the application may keep keys of its own under it. */
    static final String PREFIX = "webhooks";

    /** The webhook endpoints by name; each gets a filter of that name in front of its path patterns. */
    private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /** No endpoints yet; Spring Boot binds {@code webhooks.endpoints} into them. */
    public WebhookProperties() {
    }

    /**
     * The endpoints configured under {@code webhooks.endpoints}, read from the environment while bean definitions
     * are collected, before any bean (this one included) is made. A value of the wrong type, or a list's element
     * after a missing index, stops the start with a {@link WebhookConfigurationException} that names the key and
     * never the value.
     */
    static Map<String, Endpoint> endpointsIn(Environment environment) {
        try {
            return Binder.get(environment).bind(PREFIX + ".endpoints", Bindable.mapOf(String.class, Endpoint.class))
                    .orElse(Map.of());
        } catch (BindException e) {
            // Spring's exception quotes the value in its causes' messages, and it is thrown out of
            // SpringApplication.run, where a test runner or a container deploying the application prints it.
            String report = WebhookBindFailureAnalyzer.report(e);
            if (report == null) {
                throw e;
            }
            throw new WebhookConfigurationException(report);
        }
    }

    /**
     * The one string the endpoint's list property {@code property} ({@code path-patterns}, {@code secrets}) is bound
     * from, which Spring splits at commas, trimming each part ({@code path-patterns: /a/*,/b/*},
     * {@code WEBHOOKS_ENDPOINTS_PAYMENTS_PATHPATTERNS}), as its property source holds it (placeholders unresolved),
     * with where it was set; null where it is bound from a list's elements. As Spring's binder does, the first property source that holds the
     * property or any element of it decides, and in it the string comes before the elements. Null for a name no
     * property name can hold.
     */
    static ConfigurationProperty oneStringOf(Environment environment, String endpoint, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(
                PREFIX + ".endpoints[" + endpoint + "]." + property);
        if (name == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty whole = source.getConfigurationProperty(name);
            if (whole != null) {
                return whole;
            }
            if (source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return null;
            }
        }
        return null;
    }

    /** {@return the webhook endpoints by name} */
    public Map<String, Endpoint> getEndpoints() {
        return endpoints;
    }

    /**
     * Sets the webhook endpoints by name.
     *
     * @param endpoints the webhook endpoints by name
     */
    public void setEndpoints(Map<String, Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /** One endpoint: where its requests arrive and how their signatures are checked. */
    public static class Endpoint {

        /**
         * Servlet URL patterns the endpoint's filter guards, such as /webhooks/payments/*. Required.
         * Matched after the context path, and including spring.mvc.servlet.path when that is set.
         * Every request matching them must be signed, whatever its method.
         */
        private List<String> pathPatterns = new ArrayList<>();

        /**
         * The shared secrets, each used exactly as given (no env: or file: prefixes here): take them
         * from the environment with placeholders such as ${PAYMENTS_WEBHOOK_SECRET}. Required; two
         * while rotating.
         */
        private List<String> secrets = new ArrayList<>();

        /**
         * The sender's signature scheme: wealthkernel-2022, wealthkernel, standard-webhooks, svix, stripe,
         * github, slack, shopify or paddle. It decides the header read, the signed bytes and how the
         * secrets are taken (as they stand, or base64).
         */
        private String scheme = Scheme.defaultScheme().name();

        /**
         * How far the signature's t may be from now, either way: 1 s to 86400 s. A bare number is seconds.
         * Unset, the scheme's: 300s, or 5s for paddle. For a scheme without a timestamp, how long replay
         * protection refuses an accepted message again.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration tolerance;

        /**
         * The largest body accepted; a larger one gets 413 without being read past the limit. Up to 1GB;
         * unset, the filter's default, 1MB.
         */
        private DataSize maxBodySize;

        /**
         * The most body bytes all of this endpoint's requests in flight may hold together; past it, 503
         * with Retry-After. A verified form takes room for its decoded parameters too. From max-body-size up;
         * unset, a quarter of the heap.
         */
        private DataSize maxBufferedSize;

        /** The header that carries the signature. Unset, the scheme's (X-Webhook-Signature for the default). */
        private String headerName;

        /** Whether a request with a query string, which is not signed, is let through or refused with 400. */
        private QueryString queryString = QueryString.ALLOW;

        /**
         * Whether a signed message (timestamp and body) already accepted within the tolerance is refused (401,
         * replayed), whichever secret or signature it carries. Kept in the endpoint's store.
         */
        private boolean replayProtection;

        /**
         * How many entries the memory store keeps at most (about 150 bytes each), for replay protection
         * and de-duplication: 1 to 10000000; unset, the filter's default, 100000. Only with store memory.
         */
        private Integer replayCacheSize;

        /**
         * Where replay protection and de-duplication keep their records: memory (the default, one
         * instance only); a URI that a store module on the class path opens (redis://..., jdbc:postgresql:...,
         * as the filter's store init-param); or bean, for the application's one bean of type
         * dev.webhookfilter.WebhookStore.
         */
        private String store;

        /** The most any one call to a URI store may take: 1ms to 60s, whole milliseconds; unset, 1s. */
        private Duration storeTimeout;

        /** Prepended to every key in a URI store, so that applications can share one; unset, webhook-filter:. */
        private String storeKeyPrefix;

        /** What a request gets when a shared store cannot decide: 503 (reject) or let through, weaker (allow). */
        private StoreUnavailable onStoreUnavailable = StoreUnavailable.REJECT;

        /**
         * Whether the handler runs once per sender's message id (read from id-header): a verified
         * duplicate of a processed message gets 200 and Webhook-Duplicate: true without reaching it.
         */
        private boolean deduplicate;

        /**
         * The header that carries the sender's message id. Unset, the scheme's: webhook-id (standard-webhooks),
         * svix-id (svix), X-GitHub-Delivery (github), X-Shopify-Webhook-Id (shopify); required with deduplicate
         * for the other schemes, whose senders send none that the filter knows (Stripe, Slack and Paddle send none:
         * their event ids are in the body; de-duplicate those in the controller).
         */
        private String idHeader;

        /** How long a processed message id is remembered: 1 s to 365 d, whole seconds; unset, 3 days. */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration dedupTtl;

        /** How long a claim on a message id holds if its request never finishes: 1 s to 1 d, whole seconds; unset, 60 s. */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration lease;

        /** An endpoint with every default; Spring Boot binds its properties into it. */
        public Endpoint() {
        }

        /** {@return the URL patterns the endpoint's filter guards} */
        public List<String> getPathPatterns() {
            return pathPatterns;
        }

        /**
         * Sets the URL patterns the endpoint's filter guards.
         *
         * @param pathPatterns the URL patterns the endpoint's filter guards
         */
        public void setPathPatterns(List<String> pathPatterns) {
            this.pathPatterns = pathPatterns;
        }

        /** {@return the endpoint's secrets, in order} */
        public List<String> getSecrets() {
            return secrets;
        }

        /**
         * Sets the endpoint's secrets, in order.
         *
         * @param secrets the endpoint's secrets, in order
         */
        public void setSecrets(List<String> secrets) {
            this.secrets = secrets;
        }

        /** {@return how far t may be from now, either way, or null for the scheme's default} */
        public Duration getTolerance() {
            return tolerance;
        }

        /**
         * Sets how far t may be from now, either way.
         *
         * @param tolerance how far t may be from now, either way
         */
        public void setTolerance(Duration tolerance) {
            this.tolerance = tolerance;
        }

        /** {@return the largest body accepted, or null for the filter's default} */
        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        /**
         * Sets the largest body accepted.
         *
         * @param maxBodySize the largest body accepted, or null for the filter's default
         */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /** {@return the header that carries the signature, or null for the scheme's} */
        public String getHeaderName() {
            return headerName;
        }

        /**
         * Sets the header that carries the signature.
         *
         * @param headerName the header that carries the signature
         */
        public void setHeaderName(String headerName) {
            this.headerName = headerName;
        }

        /** {@return whether a signed message accepted before is refused} */
        public boolean isReplayProtection() {
            return replayProtection;
        }

        /**
         * Sets whether a signed message accepted before is refused.
         *
         * @param replayProtection whether a signed message accepted before is refused
         */
        public void setReplayProtection(boolean replayProtection) {
            this.replayProtection = replayProtection;
        }

        /** {@return how many entries the memory store keeps at most, or null for the filter's default} */
        public Integer getReplayCacheSize() {
            return replayCacheSize;
        }

        /**
         * Sets how many entries the memory store keeps at most.
         *
         * @param replayCacheSize how many entries the memory store keeps at most, or null for the filter's default
         */
        public void setReplayCacheSize(Integer replayCacheSize) {
            this.replayCacheSize = replayCacheSize;
        }

        /** {@return the sender's signature scheme} */
        public String getScheme() {
            return scheme;
        }

        /**
         * Sets the sender's signature scheme.
         *
         * @param scheme the scheme's name, one of {@code dev.webhookfilter.Scheme.names()}
         */
        public void setScheme(String scheme) {
            this.scheme = scheme;
        }

        /** {@return the most body bytes the endpoint's requests in flight may hold together, or null for the default} */
        public DataSize getMaxBufferedSize() {
            return maxBufferedSize;
        }

        /**
         * Sets the most body bytes the endpoint's requests in flight may hold together.
         *
         * @param maxBufferedSize the limit, or null for the default
         */
        public void setMaxBufferedSize(DataSize maxBufferedSize) {
            this.maxBufferedSize = maxBufferedSize;
        }

        /** {@return whether a request with a query string is let through or refused} */
        public QueryString getQueryString() {
            return queryString;
        }

        /**
         * Sets whether a request with a query string is let through or refused.
         *
         * @param queryString allow or reject
         */
        public void setQueryString(QueryString queryString) {
            this.queryString = queryString;
        }

        /** {@return where replay protection and de-duplication keep their records, or null for memory} */
        public String getStore() {
            return store;
        }

        /**
         * Sets where replay protection and de-duplication keep their records.
         *
         * @param store memory, a store URI, or bean
         */
        public void setStore(String store) {
            this.store = store;
        }

        /** {@return the most any one call to a URI store may take, or null for the default} */
        public Duration getStoreTimeout() {
            return storeTimeout;
        }

        /**
         * Sets the most any one call to a URI store may take.
         *
         * @param storeTimeout the timeout, or null for the default
         */
        public void setStoreTimeout(Duration storeTimeout) {
            this.storeTimeout = storeTimeout;
        }

        /** {@return the prefix of every key in a URI store, or null for the default} */
        public String getStoreKeyPrefix() {
            return storeKeyPrefix;
        }

        /**
         * Sets the prefix of every key in a URI store.
         *
         * @param storeKeyPrefix the prefix, or null for the default
         */
        public void setStoreKeyPrefix(String storeKeyPrefix) {
            this.storeKeyPrefix = storeKeyPrefix;
        }

        /** {@return what a request gets when a shared store cannot decide} */
        public StoreUnavailable getOnStoreUnavailable() {
            return onStoreUnavailable;
        }

        /**
         * Sets what a request gets when a shared store cannot decide.
         *
         * @param onStoreUnavailable reject or allow
         */
        public void setOnStoreUnavailable(StoreUnavailable onStoreUnavailable) {
            this.onStoreUnavailable = onStoreUnavailable;
        }

        /** {@return whether the handler runs once per sender's message id} */
        public boolean isDeduplicate() {
            return deduplicate;
        }

        /**
         * Sets whether the handler runs once per sender's message id.
         *
         * @param deduplicate whether the handler runs once per sender's message id
         */
        public void setDeduplicate(boolean deduplicate) {
            this.deduplicate = deduplicate;
        }

        /** {@return the header that carries the sender's message id, or null} */
        public String getIdHeader() {
            return idHeader;
        }

        /**
         * Sets the header that carries the sender's message id.
         *
         * @param idHeader the header's name
         */
        public void setIdHeader(String idHeader) {
            this.idHeader = idHeader;
        }

        /** {@return how long a processed message id is remembered, or null for the default} */
        public Duration getDedupTtl() {
            return dedupTtl;
        }

        /**
         * Sets how long a processed message id is remembered.
         *
         * @param dedupTtl how long, or null for the default
         */
        public void setDedupTtl(Duration dedupTtl) {
            this.dedupTtl = dedupTtl;
        }

        /** {@return how long a claim on a message id holds if its request never finishes, or null for the default} */
        public Duration getLease() {
            return lease;
        }

        /**
         * Sets how long a claim on a message id holds if its request never finishes.
         *
         * @param lease how long, or null for the default
         */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        @Override
        public String toString() {
            // Never the secrets: only how many there are. Never the store either: a URI may carry a password. A path
            // pattern, the scheme and the header name only where written as one is: a secret may be under the wrong key.
            List<String> patterns = new ArrayList<>();
            for (int i = 0; i < pathPatterns.size(); i++) {
                String pattern = pathPatterns.get(i);
                patterns.add(pattern != null && WebhookEndpointFilters.mayShow(pattern) ? pattern
                        : "path-patterns[" + i + "] not shown");
            }
            boolean knownScheme = scheme != null && Scheme.names().contains(scheme.strip().toLowerCase(Locale.ROOT));
            boolean writtenAsAHeaderName = headerName != null && HEADER_NAME_WORDS.matcher(headerName).matches();
            return "Endpoint[pathPatterns " + patterns + ", scheme " + (knownScheme ? scheme : "not shown") + ", "
                    + secrets.size() + " secrets, tolerance " + tolerance + ", maxBodySize " + maxBodySize + ", header "
                    + (headerName == null || writtenAsAHeaderName ? headerName : "not shown") + ", replayProtection "
                    + replayProtection + ", deduplicate " + deduplicate + "]";
        }

        /** A header name as they are written: words of letters, joined by {@code -}, some all digits ({@code X-Hub-Signature-256}). */
        private static final Pattern HEADER_NAME_WORDS = Pattern.compile("[A-Za-z]+(-([A-Za-z]+|[0-9]+))+");
    }

    /** Whether a request with a query string, which the signature does not cover, is let through. */
    public enum QueryString {
        /** Let through: the handler must not trust query parameters. */
        ALLOW,
        /** Refused with 400. */
        REJECT
    }

    /** What a request gets when a shared store cannot say whether it is a replay or a duplicate. */
    public enum StoreUnavailable {
        /** 503 with Retry-After: the sender retries later. */
        REJECT,
        /** Let through, unprotected, with a warning at most once a minute: weaker. */
        ALLOW
    }
}
