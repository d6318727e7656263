package dev.webhookfilter.spring;

import java.util.Map;
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
            if (!endpoints.isEmpty()) {
                throw new WebhookConfigurationException("webhooks.endpoints configures " + endpoints.keySet()
                        + ", but this is a reactive (WebFlux) application: the starter verifies webhooks in servlet"
                        + " filters, which a reactive server never runs, so these endpoints would take unsigned"
                        + " requests. Verify with WebhookVerifier (webhook-core) in a WebFilter of your own, or run"
                        + " the application on a servlet container (spring-boot-starter-web).");
            }
        }
    }
}
