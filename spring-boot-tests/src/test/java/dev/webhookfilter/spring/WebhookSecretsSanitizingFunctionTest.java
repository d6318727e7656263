package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which keys and values the starter's sanitizing function masks, in each form Actuator hands them over, and
 * that the starter makes it only with Actuator. ActuatorShowsNoSecretsTest sees it work over HTTP.
 */
class WebhookSecretsSanitizingFunctionTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebhookSanitizingAutoConfiguration.class));

    @Test
    void isABeanWithActuator_andNoneWithout() {
        context.run(it -> assertThat(it).getBean(WebhookSanitizingAutoConfiguration.BEAN_NAME)
                .isInstanceOf(SanitizingFunction.class));
        context.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
                .run(it -> assertThat(it).hasNotFailed().doesNotHaveBean(WebhookSanitizingAutoConfiguration.BEAN_NAME));
    }

    private static final String SHOWN = "a value";

    private static Object sanitized(WebhookSecretsSanitizingFunction function, String key, Object value) {
        return function.apply(new SanitizableData(null, key, value)).getValue();
    }

    @Nested
    class ByKey {

        private final WebhookSecretsSanitizingFunction function = new WebhookSecretsSanitizingFunction(() -> null);

        @ParameterizedTest
        @ValueSource(strings = {
                "webhooks.endpoints.payments.secrets",
                "webhooks.endpoints.payments.secrets[0]",
                "webhooks.endpoints.payments.secrets[12]",
                "webhooks.endpoints.payments.Secrets[1]",
                "webhooks.endpoints[a.b].secrets[0]",
                "webhooks.endpoints.secrets.secrets[0]",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS_0",
                "webhooks.endpoints.payments.store",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_STORE",
        })
        void masksAnEndpointsSecretsAndStore(String key) {
            assertThat(sanitized(function, key, SHOWN)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "webhooks.endpoints.payments.path-patterns[0]",
                "webhooks.endpoints.payments.pathPatterns[0]",
                "webhooks.endpoints.secrets.path-patterns[0]",
                "webhooks.endpoints.store.tolerance",
                "webhooks.endpoints.payments.store-timeout",
                "webhooks.endpoints.payments.storeKeyPrefix",
                "WEBHOOKS_ENDPOINTS_PAYMENTS_STORE_KEY_PREFIX",
                "webhooks.endpoints.payments.on-store-unavailable",
                "spring.datasource.url",
        })
        void showsTheOtherProperties(String key) {
            assertThat(sanitized(function, key, SHOWN)).isEqualTo(SHOWN);
        }

        @Test
        void leavesNullAlone() {
            assertThat(sanitized(function, "webhooks.endpoints.payments.secrets[0]", null)).isNull();
        }
    }

    @Nested
    class ByValue {

        private final WebhookSecretsSanitizingFunction function = new WebhookSecretsSanitizingFunction(() -> {
            WebhookProperties.Endpoint payments = new WebhookProperties.Endpoint();
            payments.setSecrets(List.of(Vectors.SECRET_A, Vectors.SECRET_B));
            payments.setStore("redis://:store-password@redis.internal:6379");
            WebhookProperties.Endpoint orders = new WebhookProperties.Endpoint();
            orders.setSecrets(List.of(Vectors.Stripe.SECRET_A));
            orders.setStore("memory");
            WebhookProperties properties = new WebhookProperties();
            properties.getEndpoints().put("payments", payments);
            properties.getEndpoints().put("orders", orders);
            return properties;
        });

        @ParameterizedTest
        @ValueSource(strings = {Vectors.SECRET_A, Vectors.SECRET_B, Vectors.Stripe.SECRET_A,
                Vectors.SECRET_B + "," + Vectors.SECRET_A, "redis://:store-password@redis.internal:6379"})
        void masksAnyKeyWhoseValueHoldsASecretOrAStoreUri(String value) {
            assertThat(sanitized(function, "PAYMENTS_WEBHOOK_SECRET", value)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        @Test
        void showsValuesThatHoldNone() {
            assertThat(sanitized(function, "app.mode", "memory")).isEqualTo("memory");
            assertThat(sanitized(function, "app.mode", "whsec_unit_test")).isEqualTo("whsec_unit_test");
            assertThat(sanitized(function, "app.port", 6379)).isEqualTo(6379);
        }
    }
}
