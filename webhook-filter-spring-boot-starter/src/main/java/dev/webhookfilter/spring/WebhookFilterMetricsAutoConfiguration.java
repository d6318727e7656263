package dev.webhookfilter.spring;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.micrometer.MicrometerVerificationListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Counts and times every endpoint's outcomes in the application's {@link MeterRegistry}, when
 * Micrometer is on the class path and the application has one registry (Actuator makes one): a
 * {@link MicrometerVerificationListener} for all endpoints, and a {@link WebhookFilterCustomizer}
 * that adds it to each endpoint's filter and registers the endpoint's meters, under its scheme, at start-up, so that
 * {@code /actuator/metrics/webhooks.requests} lists every endpoint before its first request.
 *
 * <p>An application that defines its own {@code MicrometerVerificationListener} bean gets that one
 * wired instead.
 */
@AutoConfiguration(before = WebhookFilterAutoConfiguration.class, afterName = {
        // The configurations that make the application's MeterRegistry, on Boot 3.5 and on Boot 4.0.
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerVerificationListener.class})
@ConditionalOnSingleCandidate(MeterRegistry.class)
public class WebhookFilterMetricsAutoConfiguration {

    /** Made by Spring Boot, when the application has Micrometer and one registry. */
    public WebhookFilterMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    MicrometerVerificationListener webhookMetricsListener(MeterRegistry registry) {
        return new MicrometerVerificationListener(registry);
    }

    @Bean
    WebhookFilterCustomizer webhookMetricsCustomizer(MicrometerVerificationListener listener,
                                                     ObjectProvider<WebhookProperties> properties) {
        return (endpoint, verifier, filter) -> {
            listener.register(endpoint, schemeName(properties.getIfAvailable(), endpoint));
            filter.listener(listener);
        };
    }

    /**
     * The name the filter reports for the endpoint's scheme, as {@link Scheme#name()} spells it.
     * Customizers run only once the endpoint's values are known to be good, its scheme's name too.
     */
    static String schemeName(WebhookProperties properties, String endpoint) {
        WebhookProperties.Endpoint configured = properties == null ? null : properties.getEndpoints().get(endpoint);
        return configured == null ? Scheme.defaultScheme().name() : WebhookEndpointFilters.scheme(configured).name();
    }
}
