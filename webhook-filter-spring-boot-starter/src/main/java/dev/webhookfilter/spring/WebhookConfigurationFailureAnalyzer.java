package dev.webhookfilter.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a bad {@code webhooks.*} configuration as Spring Boot's "APPLICATION FAILED TO START" report. */
class WebhookConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WebhookConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WebhookConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct the webhooks.endpoints properties named above."
                + " A webhook endpoint never starts unverified.", cause);
    }
}
