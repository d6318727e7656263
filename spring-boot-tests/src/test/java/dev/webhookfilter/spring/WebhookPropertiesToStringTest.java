package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's {@code toString()} names what is safe to show: never its secrets or store, and a path pattern, scheme
 * or header name only where it is written as one is, as a secret may be given under the wrong key (a placeholder
 * such as {@code ${WEBHOOK_SECRET}} under {@code scheme} or {@code path-patterns}).
 */
class WebhookPropertiesToStringTest {

    @Test
    void showsWhatIsWrittenAsPatternsSchemesAndHeaderNames() {
        WebhookProperties.Endpoint endpoint = new WebhookProperties.Endpoint();
        endpoint.setPathPatterns(List.of("/webhooks/payments/*", "*.json"));
        endpoint.setScheme(" Stripe ");
        endpoint.setHeaderName("X-Payments-Signature");
        endpoint.setSecrets(List.of("whsec_FAKE_secret_0001"));
        endpoint.setStore("redis://:FAKE-password@redis.internal:6379");

        assertThat(endpoint.toString())
                .contains("pathPatterns [/webhooks/payments/*, *.json]", "scheme  Stripe ", "header X-Payments-Signature",
                        "1 secrets")
                .doesNotContain("FAKE");
    }

    @Test
    void leavesOutASecretGivenUnderTheWrongKey() {
        WebhookProperties.Endpoint endpoint = new WebhookProperties.Endpoint();
        endpoint.setPathPatterns(List.of("/webhooks/*", "/FAKE+c2VjcmV0/dmFsdWU=", "whsec_FAKE_secret_0002",
                "fa4e8f742231b10e8888abcd99ffee"));
        endpoint.setScheme("whsec_FAKE_secret_0003");
        endpoint.setHeaderName("FAKEc2VjcmV0dmFsdWU0004");

        assertThat(endpoint.toString())
                .contains("pathPatterns [/webhooks/*, path-patterns[1] not shown, path-patterns[2] not shown,"
                        + " path-patterns[3] not shown]",
                        "scheme not shown", "header not shown")
                .doesNotContain("FAKE", "fa4e");
    }
}
