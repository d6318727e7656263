package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Puts a {@link WebhookSignatureFilter} in front of each endpoint under {@code webhooks.endpoints},
 * in a Servlet web application.
 *
 * <p>Each endpoint gets a {@code FilterRegistrationBean} bean named {@code webhookFilter.<name>},
 * registering a filter named {@code <name>} on the endpoint's path patterns, for every dispatcher
 * type, at {@link #FILTER_ORDER}: before Spring Security's filter chain and before Spring's filters
 * that read form bodies, so that the filter is the first to read the body and everything after it
 * reads the verified bytes.
 *
 * <p>With at least one endpoint, a {@code FilterRegistrationBean} bean named
 * {@code webhookAmbiguousPathFilter} registers, on {@code /*} at {@code FILTER_ORDER - 1}, a filter that
 * refuses with 400 a request whose path has a dot segment ({@code /webhooks/%2e%2e/bytes}) or an encoded
 * separator and falls, read as Spring MVC reads it, under an endpoint's path patterns, or ends in a {@code /}
 * without which an exact or extension pattern would cover it ({@code /webhooks/payments/}), or falls under an
 * endpoint's path patterns only once its last segment is cut at a {@code .} ({@code /webhooks/payments.json}) or
 * when case is ignored ({@code /WEBHOOKS/payments}): the container would take such a path out of the endpoint's
 * filter while Spring still routes it to the endpoint's controller (the last two with suffix pattern matching
 * before Spring 7, or when it matches paths without regard to case).
 *
 * <p>A key under {@code webhooks.endpoints.<name>} that no endpoint property takes stops the start, as a
 * misspelled init-param stops the filter; so does an endpoint's property under a misspelling of
 * {@code webhooks.endpoints}, and a key {@code path-patterns} anywhere else under {@code webhooks.} or a near miss of
 * it (an endpoint without the {@code endpoints:} level, or under another prefix). Other keys under {@code webhooks.} are left to the application. Two endpoints with
 * the same path pattern stop the start too (a request there runs both filters, and each refuses what only the
 * other's secrets sign); endpoints whose patterns overlap otherwise are logged at WARNING, naming both.
 *
 * <p>Verifiers use the application's {@link Clock} bean when it has exactly one, the system clock
 * otherwise. An endpoint with {@code store: bean} uses the application's {@link WebhookStore} bean,
 * of which it must have exactly one (or one primary). Beans of type {@link WebhookFilterCustomizer}
 * adjust each endpoint's verifier and filter.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebhookSignatureFilter.class)
@EnableConfigurationProperties(WebhookProperties.class)
@Import(WebhookFilterAutoConfiguration.EndpointRegistrar.class)
public class WebhookFilterAutoConfiguration {

    /**
     * The order of every webhook filter: just after Spring's {@code CharacterEncodingFilter}
     * ({@code Ordered.HIGHEST_PRECEDENCE}), which reads no body, and far before Spring Security's
     * filter chain ({@code SecurityProperties.DEFAULT_FILTER_ORDER}, -100), the
     * {@code HiddenHttpMethodFilter} (-10000) and the {@code FormContentFilter} (-9900), which read
     * form bodies.
     */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** The property that turns on Spring MVC's {@code HiddenHttpMethodFilter}. */
    static final String HIDDEN_METHOD_FILTER = "spring.mvc.hiddenmethod.filter.enabled";

    /** The bean name prefix of each endpoint's registration: {@code webhookFilter.<endpoint>}. */
    public static final String REGISTRATION_BEAN_PREFIX = "webhookFilter.";

    /** Made by Spring Boot, when the application is a servlet web application. */
    public WebhookFilterAutoConfiguration() {
    }

    // Never lazy, even with spring.main.lazy-initialization: an endpoint that binds to nothing (every key misspelled,
    // or under a misspelling of webhooks.endpoints) has no registration to ask for this bean, whose checks stop the start.
    @Bean
    @Lazy(false)
    WebhookEndpointFilters webhookEndpointFilters(WebhookProperties properties, Environment environment,
                                                  ObjectProvider<Clock> clock,
                                                  ObjectProvider<WebhookFilterCustomizer> customizers,
                                                  ObjectProvider<WebhookStore> stores, ListableBeanFactory beans) {
        // WebhookProperties ignores unknown keys, as webhooks.* may hold the application's own; the
        // keys meant for an endpoint are checked here instead, so that a misspelling stops the start.
        WebhookEndpointFilters filters = new WebhookEndpointFilters(properties,
                UnknownEndpointProperties.in(environment), ApplicationPaths.in(environment),
                clock.getIfUnique(Clock::systemUTC), customizers.orderedStream().collect(Collectors.toList()),
                stores::getIfUnique, (name, property) -> WebhookProperties.oneStringOf(environment, name, property));
        WebhookEndpointFilters.warnOfHiddenMethodFilter(properties, hiddenMethodFilterOn(environment));
        WebhookEndpointFilters.warnOfAStoreBeanNoEndpointTakes(properties,
                List.of(beans.getBeanNamesForType(WebhookStore.class, true, false)));
        return filters;
    }

    /**
     * Whether Spring MVC's {@code HiddenHttpMethodFilter} is on, as Boot turns it on; a value Spring cannot read as a
     * boolean is left to Boot to report.
     */
    private static boolean hiddenMethodFilterOn(Environment environment) {
        try {
            return environment.getProperty(HIDDEN_METHOD_FILTER, Boolean.class, false);
        } catch (RuntimeException notABoolean) {
            return false;
        }
    }

    /** Warns of Spring's filters that read a form body, ordered by the application before an endpoint's filter. */
    @Bean
    @Lazy(false)
    static BodyReadersBeforeWebhooks webhookBodyReadersBeforeWebhooks(ListableBeanFactory beans) {
        return new BodyReadersBeforeWebhooks(beans);
    }

    /**
     * Registers one {@code FilterRegistrationBean} per endpoint, and the {@link AmbiguousPathFilter}'s when
     * there is any endpoint. The endpoints' names must be known while bean definitions are still being
     * collected, so they are read from the environment here; the registrations themselves come from
     * {@link WebhookEndpointFilters}, which checks them all.
     */
    static class EndpointRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

        private Environment environment;
        private BeanFactory beanFactory;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            Map<String, WebhookProperties.Endpoint> endpoints = WebhookProperties.endpointsIn(environment);
            BeanFactory factory = beanFactory;
            if (!endpoints.isEmpty()) {
                RootBeanDefinition definition = new RootBeanDefinition(FilterRegistrationBean.class);
                definition.setTargetType(ResolvableType.forClassWithGenerics(FilterRegistrationBean.class,
                        AmbiguousPathFilter.class));
                definition.setInstanceSupplier(
                        () -> factory.getBean(WebhookEndpointFilters.class).ambiguousPathRegistration());
                registry.registerBeanDefinition(AmbiguousPathFilter.NAME, definition);
            }
            for (String name : endpoints.keySet()) {
                RootBeanDefinition definition = new RootBeanDefinition(FilterRegistrationBean.class);
                definition.setTargetType(ResolvableType.forClassWithGenerics(FilterRegistrationBean.class,
                        WebhookSignatureFilter.class));
                definition.setInstanceSupplier(() -> factory.getBean(WebhookEndpointFilters.class).registration(name));
                registry.registerBeanDefinition(REGISTRATION_BEAN_PREFIX + name, definition);
            }
        }
    }
}
