package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Tells Actuator whether each webhook store answers: a health contributor named {@code webhookStores} (bean
 * {@value #BEAN_NAME}) with one indicator per {@link WebhookStore} bean, named after its bean, and one per endpoint
 * whose filter opens its store from a URI ({@code webhooks.endpoints.<name>.store: redis://...} or a JDBC URL), named
 * {@value #ENDPOINT_PREFIX}{@code <name>}. Each is {@code UP} when the store's {@link WebhookStore#isAvailable()} says
 * so ({@link WebhookSignatureFilter#isStoreAvailable()} for an endpoint's) and {@code DOWN} otherwise. An endpoint
 * with {@code store: bean}, {@code memory} or no store adds none. Only when Actuator's health API is on the class
 * path: {@code org.springframework.boot.actuate.health} on Boot 3.5, {@code org.springframework.boot.health.contributor}
 * on Boot 4.0, and when there is a store bean or such an endpoint. The details never carry the store's URI, address,
 * credentials or an exception message, only the exception's type.
 */
@AutoConfiguration(after = WebhookFilterAutoConfiguration.class)
@ConditionalOnClass(WebhookStore.class)
@Conditional(WebhookStoreHealthAutoConfiguration.StoresToCheck.class)
public class WebhookStoreHealthAutoConfiguration {

    /** The health contributor's bean name; Actuator shows it as {@code webhookStores}. */
    public static final String BEAN_NAME = "webhookStoresHealthContributor";

    /**
     * The prefix of an endpoint's indicator name, before the endpoint's name: {@code endpoint-orders}. A bean defined
     * by a {@code @Bean} method or a component scan has a Java identifier for a name, which holds no {@code -}.
     */
    public static final String ENDPOINT_PREFIX = "endpoint-";

    private static final System.Logger LOG = System.getLogger(WebhookStoreHealthAutoConfiguration.class.getName());

    /** Made by Spring Boot, when the application has a {@link WebhookStore} bean or an endpoint with a store URI. */
    public WebhookStoreHealthAutoConfiguration() {
    }

    /**
     * Why a store is down, or null when its check passed. A store's check fails where a record or a claim would: it did
     * not answer, or it refused (a full Redis, a replica, a table another session holds locked, a lost permission); the
     * JDBC store's also where a release would fail, or its table is no longer as its {@code open} requires.
     *
     * @param check the store's {@link WebhookStore#isAvailable()}, or the endpoint filter's
     *        {@link WebhookSignatureFilter#isStoreAvailable()}
     */
    static String problem(BooleanSupplier check) {
        try {
            return check.getAsBoolean() ? null : "the store's health check failed: it did not answer, or found that"
                    + " requests would fail or go wrong now";
        } catch (RuntimeException e) {
            return "the store's check threw " + e.getClass().getName();
        }
    }

    /**
     * Each indicator's check, by name: the store beans' first, then the endpoints' that open a store from a URI. An
     * endpoint whose indicator name a bean has taken is logged at WARNING and left out.
     */
    static Map<String, Supplier<String>> checks(ListableBeanFactory beans, ObjectProvider<WebhookEndpointFilters> endpoints) {
        Map<String, Supplier<String>> checks = new LinkedHashMap<>();
        beans.getBeansOfType(WebhookStore.class).forEach((name, store) -> checks.put(name, () -> problem(store::isAvailable)));
        WebhookEndpointFilters filters = endpoints.getIfAvailable();
        if (filters != null) {
            filters.uriStoreFilters().forEach((endpoint, filter) -> {
                String name = ENDPOINT_PREFIX + endpoint;
                if (checks.putIfAbsent(name, () -> problem(filter::isStoreAvailable)) != null) {
                    LOG.log(Level.WARNING, "webhookStores health: the WebhookStore bean ''{0}'' has the name of the"
                            + " indicator of endpoint ''{1}'', which is left out; rename the bean", name, endpoint);
                }
            });
        }
        return checks;
    }

    /** A {@link WebhookStore} bean, or (in a servlet web application) an endpoint that opens its store from a URI. */
    static class StoresToCheck extends AnyNestedCondition {

        StoresToCheck() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(WebhookStore.class)
        static class StoreBean {
        }

        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        @Conditional(UriStoreEndpoint.class)
        static class EndpointWithAStoreUri {
        }
    }

    /**
     * An endpoint under {@code webhooks.endpoints} whose {@code store} is a URI. Endpoints that do not bind are no
     * match: {@link WebhookFilterAutoConfiguration} reports them in a servlet web application, and nothing reads them
     * in any other (Boot evaluates this beside the web application condition, not after it).
     */
    static class UriStoreEndpoint extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, WebhookProperties.Endpoint> endpoints;
            try {
                endpoints = WebhookProperties.endpointsIn(context.getEnvironment());
            } catch (RuntimeException e) {
                return ConditionOutcome.noMatch("webhooks.endpoints does not bind");
            }
            for (Map.Entry<String, WebhookProperties.Endpoint> endpoint : endpoints.entrySet()) {
                if (WebhookEndpointFilters.opensStoreFromUri(endpoint.getValue())) {
                    return ConditionOutcome.match("endpoint " + endpoint.getKey() + " opens its store from a URI");
                }
            }
            return ConditionOutcome.noMatch("no endpoint opens its store from a URI");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3 {

        @Bean(BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        org.springframework.boot.actuate.health.CompositeHealthContributor webhookStoresHealthContributor(
                ListableBeanFactory beans, ObjectProvider<WebhookEndpointFilters> endpoints) {
            return org.springframework.boot.actuate.health.CompositeHealthContributor.fromMap(checks(beans, endpoints),
                    check -> (org.springframework.boot.actuate.health.HealthIndicator) () -> {
                        String problem = check.get();
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
                ListableBeanFactory beans, ObjectProvider<WebhookEndpointFilters> endpoints) {
            return org.springframework.boot.health.contributor.CompositeHealthContributor.fromMap(checks(beans, endpoints),
                    check -> (org.springframework.boot.health.contributor.HealthIndicator) () -> {
                        String problem = check.get();
                        return problem == null ? org.springframework.boot.health.contributor.Health.up().build()
                                : org.springframework.boot.health.contributor.Health.down().withDetail("reason", problem).build();
                    });
        }
    }
}
