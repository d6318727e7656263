package dev.webhookfilter.spring;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Shows a {@code webhooks.*} value that Spring cannot convert to its property's type ({@code tolerance: soon})
 * as Spring Boot's "APPLICATION FAILED TO START" report, naming the key, the form its value takes and where it
 * was set, never the value. It runs before Spring Boot's own {@code BindFailureAnalyzer}, whose report quotes
 * the value: a secret's placeholder under the wrong key ({@code tolerance: ${WEBHOOK_SECRET}}) put the secret in
 * the log. So are the elements Spring leaves unbound under {@code webhooks.}, such as a list's elements after a
 * missing index ({@code secrets[2]} without {@code secrets[1]}), which Spring Boot's
 * {@code UnboundConfigurationPropertyFailureAnalyzer} reports with their values. The failures of other keys, and
 * validation failures, are left to Spring Boot.
 */
class WebhookBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(WebhookProperties.PREFIX);

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String problem = problem(cause);
        return problem == null ? null : new FailureAnalysis(problem, fix(cause), withoutTheValue(cause));
    }

    /**
     * The report of a failure {@link #problem} takes, as one message: what is wrong, then how to fix it.
     *
     * @param cause what binding a property threw
     * @return the report, or null for a failure this analyzer leaves to Spring Boot
     */
    static String report(BindException cause) {
        String problem = problem(cause);
        return problem == null ? null : problem + "\n" + fix(cause);
    }

    private static String fix(BindException cause) {
        if (cause.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return afterAGap(cause.getName(), unbound)
                    ? "Number the elements of " + cause.getName() + " from [0] without a gap, or remove those left"
                            + " unbound."
                    : "Remove the keys named above, or correct their spelling.";
        }
        if (isEndpoint(cause)) {
            String property = UnknownEndpointProperties.property(cause.getName().getLastElement(Form.UNIFORM));
            return "Indent the properties of " + cause.getName() + " under it, or remove it"
                    + (property == null ? "." : "; if " + property + " is meant as an endpoint's property, write it under"
                            + " the endpoint's name, as webhooks.endpoints.<name>." + property + ".");
        }
        return "Give " + cause.getName() + " " + form(cause) + ", or remove it for its default. If it takes a ${...}"
                + " placeholder, check that the placeholder is the one meant for this key.";
    }

    /** Whether what failed is an endpoint as a whole: a value, or nothing, where its properties should be. */
    private static boolean isEndpoint(BindException cause) {
        return cause.getTarget().getType().resolve(Object.class) == WebhookProperties.Endpoint.class;
    }

    /**
     * What is wrong, in words that never quote the value: the key, the form its value takes and where it was
     * set; or null for a failure this analyzer leaves to Spring Boot.
     */
    private static String problem(BindException cause) {
        ConfigurationPropertyName name = cause.getName();
        if (!(PREFIX.equals(name) || PREFIX.isAncestorOf(name)) || cause.getCause() instanceof BindValidationException) {
            return null;
        }
        if (cause.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            String why = afterAGap(name, unbound)
                    ? ": left unbound, since an element of " + name + " before it is missing: Spring reads a list's"
                            + " elements from [0] up to the first index missing"
                    : ": left unbound, since no property takes it";
            return unbound.getUnboundProperties().stream()
                    .map(property -> property.getName() + why + origin(property) + ".")
                    .collect(Collectors.joining("\n"))
                    + "\nThe values are not shown: they may be secrets.";
        }
        return name + ": cannot be read as " + form(cause) + origin(cause.getProperty()) + ".\nThe value is not"
                + " shown: it may be a secret, such as a ${...} placeholder under the wrong key.";
    }

    private static String origin(ConfigurationProperty property) {
        return property == null || property.getOrigin() == null ? "" : "; set in " + property.getOrigin();
    }

    /**
     * Whether the keys left unbound are elements of the list {@code name} (its own indices), as Spring leaves those
     * after a missing index; not keys that no property takes.
     */
    private static boolean afterAGap(ConfigurationPropertyName name, UnboundConfigurationPropertiesException unbound) {
        int index = name.getNumberOfElements();
        return unbound.getUnboundProperties().stream().map(ConfigurationProperty::getName)
                .allMatch(key -> key.getNumberOfElements() > index && key.isNumericIndex(index));
    }

    /**
     * The failure as Spring Boot logs it at DEBUG ({@code debug=true} too), beside the report: the messages of its
     * causes, left out here, quote the value.
     */
    private static Throwable withoutTheValue(BindException cause) {
        StringBuilder message = new StringBuilder(cause.toString());
        for (Throwable c = cause.getCause(); c != null; c = c.getCause()) {
            message.append(", caused by ").append(c.getClass().getName());
        }
        IllegalStateException shown = new IllegalStateException(message
                + " (the causes' messages, which may quote the value, are left out)");
        shown.setStackTrace(cause.getStackTrace());
        return shown;
    }

    /** The form a value of the property that failed is written in, for the report. */
    private static String form(BindException cause) {
        Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(cause.getTarget().getType().resolve(Object.class));
        if (boxed == Duration.class) {
            return "a duration such as 300s";
        }
        if (boxed == DataSize.class) {
            return "a size such as 1MB";
        }
        if (boxed == Boolean.class) {
            return "true or false";
        }
        if (boxed == Integer.class || boxed == Long.class) {
            return "a whole number";
        }
        if (boxed.isEnum()) {
            return "one of " + Arrays.stream(boxed.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        if (boxed == WebhookProperties.Endpoint.class) {
            // webhooks.endpoints.payments: with nothing indented under it, YAML gives it an empty value.
            return "an endpoint, whose properties (path-patterns, secrets and the others) are indented under its name";
        }
        return "a value of type " + boxed.getSimpleName();
    }

    /** Before Spring Boot's {@code BindFailureAnalyzer}, which has no order and so comes last. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
