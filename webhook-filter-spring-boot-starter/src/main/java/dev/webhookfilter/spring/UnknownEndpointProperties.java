package dev.webhookfilter.spring;

import dev.webhookfilter.internal.Spelling;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Keys meant for an endpoint that no endpoint property takes, each as a problem that stops the start:
 * a misspelled property would otherwise start the endpoint with that feature off. Three kinds:
 * <ul>
 * <li>a key under {@code webhooks.endpoints.<name>} that binds to nothing, found by Spring Boot's own
 *     {@link NoUnboundElementsBindHandler}, so keys match as Boot binds them (kebab-case, camelCase,
 *     environment variables); an endpoint's property among them was left empty (Spring binds an empty duration,
 *     size, number or choice to nothing) or written with keys under it, and is reported as such;</li>
 * <li>a key {@code <root>.<group>.<name>.<property>} whose root and group are {@code webhooks.endpoints} or near
 *     misses of them, not both exact ({@code webhooks.endpoint}, {@code webhook.endpoints}), and whose property is
 *     an endpoint's, or a near miss of one;</li>
 * <li>a key under {@code webhooks.} or a near miss of it, but not {@code webhooks.endpoints.}, with an element
 *     {@code path-patterns}, the property every endpoint needs: YAML without the {@code endpoints:} level, or
 *     variables under another prefix ({@code WEBHOOK_FILTER_ENDPOINTS_0_PATHPATTERNS}), which bind no endpoint, so
 *     that the start would go on with no filter.</li>
 * </ul>
 * Every other key belongs to the application and is left alone. Problems name
 * a key and where it was set, never its value, which may be a secret or a URI with a password.
 *
 * @param byEndpoint the problems of unbound keys, by endpoint name
 * @param elsewhere the problems of endpoint properties under a misspelled {@code webhooks.endpoints}, and of
 *        {@code path-patterns} outside it
 */
record UnknownEndpointProperties(Map<String, List<String>> byEndpoint, List<String> elsewhere) {

    private static final ConfigurationPropertyName ENDPOINTS = ConfigurationPropertyName.of("webhooks.endpoints");
    private static final String WEBHOOKS_ELEMENT = "webhooks";
    private static final String ENDPOINTS_ELEMENT = "endpoints";
    private static final String PATH_PATTERNS = "path-patterns";

    /** Edits (Levenshtein distance) within which one word is taken for a misspelling of another. */
    private static final int NEAR_MISS = 2;

    /** An endpoint's properties in kebab case, in the order {@link WebhookProperties.Endpoint} declares them. */
    private static final List<String> PROPERTIES = Arrays.stream(WebhookProperties.Endpoint.class.getDeclaredFields())
            .filter(field -> !Modifier.isStatic(field.getModifiers()))
            .map(field -> DataObjectPropertyName.toDashedForm(field.getName()))
            .toList();

    /** Those of {@link #PROPERTIES} that are lists. */
    private static final List<String> LISTS = Arrays.stream(WebhookProperties.Endpoint.class.getDeclaredFields())
            .filter(field -> !Modifier.isStatic(field.getModifiers()) && List.class.isAssignableFrom(field.getType()))
            .map(field -> DataObjectPropertyName.toDashedForm(field.getName()))
            .toList();

    UnknownEndpointProperties {
        byEndpoint = Collections.unmodifiableMap(new LinkedHashMap<>(byEndpoint));
        elsewhere = List.copyOf(elsewhere);
    }

    /** The unknown keys in {@code environment}'s property sources. */
    static UnknownEndpointProperties in(Environment environment) {
        return new UnknownEndpointProperties(unbound(environment), underAMisspelledGroup(environment));
    }

    private static Map<String, List<String>> unbound(Environment environment) {
        try {
            Binder.get(environment).bind(ENDPOINTS, Bindable.mapOf(String.class, WebhookProperties.Endpoint.class),
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
            return Map.of();
        } catch (BindException e) {
            if (!(e.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                // A value of the wrong type: WebhookProperties.endpointsIn stops the start, never quoting it.
                return Map.of();
            }
            Map<String, List<String>> problems = new LinkedHashMap<>();
            for (ConfigurationProperty property : unbound.getUnboundProperties()) {
                ConfigurationPropertyName name = property.getName();
                if (name.getNumberOfElements() > 3) {
                    problems.computeIfAbsent(name.getElement(2, Form.ORIGINAL), endpoint -> new ArrayList<>())
                            .add(keyInEndpoint(name) + ": " + whyUnbound(name) + from(property.getOrigin()));
                }
            }
            return problems;
        }
    }

    private static List<String> underAMisspelledGroup(Environment environment) {
        Set<String> problems = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().forEach(name -> {
                    String what = name.getNumberOfElements() > 3 && isMisspelledEndpoints(name)
                            && nearest(name.getElement(3, Form.UNIFORM), 0) != null
                            ? "; check its spelling (did you mean " + ENDPOINTS.append(name.subName(2).toString()) + "?)"
                            : pathPatternsOutsideEndpoints(name);
                    if (what != null) {
                        ConfigurationProperty property = iterable.getConfigurationProperty(name);
                        problems.add(name + ": not read by the starter, whose endpoints are under webhooks.endpoints"
                                + what + from(property == null ? null : property.getOrigin()));
                    }
                });
            }
        }
        return List.copyOf(problems);
    }

    /**
     * Where to write {@code name}, a key under {@code webhooks.} (or a near miss of it, {@code webhook.}) but not
     * {@code webhooks.endpoints.} that holds an element {@code path-patterns}, the property every endpoint needs and no
     * key of the application's is likely to share: YAML without the {@code endpoints:} level
     * ({@code webhooks.payments.path-patterns}, or the endpoint's properties right under {@code webhooks.}), or
     * environment variables under another prefix ({@code WEBHOOK_FILTER_ENDPOINTS_0_PATHPATTERNS}), which bind no
     * endpoint, so that the start would go on with no filter. Null for any other key.
     */
    private static String pathPatternsOutsideEndpoints(ConfigurationPropertyName name) {
        if (name.getNumberOfElements() < 2) {
            return null;
        }
        String root = name.getElement(0, Form.UNIFORM);
        if (Spelling.distance(root, WEBHOOKS_ELEMENT, NEAR_MISS) > NEAR_MISS
                || root.equals(WEBHOOKS_ELEMENT) && name.getElement(1, Form.UNIFORM).equals(ENDPOINTS_ELEMENT)) {
            return null;
        }
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            if (!name.isNumericIndex(i) && name.getElement(i, Form.UNIFORM).equals(PATH_PATTERNS.replace("-", ""))) {
                String endpoint = i == 2 ? name.getElement(1, Form.ORIGINAL) : "<name>";
                return ", each under its name; " + PATH_PATTERNS + " is an endpoint's property (did you mean " + ENDPOINTS
                        + "." + endpoint + "." + PATH_PATTERNS + "?)";
            }
        }
        return null;
    }

    /**
     * Why a key under an endpoint bound to nothing: an endpoint's property given an empty value (which Spring binds
     * to no value for a duration, a size, a number or a choice), an endpoint's property written with keys under it,
     * or, most often, a misspelling.
     */
    private static String whyUnbound(ConfigurationPropertyName name) {
        String list = property(name.getElement(2, Form.UNIFORM));
        if (name.isNumericIndex(3) && LISTS.contains(list)) {
            // webhooks.endpoints.path-patterns[0]: the YAML was indented one level too few.
            return list + " is an endpoint's property, without the endpoint's name before it; write it under the"
                    + " name, as webhooks.endpoints.<name>." + list;
        }
        String property = name.getElement(3, Form.UNIFORM);
        String known = property(property);
        if (known == null) {
            return "not a property of an endpoint, so it would be ignored; check its spelling" + suggestion(property);
        }
        if (name.getNumberOfElements() == 4) {
            return "empty; give it a value, or remove it for its default (if it takes a ${...} placeholder, check that"
                    + " its variable is set)";
        }
        return LISTS.contains(known)
                ? known + " is a list; write its elements as " + known + "[0], " + known + "[1] and so on"
                : known + " takes one value, with no keys under it";
    }

    /**
     * The endpoint property that {@code uniform} names, in kebab case; null if none does.
     *
     * @param uniform an element of a name in Spring Boot's uniform form: lower case, no dashes
     */
    static String property(String uniform) {
        return PROPERTIES.stream().filter(p -> p.replace("-", "").equals(uniform)).findFirst().orElse(null);
    }

    /** The key within its endpoint, its first element as written ({@code replayProtecton[0]}, {@code stroe}). */
    private static String keyInEndpoint(ConfigurationPropertyName name) {
        String rest = name.getNumberOfElements() > 4 ? name.subName(4).toString() : "";
        String first = name.getElement(3, Form.ORIGINAL);
        first = name.isNumericIndex(3) ? "[" + first + "]" : first;
        return first + (rest.isEmpty() || rest.startsWith("[") ? rest : "." + rest);
    }

    /** Whether {@code name} begins with a near miss of {@code webhooks.endpoints}, not with it exactly. */
    private static boolean isMisspelledEndpoints(ConfigurationPropertyName name) {
        String root = name.getElement(0, Form.UNIFORM);
        String group = name.getElement(1, Form.UNIFORM);
        return !(root.equals(WEBHOOKS_ELEMENT) && group.equals(ENDPOINTS_ELEMENT))
                && Spelling.distance(root, WEBHOOKS_ELEMENT, NEAR_MISS) <= NEAR_MISS
                && Spelling.distance(group, ENDPOINTS_ELEMENT, NEAR_MISS) <= NEAR_MISS;
    }

    private static String suggestion(String word) {
        String nearest = nearest(word, 1);
        return nearest == null ? "" : " (did you mean " + nearest + "?)";
    }

    /**
     * The endpoint property nearest {@code word} (in Boot's uniform form: lower case, no dashes), at
     * least {@code minimum} and at most {@link #NEAR_MISS} edits away; null if none is.
     */
    private static String nearest(String word, int minimum) {
        String nearest = null;
        int best = NEAR_MISS + 1;
        for (String property : PROPERTIES) {
            int d = Spelling.distance(word, property.replace("-", ""), NEAR_MISS);
            if (d >= minimum && d < best) {
                nearest = property;
                best = d;
            }
        }
        return nearest;
    }

    private static String from(Origin origin) {
        return origin == null ? "" : "; set in " + origin;
    }
}
