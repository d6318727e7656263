package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.StubStore;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.internal.AmbiguousPathGuard;
import dev.webhookfilter.servlet.UnavailableStoreProvider;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
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
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
                                "webhookFilter.payments", "webhookFilter.orders", "webhookAmbiguousPathFilter");
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
        void theAmbiguousPathFilter_coversEveryPath_justBeforeTheEndpoints_forEveryDispatch() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "path-patterns=*.order", ORDERS + "secrets=" + Vectors.SECRET_B)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        FilterRegistrationBean<?> guard = registrations(context).get("webhookAmbiguousPathFilter");

                        assertThat(guard.getFilterName()).isEqualTo("webhookAmbiguousPathFilter");
                        assertThat(guard.getUrlPatterns()).containsExactly("/*");
                        // What the servlet filter's start-up check finds it by: its class, and the patterns it guards.
                        assertThat(guard.getFilter().getClass().getName()).isEqualTo(AmbiguousPathGuard.FILTER_CLASS);
                        assertThat(guard.getInitParameters()).containsExactly(
                                Map.entry(AmbiguousPathGuard.PATTERNS, "/webhooks/payments/*\n*.order\n"));
                        assertThat(guard.determineDispatcherTypes()).containsExactlyInAnyOrder(
                                DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE,
                                DispatcherType.ERROR, DispatcherType.ASYNC);
                        assertThat(guard.isAsyncSupported()).isTrue();
                        assertThat(guard.getOrder()).isEqualTo(WebhookFilterAutoConfiguration.FILTER_ORDER - 1);
                    });
        }

        @Test
        void theAmbiguousPathFilter_refusesADotSegmentUnderAnyEndpointsPatterns_asTheFilterRefuses() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "path-patterns=*.order", ORDERS + "secrets=" + Vectors.SECRET_B)
                    .run(context -> {
                        Filter guard = registrations(context).get("webhookAmbiguousPathFilter").getFilter();
                        MockHttpServletResponse refused = new MockHttpServletResponse();

                        assertThat(send(guard, request("/app/webhooks/payments/%2e%2e/x", "/app"), refused)).isEqualTo(400);
                        assertThat(refused.getContentAsString()).isEqualTo("webhook rejected: ambiguous path\n");
                        assertThat(refused.getContentType()).isEqualTo("text/plain;charset=UTF-8");
                        assertThat(refused.getHeader("Cache-Control")).isEqualTo("no-store");
                        assertThat(refused.getHeader("WWW-Authenticate")).isNull();
                        assertThat(send(guard, request("/x/..;/new.order", ""))).isEqualTo(400);
                        assertThat(send(guard, request("/webhooks/payments/x", ""))).isEqualTo(200);
                        assertThat(send(guard, request("/webhooks/orders/%2e%2e/x", "")))
                                .as("no endpoint's pattern").isEqualTo(200);
                    });
        }

        @Test
        void secrets_areUsedLiterally_commasAndSpacesIncluded() {
            String literal = " first part,second part ";
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

    /** The properties the filter gained after the first ones: scheme, buffers, query strings, stores, de-duplication. */
    @Nested
    class FilterSettings {

        private final Clock atT = Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC);

        private WebhookSignatureFilter payments(org.springframework.context.ApplicationContext context) {
            return (WebhookSignatureFilter) registrations(context).get("webhookFilter.payments").getFilter();
        }

        @Test
        void scheme_readsTheSchemesHeaderAndSignature_whenHeaderNameIsUnset() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "scheme=Stripe",
                            PAYMENTS + "secrets=" + Vectors.Stripe.SECRET_A)
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        // Vectors.Stripe.SIMPLE_A, made with openssl (the command is beside it)
                        Map<String, String> stripe = Vectors.headersAt("stripe", Long.toString(Vectors.T),
                                Vectors.Stripe.SIMPLE_A);
                        assertThat(stripe).containsOnlyKeys("Stripe-Signature");
                        assertThat(send(payments(context), request(stripe))).isEqualTo(200);
                        assertThat(send(payments(context), request(Map.of("X-Webhook-Signature",
                                stripe.get("Stripe-Signature"))))).isEqualTo(401);
                    });
        }

        @Test
        void scheme_withHeaderName_readsTheRenamedHeader() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "scheme=stripe",
                            PAYMENTS + "secrets=" + Vectors.Stripe.SECRET_A, PAYMENTS + "header-name=X-Proxy-Signature")
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        String signature = "t=" + Vectors.T + ",v1=" + Vectors.Stripe.SIMPLE_A;
                        assertThat(send(payments(context), request(Map.of("X-Proxy-Signature", signature))))
                                .isEqualTo(200);
                        assertThat(send(payments(context), request(Map.of("Stripe-Signature", signature))))
                                .isEqualTo(401);
                    });
        }

        @ParameterizedTest(name = "tolerance {0}, clock at t + {1} s: {2}")
        @CsvSource({",5,200", ",6,401", "10s,10,200", "10s,11,401"})
        void tolerance_unset_isTheSchemes_fiveSecondsForPaddle(String tolerance, long late, int status) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "scheme=paddle",
                            PAYMENTS + "secrets=" + Vectors.Paddle.SECRET_A)
                    .withPropertyValues(tolerance == null ? new String[0] : new String[] {PAYMENTS + "tolerance=" + tolerance})
                    .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T + late), ZoneOffset.UTC))
                    .run(context -> assertThat(send(payments(context), request(Vectors.headersAt("paddle",
                            Long.toString(Vectors.T), Vectors.Paddle.SIMPLE_A)))).isEqualTo(status));
        }

        @Test
        void queryStringReject_refusesAQueryString_withoutReadingTheBody() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "query-string=reject", PAYMENTS + "max-buffered-size=2MB")
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        MockHttpServletRequest withQuery = request(Map.of("X-Webhook-Signature",
                                Vectors.header(Vectors.SIMPLE_A)));
                        withQuery.setQueryString("amount=1000000");
                        assertThat(send(payments(context), withQuery)).isEqualTo(400);
                        assertThat(send(payments(context), Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
                    });
        }

        @Test
        void deduplicate_inMemory_answersTheSecondDeliveryWithoutTheChain() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "deduplicate=true", PAYMENTS + "id-header=webhook-id", PAYMENTS + "lease=30s",
                            PAYMENTS + "dedup-ttl=1d", PAYMENTS + "replay-cache-size=10")
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Map<String, String> delivery = Map.of("X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A),
                                "webhook-id", "msg_1");
                        assertThat(send(payments(context), request(delivery))).isEqualTo(200);
                        MockHttpServletResponse again = new MockHttpServletResponse();
                        MockFilterChain chain = new MockFilterChain();
                        payments(context).doFilter(request(delivery), again, chain);
                        assertThat(chain.getRequest()).isNull();
                        assertThat(again.getStatus()).isEqualTo(200);
                        assertThat(again.getHeader(WebhookSignatureFilter.DUPLICATE_HEADER)).isEqualTo("true");
                    });
        }

        @Test
        void deduplicate_withoutIdHeader_claimsTheSchemesDeliveryId() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "scheme=github",
                            PAYMENTS + "secrets=" + Vectors.Github.SECRET_A, PAYMENTS + "deduplicate=true")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        String signature = "sha256=" + Vectors.Github.SIMPLE_A;
                        assertThat(send(payments(context), request(Map.of("X-Hub-Signature-256", signature))))
                                .as("no X-GitHub-Delivery").isEqualTo(400);
                        assertThat(send(payments(context), request(Map.of("X-Hub-Signature-256", signature,
                                "X-GitHub-Delivery", "delivery-1")))).isEqualTo(200);
                    });
        }

        @Test
        void storeBean_usesTheApplicationsOneWebhookStore() {
            // A store that never decides: de-duplication answers 503 with it, or lets through with allow.
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "deduplicate=true", PAYMENTS + "id-header=webhook-id", PAYMENTS + "store=bean",
                            ORDERS + "path-patterns=/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "replay-protection=true", ORDERS + "store=bean", ORDERS + "on-store-unavailable=allow")
                    .withBean("redisStore", WebhookStore.class, () -> new StubStore(true))
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(send(payments(context), request(Map.of("X-Webhook-Signature",
                                Vectors.header(Vectors.SIMPLE_A), "webhook-id", "msg_1")))).isEqualTo(503);
                        WebhookSignatureFilter orders = (WebhookSignatureFilter) registrations(context)
                                .get("webhookFilter.orders").getFilter();
                        assertThat(send(orders, Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
                        assertThat(orders.toString()).contains("replay protection StoreAccess[")
                                .contains("StoreAccess[StubStore");
                    });
        }

        @Test
        void storeBean_withoutExactlyOneBean_failsTheStart() {
            String problem = "store: bean needs exactly one bean of type dev.webhookfilter.WebhookStore in the"
                    + " application context (or one marked @Primary); define it, or give memory or a store URI";
            WebApplicationContextRunner bean = web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*",
                    PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "replay-protection=true",
                    PAYMENTS + "store=bean", PAYMENTS + "store-key-prefix=app1:");
            bean.run(context -> assertThat(context).getFailure().rootCause()
                    .isInstanceOf(WebhookConfigurationException.class)
                    .hasMessageContaining("will not start:\n" + problem + "\n\n"));
            bean.withBean("one", WebhookStore.class, () -> new StubStore(true))
                    .withBean("two", WebhookStore.class, () -> new StubStore(true))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("will not start:\n" + problem + "\n\n"));
            bean.withBean("one", WebhookStore.class, () -> new StubStore(true))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("will not start:\nstoreKeyPrefix: the WebhookStore"
                                    + " given in code was opened with its own; remove it\n\n"));
        }

        /**
         * A WebhookStore bean that no endpoint takes ({@code store: bean}) while an endpoint keeps its records in
         * memory, this instance's alone: the bean showed UP in Actuator's health, and a replay or a duplicate sent to
         * another instance went through, with nothing said. An endpoint that keeps no records is not named.
         */
        @Test
        void aStoreBeanNoEndpointTakes_isWarnedOf_forEachEndpointThatKeepsItsRecordsInMemory() {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                PAYMENTS + "replay-protection=true", ORDERS + "path-patterns=/orders/*",
                                ORDERS + "secrets=" + Vectors.SECRET_B)
                        .withBean("redisStore", WebhookStore.class, () -> new StubStore(true))
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).containsExactly("WebhookSignatureFilter 'payments'"
                        + " (webhooks.endpoints.payments) keeps its replay protection and de-duplication records in"
                        + " memory (store: memory, the default), this instance's alone, while the application has a"
                        + " WebhookStore bean (redisStore) that no endpoint takes; set store: bean to keep them there,"
                        + " shared by every instance");
            }
        }

        @Test
        void aStoreBeanAnEndpointTakes_isNotWarnedOf_forAnotherThatKeepsItsRecordsInMemory() {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                PAYMENTS + "replay-protection=true", ORDERS + "path-patterns=/orders/*",
                                ORDERS + "secrets=" + Vectors.SECRET_B, ORDERS + "replay-protection=true",
                                ORDERS + "store=bean")
                        .withBean("redisStore", WebhookStore.class, () -> new StubStore(true))
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).isEmpty();
            }
        }

        @Test
        void aUriStore_isOpenedThroughItsModule_asTheFiltersStoreInitParam() {
            // UnavailableStoreProvider, in the library's test jar, opens test-unavailable: URIs.
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=test-unavailable://127.0.0.1",
                            PAYMENTS + "store-timeout=250ms", PAYMENTS + "store-key-prefix=app1:")
                    .withBean(Clock.class, () -> atT)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(payments(context).toString()).contains("replay protection StoreAccess[StubStore]");
                        assertThat(send(payments(context), Vectors.header(Vectors.SIMPLE_A))).isEqualTo(503);
                    });
        }

        @Test
        void replayProtection_andACustomizersOwnReplayGuard_failTheStart() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true")
                    .withBean(WebhookFilterCustomizer.class, () -> (endpoint, verifier, filter) -> verifier.replayGuard(
                            new dev.webhookfilter.InMemoryReplayGuard(10, Clock.systemUTC())))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\nreplayProtection: the WebhookVerifier given has a"
                                    + " replay guard of its own; remove replayProtection, or build the verifier without"
                                    + " one\n\n"));
        }
    }

    /**
     * Each bad value of the newer properties, and the problem the filter's {@code init} reports for the
     * same value as an init-param: the starter must report exactly that problem.
     */
    @Nested
    class BadFilterSettings {

        static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badValues() {
            return java.util.stream.Stream.of(
                    bad(List.of("scheme=nope"), "scheme", "nope"),
                    bad(List.of("scheme=wealthkernel", "secrets=not-base64!"), "scheme", "wealthkernel",
                            "secrets", "not-base64!"),
                    bad(List.of("scheme=stripe", "header-name=X Stripe"), "scheme", "stripe", "headerName", "X Stripe"),
                    bad(List.of("scheme=stripe", "header-name=X Stripe", "tolerance=0"), "scheme", "stripe",
                            "headerName", "X Stripe", "toleranceSeconds", "0"),
                    bad(List.of("max-buffered-size=1KB"), "maxBufferedBytes", "1024"),
                    bad(List.of("deduplicate=true"), "deduplicate", "true"),
                    bad(List.of("deduplicate=true", "id-header=a b"), "deduplicate", "true", "idHeader", "a b"),
                    bad(List.of("id-header=webhook-id"), "idHeader", "webhook-id"),
                    bad(List.of("lease=60s"), "leaseSeconds", "60"),
                    bad(List.of("deduplicate=true", "id-header=Id", "lease=0"), "deduplicate", "true",
                            "idHeader", "Id", "leaseSeconds", "0"),
                    bad(List.of("deduplicate=true", "id-header=Id", "dedup-ttl=366d"), "deduplicate", "true",
                            "idHeader", "Id", "dedupTtlSeconds", "31622400"),
                    bad(List.of("scheme=svix", "secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "deduplicate=true",
                            "dedup-ttl=599s"), "scheme", "svix", "secrets", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                            "deduplicate", "true", "dedupTtlSeconds", "599"),
                    bad(List.of("store=memory"), "store", "memory"),
                    bad(List.of("replay-cache-size=10"), "replayCacheSize", "10"),
                    bad(List.of("replay-protection=true", "store=test-unavailable:", "replay-cache-size=10"),
                            "replayProtection", "true", "store", "test-unavailable:", "replayCacheSize", "10"),
                    bad(List.of("replay-protection=true", "store-key-prefix=app1:"), "replayProtection", "true",
                            "storeKeyPrefix", "app1:"),
                    bad(List.of("on-store-unavailable=allow"), "onStoreUnavailable", "allow"),
                    bad(List.of("replay-protection=true", "store=test-unavailable:", "store-timeout=61s"),
                            "replayProtection", "true", "store", "test-unavailable:", "storeTimeoutMillis", "61000"),
                    bad(List.of("replay-protection=true", "store=mongodb://user:pw@db.example/x"), "replayProtection",
                            "true", "store", "mongodb://user:pw@db.example/x"),
                    bad(List.of("deduplicate=true", "id-header=Id", "store=test-unopenable://127.0.0.1:1"),
                            "deduplicate", "true", "idHeader", "Id", "store", "test-unopenable://127.0.0.1:1"));
        }

        private static org.junit.jupiter.params.provider.Arguments bad(List<String> properties, String... initParams) {
            return org.junit.jupiter.params.provider.Arguments.of(properties, List.of(initParams));
        }

        /** What the filter's init says after its first line, for these init-params and secret A. */
        private static String filtersProblem(List<String> initParams) {
            org.springframework.mock.web.MockFilterConfig config =
                    new org.springframework.mock.web.MockFilterConfig("payments");
            config.addInitParameter("secrets", Vectors.SECRET_A);
            for (int i = 0; i < initParams.size(); i += 2) {
                config.addInitParameter(initParams.get(i), initParams.get(i + 1));
            }
            try {
                new WebhookSignatureFilter().init(config);
            } catch (jakarta.servlet.ServletException e) {
                return e.getMessage().substring(e.getMessage().indexOf('\n') + 1);
            }
            throw new AssertionError("the filter took " + initParams);
        }

        @ParameterizedTest(name = "{0}")
        @org.junit.jupiter.params.provider.MethodSource("badValues")
        void failsTheStart_withTheProblemTheFiltersInitReports(List<String> properties, List<String> initParams) {
            String problem = filtersProblem(initParams);
            List<String> values = new ArrayList<>(List.of(PAYMENTS + "path-patterns=/webhooks/*",
                    PAYMENTS + "secrets=" + Vectors.SECRET_A));
            properties.forEach(property -> values.add(PAYMENTS + property));
            web.withPropertyValues(values.toArray(new String[0]))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments) is"
                                    + " misconfigured and will not start:\n" + problem + "\n\n")
                            .hasMessageNotContaining("pw"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"store-timeout|1500us|store-timeout: whole milliseconds only, such as 500ms",
                "lease|1500ms|lease: whole seconds only, such as 60s",
                "dedup-ttl|1500ms|dedup-ttl: whole seconds only, such as 3d"})
        void aFractionOfTheFiltersUnit_failsTheStart(String property, String value, String problem) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "deduplicate=true", PAYMENTS + "id-header=Id", PAYMENTS + "store=test-unavailable:",
                            PAYMENTS + property + "=" + value)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\n" + problem + "\n\n"));
        }

        @Test
        void everyProblemOfAnEndpoint_inOneMessage_andTheStoreAGoodEndpointOpenedIsClosed() throws Exception {
            // UnavailableStoreProvider (the library's test jar) opens test-unavailable: URIs and keeps the last.
            StubStore before = UnavailableStoreProvider.opened;
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "scheme=nope", PAYMENTS + "max-body-size=0", PAYMENTS + "store=memory",
                            ORDERS + "path-patterns=/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "replay-protection=true", ORDERS + "store=test-unavailable:")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("maxBodyBytes: out of range")
                            .hasMessageContaining("store: has no effect unless replayProtection or deduplicate is true")
                            .hasMessageContaining("scheme: unknown webhook scheme (the name given is not shown: it could be a secret)")
                            .hasMessageNotContaining("'orders'"));
            assertOpenedThenClosed(before, "orders");
        }

        /** The last store {@code UnavailableStoreProvider} opened is {@code endpoint}'s, opened after {@code before}, and closed once. */
        private void assertOpenedThenClosed(StubStore before, String endpoint) {
            StubStore opened = UnavailableStoreProvider.opened;
            assertThat(opened).as("the " + endpoint + " endpoint's store was opened").isNotSameAs(before);
            assertThat(opened.closed.get()).as("and then closed, as the application did not start").isEqualTo(1);
        }

        @Test
        void theStoreAGoodEndpointOpened_isClosed_whenACustomizerThrowsForTheNext() {
            StubStore before = UnavailableStoreProvider.opened;
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=test-unavailable:",
                            ORDERS + "path-patterns=/orders/*", ORDERS + "secrets=" + Vectors.SECRET_B)
                    .withBean(WebhookFilterCustomizer.class, () -> (endpoint, verifier, filter) -> {
                        if (endpoint.equals("orders")) {
                            throw new UnsupportedOperationException("the customizer's own fault");
                        }
                    })
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(UnsupportedOperationException.class));
            assertOpenedThenClosed(before, "payments");
        }

        @Test
        void theStoreAnEndpointOpened_isClosed_whenTheStartFailsAfterTheFiltersWereBuilt() {
            StubStore before = UnavailableStoreProvider.opened;
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=test-unavailable:")
                    .withUserConfiguration(FailsOnceTheFiltersAreBuilt.class)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessage(FailsOnceTheFiltersAreBuilt.FAILURE));
            assertOpenedThenClosed(before, "payments");
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

        /** A duration whose milliseconds overflow a long: out of range, in the filter's words, not an ArithmeticException. */
        @ParameterizedTest
        @ValueSource(strings = {"9223372036854775807s", "-9223372036854775807s", "106751991168d"})
        void aStoreTimeoutWhoseMillisecondsOverflow_failsTheStart_withTheFiltersMessage(String value) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=test-unavailable:",
                            PAYMENTS + "store-timeout=" + value)
                    .run(context -> assertThat(context).getFailure()
                            .rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\nstoreTimeoutMillis: out of range"));
        }

        /**
         * A secret's placeholder under the wrong key, where any letters, digits and dashes are a valid value (a hex
         * secret, as GitHub suggests and Slack gives): it started, and every 401 named the header in its
         * {@code WWW-Authenticate}, the secret to anyone, and a request that sent its signature in a header of that
         * name was verified; the filter's start-up line logged it too. So did a Redis store's, its key prefix, which any
         * secret makes. Another endpoint's secret is one as well.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "header-name      | header-name      | where a header's name goes, which is logged at start-up and sent in"
                        + " every 401's WWW-Authenticate",
                "headerName       | header-name      | where a header's name goes, which is logged at start-up and sent in"
                        + " every 401's WWW-Authenticate",
                "id-header        | id-header        | where a header's name goes, which is logged at start-up and with"
                        + " each request that lacks it",
                "idHeader         | id-header        | where a header's name goes, which is logged at start-up and with"
                        + " each request that lacks it",
                "store-key-prefix | store-key-prefix | which is logged at start-up (a Redis store's) and begins every key"
                        + " in the store"})
        void anEndpointsSecretUnderAnotherKey_failsTheStart_withoutQuotingIt(String key, String property, String how) {
            String hex = "9f2c4e7a1b3d5f6081a2c3e4d5f60718";
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/payments", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "scheme=github", PAYMENTS + "deduplicate=true", PAYMENTS + "store=test-unavailable:",
                            ORDERS + "path-patterns=/webhooks/orders", ORDERS + "secrets[0]=${ORDERS_WEBHOOK_SECRET}",
                            PAYMENTS + key + "=${ORDERS_WEBHOOK_SECRET}", "ORDERS_WEBHOOK_SECRET=" + hex)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + property + ": a secret of endpoint"
                                    + " 'orders' (not shown), " + how + "; check that its ${...} placeholder is the one"
                                    + " meant for this key")
                            .message().doesNotContain(hex));
        }

        /** A base64 secret may begin with '/' and hold nothing a path cannot: then it is a valid exact path. */
        @Test
        void anEndpointsSecretAsAPathPattern_failsTheStart_withoutQuotingIt() {
            String secret = "/q2Zk8vN+ZWJob29rLXNlY3JldA==";
            web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/payments",
                            PAYMENTS + "path-patterns[1]=${ORDERS_WEBHOOK_SECRET}", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "path-patterns=/webhooks/orders", ORDERS + "secrets[0]=${ORDERS_WEBHOOK_SECRET}",
                            "ORDERS_WEBHOOK_SECRET=" + secret)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\npath-patterns[1]: a secret of endpoint"
                                    + " 'orders' (not shown), where a URL pattern goes, which the container's mappings"
                                    + " and /actuator/mappings show; check that its ${...} placeholder is the one meant"
                                    + " for this key")
                            .message().doesNotContain(secret));
        }

        /** web.xml's grammar written here, where each secret is used as it stands: a key anyone could sign with. */
        @Test
        void aSecretWrittenAsWebXmlsEnvReference_failsTheStart_withoutQuotingIt() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets[0]=" + Vectors.SECRET_A,
                            PAYMENTS + "secrets[1]=env:PAYMENTS_WEBHOOK_SECRET")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\nsecrets: secret #2: looks like a"
                                    + " reference (env:NAME, file:PATH)")
                            .hasMessageNotContaining("PAYMENTS_WEBHOOK_SECRET"));
        }

        @Test
        void anEndpointNamedAsTheStartersOwnFilter_failsTheStart_sayingSo() {
            String endpoint = "webhooks.endpoints.webhookAmbiguousPathFilter.";
            web.withPropertyValues(endpoint + "path-patterns=/webhooks/*", endpoint + "secrets=" + Vectors.SECRET_A)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'webhookAmbiguousPathFilter'"
                                    + " (webhooks.endpoints.webhookAmbiguousPathFilter) is misconfigured and will not"
                                    + " start:\nthe name webhookAmbiguousPathFilter is taken by the starter's own filter,"
                                    + " which refuses ambiguous paths; give the endpoint another name"));
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
                                    + "secrets: required; give a list of one or more secrets, each used as it"
                                    + " stands (not env:NAME or file:PATH, which stop the start here): take it from"
                                    + " the environment with a placeholder, such as [\"${PAYMENTS_WEBHOOK_SECRET}\"]")
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

        /**
         * Tomcat takes a path's extension after its last '.' and compares it with the pattern's whole: *.json.gz
         * matches no request there (Jetty matches it), and the controller at /reports/data.json.gz took unsigned
         * POSTs (200 on Tomcat, 401 on Jetty, Boot 3.5).
         */
        @ParameterizedTest
        @ValueSource(strings = {"*.json.gz", "*.tar.gz", "*..json", "*.json."})
        void anExtensionWithADot_failsTheStart(String pattern) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "path-patterns[0]=/webhooks/*",
                            PAYMENTS + "path-patterns[1]=" + pattern)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns: '" + pattern + "' is an extension that holds a '.':"
                                    + " Tomcat compares what follows a path's last '.' with it, and matches no request"
                                    + " to it (Jetty matches one), so the filter would guard nothing there; write the"
                                    + " last extension alone (*.gz), or an exact path or a prefix"));
        }

        /**
         * A secret under path-patterns, taken by a placeholder meant for secrets or pasted on the wrong line, is no
         * Servlet URL pattern: the start stops without quoting it.
         */
        @ParameterizedTest
        @ValueSource(strings = {Vectors.Stripe.SECRET_A, Vectors.StandardWebhooks.SECRET_A, Vectors.Github.SECRET_A,
                "${WEBHOOK_SECRET}"})
        void aSecretUnderPathPatterns_failsTheStart_withoutQuotingIt(String written) {
            web.withPropertyValues(PAYMENTS + "secrets[0]=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new MapPropertySource("yaml", Map.of(PAYMENTS + "path-patterns[0]", "/webhooks/*",
                                    PAYMENTS + "path-patterns[1]", written, "WEBHOOK_SECRET", Vectors.SECRET_B))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns[1] (not shown: it looks like no path, and may be a"
                                    + " secret, such as a ${...} placeholder under the wrong key) is not a Servlet URL"
                                    + " pattern and would match no request")
                            .hasMessageNotContaining(written)
                            .hasMessageNotContaining(Vectors.SECRET_B));
        }

        /**
         * A password with symbols, taken by a placeholder under the wrong key, is no Servlet URL pattern either, but
         * may begin with '*' or '/' or hold '/*', as a mistaken pattern does: the start stops without quoting it. It
         * was quoted whole ("path-patterns: '*Tr0ub4dor&3' is not a Servlet URL pattern").
         */
        @ParameterizedTest
        @ValueSource(strings = {"*Tr0ub4dor&3", "/S3cr*t!x", "k8#Qz/*Lw9"})
        void aPasswordThatBeginsWithAStarOrASlash_failsTheStart_withoutQuotingIt(String password) {
            web.withPropertyValues(PAYMENTS + "secrets[0]=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new MapPropertySource("yaml", Map.of(PAYMENTS + "path-patterns[0]", "/webhooks/*",
                                    PAYMENTS + "path-patterns[1]", "${DB_PASSWORD}", "DB_PASSWORD", password))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns[1] (not shown: it may be a secret, such as a ${...}"
                                    + " placeholder under the wrong key) is not a Servlet URL pattern and would match"
                                    + " no request")
                            .hasMessageNotContaining(password));
        }

        /**
         * A secret that begins with '/' is a valid exact pattern, and one that holds '//' (a base64 secret may), ';' or
         * '#' (a password may) is one no container matches as written: the start stops without quoting it. The base64
         * value is {@code python3 -c "import base64,hashlib;print(base64.b64encode(bytes.fromhex('fc1fff')
         * +hashlib.sha256(b'review4').digest()[:29]).decode())"}.
         */
        @ParameterizedTest
        @ValueSource(strings = {"/B//7XtDKsN6MGJXuZCri1APjFXE80d+z2Iap3XAicc=", "/p4ss;w0rd#2026"})
        void aSecretThatBeginsWithASlashUnderPathPatterns_failsTheStart_withoutQuotingIt(String secret) {
            for (String written : List.of(secret, "${WEBHOOK_SECRET}")) {
                web.withPropertyValues(PAYMENTS + "secrets[0]=" + Vectors.SECRET_A)
                        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                                new MapPropertySource("yaml", Map.of(PAYMENTS + "path-patterns[0]", "/webhooks/*",
                                        PAYMENTS + "path-patterns[1]", written, "WEBHOOK_SECRET", secret))))
                        .run(context -> assertThat(context).getFailure().rootCause()
                                .isInstanceOf(WebhookConfigurationException.class)
                                .hasMessageContaining("path-patterns[1] (not shown: it may be a secret, such as a"
                                        + " base64 one taken by a ${...} placeholder under the wrong key) holds ")
                                .hasMessageNotContaining(secret));
            }
        }

        /**
         * A base64 secret that begins with '/' and holds no '//' is a valid exact pattern that every container
         * matches; outside spring.mvc.servlet.path it guards no controller, and the start stops without quoting it.
         * The value is {@code python3 -c "import base64,hashlib;print(base64.b64encode(bytes.fromhex('fc17b5')
         * +hashlib.sha256(b'servlet-path').digest()[:29]).decode())"}.
         */
        @Test
        void aSecretThatBeginsWithASlash_outsideTheServletPath_failsTheStart_withoutQuotingIt() {
            String secret = "/Be1SunpIR5fzlZHEL7XvFLLKdAiqNXMlDExp+kyZaE=";
            web.withPropertyValues(PAYMENTS + "secrets[0]=" + Vectors.SECRET_A, "spring.mvc.servlet.path=/api")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new MapPropertySource("yaml", Map.of(PAYMENTS + "path-patterns[0]", "/api/webhooks/*",
                                    PAYMENTS + "path-patterns[1]", "${WEBHOOK_SECRET}", "WEBHOOK_SECRET", secret))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns[1] (not shown: it may be a secret, such as a base64"
                                    + " one taken by a ${...} placeholder under the wrong key) lies outside /api/*")
                            .hasMessageNotContaining(secret.substring(1)));
        }

        /**
         * A valid pattern no container matches as written is quoted when it is an extension or written as paths are
         * (lower-case letters, digits and /-._~*), which no secret is.
         */
        @Test
        void aPathPatternNoContainerMatches_failsTheStart_namingIt() {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "path-patterns[0]=/webhooks//payments", PAYMENTS + "path-patterns[1]=*.j;s")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns: '/webhooks//payments' holds an empty segment (//):"
                                    + " Tomcat merges")
                            .hasMessageContaining("path-patterns: '*.j;s' holds a ';': containers match"));
        }

        /**
         * A no-break space after the path, as copied from a page: the filter would guard only the path with it. Not
         * quoted (it is not written as paths are), so named by its code point.
         */
        @Test
        void aPathPatternWithAnInvisibleCharacter_failsTheStart_namingTheCharacter() {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "path-patterns[0]=/webhooks/payments\u00a0")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("path-patterns[0] (not shown: it may be a secret, such as a base64 one"
                                    + " taken by a ${...} placeholder under the wrong key) holds an invisible character,"
                                    + " U+00A0 (one that shows as nothing or as a space)"));
        }

        /**
         * Spring splits a single string at commas and trims each part, so a blank value (a variable set to a space) or a
         * stray comma gives the empty pattern, the context root alone: the endpoint's controllers took unsigned requests
         * (200) where the application started.
         */
        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
                "' '|0", "','|0", "'/webhooks/*,'|1", "'/webhooks/*, ,/orders/*'|1"})
        void anEmptyPatternInASingleStringOfPathPatterns_failsTheStart(String value, int index) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new org.springframework.core.env.MapPropertySource("test-single-string", Map.of(
                                    PAYMENTS + "path-patterns", value))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\npath-patterns[" + index + "]: empty, in a single"
                                    + " string of patterns"));
        }

        @Test
        void anEmptyPatternInTheEnvironmentsSingleStringOfPathPatterns_failsTheStart() {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment",
                                    Map.of("WEBHOOKS_ENDPOINTS_PAYMENTS_PATHPATTERNS", " "))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\npath-patterns[0]: empty, in a single string of"
                                    + " patterns"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/*", "/webhooks/payments", "/*", "*.json", ""})
        void servletUrlPatterns_areAccepted(String pattern) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "path-patterns[0]=" + pattern)
                    .run(context -> assertThat(context).hasNotFailed());
        }

        /**
         * A path pattern is matched after the context path is taken off and before the servlet path is: one
         * written as the full URL, or as the controller's mapping under spring.mvc.servlet.path, guards nothing
         * (shown over HTTP in SignedRequestsWithoutSpringSecurityOnTomcatTest).
         */
        @ParameterizedTest(name = "{0}={1}, {2}")
        @CsvSource(delimiter = '|', value = {
                "server.servlet.context-path|/app|/app/webhooks/*|path-patterns: '/app/webhooks/*' begins with the"
                        + " context path /app (server.servlet.context-path), but a path pattern is matched after the"
                        + " context path: this one guards /app/app/webhooks/*, not /app/webhooks/*, whose controllers"
                        + " would take unsigned requests; write /webhooks/*",
                "server.servlet.context-path|/app|/app|path-patterns: '/app' begins with the context path /app",
                "spring.mvc.servlet.path|/api|/webhooks/*|path-patterns: '/webhooks/*' lies outside /api/*, where"
                        + " Spring MVC's DispatcherServlet is mapped (spring.mvc.servlet.path): it guards no controller,"
                        + " and a controller mapped at /webhooks/* takes unsigned requests at /api/webhooks/*; a path"
                        + " pattern includes the servlet path: write /api/webhooks/*",
                "spring.mvc.servlet.path|/api/|/webhooks/payments|path-patterns: '/webhooks/payments' lies outside /api/*",
                "spring.mvc.servlet.path|/api|/apiary/*|path-patterns: '/apiary/*' lies outside /api/*",
                "SPRING_MVC_SERVLET_PATH|/api|/webhooks/*|path-patterns: '/webhooks/*' lies outside /api/*",
        })
        void aPathPatternThatGuardsNoControllerBecauseOfTheContextOrServletPath_failsTheStart(String property,
                String value, String pattern, String problem) {
            // An environment variable's name (no dot) is set as Boot reads the environment: relaxed.
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "path-patterns[0]=" + pattern)
                    .withPropertyValues(property.contains(".") ? property + "=" + value : "unused=")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment",
                                    property.contains(".") ? Map.of() : Map.of(property, value))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + problem));
        }

        @ParameterizedTest(name = "{0}={1}, {2}")
        @CsvSource(delimiter = '|', value = {
                "server.servlet.context-path|/app|/webhooks/*",
                "server.servlet.context-path|/app|/application/*",
                "server.servlet.context-path|/app|*.json",
                "spring.mvc.servlet.path|/api|/api/webhooks/*",
                "spring.mvc.servlet.path|/api|/api",
                "spring.mvc.servlet.path|/api/v1|/api/*",
                "spring.mvc.servlet.path|/api|/*",
                "spring.mvc.servlet.path|/api|*.json",
                "spring.mvc.servlet.path|/|/webhooks/*",
        })
        void aPathPatternUnderTheServletPath_orWithoutTheContextPath_isAccepted(String property, String value,
                                                                               String pattern) {
            web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "path-patterns[0]=" + pattern,
                            property + "=" + value)
                    .run(context -> assertThat(context).hasNotFailed());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "replay-protecton=true                   | replay-protecton | replay-protection",
                "stroe=redis://:hunter2@cache.internal   | stroe            | store",
                "deduplicat=true                         | deduplicat       | deduplicate",
                "replayProtecton=true                    | replayProtecton  | replay-protection",
                "secrts[0]=" + Vectors.SECRET_B + "      | secrts[0]        | secrets",
        })
        void aMisspelledPropertyOfAnEndpoint_failsTheStart(String misspelled, String key, String meant) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + misspelled)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + key + ": not a property of an"
                                    + " endpoint, so it would be ignored; check its spelling (did you mean " + meant + "?)")
                            .hasMessageNotContaining("hunter2")
                            .hasMessageNotContaining(Vectors.SECRET_B));
        }

        /**
         * A key the starter reads, left empty ({@code tolerance: ${TOLERANCE:}}) or written with keys under it: the
         * start stops, and the problem says what is wrong with it rather than to check a spelling that is right.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "tolerance=                  | tolerance: empty; give it a value, or remove it for its default",
                "max-body-size=              | max-body-size: empty; give it a value, or remove it for its default",
                "query-string=               | query-string: empty; give it a value, or remove it for its default",
                "replay-cache-size=          | replay-cache-size: empty; give it a value, or remove it for its default",
                "maxBodySize=                | maxBodySize: empty; give it a value, or remove it for its default",
                "tolerance.seconds=5         | tolerance.seconds: tolerance takes one value, with no keys under it",
                "store.uri=redis://cache     | store.uri: store takes one value, with no keys under it",
                "path-patterns.first=/hooks/* | path-patterns.first: path-patterns is a list; write its elements as"
                        + " path-patterns[0], path-patterns[1] and so on",
        })
        void anEndpointsPropertyLeftEmptyOrWithKeysUnderIt_failsTheStart_sayingSo(String written, String problem) {
            web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/*", PAYMENTS + "secrets[0]=" + Vectors.SECRET_A,
                            PAYMENTS + written)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + problem)
                            .hasMessageNotContaining("check its spelling"));
        }

        /** YAML indented one level too few: an endpoint's list property where an endpoint's name goes. */
        @ParameterizedTest
        @ValueSource(strings = {"path-patterns", "secrets"})
        void aListPropertyWithoutAnEndpointsName_failsTheStart_sayingSo(String property) {
            web.withPropertyValues("webhooks.endpoints." + property + "[0]=/webhooks/payments")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter '" + property + "' (webhooks.endpoints."
                                    + property + ") is misconfigured and will not start:\n[0]: " + property + " is an"
                                    + " endpoint's property, without the endpoint's name before it; write it under the"
                                    + " name, as webhooks.endpoints.<name>." + property)
                            .hasMessageNotContaining("check its spelling"));
        }

        @Test
        void aMisspelledEnvironmentVariable_failsTheStart_andARightOneIsNotNamed() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            // Boot maps names as environment variables only in a source named so.
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_REPLAYPROTECTION", "true",
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_DEDUPLICAT", "true"))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("deduplicat: not a property of an endpoint, so it would be ignored;"
                                    + " check its spelling (did you mean deduplicate?); set in")
                            .hasMessageContaining("WEBHOOKS_ENDPOINTS_PAYMENTS_DEDUPLICAT")
                            .hasMessageNotContaining("REPLAYPROTECTION"));
        }

        /**
         * Environment variables with an underscore for each dash of a property's name ({@code PATH_PATTERNS}), which
         * Spring binds to the property (it reads a dash as an underscore too) while it lists the variable as
         * {@code path.patterns}: the endpoint starts with them. Before, the start stopped, calling each "not a
         * property of an endpoint, so it would be ignored".
         */
        @Test
        void environmentVariablesWithAnUnderscoreForEachDash_areBoundAsSpringBindsThem() {
            web.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_PATH_PATTERNS_0", "/webhooks/*",
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS", Vectors.SECRET_A,
                                    // Vectors.SIMPLE_BODY has 7 bytes.
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_MAX_BODY_SIZE", "6"))))
                    .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        FilterRegistrationBean<?> payments = registrations(context).get("webhookFilter.payments");
                        assertThat(payments.getUrlPatterns()).containsExactly("/webhooks/*");
                        assertThat(send((WebhookSignatureFilter) payments.getFilter(), Vectors.header(Vectors.SIMPLE_A)))
                                .isEqualTo(413);
                    });
        }

        /**
         * An environment variable with an underscore inside a property's name that Spring does not bind
         * ({@code PATH__PATTERNS}, {@code MAX_BODYSIZE}, a near miss, {@code PATH_PATTERN}): the start stops, as it
         * did, and the problem names the variable meant. Before, it said to check a spelling and suggested nothing
         * ({@code store.time.out}: that store takes one value).
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "WEBHOOKS_ENDPOINTS_PAYMENTS_PATH__PATTERNS    | path.patterns     | WEBHOOKS_ENDPOINTS_PAYMENTS_PATHPATTERNS, for path-patterns",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_PATH_PATTERN_1    | path.pattern[1]   | WEBHOOKS_ENDPOINTS_PAYMENTS_PATHPATTERNS_1, for path-patterns[1]",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_MAX_BODYSIZE      | max.bodysize      | WEBHOOKS_ENDPOINTS_PAYMENTS_MAXBODYSIZE, for max-body-size",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_STORE_TIME_OUT    | store.time.out    | WEBHOOKS_ENDPOINTS_PAYMENTS_STORETIMEOUT, for store-timeout",
        })
        void anEnvironmentVariableWithAnUnderscoreInsideAPropertysName_failsTheStart_namingTheVariableMeant(
                String variable, String key, String meant) {
            web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A)
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(variable, "2"))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n" + key + ": not a property of an"
                                    + " endpoint, so it would be ignored; check its spelling (did you mean " + meant
                                    + "?); set in \"" + variable + "\""));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "max.body.size=1MB         | max.body.size     | max-body-size",
                "replay.cache.size=5       | replay.cache.size | replay-cache-size",
                "path.patterns[1]=/hooks/* | path.patterns[1]  | path-patterns[1]",
        })
        void aPropertysNameWithADotInside_failsTheStart_namingThePropertyMeant(String written, String key, String meant) {
            web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + written)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("\n" + key + ": not a property of an endpoint, so it would be"
                                    + " ignored; a dot separates keys, so a property's name is written whole (did you"
                                    + " mean " + meant + "?)"));
        }

        /**
         * An endpoint named with capitals or dashes in YAML, one of whose properties an environment variable gives
         * (which can spell neither): Spring binds two endpoints, each with every property of both, and the start
         * stopped with "share the path pattern", which names no cause.
         */
        @ParameterizedTest
        @CsvSource({"GitHub, github, WEBHOOKS_ENDPOINTS_GITHUB_SECRETS_0", "git-hub, github, WEBHOOKS_ENDPOINTS_GITHUB_SECRETS_0"})
        void anEndpointsNameThatAnEnvironmentVariableCannotSpell_failsTheStart_sayingSo(String yaml, String env,
                                                                                       String variable) {
            web.withPropertyValues("webhooks.endpoints." + yaml + ".path-patterns=/webhooks/github")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment",
                                    Map.of(variable, Vectors.SECRET_A))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("WebhookSignatureFilter '" + env + "' and '" + yaml + "'"
                                    + " (webhooks.endpoints." + env + " and webhooks.endpoints." + yaml + ") are one"
                                    + " endpoint to Spring, which reads its name without regard to case or dashes, and"
                                    + " bound each with the properties of both; name it in lower case without dashes"
                                    + " (" + env + "), as an environment variable spells it")
                            .hasMessageNotContaining("share the path pattern")
                            .hasMessageNotContaining(Vectors.SECRET_A));
        }

        @Test
        void everyMisspelledKeyOfAnEndpointWithNoOtherKey_isReportedWithWhatItLacks() {
            web.withPropertyValues(PAYMENTS + "path-paterns=/webhooks/*", PAYMENTS + "secret=" + Vectors.SECRET_A)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .hasMessageContaining("WebhookSignatureFilter 'payments' (webhooks.endpoints.payments)"
                                    + " is misconfigured and will not start:\n"
                                    + "path-paterns: not a property of an endpoint, so it would be ignored; check its"
                                    + " spelling (did you mean path-patterns?)")
                            .hasMessageContaining("\nsecret: not a property of an endpoint, so it would be ignored;"
                                    + " check its spelling (did you mean secrets?)")
                            .hasMessageContaining("\npath-patterns: required;")
                            .hasMessageNotContaining(Vectors.SECRET_A));
        }

        @ParameterizedTest
        @ValueSource(strings = {"webhooks.endpoint.payments.", "webhooks.endponts.payments.", "webhooks.endpionts.payments.",
                "webhook.endpoints.payments.", "webhoks.endpoints.payments.", "webhook.endpoint.payments."})
        void anEndpointsPropertyUnderAMisspelledEndpoints_failsTheStart(String group) {
            web.withPropertyValues(group + "path-patterns=/webhooks/*", group + "secrets=" + Vectors.SECRET_A)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("Keys look meant for an endpoint, but no endpoint reads them:\n")
                            .hasMessageContaining(": not read by the starter, whose endpoints are under"
                                    + " webhooks.endpoints; check its spelling (did you mean"
                                    + " webhooks.endpoints.payments.path-patterns?)")
                            .hasMessageNotContaining(Vectors.SECRET_A));
        }

        /**
         * YAML without the {@code endpoints:} level ({@code webhooks: payments: path-patterns: ...}, or the endpoint's
         * properties right under {@code webhooks:}), or under a near miss of {@code webhooks} that no near miss of
         * {@code endpoints} follows ({@code WEBHOOK_FILTER_ENDPOINTS_0_PATHPATTERNS}): no endpoint binds, and the
         * application started with no filter, its controller taking unsigned requests. {@code path-patterns}, which
         * every endpoint needs, is the starter's.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "webhooks.payments.     | webhooks.payments.path-patterns[0]  | webhooks.endpoints.payments.path-patterns",
                "webhooks.              | webhooks.path-patterns[0]           | webhooks.endpoints.<name>.path-patterns",
                "webhooks.outgoing.pay. | webhooks.outgoing.pay.path-patterns[0] | webhooks.endpoints.<name>.path-patterns",
                "webhook.filter.endpoints.0. | webhook.filter.endpoints.0.path-patterns[0] | webhooks.endpoints.<name>.path-patterns",
                "webhook.payments.      | webhook.payments.path-patterns[0]   | webhooks.endpoints.payments.path-patterns",
        })
        void anEndpointsPathPatternsOutsideWebhooksEndpoints_failsTheStart(String group, String key, String meant) {
            web.withPropertyValues(group + "path-patterns[0]=/webhooks/*", group + "secrets[0]=" + Vectors.SECRET_A)
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("Keys look meant for an endpoint, but no endpoint reads them:\n" + key
                                    + ": not read by the starter, whose endpoints are under webhooks.endpoints, each"
                                    + " under its name; path-patterns is an endpoint's property (did you mean "
                                    + meant + "?)")
                            .hasMessageNotContaining(Vectors.SECRET_A));
        }

        /**
         * Variables without the {@code ENDPOINTS} level, {@code PATH_PATTERNS} among them too: before, that spelling
         * bound nothing and was recognised by nothing, and the application started with no filter.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource({"WEBHOOKS_PAYMENTS_PATHPATTERNS, webhooks.payments.pathpatterns",
                "WEBHOOKS_PAYMENTS_PATH_PATTERNS, webhooks.payments.path.patterns",
                "WEBHOOKS_PAYMENTS_PATH_PATTERNS_0, webhooks.payments.path.patterns[0]"})
        void anEndpointsPathPatternsOutsideWebhooksEndpoints_stopsAnEnvironmentVariableToo(String variable, String key) {
            web.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    variable, "/webhooks/*",
                                    "WEBHOOKS_PAYMENTS_SECRETS", Vectors.SECRET_A))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining(key + ": not read by the starter, whose endpoints are under"
                                    + " webhooks.endpoints, each under its name; path-patterns is an endpoint's"
                                    + " property (did you mean webhooks.endpoints.payments.path-patterns?)")
                            .hasMessageContaining(variable)
                            .hasMessageNotContaining(Vectors.SECRET_A));
        }

        /**
         * An endpoint's property in a variable under a misspelled {@code ENDPOINTS}, its name split by an underscore:
         * before, {@code WEBHOOKS_ENDPOINT_PAYMENTS_PATH_PATTERNS} alone was recognised by nothing, and the application
         * started with no filter.
         */
        @Test
        void anEndpointsPropertyWithAnUnderscoreInside_underAMisspelledEndpoints_failsTheStart() {
            web.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    "WEBHOOKS_ENDPOINT_PAYMENTS_PATH_PATTERNS", "/webhooks/*"))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("Keys look meant for an endpoint, but no endpoint reads them:\n"
                                    + "webhooks.endpoint.payments.path.patterns: not read by the starter, whose"
                                    + " endpoints are under webhooks.endpoints; check its spelling (did you mean"
                                    + " webhooks.endpoints.payments.path-patterns?); set in"
                                    + " \"WEBHOOKS_ENDPOINT_PAYMENTS_PATH_PATTERNS\""));
        }

        @Test
        void theApplicationsOwnKeysUnderWebhooks_areLeftAlone() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replayProtection=true", "webhooks.retry.max-attempts=3",
                            "webhooks.endpoint-base-url=https://example.com", "webhooks.callbacks.payments.store=yes",
                            "webhooks.outgoing.payments.secrets=not-ours", "hooks.endpoints.payments.secrets=not-ours",
                            "webhook.settings.payments.secrets=not-ours")
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

        /** A variable set to white space only: taken as it stands, it would be a key anyone could guess. */
        @ParameterizedTest(name = "{index}")
        @ValueSource(strings = {" ", "   ", "\t", "\n", " \r\n", "\u00a0"})
        void aBlankSecret_failsTheStart_asAnEmptyOneDoes(String blank) {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets[0]=" + Vectors.SECRET_A,
                            PAYMENTS + "secrets[1]=${BLANK_SECRET}")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of("BLANK_SECRET", blank))))
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("secrets[1]: blank (white space only); check that its environment"
                                    + " variable is set to the secret"));
        }

        /**
         * {@code secrets: ${GITHUB_WEBHOOK_SECRET}}, whose value holds a comma: Spring splits the one string, and each
         * piece became a key of its own, "Zq7" one that anyone could guess. It started, with a warning only.
         */
        @ParameterizedTest
        @ValueSource(strings = {"${COMMA_SECRET}", "${COMMA_SECRET},${OTHER_SECRET}", "${OTHER_SECRET}, ${COMMA_SECRET}"})
        void aPlaceholderWhoseValueHoldsACommaInOneString_failsTheStart(String secrets) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                secretsFrom(secrets).run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(WebhookConfigurationException.class)
                        .hasMessageContaining("secrets: one string, which Spring splits at commas, and a placeholder's"
                                + " value in it holds a comma, so pieces of a secret became secrets of their own (a"
                                + " short piece is a key anyone could guess); write the secrets as a list (secrets[0]:"
                                + " ${...}), whose elements are taken whole")
                        .message().doesNotContain("Zq7"));
                assertThat(logs.render()).doesNotContain("Zq7");
            }
        }

        /**
         * Two placeholders for a rotation, a list's element whose value holds a comma: each secret whole. A short one
         * taken whole by its own placeholder is warned of, as in a list, not refused: the commas were written.
         */
        @ParameterizedTest
        @ValueSource(strings = {"secrets=${OTHER_SECRET},${SECOND_SECRET}", "secrets[0]=${COMMA_SECRET}",
                "secrets=" + Vectors.SECRET_A + ",${SECOND_SECRET}", "secrets=${OTHER_SECRET},${SHORT_SECRET}"})
        void placeholdersWhoseValuesHoldNoCommaOrAListsElements_start(String secrets) {
            secretsFrom(null).withPropertyValues(PAYMENTS + secrets)
                    .run(context -> assertThat(context).hasNotFailed());
        }

        /**
         * One environment variable, or one string anywhere, holding the secrets: Spring splits it at commas, as it
         * splits any list (WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS=new,old while rotating). A secret that holds a comma,
         * given so, became pieces, "Zq7" a key anyone could guess; it started, with a warning only.
         */
        @ParameterizedTest
        @CsvSource({"test-systemEnvironment, WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS", "yaml, webhooks.endpoints.payments.secrets"})
        void oneStringSplitIntoAShortSecret_failsTheStart_namingWhereItWasSet(String source, String key) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*")
                        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                                source.equals("yaml")
                                        ? new MapPropertySource(source, Map.of(key, "Zq7,pW9xLm4vR8tK2nB6cY1d"))
                                        : new SystemEnvironmentPropertySource(source,
                                                Map.of(key, "Zq7,pW9xLm4vR8tK2nB6cY1d"))))
                        .run(context -> assertThat(context).getFailure().rootCause()
                                .isInstanceOf(WebhookConfigurationException.class)
                                .hasMessageContaining("secrets[0]: shorter than 16 bytes, one of 2 secrets that Spring"
                                        + " split at commas from one string (set in \"" + key + "\" from property source \""
                                        + source + "\"); if it is a piece of one secret that holds a comma, give that"
                                        + " secret as a list's element (secrets[0], or WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS_0),"
                                        + " which is taken whole; two secrets while rotating must each be at least 16 bytes")
                                .message().doesNotContain("Zq7").doesNotContain("pW9x"));
                assertThat(logs.render()).doesNotContain("Zq7").doesNotContain("pW9x");
            }
        }

        /** Spring's idiom for a list in one variable: two long secrets while rotating, each verifying. */
        @Test
        void oneEnvironmentVariableWithTwoLongSecrets_startsWithBoth() {
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    "WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS", Vectors.SECRET_A + ",another-long-secret-0123"))))
                    .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        WebhookSignatureFilter filter = (WebhookSignatureFilter) registrations(context)
                                .get("webhookFilter.payments").getFilter();

                        assertThat(send(filter, Vectors.header(Vectors.SIMPLE_A))).isEqualTo(200);
                        assertThat(send(filter, WebhookSigner.of("another-long-secret-0123")
                                .sign(Vectors.SIMPLE_BODY, Vectors.T))).isEqualTo(200);
                        assertThat(send(filter, Vectors.header(Vectors.SIMPLE_B))).isEqualTo(401);
                    });
        }

        /** The endpoint on /webhooks/*, its secrets {@code secrets} (none if null), and their variables. */
        private WebApplicationContextRunner secretsFrom(String secrets) {
            return (secrets == null ? web : web.withPropertyValues(PAYMENTS + "secrets=" + secrets))
                    .withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*")
                    .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                    "COMMA_SECRET", "Zq7,pW9xLm4vR8tK2nB6cY1d",
                                    "OTHER_SECRET", Vectors.SECRET_A, "SECOND_SECRET", "another-long-secret-0123",
                                    "SHORT_SECRET", "short-secret"))));
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

        /**
         * Braces inside a secret (a password manager's symbols) or text around a placeholder may be the secret's
         * own: only an entry that is one placeholder and nothing else is quoted.
         */
        @ParameterizedTest
        @ValueSource(strings = {"k9x${Zq7#pW!}Lm", "Zq7pWLm${NO_SUCH_WEBHOOK_SECRET_VARIABLE}", "${Zq7 pW Lm}"})
        void aSecretHoldingAnUnresolvedPlaceholderAmongOtherText_failsTheStart_withoutQuotingIt(String secret) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + secret)
                        .run(context -> assertThat(context).getFailure().rootCause()
                                .isInstanceOf(WebhookConfigurationException.class)
                                .hasMessageContaining("secrets[0]: holds a placeholder (${...}) that is not resolved,"
                                        + " not shown as the text around it may be the secret; set the environment"
                                        + " variable or property it names")
                                .message().doesNotContain("Zq7"));
                assertThat(logs.render()).doesNotContain("Zq7");
            }
        }

        /**
         * A store URI whose variable is unset keeps the placeholder's text, which was opened as it stood: PostgreSQL's
         * URL met "has a user-info ..., or a port that is not a number" for {@code ${DB_PORT}}, and the server's
         * "password authentication failed" for {@code ${DB_PASSWORD}}; neither named the variable to set.
         */
        @ParameterizedTest
        @ValueSource(strings = {"test-unavailable://db.internal:5432/app?user=hooks&password=${NO_SUCH_STORE_PASSWORD}",
                "test-unavailable://:${NO_SUCH_STORE_PASSWORD}@redis.internal:6379"})
        void aStoreWithAnUnresolvedPlaceholder_failsTheStart_namingIt_withoutOpeningTheStore(String store) {
            UnavailableStoreProvider.opened = null;
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=" + store,
                            PAYMENTS + "store-timeout=500ms", PAYMENTS + "on-store-unavailable=allow")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\nstore: the placeholder ${NO_SUCH_STORE_PASSWORD} is"
                                    + " not resolved; set the environment variable or property NO_SUCH_STORE_PASSWORD"
                                    + "\n\n"));
            assertThat(UnavailableStoreProvider.opened).isNull();
        }

        /** Braces in a store's password are its own: a placeholder not named as a variable is not quoted. */
        @Test
        void aStoreWithAnUnresolvedPlaceholderNotNamedAsAVariable_failsTheStart_withoutQuotingIt() {
            UnavailableStoreProvider.opened = null;
            web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                            PAYMENTS + "replay-protection=true", PAYMENTS + "store=test-unavailable://:k9${Zq7#pW}@db")
                    .run(context -> assertThat(context).getFailure().rootCause()
                            .isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageContaining("will not start:\nstore: holds a placeholder (${...}) that is not"
                                    + " resolved, not shown as the text around it may be a password; set the environment"
                                    + " variable or property it names\n\n")
                            .message().doesNotContain("Zq7"));
            assertThat(UnavailableStoreProvider.opened).isNull();
        }

        @Test
        void theProblem_isLoggedAtError_withoutTheSecret() {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "secrets=" + Vectors.SECRET_A, PAYMENTS + "tolerance=0")
                        .run(context -> assertThat(context).hasFailed());

                assertThat(logs.render()).doesNotContain(Vectors.SECRET_A);
                assertThat(logs.messages(Level.SEVERE)).singleElement().asString()
                        .contains("path-patterns: required", "toleranceSeconds: out of range");
            }
        }

        /**
         * As the filter warns for its {@code secrets} init-param: HMAC keys should carry 128 bits or more. The key is
         * measured, which a scheme that decodes base64 takes shorter than the secret: {@code whsec_c2hvcnRrZXk=}, 18
         * characters, holds 8 bytes ({@code SecretsTest} says how it was made).
         */
        @Test
        void aSecretWhoseKeyIsShorterThan16Bytes_isLoggedAtWarning_byPosition_neverItsValue() {
            String shortSecret = "fifteen-bytes!!";
            String shortKey = "whsec_c2hvcnRrZXk=";
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns=/webhooks/*", PAYMENTS + "secrets[0]=" + Vectors.SECRET_A,
                                PAYMENTS + "secrets[1]=" + shortSecret, ORDERS + "path-patterns=/orders/*",
                                ORDERS + "scheme=standard-webhooks", ORDERS + "secrets=" + shortKey)
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.render()).doesNotContain(shortSecret).doesNotContain(shortKey);
                assertThat(logs.messages(Level.WARNING)).containsExactly("WebhookSignatureFilter 'payments'"
                        + " (webhooks.endpoints.payments): secrets[1] gives a key shorter than 16 bytes; use a long random secret,"
                        + " such as the one the platform generates", "WebhookSignatureFilter 'orders'"
                        + " (webhooks.endpoints.orders): secrets[0] gives a key shorter than 16 bytes; use a long random secret,"
                        + " such as the one the platform generates");
            }
        }

        @Test
        void failureAnalyzer_reportsTheMessageAsTheDescription() {
            WebhookConfigurationException cause = new WebhookConfigurationException("the problems");

            FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer()
                    .analyze(new BeanCreationException("webhookFilter.payments", "wrapped", cause));

            assertThat(analysis.getDescription()).isEqualTo("the problems");
            assertThat(analysis.getAction()).contains("webhooks.endpoints").doesNotContain("store");
        }

        /**
         * A store that could not be opened is no property to correct: the action says to check the store itself, which
         * an adopter whose Redis was slow to answer at start-up was not told ("Correct the webhooks.endpoints properties").
         */
        @Test
        void failureAnalyzer_aStoreThatCouldNotBeOpened_isToldToCheckTheStore() {
            WebhookConfigurationException cause = new WebhookConfigurationException("WebhookSignatureFilter 'payments'"
                    + " (webhooks.endpoints.payments) is misconfigured and will not start:\nstore: the Redis store"
                    + " redis://127.0.0.1:6379 cannot be reached, or does not answer as Redis does (...)");

            FailureAnalysis analysis = new WebhookConfigurationFailureAnalyzer()
                    .analyze(new BeanCreationException("webhookFilter.payments", "wrapped", cause));

            assertThat(analysis.getAction()).contains("webhooks.endpoints")
                    .contains("Where a store is named above, check its URI, that its server runs and answers from here,"
                            + " and store-timeout");
            WebhookConfigurationException placeholder = new WebhookConfigurationException("WebhookSignatureFilter"
                    + " 'payments' (webhooks.endpoints.payments) is misconfigured and will not start:\nstore: the placeholder"
                    + " ${DB_PASSWORD} is not resolved; set the environment variable or property DB_PASSWORD");
            assertThat(new WebhookConfigurationFailureAnalyzer()
                    .analyze(new BeanCreationException("webhookFilter.payments", "wrapped", placeholder)).getAction())
                    .as("an unresolved placeholder names what to set; its store was never opened").doesNotContain("store");
        }
    }

    /**
     * Two endpoints whose path patterns cover a path in common both run on a request for it, each with its own
     * secrets: each refuses what only the other's secrets sign.
     */
    /**
     * Spring's HiddenHttpMethodFilter asks for a POST's _method parameter, and the container reads a form body to
     * answer: ordered before an endpoint's filter, it leaves the filter a consumed body, and every signed form post gets
     * 400 (body incomplete; measured on Tomcat 11, SpringSecurityBeforeTheWebhookFiltersTest). It started without a word.
     */
    @Nested
    class BodyReadersBeforeTheEndpoints {

        private static final String WARNING = "Filter 'early' (org.springframework.web.filter.HiddenHttpMethodFilter,"
                + " order -2147483648) runs before webhook endpoint 'payments' (order -2147483638) on /* and /webhooks/*:"
                + " it reads a form post's parameters, which consumes the body, so every signed form post there gets"
                + " 400 (body incomplete); order it after -2147483638, as Spring Boot does";

        @Test
        void aRegistrationOfHiddenHttpMethodFilterBeforeTheEndpoint_isLoggedAtWarning() {
            try (LogCapture logs = LogCapture.of(BodyReadersBeforeWebhooks.class.getName())) {
                endpoint().withBean("early", FilterRegistrationBean.class, () -> {
                            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                                    new org.springframework.web.filter.HiddenHttpMethodFilter());
                            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
                            return registration;
                        })
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).containsExactly(WARNING);
                assertThat(logs.render()).doesNotContain(Vectors.SECRET_A);
            }
        }

        @Test
        void aFilterBeanOrderedBeforeTheEndpoint_isLoggedAtWarning() {
            try (LogCapture logs = LogCapture.of(BodyReadersBeforeWebhooks.class.getName())) {
                endpoint().withBean("early", Filter.class, () -> new OrderedFormReader(Ordered.HIGHEST_PRECEDENCE + 10))
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).containsExactly("Filter 'early' (" + OrderedFormReader.class
                        .getName() + ", order -2147483638) may run before webhook endpoint 'payments' (order -2147483638)"
                        + " on /* and /webhooks/*: it reads a form post's parameters, which consumes the body, so every"
                        + " signed form post there gets 400 (body incomplete); order it after -2147483638, as Spring"
                        + " Boot does");
            }
        }

        /** Spring Boot's own order (-10000 and -9900), a reader on paths no endpoint has, another kind of filter. */
        @Test
        void bootsOrder_otherPaths_orOtherFilters_areNotLogged() {
            try (LogCapture logs = LogCapture.of(BodyReadersBeforeWebhooks.class.getName())) {
                endpoint().withBean("hidden", Filter.class, () -> new OrderedFormReader(-10000))
                        .withBean("unordered", Filter.class, org.springframework.web.filter.FormContentFilter::new)
                        .withBean("forms", FilterRegistrationBean.class, () -> {
                            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                                    new org.springframework.web.filter.FormContentFilter());
                            registration.addUrlPatterns("/forms/*");
                            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
                            return registration;
                        })
                        .withBean("encoding", FilterRegistrationBean.class, () -> {
                            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                                    new org.springframework.web.filter.CharacterEncodingFilter());
                            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
                            return registration;
                        })
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).isEmpty();
            }
        }

        /**
         * A request-scoped filter bean: Spring Boot maps its proxy and leaves its target ("scopedTarget.scoped"), which
         * no request is there to create at start-up. Looked for among every bean of the type, the target stopped the
         * start ("Scope 'request' is not active for the current thread").
         */
        @Test
        void aRequestScopedFilterBean_startsAsSpringBootDoes() {
            try (LogCapture logs = LogCapture.of(BodyReadersBeforeWebhooks.class.getName())) {
                endpoint().withUserConfiguration(RequestScopedFilter.class)
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).isEmpty();
            }
        }

        private WebApplicationContextRunner endpoint() {
            return web.withPropertyValues(PAYMENTS + "path-patterns[0]=/webhooks/*", PAYMENTS + "secrets=" + Vectors.SECRET_A);
        }

        @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
        static class RequestScopedFilter {

            @org.springframework.context.annotation.Bean
            @org.springframework.web.context.annotation.RequestScope
            Filter scoped() {
                return new org.springframework.web.filter.CharacterEncodingFilter();
            }
        }

        /** Spring's HiddenHttpMethodFilter at an order of its own, as Spring Boot's OrderedHiddenHttpMethodFilter. */
        static final class OrderedFormReader extends org.springframework.web.filter.HiddenHttpMethodFilter
                implements Ordered {

            private final int order;

            OrderedFormReader(int order) {
                this.order = order;
            }

            @Override
            public int getOrder() {
                return order;
            }
        }
    }

    @Nested
    class OverlappingEndpoints {

        @ParameterizedTest(name = "{0} and {1}")
        @ValueSource(strings = {"/webhooks/*", "/webhooks/payments", "*.json", "/*", ""})
        void theSamePatternInTwoEndpoints_failsTheStart_namingBothAndThePattern(String pattern) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns[0]=" + pattern, PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                ORDERS + "path-patterns[0]=/orders/*", ORDERS + "path-patterns[1]=" + pattern,
                                ORDERS + "secrets=" + Vectors.SECRET_B)
                        .run(context -> assertThat(context).getFailure().rootCause()
                                .isInstanceOf(WebhookConfigurationException.class)
                                .hasMessageContaining("WebhookSignatureFilter 'payments' and 'orders'"
                                        + " (webhooks.endpoints.payments and webhooks.endpoints.orders) share the path"
                                        + " pattern '" + pattern + "': a request there runs both"
                                        + " filters, and each refuses what only the other's secrets sign; give each"
                                        + " endpoint its own path patterns (the secrets of one sender go in one"
                                        + " endpoint's secrets)"));
                assertThat(logs.render()).doesNotContain(Vectors.SECRET_A, Vectors.SECRET_B);
            }
        }

        @ParameterizedTest(name = "{0} and {1}")
        @CsvSource({"/webhooks/*, /webhooks/stripe", "/webhooks/*, /webhooks/stripe/*", "/webhooks/*, /webhooks",
                "/*, /hooks", "/*, *.json", "/webhooks/*, *.json", "*.json, /events/order.json",
                "/webhooks/stripe/*, /webhooks/*", "/*, ''", "/webhooks/*, /webhooks/stripe.json"})
        void overlappingPatterns_areLoggedAtWarning_namingBothEndpointsAndPatterns(String payments, String orders) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns[0]=" + payments, PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                ORDERS + "path-patterns[0]=" + orders, ORDERS + "secrets=" + Vectors.SECRET_B)
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.render()).doesNotContain(Vectors.SECRET_A, Vectors.SECRET_B);
                assertThat(logs.messages(Level.WARNING)).containsExactly("WebhookSignatureFilter 'payments' and"
                        + " 'orders' (webhooks.endpoints.payments and webhooks.endpoints.orders) have overlapping path"
                        + " patterns, '" + payments + "' and '" + orders + "': a request under both runs both filters,"
                        + " and each refuses what only the other's secrets sign; give each endpoint path patterns that"
                        + " no other endpoint's cover, unless such a request is to carry both signatures");
            }
        }

        /**
         * A base64 secret under one endpoint's path-patterns that begins with '/' is a valid exact path, which another
         * endpoint's /* overlaps: the warning names it by its index, never quoting it (the value as in
         * aSecretThatBeginsWithASlash_outsideTheServletPath_failsTheStart_withoutQuotingIt).
         */
        @Test
        void aSecretThatBeginsWithASlash_overlapped_isLoggedWithoutQuotingIt() {
            String secret = "/Be1SunpIR5fzlZHEL7XvFLLKdAiqNXMlDExp+kyZaE=";
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns[0]=/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                ORDERS + "secrets=" + Vectors.SECRET_B)
                        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                                new MapPropertySource("yaml", Map.of(ORDERS + "path-patterns[0]", "${WEBHOOK_SECRET}",
                                        "WEBHOOK_SECRET", secret))))
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.render()).doesNotContain(secret.substring(1));
                // The endpoints in the order Boot binds them: orders' key comes from the first property source.
                assertThat(logs.messages(Level.WARNING)).containsExactly("WebhookSignatureFilter 'orders' and"
                        + " 'payments' (webhooks.endpoints.orders and webhooks.endpoints.payments) have overlapping path"
                        + " patterns, path-patterns[0] of orders (not shown: it may be a secret) and '/*': a request"
                        + " under both runs both filters, and each refuses what only the other's secrets sign; give"
                        + " each endpoint path patterns that no other endpoint's cover, unless such a request is to"
                        + " carry both signatures");
            }
        }

        @ParameterizedTest(name = "{0} and {1}")
        @CsvSource({"/webhooks/a/*, /webhooks/ab/*", "*.json, *.xml", "/webhooks/stripe, /webhooks/stripe/x",
                "/webhooks/*, /hooks", "/webhooks/stripe.xml, *.json", "/webhooks/a/*, /webhooks/b", "'', /webhooks/*",
                "'', *.json", "'', /webhooks", "/webhooks/*, /webhooks.json"})
        void patternsWithNoPathInCommon_logNoWarning(String payments, String orders) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues(PAYMENTS + "path-patterns[0]=" + payments, PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                ORDERS + "path-patterns[0]=" + orders, ORDERS + "secrets=" + Vectors.SECRET_B)
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).isEmpty();
            }
        }
    }

    /** The status the filter answers for a POST of {@link Vectors#SIMPLE_BODY} with this header; 200 when it calls the chain. */
    private static int send(WebhookSignatureFilter filter, String header) throws Exception {
        return send(filter, request(Map.of("X-Webhook-Signature", header)));
    }

    /** A POST of {@link Vectors#SIMPLE_BODY} with these headers. */
    private static MockHttpServletRequest request(Map<String, String> headers) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
        request.setContentType("application/json");
        request.setContent(Vectors.SIMPLE_BODY);
        headers.forEach(request::addHeader);
        return request;
    }

    /** A POST of {@link Vectors#SIMPLE_BODY} to {@code requestUri}, as it came, under {@code contextPath}. */
    private static MockHttpServletRequest request(String requestUri, String contextPath) {
        MockHttpServletRequest request = request(Map.of());
        request.setRequestURI(requestUri);
        request.setContextPath(contextPath);
        return request;
    }

    /** The status {@code filter} answers for {@code request}; 200 when it calls the chain. */
    private static int send(Filter filter, MockHttpServletRequest request) throws Exception {
        return send(filter, request, new MockHttpServletResponse());
    }

    /** The status {@code filter} answers in {@code response}; 200 when it calls the chain. */
    private static int send(Filter filter, MockHttpServletRequest request,
                            MockHttpServletResponse response) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null ? 200 : response.getStatus();
    }

    /**
     * Spring's HiddenHttpMethodFilter runs after the webhook filters and takes {@code _method} from the query string,
     * which nobody signed ({@code SignedRequestScenarios#hiddenHttpMethodFilter_...} shows it over HTTP).
     */
    @Nested
    class HiddenMethodFilter {

        @ParameterizedTest(name = "spring.mvc.hiddenmethod.filter.enabled={0}")
        @ValueSource(strings = {"true", "TRUE", "on"})
        void on_warnsOfEachEndpointThatAllowsAQueryString(String enabled) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                web.withPropertyValues("spring.mvc.hiddenmethod.filter.enabled=" + enabled,
                                PAYMENTS + "path-patterns[0]=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                                ORDERS + "path-patterns[0]=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_B,
                                ORDERS + "query-string=reject")
                        .run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).containsExactly("WebhookSignatureFilter 'payments'"
                        + " (webhooks.endpoints.payments) lets a query string through while Spring's"
                        + " HiddenHttpMethodFilter is on (spring.mvc.hiddenmethod.filter.enabled): it runs after the"
                        + " webhook filter and takes _method from the query string, which nobody signed, so that a copy"
                        + " of a verified POST with ?_method=DELETE runs the DELETE handler; set query-string: reject");
                assertThat(logs.render()).doesNotContain(Vectors.SECRET_A, Vectors.SECRET_B);
            }
        }

        @ParameterizedTest(name = "spring.mvc.hiddenmethod.filter.enabled={0}")
        @ValueSource(strings = {"false", "", "off"})
        void offOrUnset_warnsOfNothing(String enabled) {
            try (LogCapture logs = LogCapture.of(WebhookEndpointFilters.class.getName())) {
                WebApplicationContextRunner runner = web.withPropertyValues(
                        PAYMENTS + "path-patterns[0]=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A);
                (enabled.isEmpty() ? runner : runner.withPropertyValues("spring.mvc.hiddenmethod.filter.enabled="
                        + enabled)).run(context -> assertThat(context).hasNotFailed());

                assertThat(logs.messages(Level.WARNING)).isEmpty();
            }
        }
    }

    /** A bean of the application that fails once the endpoints' filters were built, and their stores opened. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class FailsOnceTheFiltersAreBuilt {

        static final String FAILURE = "a bean of the application failed";

        @org.springframework.context.annotation.Bean
        String failsOnceTheFiltersAreBuilt(WebhookEndpointFilters filters) {
            throw new IllegalStateException(FAILURE);
        }
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
