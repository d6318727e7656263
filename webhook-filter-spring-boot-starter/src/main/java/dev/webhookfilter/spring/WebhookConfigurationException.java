package dev.webhookfilter.spring;

/**
 * Thrown while the application starts when {@code webhooks.*} describes an endpoint that cannot be
 * verified safely. The message lists every problem of every endpoint, each with its fix; it never
 * contains a secret.
 */
public final class WebhookConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Thrown by the starter only: users catch it, or see it analysed, and never make one. */
    WebhookConfigurationException(String message) {
        super(message);
    }
}
