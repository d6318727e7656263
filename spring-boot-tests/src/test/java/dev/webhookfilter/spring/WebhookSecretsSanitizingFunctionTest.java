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
            WebhookProperties.Endpoint refunds = new WebhookProperties.Endpoint();
            refunds.setStore("jdbc:postgresql://db.internal/app?user=hooks&password=jdbc-pass-1");
            properties.getEndpoints().put("refunds", refunds);
            WebhookProperties.Endpoint disputes = new WebhookProperties.Endpoint();
            disputes.setStore("redis://alone-pass-2@redis.internal:6379");
            properties.getEndpoints().put("disputes", disputes);
            WebhookProperties.Endpoint semicolons = new WebhookProperties.Endpoint();
            semicolons.setStore("redis://:semi;colon-pass-3@redis.internal:6379");
            properties.getEndpoints().put("semicolons", semicolons);
            WebhookProperties.Endpoint pgSemicolons = new WebhookProperties.Endpoint();
            pgSemicolons.setStore("jdbc:postgresql://db.internal/app?user=hooks&password=;jdbc-pass-4");
            properties.getEndpoints().put("pgSemicolons", pgSemicolons);
            WebhookProperties.Endpoint quoted = new WebhookProperties.Endpoint();
            quoted.setSecrets(List.of(QUOTED, APOSTROPHE));
            properties.getEndpoints().put("quoted", quoted);
            return properties;
        });

        /** A secret that JSON must escape: {@code whsec_"q"\_0001}. */
        private static final String QUOTED = "whsec_\"q\"\\_0001";

        /** A secret with a {@code '}, which Gson reads escaped too. */
        private static final String APOSTROPHE = "whsec_it's_0001";

        @ParameterizedTest
        @ValueSource(strings = {Vectors.SECRET_A, Vectors.SECRET_B, Vectors.Stripe.SECRET_A,
                Vectors.SECRET_B + "," + Vectors.SECRET_A, "redis://:store-password@redis.internal:6379"})
        void masksAnyKeyWhoseValueHoldsASecretOrAStoreUri(String value) {
            assertThat(sanitized(function, "PAYMENTS_WEBHOOK_SECRET", value)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        /**
         * The variable a placeholder in the store's URI took the password from ({@code redis://:${REDIS_PASSWORD}@host})
         * holds the password alone: the user-info's password, a password alone as Lettuce reads
         * {@code redis://password@host}, a password-like parameter.
         */
        @ParameterizedTest
        @ValueSource(strings = {"store-password", "jdbc-pass-1", "alone-pass-2", "prefix-jdbc-pass-1-suffix"})
        void masksAValueThatHoldsAStoresPassword(String value) {
            assertThat(sanitized(function, "REDIS_PASSWORD", value)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        /**
         * A {@code ;} is part of a password in a Redis URI's user-info and in a PgJDBC parameter's value, as the Redis
         * store and PgJDBC read them: the variable holds it whole, and was shown when the {@code ;} cut the password.
         */
        @ParameterizedTest
        @ValueSource(strings = {"semi;colon-pass-3", ";jdbc-pass-4"})
        void masksAValueThatHoldsAStoresPasswordWithASemicolon(String value) {
            assertThat(sanitized(function, "REDIS_PASSWORD", value)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"redis.internal", "hooks", "6379", "jdbc:postgresql://db.internal/app"})
        void showsTheRestOfAStoresUri(String value) {
            assertThat(sanitized(function, "STORE_HOST", value)).isEqualTo(value);
        }

        /** As SPRING_APPLICATION_JSON and spring.application.json may or must spell them; Actuator shows them so. */
        @ParameterizedTest
        @ValueSource(strings = {
                "{\"webhooks\":{\"endpoints\":{\"payments\":{\"secrets\":[\"\\u0077hsec_unit_test_secret_A_0001\"]}}}}",
                "{\"x\":\"\\u0077\\u0068\\u0073\\u0065\\u0063_unit_test_secret_A_0001\"}",
                "{\"x\":\"whsec_unit_test_secret_\\u0041_0001\"}",
                "{\"x\":\"whsec_\\\"q\\\"\\\\_0001\"}",
                "{\"x\":\"whsec_\\u0022q\\u0022\\u005c_0001\"}",
                "{\"store\":\"redis:\\/\\/:store-password@redis.internal:6379\"}",
        })
        void masksAValueThatHoldsASecretOnceItsJsonEscapesAreDecoded(String json) {
            assertThat(sanitized(function, "SPRING_APPLICATION_JSON", json)).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(sanitized(function, "spring.application.json", json)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        /**
         * Without Jackson, Spring Boot reads them with Gson, which takes {@code \'} for {@code '} too, or with its
         * BasicJsonParser, which drops any backslash and keeps the character after it: both read these values as
         * holding a secret (checked with GsonJsonParser and BasicJsonParser of Spring Boot 3.5.7, gson 2.13.2).
         */
        @ParameterizedTest
        @ValueSource(strings = {
                "{\"x\":\"whsec_it\\'s_0001\"}",
                "{\"x\":\"whsec\\_unit_test_secret_A_0001\"}",
                "{\"x\":\"w\\hsec_unit_test_secret_A_0001\"}",
                "{\"x\":\"whsec_unit_test_secret_\\A_\\0001\"}",
        })
        void masksAValueThatHoldsASecretOnceEachBackslashIsDropped(String json) {
            assertThat(sanitized(function, "SPRING_APPLICATION_JSON", json)).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"x\":\"\\u0077hsec_unit_test\"}", "{\"x\":\"whsec_\\\"q\\\"_0001\"}",
                "C:\\whsec\\u00zz\\", "\\"})
        void showsAValueWithEscapesThatHoldsNoSecret(String value) {
            assertThat(sanitized(function, "SPRING_APPLICATION_JSON", value)).isEqualTo(value);
        }

        @Test
        void dropsEachBackslash_keepingTheCharacterAfterIt_andABackslashAtTheEnd() {
            assertThat(WebhookSecretsSanitizingFunction.withoutBackslashes("a\\_\\'\\\\\\u0077\\"))
                    .isEqualTo("a_'\\u0077\\");
        }

        @Test
        void decodesJsonEscapes_andKeepsAnyOtherBackslash() {
            assertThat(WebhookSecretsSanitizingFunction.jsonUnescaped(
                    "a\\u0077\\u00E9\\\"\\\\\\/\\b\\f\\n\\r\\t|\\u00zz\\x\\u12\\"))
                    .isEqualTo("aw\u00e9\"\\/\b\f\n\r\t|\\u00zz\\x\\u12\\");
        }

        @Test
        void showsValuesThatHoldNone() {
            assertThat(sanitized(function, "app.mode", "memory")).isEqualTo("memory");
            assertThat(sanitized(function, "app.mode", "whsec_unit_test")).isEqualTo("whsec_unit_test");
            assertThat(sanitized(function, "app.port", 6379)).isEqualTo(6379);
        }
    }
}
