package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.WebhookScenarios;

class JettyEe10WebhookIT extends WebhookScenarios {

    JettyEe10WebhookIT() {
        super(new JettyEe10Container());
    }
}
