package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.spring.app.Received;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import dev.webhookfilter.testing.LogCapture;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.web.filter.HiddenHttpMethodFilter;

/**
 * The test application (Spring Security configured as README says) on Tomcat, with a filter the application orders
 * before the endpoints' filters: Spring Security's chain itself ({@code spring.security.filter.order}), or Spring's
 * HiddenHttpMethodFilter, which reads a form post's parameters.
 */
class FiltersBeforeTheWebhookFiltersTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final byte[] FORM_BODY = "name=Zo%C3%AB&note=x".getBytes(StandardCharsets.US_ASCII);

    /**
     * Before the endpoints' filters, with the webhook paths permitted and left out of CSRF protection, Spring Security
     * reads no body: signed JSON and form posts reach the controller with the signed bytes, an unsigned one gets the
     * filter's 401, and a dot segment Security's firewall's 400 (the ambiguous-path filter never sees it).
     */
    @Test
    void springSecurityFirst_readsNoBody_andEveryUnsignedRequestIsStillRefused() throws Exception {
        run(Map.of("spring.security.filter.order", String.valueOf(Ordered.HIGHEST_PRECEDENCE)), context -> { }, app -> {
            Loopback.Answer json = app.http.post("/webhooks/payments/bytes", "application/json", Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));
            Loopback.Answer form = app.http.post("/webhooks/payments/form", FORM, FORM_BODY,
                    "X-Webhook-Signature", WebhookSigner.of(Vectors.SECRET_A).sign(FORM_BODY, Vectors.T));
            Loopback.Answer unsigned = app.http.post("/webhooks/payments/form", FORM, FORM_BODY);
            Loopback.Answer dotSegment = app.http.post("/webhooks/payments/%2e%2e/bytes", "application/json",
                    Vectors.SIMPLE_BODY);

            assertThat(json.status()).as(json.body()).isEqualTo(200);
            assertThat(form.status()).as(form.body()).isEqualTo(200);
            assertThat(form.field("sha256")).isEqualTo(Loopback.sha256(FORM_BODY));
            assertThat(form.field("name")).isEqualTo("Zoë");
            assertThat(unsigned.status()).isEqualTo(401);
            assertThat(unsigned.body()).isEqualTo("webhook rejected: missing signature header\n");
            assertThat(dotSegment.status()).isEqualTo(400);
            assertThat(app.received.controllerCalls.get()).as("controller calls").isEqualTo(2);
            assertThat(app.warnings).isEmpty();
        });
    }

    /**
     * HiddenHttpMethodFilter asks for a POST's _method parameter, and Tomcat reads the form body to answer: the
     * endpoint's filter finds it consumed, and a signed form post gets 400, never the controller. JSON is not read.
     * The start-up log says why (it said nothing).
     */
    @Test
    void hiddenHttpMethodFilterFirst_leavesSignedFormPostsA400_andIsWarnedOfAtStartUp() throws Exception {
        Consumer<GenericApplicationContext> early = context -> context.registerBean("earlyHiddenHttpMethodFilter",
                FilterRegistrationBean.class, () -> {
                    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new HiddenHttpMethodFilter());
                    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
                    return registration;
                });
        run(Map.of(), early, app -> {
            Loopback.Answer json = app.http.post("/webhooks/payments/bytes", "application/json", Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A));
            Loopback.Answer form = app.http.post("/webhooks/payments/form", FORM, FORM_BODY,
                    "X-Webhook-Signature", WebhookSigner.of(Vectors.SECRET_A).sign(FORM_BODY, Vectors.T));

            assertThat(json.status()).as(json.body()).isEqualTo(200);
            assertThat(form.status()).isEqualTo(400);
            assertThat(form.body()).isEqualTo("webhook rejected: body incomplete\n");
            assertThat(app.received.controllerCalls.get()).as("controller calls").isEqualTo(1);
            assertThat(app.warnings).containsExactly("Filter 'earlyHiddenHttpMethodFilter'"
                    + " (org.springframework.web.filter.HiddenHttpMethodFilter, order -2147483648) runs before webhook"
                    + " endpoint 'payments' (order -2147483638) on /* and /webhooks/payments/*: it reads a form post's"
                    + " parameters, which consumes the body, so every signed form post there gets 400 (body"
                    + " incomplete); order it after -2147483638, as Spring Boot does");
        });
    }

    private record Started(Loopback http, Received received, java.util.List<String> warnings) {
    }

    private interface Check {
        void accept(Started app) throws Exception;
    }

    private static void run(Map<String, String> properties, Consumer<GenericApplicationContext> beans, Check check)
            throws Exception {
        SpringApplication application = new SpringApplication(WebhookTestApplication.class, Servers.Tomcat.class);
        Map<String, Object> defaults = new HashMap<>(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", "/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        defaults.putAll(properties);
        application.setDefaultProperties(defaults);
        application.addInitializers(context -> beans.accept((GenericApplicationContext) context));
        try (LogCapture logs = LogCapture.of(BodyReadersBeforeWebhooks.class.getName());
             ConfigurableApplicationContext started = application.run()) {
            check.accept(new Started(new Loopback(Integer.parseInt(started.getEnvironment().getProperty(
                    "local.server.port"))), started.getBean(Received.class), logs.messages(Level.WARNING)));
        }
    }
}
