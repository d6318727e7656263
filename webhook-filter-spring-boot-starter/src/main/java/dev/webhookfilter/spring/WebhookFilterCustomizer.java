package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;

/**
 * Adjusts an endpoint's verifier and filter before they are built, after the properties have been
 * applied and found good. Every bean of this type is called, in {@code @Order}, once per endpoint: the
 * place for a metrics or outcome listener, a {@link dev.webhookfilter.ReplayGuard} of your own, or
 * anything else the properties do not cover. The filter's rules still apply to the result, and a
 * problem stops the application from starting: a replay guard set here on an endpoint with
 * {@code replay-protection: true}, which gives the endpoint the filter's store, is one.
 */
@FunctionalInterface
public interface WebhookFilterCustomizer {

    /**
     * Adjusts one endpoint's builders before its filter is built.
     *
     * @param endpoint the endpoint's name, the key under {@code webhooks.endpoints}
     * @param verifier its verifier, with the scheme, secrets, tolerance and clock of the properties
     * @param filter its filter, with the other properties (body limits, header, query strings, replay
     *        protection, store, de-duplication); the verifier is set on it after every customizer has run
     */
    void customize(String endpoint, WebhookVerifier.Builder verifier, WebhookSignatureFilter.Builder filter);
}
