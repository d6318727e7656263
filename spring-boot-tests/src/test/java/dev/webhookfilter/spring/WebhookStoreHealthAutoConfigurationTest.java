package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.StubStore;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.servlet.UnavailableStoreProvider;
import dev.webhookfilter.testing.LogCapture;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Actuator health of WebhookStore beans, and of the stores endpoints open from a URI. The health API's package differs
 * between Boot 3.5 and 4.0, so the contributor is read by reflection: its children by name, and each child's status
 * code. An endpoint's store URI is {@code test-unavailable:...}, which {@link UnavailableStoreProvider} (the library's
 * test jar, registered in its {@code META-INF/services}) opens as a {@link StubStore} whose answer the test sets.
 */
class WebhookStoreHealthAutoConfigurationTest {

    private static final String ORDERS = "webhooks.endpoints.orders.";
    private static final String PAYMENTS = "webhooks.endpoints.payments.";
    private static final String REFUNDS = "webhooks.endpoints.refunds.";
    private static final String DOWN_REASON = "DOWN {reason=the store's health check failed: it did not answer,"
            + " or found that requests would fail or go wrong now}";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebhookFilterAutoConfiguration.class,
                    WebhookStoreHealthAutoConfiguration.class));

    /** Each child of the contributor: its name to "STATUS" or "STATUS details". */
    private static Map<String, String> health(Object contributor, String... names) throws Exception {
        Map<String, String> health = new LinkedHashMap<>();
        Method getContributor = contributor.getClass().getMethod("getContributor", String.class);
        getContributor.setAccessible(true);
        for (String name : names) {
            Object indicator = getContributor.invoke(contributor, name);
            if (indicator == null) {
                continue;
            }
            Method healthMethod = indicator.getClass().getMethod("health");
            healthMethod.setAccessible(true);
            Object result = healthMethod.invoke(indicator);
            Object status = result.getClass().getMethod("getStatus").invoke(result);
            String code = (String) status.getClass().getMethod("getCode").invoke(status);
            Map<?, ?> details = (Map<?, ?>) result.getClass().getMethod("getDetails").invoke(result);
            health.put(name, details.isEmpty() ? code : code + " " + details);
        }
        return health;
    }

    @Test
    void eachStoreBeanHasItsIndicator() {
        StubStore redis = new StubStore(true);
        StubStore jdbc = new StubStore(true);
        web.withBean("redisStore", WebhookStore.class, () -> redis)
                .withBean("jdbcStore", WebhookStore.class, () -> jdbc)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                    Object contributor = context.getBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                    assertThat(health(contributor, "redisStore", "jdbcStore", "other"))
                            .containsExactly(Map.entry("redisStore", "UP"), Map.entry("jdbcStore", "UP"));

                    jdbc.available.set(false);
                    redis.throwOnCheck = true;
                    Map<String, String> down = health(contributor, "redisStore", "jdbcStore");
                    assertThat(down.get("jdbcStore")).isEqualTo(DOWN_REASON);
                    assertThat(down.get("redisStore"))
                            .isEqualTo("DOWN {reason=the store's check threw java.lang.IllegalStateException}")
                            .doesNotContain("password");
                });
    }

    @Test
    void withoutAStoreBean_noIndicator() {
        web.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME));
    }

    @Test
    void withoutActuatorsHealthApi_noIndicator() {
        web.withBean("redisStore", WebhookStore.class, () -> new StubStore(true))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health",
                        "org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME));
    }

    /**
     * The README's configuration: the endpoint names its store by URI and its filter opens it, so there is no store
     * bean. Its indicator follows the store's answer, without the URI, host or password in the details.
     */
    @Test
    void anEndpointWithAStoreUri_hasItsIndicator_upWhenTheStoreAnswers_downWhenNot() {
        web.withPropertyValues(ORDERS + "path-patterns=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                        ORDERS + "replay-protection=true", ORDERS + "store=test-unavailable://webhooks:s3cret@10.0.0.7:6379",
                        PAYMENTS + "path-patterns=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                        PAYMENTS + "replay-protection=true", PAYMENTS + "store=memory",
                        REFUNDS + "path-patterns=/webhooks/refunds/*", REFUNDS + "secrets=" + Vectors.SECRET_A)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                    StubStore store = UnavailableStoreProvider.opened;
                    Object contributor = context.getBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                    String[] names = {"endpoint-orders", "endpoint-payments", "endpoint-refunds", "orders", "payments"};

                    assertThat(health(contributor, names)).containsExactly(Map.entry("endpoint-orders", DOWN_REASON));

                    store.available.set(true);
                    assertThat(health(contributor, names)).containsExactly(Map.entry("endpoint-orders", "UP"));

                    store.throwOnCheck = true;
                    assertThat(health(contributor, names)).containsExactly(Map.entry("endpoint-orders", DOWN_REASON));
                });
    }

    @Test
    void storeBeansAndEndpointsWithAStoreUri_eachHaveTheirIndicator_andAnEndpointOnTheBeanAddsNone() {
        StubStore bean = new StubStore(true);
        web.withBean("redisStore", WebhookStore.class, () -> bean)
                .withPropertyValues(ORDERS + "path-patterns=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                        ORDERS + "deduplicate=true", ORDERS + "id-header=Webhook-Id", ORDERS + "store=test-unavailable:",
                        PAYMENTS + "path-patterns=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A,
                        PAYMENTS + "replay-protection=true", PAYMENTS + "store=bean")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Object contributor = context.getBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                    assertThat(health(contributor, "redisStore", "endpoint-orders", "endpoint-payments"))
                            .containsExactly(Map.entry("redisStore", "UP"), Map.entry("endpoint-orders", DOWN_REASON));
                });
    }

    @Test
    void endpointsWithoutAStoreUri_andNoStoreBean_noIndicator() {
        web.withPropertyValues(ORDERS + "path-patterns=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                        ORDERS + "replay-protection=true", ORDERS + "store=memory",
                        PAYMENTS + "path-patterns=/webhooks/payments/*", PAYMENTS + "secrets=" + Vectors.SECRET_A)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME));
    }

    /**
     * Outside a servlet web application no filter opens the endpoints' stores, and nothing reads the endpoints: an
     * endpoint with a store URI, even one whose properties do not bind, adds no indicator and stops nothing.
     */
    @Test
    void notAServletWebApplication_anEndpointWithAStoreUri_noIndicator_evenWhereItDoesNotBind() {
        ApplicationContextRunner plain = new ApplicationContextRunner().withConfiguration(
                AutoConfigurations.of(WebhookFilterAutoConfiguration.class, WebhookStoreHealthAutoConfiguration.class));
        plain.withPropertyValues(ORDERS + "path-patterns=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                        ORDERS + "replay-protection=true", ORDERS + "store=test-unavailable:")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME));
        plain.withPropertyValues(ORDERS + "store=test-unavailable:", ORDERS + "max-body-size=lots")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME));
    }

    /** A bean registered under an endpoint's indicator name keeps it; the endpoint's is left out, with a warning. */
    @Test
    void aStoreBeanNamedAsAnEndpointsIndicator_keepsTheName_andTheEndpointsIsLeftOutWithAWarning() {
        try (LogCapture logs = LogCapture.of(WebhookStoreHealthAutoConfiguration.class.getName())) {
            web.withBean("endpoint-orders", WebhookStore.class, () -> new StubStore(true))
                    .withPropertyValues(ORDERS + "path-patterns=/webhooks/orders/*", ORDERS + "secrets=" + Vectors.SECRET_A,
                            ORDERS + "replay-protection=true", ORDERS + "store=test-unavailable:")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Object contributor = context.getBean(WebhookStoreHealthAutoConfiguration.BEAN_NAME);
                        assertThat(health(contributor, "endpoint-orders")).containsExactly(Map.entry("endpoint-orders", "UP"));
                    });
            assertThat(logs.messages(Level.WARNING)).containsExactly("webhookStores health: the WebhookStore bean"
                    + " 'endpoint-orders' has the name of the indicator of endpoint 'orders', which is left out; rename"
                    + " the bean");
        }
    }
}
