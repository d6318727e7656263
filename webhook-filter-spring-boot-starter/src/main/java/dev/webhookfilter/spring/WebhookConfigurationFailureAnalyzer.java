package dev.webhookfilter.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a bad {@code webhooks.*} configuration as Spring Boot's "APPLICATION FAILED TO START" report. */
class WebhookConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WebhookConfigurationException> {

    /** How the filter begins a problem of its {@code store} parameter, a line of the report. */
    private static final String STORE_PROBLEM = "\nstore: ";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WebhookConfigurationException cause) {
        // A store that cannot be reached, or is slow to answer at start-up, is no property to correct: say what to check.
        String store = String.valueOf(cause.getMessage()).contains(STORE_PROBLEM)
                ? " Where a store is named above, check its URI, that its server runs and answers from here, and"
                        + " store-timeout: the application starts once the store answers in time."
                : "";
        return new FailureAnalysis(cause.getMessage(), "Correct the webhooks.endpoints properties named above." + store
                + " A webhook endpoint never starts unverified.", cause);
    }
}
