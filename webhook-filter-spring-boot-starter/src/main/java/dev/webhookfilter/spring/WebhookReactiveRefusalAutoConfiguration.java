package dev.webhookfilter.spring;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Stops a reactive (WebFlux) application that configures {@code webhooks.endpoints}. The starter verifies
 * requests in servlet filters, which a reactive server never runs: the endpoints would take unsigned requests.
 * The check runs while the configuration is read, before any bean is made, so lazy initialisation cannot skip
 * it. A reactive application verifies with the core's {@code WebhookVerifier} in a {@code WebFilter} of its own.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Import(WebhookReactiveRefusalAutoConfiguration.Refusal.class)
public class WebhookReactiveRefusalAutoConfiguration {

    /** Made by Spring Boot, when the application is a reactive web application. */
    public WebhookReactiveRefusalAutoConfiguration() {
    }

    /** Refuses, as the configuration is read, the endpoints nothing here would protect. */
    static class Refusal implements ImportBeanDefinitionRegistrar, EnvironmentAware {

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            Map<String, WebhookProperties.Endpoint> endpoints = WebhookProperties.endpointsIn(environment);
            // An endpoint whose every key is misspelled binds to nothing, and one under a misspelling of
            // webhooks.endpoints binds nowhere: both are meant, and would be as unprotected.
            UnknownEndpointProperties unknown = UnknownEndpointProperties.in(environment);
            Set<String> names = new LinkedHashSet<>(endpoints.keySet());
            names.addAll(unknown.byEndpoint().keySet());
            if (names.isEmpty() && !unknown.elsewhere().isEmpty()) {
                throw new WebhookConfigurationException("Keys look meant for an endpoint of the starter, but this is a"
                        + " reactive (WebFlux) application, where it verifies nothing:\n"
                        + String.join("\n", unknown.elsewhere()) + "\nVerify with WebhookVerifier (webhook-core) in a"
                        + " WebFilter of your own, or run the application on a servlet container"
                        + " (spring-boot-starter-web).");
            }
            if (!names.isEmpty()) {
                throw new WebhookConfigurationException("webhooks.endpoints configures " + names
                        + ", but this is a reactive (WebFlux) application: the starter verifies webhooks in servlet"
                        + " filters, which a reactive server never runs, so these endpoints would take unsigned"
                        + " requests. Verify with WebhookVerifier (webhook-core) in a WebFilter of your own, or run"
                        + " the application on a servlet container (spring-boot-starter-web).");
            }
        }
    }
}
