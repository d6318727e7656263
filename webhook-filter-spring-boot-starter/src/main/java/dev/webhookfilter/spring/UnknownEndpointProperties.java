package dev.webhookfilter.spring;

import dev.webhookfilter.internal.Spelling;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyNameException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keys meant for an endpoint that no endpoint property takes, each as a problem that stops the start:
 * a misspelled property would otherwise start the endpoint with that feature off. Three kinds:
 * <ul>
 * <li>a key under {@code webhooks.endpoints.<name>} that binds to nothing, found by Spring Boot's own
 *     {@link NoUnboundElementsBindHandler}, so keys match as Boot binds them (kebab-case, camelCase,
 *     environment variables); an endpoint's property among them was left empty (Spring binds an empty duration,
 *     size, number or choice to nothing), written with keys under it, or written as keys under each other
 *     ({@code max.body.size}, {@code PATH__PATTERNS}), and is reported as such. A variable with an underscore for each
 *     dash ({@code PATH_PATTERNS}), which Spring binds though the handler lists it, is not among them;</li>
 * <li>a key {@code <root>.<group>.<name>.<property>} whose root and group are {@code webhooks.endpoints} or near
 *     misses of them, not both exact ({@code webhooks.endpoint}, {@code webhook.endpoints}), and whose property is
 *     an endpoint's, a near miss of one, or one written as keys under each other ({@code path.patterns});</li>
 * <li>a key under {@code webhooks.} or a near miss of it, but not {@code webhooks.endpoints.}, with an element
 *     {@code path-patterns} (or {@code path.patterns}), the property every endpoint needs: YAML without the
 *     {@code endpoints:} level, or
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
                if (name.getNumberOfElements() > 3 && !isBoundUnderItsDashedName(property)) {
                    problems.computeIfAbsent(name.getElement(2, Form.ORIGINAL), endpoint -> new ArrayList<>())
                            .add(keyInEndpoint(name) + ": " + whyUnbound(name, isEnvironment(property.getSource()))
                                    + from(property.getOrigin()));
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
                            && (nearest(name.getElement(3, Form.UNIFORM), 0) != null || split(name, 3, false) != null)
                            ? "; check its spelling (did you mean " + underEndpoints(name) + "?)"
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
            Split split = split(name, i, false);
            if (!name.isNumericIndex(i) && name.getElement(i, Form.UNIFORM).equals(PATH_PATTERNS.replace("-", ""))
                    || split != null && split.property().equals(PATH_PATTERNS)) {
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
    private static String whyUnbound(ConfigurationPropertyName name, boolean environment) {
        String list = property(name.getElement(2, Form.UNIFORM));
        if (name.isNumericIndex(3) && LISTS.contains(list)) {
            // webhooks.endpoints.path-patterns[0]: the YAML was indented one level too few.
            return list + " is an endpoint's property, without the endpoint's name before it; write it under the"
                    + " name, as webhooks.endpoints.<name>." + list;
        }
        Split split = split(name, 3, false);
        if (split != null && !environment) {
            // path.patterns in YAML: keys under each other, which bind nothing.
            return "not a property of an endpoint, so it would be ignored; a dot separates keys, so a property's name"
                    + " is written whole (did you mean " + split.property() + rest(name, split.end()) + "?)";
        }
        String property = name.getElement(3, Form.UNIFORM);
        String known = property(property);
        split = split != null ? split : known == null ? split(name, 3, true) : null;
        if (split != null) {
            // A variable that Spring does not bind (PATH__PATTERNS, PATH_PATTERN), or words near a property's.
            String meant = split.property() + rest(name, split.end());
            return "not a property of an endpoint, so it would be ignored; check its spelling (did you mean "
                    + (environment ? variable(name, split) + ", for " + meant : meant) + "?)";
        }
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
     * An endpoint property written as keys under each other: {@code path.patterns}, as Spring reads
     * {@code PATH_PATTERNS} in an environment variable, where each {@code _} separates keys.
     *
     * @param property the property meant, in kebab case
     * @param end the index of the element after its last word
     */
    private record Split(String property, int end) {
    }

    /**
     * The property that two or more of {@code name}'s elements from index {@code from} on, none a list's index,
     * spell when joined ({@code max.body.size}), or with {@code near} come within {@link #NEAR_MISS} edits of
     * ({@code path.pattern}); null if no such run does.
     */
    private static Split split(ConfigurationPropertyName name, int from, boolean near) {
        StringBuilder joined = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements() && !name.isNumericIndex(i); i++) {
            joined.append(name.getElement(i, Form.UNIFORM));
            String property = i == from ? null : near ? nearest(joined.toString(), 1) : property(joined.toString());
            if (property != null) {
                return new Split(property, i + 1);
            }
        }
        return null;
    }

    /**
     * Whether Spring binds {@code property}, an environment variable such as
     * {@code WEBHOOKS_ENDPOINTS_PAYMENTS_PATH_PATTERNS}, to the endpoint property its words spell: it reads a
     * property's variable with each dash an underscore too, though it lists that variable as
     * {@code path.patterns}, a key that binds nothing, which {@link NoUnboundElementsBindHandler} then reports.
     */
    private static boolean isBoundUnderItsDashedName(ConfigurationProperty property) {
        ConfigurationPropertyName name = property.getName();
        Split split = isEnvironment(property.getSource()) ? split(name, 3, false) : null;
        if (split == null) {
            return false;
        }
        ConfigurationPropertyName dashed;
        try {
            dashed = ConfigurationPropertyName.of(ENDPOINTS + "." + name.getElement(2, Form.ORIGINAL) + "."
                    + split.property() + rest(name, split.end()));
        } catch (InvalidConfigurationPropertyNameException e) {
            return false;
        }
        ConfigurationProperty read = property.getSource().getConfigurationProperty(dashed);
        return read != null && String.valueOf(read.getOrigin()).equals(String.valueOf(property.getOrigin()));
    }

    /** {@code name}'s elements from index {@code from} on, as they follow a property: {@code [0]}, {@code .first}. */
    private static String rest(ConfigurationPropertyName name, int from) {
        StringBuilder rest = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            rest.append(name.isNumericIndex(i) ? "[" + element + "]" : "." + element);
        }
        return rest.toString();
    }

    /**
     * The environment variable that sets what {@code name} meant to, its property {@code split} written whole:
     * {@code WEBHOOKS_ENDPOINTS_PAYMENTS_PATHPATTERNS_0} for {@code webhooks.endpoints.payments.path.patterns[0]}.
     */
    private static String variable(ConfigurationPropertyName name, Split split) {
        StringBuilder variable = new StringBuilder("WEBHOOKS_ENDPOINTS_")
                .append(name.getElement(2, Form.UNIFORM).toUpperCase(Locale.ROOT)).append('_')
                .append(split.property().replace("-", "").toUpperCase(Locale.ROOT));
        for (int i = split.end(); i < name.getNumberOfElements(); i++) {
            variable.append('_').append(name.getElement(i, Form.UNIFORM).toUpperCase(Locale.ROOT));
        }
        return variable.toString();
    }

    /**
     * {@code name}, a key under a near miss of {@code webhooks.endpoints}, under {@code webhooks.endpoints} and with
     * its property written whole: {@code webhooks.endpoints.payments.path-patterns} for
     * {@code webhook.endpoints.payments.path.patterns}.
     */
    private static String underEndpoints(ConfigurationPropertyName name) {
        Split split = split(name, 3, false);
        return split == null ? ENDPOINTS.append(name.subName(2).toString()).toString()
                : ENDPOINTS + "." + name.getElement(2, Form.ORIGINAL) + "." + split.property() + rest(name, split.end());
    }

    /** Whether {@code source} is environment variables, whose names Spring reads with each {@code _} as a dot. */
    private static boolean isEnvironment(ConfigurationPropertySource source) {
        return source != null && source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
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
