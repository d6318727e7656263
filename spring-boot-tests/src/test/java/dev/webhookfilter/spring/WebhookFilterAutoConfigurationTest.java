package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The auto-configuration's conditions, registrations and start-up failures, without a server: each
 * runner refreshes a Servlet web application context (with a mock ServletContext) or a plain one.
 */
class WebhookFilterAutoConfigurationTest {

    private static final String PAYMENTS = "webhooks.endpoints.payments.";
    private static final String ORDERS = "webhooks.endpoints.orders.";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebhookFilterAutoConfiguration.class));

    @SuppressWarnings("rawtypes")
    private static Map<String, FilterRegistrationBean> registrations(
            org.springframework.context.ApplicationContext context) {
        return context.getBeansOfType(FilterRegistrationBean.class);
    }

    @Nested
    class Conditions {

        @Test
        void noEndpoints_registersNoFilter() {
            web.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(registrations(context)).isEmpty();
            });
        }

        @Test
        void notAServletWebApplication_registersNothing() {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(WebhookFilterAutoConfiguration.class))
                    .withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(registrations(context)).isEmpty();
                        assertThat(context).doesNotHaveBean(WebhookProperties.class);
                    });
        }

        @Test
        void withoutTheFilterOnTheClasspath_registersNothing() {
            web.withClassLoader(new FilteredClassLoader(WebhookSignatureFilter.class))
                    .withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(registrations(context)).isEmpty();
                    });
        }
    }

    @Nested
    class Registrations {

        @Test
        void twoEndpoints_twoRegistrationsNamedAfterThem_withTheirPatternsOrderAndDispatchers() {
            web.withPropertyValues(
                            PAYMENTS + "path-patterns=/webhooks/payments/*,/hooks/pay",
                            PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "path-patterns[0]=/webhooks/orders/*",
                            ORDERS + "secrets[0]=" + Vectors.SECRET_B)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(registrations(context)).containsOnlyKeys(
                                "webhookFilter.payments", "webhookFilter.orders");
                        FilterRegistrationBean<?> payments = registrations(context).get("webhookFilter.payments");
                        FilterRegistrationBean<?> orders = registrations(context).get("webhookFilter.orders");

                        assertThat(payments.getFilterName()).isEqualTo("payments");
                        assertThat(payments.getUrlPatterns()).containsExactly("/webhooks/payments/*", "/hooks/pay");
                        assertThat(orders.getFilterName()).isEqualTo("orders");
                        assertThat(orders.getUrlPatterns()).containsExactly("/webhooks/orders/*");
                        for (FilterRegistrationBean<?> registration : List.of(payments, orders)) {
                            assertThat(registration.getFilter()).isInstanceOf(WebhookSignatureFilter.class);
                            assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(
                                    DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE,
                                    DispatcherType.ERROR, DispatcherType.ASYNC);
                            assertThat(registration.isAsyncSupported()).isTrue();
                            // Spring Security's filter chain runs at SecurityProperties.DEFAULT_FILTER_ORDER, -100;
                            // Spring's HiddenHttpMethodFilter (-10000) and FormContentFilter (-9900) read form bodies.
                            assertThat(registration.getOrder()).isEqualTo(Integer.MIN_VALUE + 10).isLessThan(-10000);
                        }
                    });
        }

        @Test
        void secrets_areUsedLiterally_commasPrefixesAndSpacesIncluded() {
            String literal = " env:HOME,file:/etc/passwd ";
            web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/*")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new MapPropertySource("yaml", Map.of(PAYMENTS + "secrets[0]", literal))))
                    .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        WebhookSignatureFilter filter = (WebhookSignatureFilter) registrations(context)
                                .get("webhookFilter.payments").getFilter();

                        assertThat(send(filter, WebhookSigner.of(literal).sign(Vectors.SIMPLE_BODY, Vectors.T)))
                                .isEqualTo(200);
                        assertThat(send(filter, WebhookSigner.of(literal.strip()).sign(Vectors.SIMPLE_BODY, Vectors.T)))
                                .isEqualTo(401);
                    });
        }

        @Test
        void secrets_resolvePlaceholdersFromSpringsPropertySources() {
            web.withPropertyValues("MY_WEBHOOK_SECRET=" + Vectors.SECRET_B,
                            PAYMENTS + "path-patterns[0]=/webhooks/*",
                            PAYMENTS + "secrets[0]=${MY_WEBHOOK_SECRET}",
                            PAYMENTS + "secrets[1]=" + Vectors.SECRET_A)
                    .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC))
                    .run(context -> {
                        WebhookSignatureFilter filter = (WebhookSignatureFilter) registrations(context)
                                .get("webhookFilter.payments").getFilter();

                        assertThat(send(filter, Vectors.header(Vectors.SIMPLE_B))).isEqualTo(200);
                        assertThat(send(filter, Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
                        assertThat(send(filter, Vectors.header(Vectors.SIMPLE_NON_ASCII_SECRET))).isEqualTo(401);
                    });
        }

        @Test
        void customizers_areCalledOncePerEndpoint_inOrder_beforeTheFilterIsBuilt() {
            List<String> calls = new ArrayList<>();
            web.withPropertyValues(PAYMENTS + "path-patterns=/p/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "path-patterns=/o/*", ORDERS + "secrets=" + Vectors.SECRET_B)
                    .withBean("second", WebhookFilterCustomizer.class, () -> new OrderedCustomizer(2, "second", calls))
                    .withBean("first", WebhookFilterCustomizer.class, () -> new OrderedCustomizer(1, "first", calls))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        registrations(context);
                        assertThat(calls).containsExactly("first payments", "second payments",
                                "first orders", "second orders");
                    });
        }
    }

    @Nested
    class Units {

        @Test
        void aBareTolerance_isSeconds_andABareBodySize_isBytes() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "tolerance=86400", PAYMENTS + "max-body-size=1073741824")
                    .run(context -> assertThat(context).hasNotFailed());
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "tolerance=86401", PAYMENTS + "max-body-size=1073741825")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("toleranceSeconds: out of range")
                            .hasMessageContaining("maxBodyBytes: out of range"));
        }
    }

    @Nested
    class BadConfiguration {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', value = {
                "tolerance|86401s|toleranceSeconds: out of range; give a whole number of seconds from 1 to 86400, or remove it for the default 300",
                "tolerance|0|toleranceSeconds: out of range; give a whole number of seconds from 1 to 86400, or remove it for the default 300",
                "tolerance|1500ms|tolerance: whole seconds only, such as 300s",
                "max-body-size|2GB|maxBodyBytes: out of range; give a whole number of bytes from 1 to 1073741824, or remove it for the default 1048576",
                "header-name|X Webhook|headerName: must be an HTTP header name (letters, digits and -); remove it to use X-Webhook-Signature",
                "replay-cache-size|0|replayCacheSize: out of range; give a whole number of entries from 1 to 10000000, or remove it for the default 100000",
        })
        void aValueOutOfTheFiltersRange_failsTheStart_withTheFiltersMessage(String property, String value, String problem) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + property + "=" + value)
                    .run(context -> assertThat(context).getFailure()
                            .rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + problem + "\n"));
        }

        @Test
        void missingSecretsAndPathPatterns_failTheStart_everyProblemOfEveryEndpointInOneMessage() {
            web.withPropertyValues(PAYMENTS + "tolerance=60s", ORDERS + "path-patterns=/webhooks/orders/*",
                            ORDERS + "max-body-size=0")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n"
                                    + "path-patterns: required; give the URL patterns this endpoint's requests"
                                    + " arrive on, such as /webhooks/payments/*\n"
                                    + "secrets: required; give one or more comma-separated secrets, each a literal,"
                                    + " env:NAME (an environment variable) or file:PATH (one secret per line)")
                            .hasMessageContaining("WebhookSignatureFilter 'orders' (webhooks.endpoints.orders)"
                                    + " is misconfigured and will not start:\n"
                                    + "maxBodyBytes: out of range; give a whole number of bytes from 1 to 1073741824,"
                                    + " or remove it for the default 1048576\n"
                                    + "secrets: required;")
                            .hasMessageContaining("under webhooks.endpoints.<name> they are the properties secrets"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/**", "webhooks/*", "/webhooks/*/events", "/webhooks*", "*.", "*.json/x", "**.json"})
        void aPathPatternTheContainerWouldTakeLiterally_failsTheStart(String pattern) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new MapPropertySource("yaml", Map.of(PAYMENTS + "path-patterns[0]", pattern))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("path-patterns: '" + pattern + "' is not a Servlet URL pattern and"
                                    + " would match no request; write an exact path (/webhooks/payments), a prefix"
                                    + " (/webhooks/*) or an extension (*.json); /webhooks/* covers everything under"
                                    + " /webhooks/"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/*", "/webhooks/payments", "/*", "/", "*.json"})
        void servletUrlPatterns_areAccepted(String pattern) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "path-patterns[0]=" + pattern)
                    .run(context -> assertThat(context).hasNotFailed());
        }

        @Test
        void anEmptySecret_failsTheStart() {
            web.withPropertyValues("EMPTY_SECRET=", PAYMENTS + "path-patterns=/webhooks/*",
                            PAYMENTS + "secrets[0]=" + Vectors.SECRET_A, PAYMENTS + "secrets[1]=${EMPTY_SECRET}")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("secrets[1]: empty; check that its environment variable is set"
                                    + " and not empty"));
        }

        @Test
        void anUnresolvedPlaceholder_failsTheStart_ratherThanBecomingTheSecret() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*",
                            PAYMENTS + "secrets=${NO_SUCH_WEBHOOK_SECRET_VARIABLE}")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("secrets[0]: the placeholder ${NO_SUCH_WEBHOOK_SECRET_VARIABLE} is not"
                                    + " resolved; set the environment variable or property NO_SUCH_WEBHOOK_SECRET_VARIABLE"));
        }

        @Test
        void theProblem_isLoggedAtError_withoutTheSecret() {
            List<LogRecord> records = new ArrayList<>();
            Handler handler = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    records.add(record);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger logger = Logger.getLogger("dev.webhookfilter.spring.WebhookEndpointFilters");
            logger.addHandler(handler);
            try {
                web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "tolerance=0")
                        .run(context -> assertThat(context).hasFailed());
            } finally {
                logger.removeHandler(handler);
            }

            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).contains("path-patterns: required", "toleranceSeconds: out of range")
                        .doesNotContain(Vectors.SECRET_A);
            });
        }

        @Test
        void failureAnalyzer_reportsTheMessageAsTheDescription() {
            WebhookConfigurationException cause = new WebhookConfigurationException("the problems");

            FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer()
                    .analyze(new BeanCreationException("webhookFilter.payments", "wrapped", cause));

            assertThat(analysis.getDescription()).isEqualTo("the problems");
            assertThat(analysis.getAction()).contains("webhooks.endpoints");
        }
    }

    /** The status the filter answers for a POST of {@link Vectors#SIMPLE_BODY} with this header; 200 when it calls the chain. */
    private static int send(WebhookSignatureFilter filter, String header) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
        request.setContentType("application/json");
        request.setContent(Vectors.SIMPLE_BODY);
        request.addHeader("X-Webhook-Signature", header);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null ? 200 : response.getStatus();
    }

    private record OrderedCustomizer(int order, String name, List<String> calls)
            implements WebhookFilterCustomizer, org.springframework.core.Ordered {

        @Override
        public void customize(String endpoint, dev.webhookfilter.WebhookVerifier.Builder verifier,
                              WebhookSignatureFilter.Builder filter) {
            calls.add(name + " " + endpoint);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }
}
