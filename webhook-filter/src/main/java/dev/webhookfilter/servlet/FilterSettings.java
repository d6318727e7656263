package dev.webhookfilter.servlet;

import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_HEADER_NAME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BODY_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SECRETS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS;

import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

    private static final Set<String> KNOWN_PARAMETERS =
            Set.of(PARAM_SECRETS, PARAM_TOLERANCE_SECONDS, PARAM_MAX_BODY_BYTES, PARAM_HEADER_NAME);

    final WebhookVerifier verifier;
    final int maxBodyBytes;
    final String headerName;

    private FilterSettings(WebhookVerifier verifier, int maxBodyBytes, String headerName) {
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
        this.headerName = headerName;
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
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(toList(names))) {
            if (!KNOWN_PARAMETERS.contains(name)) {
                problems.add(name + ": not a parameter of this filter; the parameters are "
                        + PARAM_SECRETS + ", " + PARAM_TOLERANCE_SECONDS + ", " + PARAM_MAX_BODY_BYTES
                        + " and " + PARAM_HEADER_NAME + " (check the spelling and case)");
            }
        }

        List<String> secrets = Collections.emptyList();
        String secretsSpec = parameter.apply(PARAM_SECRETS);
        if (secretsSpec == null || secretsSpec.isBlank()) {
            problems.add(PARAM_SECRETS + ": required; give one or more comma-separated secrets, each a"
                    + " literal, env:NAME (an environment variable) or file:PATH (one secret per line)");
        } else {
            try {
                secrets = Secrets.resolve(secretsSpec, environment);
            } catch (IllegalArgumentException e) {
                problems.add(PARAM_SECRETS + ": " + e.getMessage());
            }
        }

        int tolerance = integer(parameter, PARAM_TOLERANCE_SECONDS, DEFAULT_TOLERANCE_SECONDS,
                MAX_TOLERANCE_SECONDS, "seconds", problems);
        int maxBodyBytes = integer(parameter, PARAM_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES,
                MAX_MAX_BODY_BYTES, "bytes", problems);

        String headerName = parameter.apply(PARAM_HEADER_NAME);
        headerName = headerName == null ? WebhookVerifier.DEFAULT_HEADER_NAME : headerName.strip();
        if (!isToken(headerName)) {
            problems.add(PARAM_HEADER_NAME + ": must be an HTTP header name (letters, digits and -);"
                    + " remove it to use " + WebhookVerifier.DEFAULT_HEADER_NAME);
        }

        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        WebhookVerifier verifier = WebhookVerifier.builder()
                .secrets(secrets)
                .tolerance(Duration.ofSeconds(tolerance))
                .build();
        return new FilterSettings(verifier, maxBodyBytes, headerName);
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
        return "FilterSettings[" + verifier + ", maxBodyBytes " + maxBodyBytes + ", header " + headerName + "]";
    }
}
