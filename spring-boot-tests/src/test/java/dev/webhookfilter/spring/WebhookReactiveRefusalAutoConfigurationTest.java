package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * A reactive application never runs the starter's servlet filters: with {@code webhooks.endpoints} configured,
 * it must not start, since its endpoints would take unsigned requests. Before, it started and served them.
 */
class WebhookReactiveRefusalAutoConfigurationTest {

    private static final AutoConfigurations STARTER = AutoConfigurations.of(WebhookFilterAutoConfiguration.class,
            WebhookReactiveRefusalAutoConfiguration.class);

    @Test
    void aReactiveApplicationWithEndpoints_doesNotStart() {
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues("webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                        "webhooks.endpoints.payments.secrets=" + Vectors.SECRET_A)
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (!(failure instanceof WebhookConfigurationException) && failure.getCause() != null) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(WebhookConfigurationException.class)
                            .hasMessageStartingWith("webhooks.endpoints configures [payments], but this is a reactive"
                                    + " (WebFlux) application")
                            .hasMessageNotContaining(Vectors.SECRET_A);
                });
    }

    /** Lazy initialisation makes no bean until it is needed: the refusal must not wait for one. */
    @Test
    void aReactiveApplicationWithEndpoints_doesNotStartLazilyEither() {
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues("spring.main.lazy-initialization=true",
                        "webhooks.endpoints.payments.secrets=" + Vectors.SECRET_A)
                .run(context -> assertThat(context).hasFailed());
    }

    /**
     * An endpoint that binds to nothing, its every key misspelled or itself under a misspelling of
     * {@code webhooks.endpoints} or without it, is still meant, and would be as unprotected.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "every key misspelled, webhooks.endpoints.payments.path-pattern, webhooks.endpoints.payments.secret",
            "under webhooks.endpoint, webhooks.endpoint.payments.path-patterns, webhooks.endpoint.payments.secrets",
            "without endpoints, webhooks.payments.path-patterns, webhooks.payments.secrets",
    })
    void aReactiveApplicationWithAnEndpointThatBindsToNothing_doesNotStart(String how, String pathKey, String secretKey) {
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues(pathKey + "=/webhooks/payments/*", secretKey + "=" + Vectors.SECRET_A)
                .run(context -> assertThat(context).getFailure()
                        .isInstanceOf(WebhookConfigurationException.class)
                        .hasMessageContaining("reactive (WebFlux) application")
                        .hasMessageNotContaining(Vectors.SECRET_A));
    }

    @Test
    void aReactiveApplicationWithoutEndpoints_starts() {
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues("webhooks.other=the application's own key")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aServletApplication_isNotRefused() {
        new WebApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues("webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                        "webhooks.endpoints.payments.secrets=" + Vectors.SECRET_A)
                .run(context -> assertThat(context).hasNotFailed().hasBean("webhookFilter.payments"));
    }
}
