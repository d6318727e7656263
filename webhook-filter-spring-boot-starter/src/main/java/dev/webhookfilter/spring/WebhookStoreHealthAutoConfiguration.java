package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookStore;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells Actuator whether each {@link WebhookStore} bean answers: a health contributor named
 * {@code webhookStores} (bean {@value #BEAN_NAME}) with one indicator per store, named after its bean,
 * {@code UP} when {@link WebhookStore#isAvailable()} says so and {@code DOWN} otherwise. Only when
 * Actuator's health API is on the class path: {@code org.springframework.boot.actuate.health} on Boot 3.5,
 * {@code org.springframework.boot.health.contributor} on Boot 4.0. The details never carry the store's
 * address, credentials or an exception message, only the exception's type.
 */
@AutoConfiguration
@ConditionalOnClass(WebhookStore.class)
@ConditionalOnBean(WebhookStore.class)
public class WebhookStoreHealthAutoConfiguration {

    /** The health contributor's bean name; Actuator shows it as {@code webhookStores}. */
    public static final String BEAN_NAME = "webhookStoresHealthContributor";

    /** Made by Spring Boot, when the application has a {@link WebhookStore} bean. */
    public WebhookStoreHealthAutoConfiguration() {
    }

    /**
     * Why a store is down, or null when its check passed. A store's check fails where a record or a claim would: it did
     * not answer, or it refused (a full Redis, a replica, a table another session holds locked, a lost permission); the
     * JDBC store's also where a release would fail, or its table is no longer as its {@code open} requires.
     */
    static String problem(WebhookStore store) {
        try {
            return store.isAvailable() ? null : "the store's health check failed: it did not answer, or found that requests"
                    + " would fail or go wrong now";
        } catch (RuntimeException e) {
            return "the store's check threw " + e.getClass().getName();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3 {

        @Bean(BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        org.springframework.boot.actuate.health.CompositeHealthContributor webhookStoresHealthContributor(
                Map<String, WebhookStore> stores) {
            return org.springframework.boot.actuate.health.CompositeHealthContributor.fromMap(stores,
                    store -> (org.springframework.boot.actuate.health.HealthIndicator) () -> {
                        String problem = problem(store);
                        return problem == null ? org.springframework.boot.actuate.health.Health.up().build()
                                : org.springframework.boot.actuate.health.Health.down().withDetail("reason", problem).build();
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4 {

        @Bean(BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        org.springframework.boot.health.contributor.CompositeHealthContributor webhookStoresHealthContributor(
                Map<String, WebhookStore> stores) {
            return org.springframework.boot.health.contributor.CompositeHealthContributor.fromMap(stores,
                    store -> (org.springframework.boot.health.contributor.HealthIndicator) () -> {
                        String problem = problem(store);
                        return problem == null ? org.springframework.boot.health.contributor.Health.up().build()
                                : org.springframework.boot.health.contributor.Health.down().withDetail("reason", problem).build();
                    });
        }
    }
}
