package dev.webhookfilter.spring;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.DispatcherType;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.util.unit.DataSize;

/**
 * The filters of every configured endpoint, built and checked together when the application starts:
 * a problem in any endpoint stops the start, with every problem of every endpoint in one message.
 */
final class WebhookEndpointFilters {

    private static final System.Logger LOG = System.getLogger(WebhookEndpointFilters.class.getName());

    /**
     * Stands in for the secrets while the filter's own rules check the other values. The real secrets
     * go to a {@link WebhookVerifier} as they are: the filter's {@code secrets} parameter would read
     * commas, spaces and {@code env:}/{@code file:} prefixes in them as syntax.
     */
    private static final String RULES_ONLY_SECRET = "placeholder-checked-separately";

    /** An unresolved {@code ${NAME}} or {@code ${NAME:default}}; group 1 is the name. */
    private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)[^}]*}");

    /** The filter's parameter names, as the problems name them, and the properties they come from. */
    private static final String PROPERTY_NAMES = "The problems name the filter's parameters; under"
            + " webhooks.endpoints.<name> they are the properties secrets (a list, each entry used literally:"
            + " take it from the environment with a ${VARIABLE} placeholder), tolerance (toleranceSeconds),"
            + " max-body-size (maxBodyBytes), header-name (headerName), replay-protection (replayProtection)"
            + " and replay-cache-size (replayCacheSize).";

    private final Map<String, WebhookSignatureFilter> filters;
    private final Map<String, List<String>> pathPatterns;

    /**
     * @throws WebhookConfigurationException listing every problem, after logging it at ERROR
     */
    WebhookEndpointFilters(WebhookProperties properties, Clock clock, List<WebhookFilterCustomizer> customizers) {
        Map<String, WebhookSignatureFilter> built = new LinkedHashMap<>();
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        properties.getEndpoints().forEach((name, endpoint) -> {
            try {
                built.put(name, build(name, endpoint, clock, customizers));
                patterns.put(name, List.copyOf(endpoint.getPathPatterns()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                failures.add("WebhookSignatureFilter '" + name + "' (webhooks.endpoints." + name
                        + ") is misconfigured and will not start:\n" + e.getMessage());
            }
        });
        if (!failures.isEmpty()) {
            String message = String.join("\n\n", failures) + "\n\n" + PROPERTY_NAMES;
            LOG.log(Level.ERROR, message);
            throw new WebhookConfigurationException(message);
        }
        this.filters = Collections.unmodifiableMap(built);
        this.pathPatterns = Collections.unmodifiableMap(patterns);
    }

    private static WebhookSignatureFilter build(String name, WebhookProperties.Endpoint endpoint, Clock clock,
                                                List<WebhookFilterCustomizer> customizers) {
        List<String> problems = new ArrayList<>();
        if (endpoint.getPathPatterns().isEmpty()) {
            problems.add("path-patterns: required; give the URL patterns this endpoint's requests arrive on,"
                    + " such as /webhooks/" + name + "/*");
        }
        for (String pattern : endpoint.getPathPatterns()) {
            if (!isServletUrlPattern(pattern)) {
                // A container takes /webhooks/** as one literal path: the filter would guard nothing.
                problems.add("path-patterns: '" + pattern + "' is not a Servlet URL pattern and would match"
                        + " no request; write an exact path (/webhooks/" + name + "), a prefix (/webhooks/*) or an"
                        + " extension (*.json); /webhooks/* covers everything under /webhooks/");
            }
        }
        Duration tolerance = endpoint.getTolerance();
        if (tolerance != null && tolerance.getNano() != 0) {
            problems.add("tolerance: whole seconds only, such as 300s");
        }
        int toleranceSeconds = tolerance == null ? 0 : clamp(tolerance.getSeconds());
        DataSize maxBodySize = endpoint.getMaxBodySize();
        int maxBodyBytes = maxBodySize == null ? 0 : clamp(maxBodySize.toBytes());
        List<String> secrets = endpoint.getSecrets();
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.isEmpty()) {
                problems.add("secrets[" + i + "]: empty; check that its environment variable is set and not empty");
                continue;
            }
            // Spring leaves a placeholder it cannot resolve as it stands; its text must not become the key.
            Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(secret);
            if (placeholder.find()) {
                problems.add("secrets[" + i + "]: the placeholder " + placeholder.group()
                        + " is not resolved; set the environment variable or property " + placeholder.group(1));
            }
        }

        // The filter's own rules, with its own words, for everything but the secrets' values.
        WebhookSignatureFilter.Builder rules = WebhookSignatureFilter.builder()
                .toleranceSeconds(toleranceSeconds)
                .maxBodyBytes(maxBodyBytes)
                .headerName(endpoint.getHeaderName());
        if (endpoint.isReplayProtection()) {
            rules.replayProtection(endpoint.getReplayCacheSize());
        }
        if (!secrets.isEmpty()) {
            rules.secrets(RULES_ONLY_SECRET);
        }
        try {
            rules.build();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }

        WebhookVerifier.Builder verifier = WebhookVerifier.builder()
                .secrets(secrets)
                .tolerance(Duration.ofSeconds(toleranceSeconds))
                .clock(clock);
        if (endpoint.isReplayProtection()) {
            verifier.replayGuard(new InMemoryReplayGuard(endpoint.getReplayCacheSize(), clock));
        }
        WebhookSignatureFilter.Builder filter = WebhookSignatureFilter.builder()
                .maxBodyBytes(maxBodyBytes)
                .headerName(endpoint.getHeaderName());
        for (WebhookFilterCustomizer customizer : customizers) {
            customizer.customize(name, verifier, filter);
        }
        return filter.verifier(verifier.build()).build();
    }

    /**
     * Whether the Servlet specification gives {@code pattern} a meaning: {@code /exact/path},
     * {@code /prefix/*}, {@code *.extension}, {@code /} or the empty string (the context root).
     * Elsewhere a {@code *} is a literal character, so Spring's {@code /webhooks/**} matches nothing.
     */
    static boolean isServletUrlPattern(String pattern) {
        if (pattern == null) {
            return false;
        }
        int star = pattern.indexOf('*');
        if (pattern.startsWith("*.")) {
            return pattern.length() > 2 && pattern.indexOf('/') < 0 && pattern.indexOf('*', 1) < 0;
        }
        if (pattern.isEmpty()) {
            return true;
        }
        return pattern.startsWith("/") && (star < 0 || (star == pattern.length() - 1 && pattern.endsWith("/*")));
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
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE,
                DispatcherType.ERROR, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(WebhookFilterAutoConfiguration.FILTER_ORDER);
        return registration;
    }
}
