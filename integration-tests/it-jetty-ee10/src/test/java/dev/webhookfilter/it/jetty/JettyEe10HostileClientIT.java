package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.HostileClientScenarios;

class JettyEe10HostileClientIT extends HostileClientScenarios {

    JettyEe10HostileClientIT() {
        super(new JettyEe10Container());
    }
}
