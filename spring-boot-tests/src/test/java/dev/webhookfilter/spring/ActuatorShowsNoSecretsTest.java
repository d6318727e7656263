package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Actuator's {@code configprops} and {@code env} endpoints, told to show values, and its {@code health}, over loopback: every
 * secret of every endpoint and the password in a store's URI are masked, also where a placeholder took
 * a secret or the store's password from a property of another name; the endpoints' other properties are still
 * shown.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "management.endpoints.web.exposure.include=configprops,env,health",
                "management.endpoint.health.show-details=always",
                "management.endpoint.configprops.show-values=always",
                "management.endpoint.env.show-values=always",
                "spring.security.user.name=" + ActuatorShowsNoSecretsTest.USER,
                "spring.security.user.password=" + ActuatorShowsNoSecretsTest.PASSWORD,
                "webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets[0]=" + Vectors.SECRET_A,
                "webhooks.endpoints.payments.secrets[1]=" + Vectors.SECRET_B,
                "webhooks.endpoints.payments.header-name=X-Payments-Signature",
                "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*",
                // The secret through a placeholder, from a property whose name says nothing of a secret.
                "webhooks.endpoints.orders.secrets=${orders.signing-value}",
                "orders.signing-value=" + Vectors.Stripe.SECRET_A,
                "webhooks.endpoints.orders.replay-protection=true",
                // The store's password through a placeholder too: the property shows the password alone.
                "webhooks.endpoints.orders.store=test-unavailable://webhooks:${orders.store-password}@127.0.0.1:1",
                "orders.store-password=" + ActuatorShowsNoSecretsTest.STORE_PASSWORD,
        })
@Import(Servers.Tomcat.class)
class ActuatorShowsNoSecretsTest {

    static final String USER = "operator";
    static final String PASSWORD = "operator-password";
    static final String STORE_PASSWORD = "Store-Password-7";

    @Value("${local.server.port}")
    int port;

    Loopback http;

    @BeforeEach
    void connect() {
        http = new Loopback(port);
    }

    private String fetch(String path) throws Exception {
        return fetch(http, path);
    }

    private static String fetch(Loopback http, String path) throws Exception {
        Loopback.Answer answer = answer(http, path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static Loopback.Answer answer(Loopback http, String path) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.get(path, "Authorization", "Basic " + credentials);
    }

    /**
     * The orders endpoint opens its store from its URI (no store bean): {@code /actuator/health} shows it, DOWN as the
     * test store never answers, and the whole answer is 503 for a readiness probe; never the URI, host or password.
     */
    @Test
    void healthShowsTheStoreAnEndpointOpenedFromItsUri_withoutItsUri() throws Exception {
        Loopback.Answer answer = answer(http, "/actuator/health");
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        // The indicator's object, whose keys Boot 3.5 writes status first and Boot 4.0 in alphabetical order.
        String body = answer.body();
        int orders = body.indexOf("\"webhookStores\":{");
        orders = orders < 0 ? -1 : body.indexOf("\"endpoint-orders\":{", orders);
        assertThat(orders).as(body).isNotNegative();
        int detailsEnd = body.indexOf('}', body.indexOf("\"reason\"", orders));
        String indicator = body.substring(orders, body.indexOf('}', detailsEnd + 1) + 1);
        assertThat(indicator).contains("\"status\":\"DOWN\"", "\"details\":{\"reason\":\"the store's health check"
                + " failed: it did not answer, or found that requests would fail or go wrong now\"}");
        assertThat(Stream.of(STORE_PASSWORD, "test-unavailable", "127.0.0.1:1", "webhooks:")
                .filter(body::contains)).as(body).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/configprops", "/actuator/env"})
    void showsTheEndpoints_withoutTheirSecretsOrTheStoresPassword(String path) throws Exception {
        String body = fetch(path);
        assertThat(body).contains("/webhooks/payments/*", "/webhooks/orders/*", "X-Payments-Signature");
        // Only what leaked, not the whole body, in the failure's message.
        assertThat(Stream.of(Vectors.SECRET_A, Vectors.SECRET_B, Vectors.Stripe.SECRET_A, STORE_PASSWORD)
                .filter(body::contains)).as("shown by %s", path).isEmpty();
    }

    /**
     * Secrets given in {@code spring.application.json} (or {@code SPRING_APPLICATION_JSON}), as JSON must or may
     * write them: a {@code "} or {@code \} escaped, a character as <code>&#92;u0077</code>. The property's value, which
     * {@code env} shows, then holds no secret as it is.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/actuator/configprops", "/actuator/env"})
    void showsNoSecretGivenInSpringApplicationJson_withEscapes(String path) throws Exception {
        String quoted = "whsec_json_\"quoted\"_and_\\_0001";
        String json = "{\"webhooks\":{\"endpoints\":{"
                + "\"refunds\":{\"path-patterns\":[\"/webhooks/refunds/*\"],"
                + "\"secrets\":[\"\\u0077" + Vectors.SECRET_A.substring(1) + "\"]},"
                + "\"disputes\":{\"path-patterns\":[\"/webhooks/disputes/*\"],"
                + "\"secrets\":[\"" + quoted.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]}}}}";
        SpringApplication application = new SpringApplication(WebhookTestApplication.class, Servers.Tomcat.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "management.endpoints.web.exposure.include", "configprops,env",
                "management.endpoint.configprops.show-values", "always",
                "management.endpoint.env.show-values", "always",
                "spring.security.user.name", USER, "spring.security.user.password", PASSWORD,
                "spring.application.json", json));

        try (ConfigurableApplicationContext started = application.run()) {
            String body = fetch(new Loopback(Integer.parseInt(started.getEnvironment().getProperty(
                    "local.server.port"))), path);

            assertThat(body).contains("/webhooks/refunds/*", "/webhooks/disputes/*");
            // Parts that no escape touches: the answer, JSON too, escapes the JSON property's backslashes again.
            assertThat(Stream.of(Vectors.SECRET_A.substring(1), "whsec_json_")
                    .filter(body::contains)).as("shown by %s", path).isEmpty();
        }
    }
}
