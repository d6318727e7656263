package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.WebhookScenarios;

class JettyEe11WebhookIT extends WebhookScenarios {

    JettyEe11WebhookIT() {
        super(new JettyEe11Container());
    }
}
