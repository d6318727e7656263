package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;

/**
 * Adjusts an endpoint's verifier and filter before they are built, after the properties have been
 * applied. Every bean of this type is called, in {@code @Order}, once per endpoint: the place for a
 * metrics or outcome listener, a {@link dev.webhookfilter.ReplayGuard} shared by a cluster, or
 * anything else the properties do not cover. The filter's rules still apply to the result, and a
 * problem stops the application from starting.
 */
@FunctionalInterface
public interface WebhookFilterCustomizer {

    /**
     * @param endpoint the endpoint's name, the key under {@code webhooks.endpoints}
     * @param verifier its verifier, with the secrets, tolerance, clock and replay guard of the properties
     * @param filter its filter, with the body limit and header name of the properties; the verifier is
     *        set on it after every customizer has run
     */
    void customize(String endpoint, WebhookVerifier.Builder verifier, WebhookSignatureFilter.Builder filter);
}
