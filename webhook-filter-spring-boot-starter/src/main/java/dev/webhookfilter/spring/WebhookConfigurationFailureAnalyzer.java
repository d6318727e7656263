package dev.webhookfilter.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a bad {@code webhooks.*} configuration as Spring Boot's "APPLICATION FAILED TO START" report. */
class WebhookConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WebhookConfigurationException> {

    /**
     * A problem of an endpoint's {@code store}, a line of the report, other than an unresolved placeholder (which names
     * the variable to set): the store could not be opened.
     */
    private static final java.util.regex.Pattern STORE_PROBLEM =
            java.util.regex.Pattern.compile("(?m)^store: (?!the placeholders? |holds a placeholder )");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WebhookConfigurationException cause) {
        // A store that cannot be reached, or is slow to answer at start-up, is no property to correct: say what to check.
        String store = STORE_PROBLEM.matcher(String.valueOf(cause.getMessage())).find()
                ? " Where a store is named above, check its URI, that its server runs and answers from here, and"
                        + " store-timeout: the application starts once the store answers in time."
                : "";
        return new FailureAnalysis(cause.getMessage(), "Correct the webhooks.endpoints properties named above." + store
                + " A webhook endpoint never starts unverified.", cause);
    }
}
