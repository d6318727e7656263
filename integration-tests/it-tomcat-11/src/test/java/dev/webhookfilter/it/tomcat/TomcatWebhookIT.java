package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.WebhookScenarios;

class TomcatWebhookIT extends WebhookScenarios {

    TomcatWebhookIT() {
        super(new TomcatContainer());
    }
}
