package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.micrometer.MicrometerVerificationListener;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** When the starter wires Micrometer into every endpoint's filter, and what each request then counts. */
class WebhookFilterMetricsAutoConfigurationTest {

    private static final String SCHEME = "wealthkernel-2022";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebhookFilterAutoConfiguration.class,
                    WebhookFilterMetricsAutoConfiguration.class))
            .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC))
            .withPropertyValues(
                    "webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                    "webhooks.endpoints.payments.secrets=" + Vectors.SECRET_A,
                    "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*",
                    "webhooks.endpoints.orders.secrets=" + Vectors.SECRET_B);

    @Configuration(proxyBeanMethods = false)
    static class OneRegistry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoRegistries {
        @Bean
        SimpleMeterRegistry firstRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        SimpleMeterRegistry secondRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoRegistriesOnePrimary {
        @Bean
        @Primary
        SimpleMeterRegistry primaryRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        SimpleMeterRegistry otherRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** The filter of {@code endpoint}, initialised under its name as the container would. */
    private static WebhookSignatureFilter filter(ApplicationContext context, String endpoint) throws Exception {
        WebhookSignatureFilter filter = (WebhookSignatureFilter) context.getBean("webhookFilter." + endpoint,
                FilterRegistrationBean.class).getFilter();
        filter.init(new MockFilterConfig(endpoint));
        return filter;
    }

    /** POSTs {@link Vectors#SIMPLE_BODY} with {@code header} (none when null); 200 when the chain ran. */
    private static int send(WebhookSignatureFilter filter, String header) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
        request.setContent(Vectors.SIMPLE_BODY);
        if (header != null) {
            request.addHeader("X-Webhook-Signature", header);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null ? 200 : response.getStatus();
    }

    private static double count(MeterRegistry registry, String endpoint, String outcome, String reason) {
        return registry.get("webhooks.requests").tags("endpoint", endpoint, "scheme", SCHEME, "outcome", outcome,
                "reason", reason).counter().count();
    }

    @Test
    void withARegistry_everyEndpointIsCountedUnderItsName() {
        web.withUserConfiguration(OneRegistry.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerVerificationListener.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            WebhookSignatureFilter payments = filter(context, "payments");
            WebhookSignatureFilter orders = filter(context, "orders");
            // Registered as the web server starts the filters, before any request.
            assertThat(count(registry, "payments", "verified", "none")).isZero();
            assertThat(count(registry, "orders", "rejected", "MISSING_HEADER")).isZero();

            assertThat(send(payments, Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
            assertThat(send(payments, Vectors.header(Vectors.SIMPLE_B))).isEqualTo(401);
            assertThat(send(orders, null)).isEqualTo(401);

            assertThat(count(registry, "payments", "verified", "none")).isEqualTo(1.0);
            assertThat(count(registry, "payments", "rejected", "NO_MATCHING_SIGNATURE")).isEqualTo(1.0);
            assertThat(count(registry, "orders", "rejected", "MISSING_HEADER")).isEqualTo(1.0);
            assertThat(count(registry, "orders", "verified", "none")).isZero();
            assertThat(registry.get("webhooks.verification").tags("endpoint", "payments", "outcome", "verified")
                    .timer().count()).isEqualTo(1);
        });
    }

    @Test
    void anEndpointsMeters_carryItsConfiguredScheme() {
        web.withUserConfiguration(OneRegistry.class)
                .withPropertyValues("webhooks.endpoints.payments.scheme= Stripe ",
                        "webhooks.endpoints.payments.secrets=" + Vectors.Stripe.SECRET_A)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    WebhookSignatureFilter payments = filter(context, "payments");
                    filter(context, "orders");
                    assertThat(registry.get("webhooks.requests").tags("endpoint", "payments", "scheme", "stripe",
                            "outcome", "verified", "reason", "none").counter().count()).isZero();
                    assertThat(registry.find("webhooks.requests").tags("endpoint", "payments", "scheme", SCHEME)
                            .meters()).isEmpty();
                    assertThat(count(registry, "orders", "verified", "none")).as("the default scheme's").isZero();

                    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
                    request.setContent(Vectors.SIMPLE_BODY);
                    // Vectors.Stripe.SIMPLE_A, made with openssl (the command is beside it)
                    request.addHeader("Stripe-Signature", "t=" + Vectors.T + ",v1=" + Vectors.Stripe.SIMPLE_A);
                    MockFilterChain chain = new MockFilterChain();
                    payments.doFilter(request, new MockHttpServletResponse(), chain);
                    assertThat(chain.getRequest()).isNotNull();
                    assertThat(registry.get("webhooks.requests").tags("endpoint", "payments", "scheme", "stripe",
                            "outcome", "verified", "reason", "none").counter().count()).isEqualTo(1.0);
                });
    }

    /**
     * A customizer may change an endpoint's scheme after the properties chose one: the meters carry the scheme
     * the filter verifies, and none stand under the properties' scheme. Before, the starter registered a set
     * of meters under the properties' scheme as it customized the endpoint, which then never moved.
     */
    @Test
    void aSchemeChangedByACustomizer_isTheOneTheMetersCarry() {
        web.withUserConfiguration(OneRegistry.class)
                .withBean("toGithub", WebhookFilterCustomizer.class, () -> (endpoint, verifier, filter) -> {
                    if (endpoint.equals("payments")) {
                        verifier.scheme(Scheme.named("github"));
                    }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    filter(context, "payments");
                    filter(context, "orders");
                    assertThat(registry.get("webhooks.requests").tags("endpoint", "payments", "scheme", "github",
                            "outcome", "verified", "reason", "none").counter().count()).isZero();
                    assertThat(registry.find("webhooks.requests").tags("endpoint", "payments", "scheme", SCHEME)
                            .meters()).isEmpty();
                    assertThat(count(registry, "orders", "verified", "none")).as("the default scheme's").isZero();
                });
    }

    @Test
    void withoutARegistry_nothingIsWiredAndTheFiltersStillWork() {
        web.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerVerificationListener.class);
            assertThat(send(filter(context, "payments"), Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
        });
    }

    @Test
    void withoutMicrometerOnTheClassPath_nothingIsWired() {
        web.withUserConfiguration(OneRegistry.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(MicrometerVerificationListener.class));
    }

    @Test
    void withoutTheMicrometerModuleOnTheClassPath_nothingIsWired() {
        web.withUserConfiguration(OneRegistry.class)
                .withClassLoader(new FilteredClassLoader(MicrometerVerificationListener.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(MicrometerVerificationListener.class));
    }

    @Test
    void withTwoRegistriesAndNoPrimary_nothingIsWired() {
        web.withUserConfiguration(TwoRegistries.class)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(MicrometerVerificationListener.class));
    }

    @Test
    void withAPrimaryRegistry_thePrimaryCounts() {
        web.withUserConfiguration(TwoRegistriesOnePrimary.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerVerificationListener.class);
            send(filter(context, "payments"), null);
            assertThat(count(context.getBean("primaryRegistry", MeterRegistry.class), "payments", "rejected",
                    "MISSING_HEADER")).isEqualTo(1.0);
            assertThat(context.getBean("otherRegistry", MeterRegistry.class).find("webhooks.requests").meters())
                    .isEmpty();
        });
    }

    @Test
    void theApplicationsOwnListenerBeanIsTheOneWired() {
        MeterRegistry own = new SimpleMeterRegistry();
        MicrometerVerificationListener listener = new MicrometerVerificationListener(own);
        web.withUserConfiguration(OneRegistry.class)
                .withBean("ownListener", MicrometerVerificationListener.class, () -> listener)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MicrometerVerificationListener.class)).isSameAs(listener);
                    send(filter(context, "payments"), null);
                    assertThat(count(own, "payments", "rejected", "MISSING_HEADER")).isEqualTo(1.0);
                    assertThat(context.getBean(MeterRegistry.class).find("webhooks.requests").meters()).isEmpty();
                });
    }

    /**
     * README: an application's own {@code MicrometerVerificationListener} bean is the one wired. It counts into a
     * registry of its own, so the application needs no {@code MeterRegistry} bean for it (none here, or two with
     * no primary); before, the starter wired it only beside exactly one, and otherwise counted nothing.
     */
    @Test
    void theApplicationsOwnListenerBean_isWiredWithoutARegistryBean() {
        MeterRegistry own = new SimpleMeterRegistry();
        web.withBean("ownListener", MicrometerVerificationListener.class, () -> new MicrometerVerificationListener(own))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MeterRegistry.class);
                    send(filter(context, "payments"), null);
                    assertThat(count(own, "payments", "rejected", "MISSING_HEADER")).isEqualTo(1.0);
                });
        MeterRegistry beside = new SimpleMeterRegistry();
        web.withUserConfiguration(TwoRegistries.class)
                .withBean("ownListener", MicrometerVerificationListener.class,
                        () -> new MicrometerVerificationListener(beside))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    send(filter(context, "orders"), null);
                    assertThat(count(beside, "orders", "rejected", "MISSING_HEADER")).isEqualTo(1.0);
                });
    }

    @Test
    void twoListenerBeansWithoutAPrimaryOne_stopTheApplication() {
        web.withUserConfiguration(OneRegistry.class)
                .withBean("first", MicrometerVerificationListener.class,
                        () -> new MicrometerVerificationListener(new SimpleMeterRegistry()))
                .withBean("second", MicrometerVerificationListener.class,
                        () -> new MicrometerVerificationListener(new SimpleMeterRegistry()))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(NoUniqueBeanDefinitionException.class));
    }

    @Test
    void withSpringBootsOwnMetricsConfiguration_itsRegistryCounts() {
        web.withConfiguration(AutoConfigurations.of(BootMetrics.configurations())).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerVerificationListener.class);
            send(filter(context, "orders"), null);
            assertThat(count(context.getBean(MeterRegistry.class), "orders", "rejected", "MISSING_HEADER"))
                    .isEqualTo(1.0);
        });
    }

    /** Spring Boot's metrics auto-configurations, whose package differs between Boot 3.5 and 4.0. */
    static final class BootMetrics {

        private static final List<String> PACKAGES = List.of(
                "org.springframework.boot.actuate.autoconfigure.metrics.",
                "org.springframework.boot.micrometer.metrics.autoconfigure.");

        static Class<?>[] configurations() {
            for (String prefix : PACKAGES) {
                try {
                    return new Class<?>[] {
                            Class.forName(prefix + "MetricsAutoConfiguration"),
                            Class.forName(prefix + "CompositeMeterRegistryAutoConfiguration"),
                            Class.forName(prefix + "export.simple.SimpleMetricsExportAutoConfiguration")};
                } catch (ClassNotFoundException e) {
                    // the other line
                }
            }
            throw new IllegalStateException("Spring Boot's metrics auto-configuration is not on the class path");
        }
    }
}
