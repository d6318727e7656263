package dev.webhookfilter.spring;

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
 * that adds it to each endpoint's filter. The filter registers its endpoint's meters when the web server starts
 * it, under the scheme it was finally built with (another customizer may have changed the properties' one), so
 * that {@code /actuator/metrics/webhooks.requests} lists every endpoint before its first request.
 *
 * <p>An application that defines its own {@code MicrometerVerificationListener} bean gets that one
 * wired instead, whatever registries it has as beans: its listener names its registry itself.
 */
@AutoConfiguration(before = WebhookFilterAutoConfiguration.class, afterName = {
        // The configurations that make the application's MeterRegistry, on Boot 3.5 and on Boot 4.0.
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerVerificationListener.class})
public class WebhookFilterMetricsAutoConfiguration {

    /** Made by Spring Boot, when the application has Micrometer and the Micrometer module. */
    public WebhookFilterMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(MeterRegistry.class)
    MicrometerVerificationListener webhookMetricsListener(MeterRegistry registry) {
        return new MicrometerVerificationListener(registry);
    }

    /**
     * Adds the listener bean, the application's or the starter's, to every endpoint's filter; nothing where there
     * is none. Two without a primary one stop the application, as an ambiguous bean does.
     */
    @Bean
    WebhookFilterCustomizer webhookMetricsCustomizer(ObjectProvider<MicrometerVerificationListener> listeners) {
        return (endpoint, verifier, filter) -> {
            MicrometerVerificationListener listener = listeners.getIfAvailable();
            if (listener != null) {
                filter.listener(listener);
            }
        };
    }
}
