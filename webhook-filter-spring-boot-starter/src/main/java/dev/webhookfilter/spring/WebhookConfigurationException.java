package dev.webhookfilter.spring;

/**
 * Thrown while the application starts when {@code webhooks.*} describes an endpoint that cannot be
 * verified safely. The message lists every problem of every endpoint, each with its fix; it never
 * contains a secret.
 */
public class WebhookConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message every problem, one line each
     */
    public WebhookConfigurationException(String message) {
        super(message);
    }
}
