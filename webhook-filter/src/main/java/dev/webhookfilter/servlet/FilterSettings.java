package dev.webhookfilter.servlet;

import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_HEADER_NAME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BODY_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BUFFERED_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_QUERY_STRING;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_CACHE_SIZE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_PROTECTION;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SCHEME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SECRETS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS;

import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookVerifier;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
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
    /** Secrets shorter than this, in UTF-8 bytes, draw a warning: HMAC keys should carry 128 bits or more. */
    static final int MIN_RECOMMENDED_SECRET_BYTES = 16;

    private static final List<String> PARAMETERS = List.of(PARAM_SECRETS, PARAM_TOLERANCE_SECONDS,
            PARAM_MAX_BODY_BYTES, PARAM_MAX_BUFFERED_BYTES, PARAM_HEADER_NAME, PARAM_QUERY_STRING,
            PARAM_REPLAY_PROTECTION, PARAM_REPLAY_CACHE_SIZE, PARAM_SCHEME);
    /** The parameters that configure the verifier, which {@code WebhookSignatureFilter.Builder#verifier} replaces. */
    static final Set<String> VERIFIER_PARAMETERS = Set.of(PARAM_SECRETS, PARAM_TOLERANCE_SECONDS,
            PARAM_REPLAY_PROTECTION, PARAM_REPLAY_CACHE_SIZE, PARAM_SCHEME);

    final WebhookVerifier verifier;
    final int maxBodyBytes;
    /** What the bodies of all requests in flight may hold together. */
    final BodyBudget bodyBudget;
    /** The header that carries the signature: {@code headerName}, or the scheme's. */
    final String headerName;
    /** The scheme's own names for the signature header, read from {@link #headerName} instead when it is set. */
    private final List<String> renamedHeaders;
    final boolean rejectQueryString;
    /** Positions (from 1) of secrets shorter than {@link #MIN_RECOMMENDED_SECRET_BYTES}. */
    final List<Integer> shortSecrets;

    private FilterSettings(WebhookVerifier verifier, int maxBodyBytes, long maxBufferedBytes, String headerName,
                           boolean rejectQueryString, List<Integer> shortSecrets) {
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyBudget = new BodyBudget(maxBufferedBytes);
        Scheme scheme = verifier.scheme();
        this.headerName = headerName != null ? headerName : scheme.signatureHeader();
        this.renamedHeaders = headerName != null ? scheme.signatureHeaders() : List.of();
        this.rejectQueryString = rejectQueryString;
        this.shortSecrets = shortSecrets;
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
     * parameters outside it ({@code maxBodyBytes}, {@code maxBufferedBytes}, {@code headerName}, {@code queryString}).
     */
    static FilterSettings parse(Iterable<String> names, Function<String, String> parameter,
                                Function<String, String> environment, WebhookVerifier verifier) {
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(toList(names))) {
            if (!PARAMETERS.contains(name)) {
                problems.add(name + ": not a parameter of this filter; the parameters are "
                        + String.join(", ", PARAMETERS) + " (check the spelling and case)");
            } else if (verifier != null && VERIFIER_PARAMETERS.contains(name)) {
                problems.add(name + ": the filter was given a WebhookVerifier, which already holds the"
                        + " secrets, tolerance and replay protection; configure them there");
            }
        }

        int maxBodyBytes = integer(parameter, PARAM_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES,
                MAX_MAX_BODY_BYTES, "bytes", problems);
        long maxBufferedBytes = maxBufferedBytes(parameter, maxBodyBytes, problems);
        boolean rejectQueryString = queryString(parameter, problems);
        Scheme scheme = verifier != null ? verifier.scheme() : scheme(parameter, problems);
        String headerName = parameter.apply(PARAM_HEADER_NAME);
        headerName = headerName == null ? null : headerName.strip();
        if (headerName != null && !isToken(headerName)) {
            problems.add(PARAM_HEADER_NAME + ": must be an HTTP header name (letters, digits and -);"
                    + " remove it to use " + scheme.signatureHeader());
        }

        List<Integer> shortSecrets = Collections.emptyList();
        if (verifier == null) {
            List<String> secrets = secrets(parameter.apply(PARAM_SECRETS), environment, problems);
            shortSecrets = shortSecrets(secrets);
            verifier = verifier(scheme, secrets, parameter, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new FilterSettings(verifier, maxBodyBytes, maxBufferedBytes, headerName, rejectQueryString,
                shortSecrets);
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

    /** The verifier the parameters describe, or null when there are problems already. */
    private static WebhookVerifier verifier(Scheme scheme, List<String> secrets, Function<String, String> parameter,
                                            List<String> problems) {
        int tolerance = integer(parameter, PARAM_TOLERANCE_SECONDS, (int) scheme.defaultTolerance().getSeconds(),
                MAX_TOLERANCE_SECONDS, "seconds", problems);
        boolean replayProtection = bool(parameter, PARAM_REPLAY_PROTECTION, problems);
        int replayCacheSize = integer(parameter, PARAM_REPLAY_CACHE_SIZE, DEFAULT_REPLAY_CACHE_SIZE,
                MAX_REPLAY_CACHE_SIZE, "signatures", problems);
        if (parameter.apply(PARAM_REPLAY_CACHE_SIZE) != null && !replayProtection) {
            problems.add(PARAM_REPLAY_CACHE_SIZE + ": has no effect unless " + PARAM_REPLAY_PROTECTION
                    + " is true; set that, or remove " + PARAM_REPLAY_CACHE_SIZE);
        }
        if (!problems.isEmpty()) {
            return null;
        }
        WebhookVerifier.Builder builder = WebhookVerifier.builder()
                .scheme(scheme)
                .secrets(secrets)
                .tolerance(Duration.ofSeconds(tolerance));
        if (replayProtection) {
            builder.replayGuard(new InMemoryReplayGuard(replayCacheSize, Clock.systemUTC()));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            problems.add(PARAM_SECRETS + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The request's headers as the verifier reads them, each of the scheme's names for the signature
     * header read from {@code headerName} instead when that is set.
     */
    HeaderLookup headers(HttpServletRequest request) {
        return name -> {
            Enumeration<String> values = request.getHeaders(renamedHeaders.contains(name) ? headerName : name);
            return values == null ? List.of() : Collections.list(values);
        };
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

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
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
