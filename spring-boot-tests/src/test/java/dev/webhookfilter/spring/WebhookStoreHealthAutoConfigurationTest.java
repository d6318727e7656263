package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.StubStore;
import dev.webhookfilter.WebhookStore;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Actuator health of WebhookStore beans. The health API's package differs between Boot 3.5 and 4.0,
 * so the contributor is read by reflection: its children by name, and each child's status code.
 */
class WebhookStoreHealthAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebhookStoreHealthAutoConfiguration.class));

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
                    assertThat(down.get("jdbcStore")).isEqualTo("DOWN {reason=the store's health check failed: it did not answer,"
                            + " or found that requests would fail or go wrong now}");
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
}
