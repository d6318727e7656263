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
 * the log. The failures of other keys, and those Spring Boot reports with analysers of their own (validation,
 * unbound keys), are left to Spring Boot.
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
        return "Give " + cause.getName() + " " + form(cause) + ", or remove it for its default. If it takes a ${...}"
                + " placeholder, check that the placeholder is the one meant for this key.";
    }

    /**
     * What is wrong, in words that never quote the value: the key, the form its value takes and where it was
     * set; or null for a failure this analyzer leaves to Spring Boot.
     */
    private static String problem(BindException cause) {
        ConfigurationPropertyName name = cause.getName();
        if (!(PREFIX.equals(name) || PREFIX.isAncestorOf(name)) || cause.getCause() instanceof BindValidationException
                || cause.getCause() instanceof UnboundConfigurationPropertiesException) {
            return null;
        }
        ConfigurationProperty property = cause.getProperty();
        String origin = property == null || property.getOrigin() == null ? "" : "; set in " + property.getOrigin();
        return name + ": cannot be read as " + form(cause) + origin + ".\nThe value is not shown: it may be a secret,"
                + " such as a ${...} placeholder under the wrong key.";
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
        return "a value of type " + boxed.getSimpleName();
    }

    /** Before Spring Boot's {@code BindFailureAnalyzer}, which has no order and so comes last. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
