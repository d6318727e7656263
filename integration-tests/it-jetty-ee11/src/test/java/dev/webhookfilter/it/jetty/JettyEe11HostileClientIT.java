package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.HostileClientScenarios;

class JettyEe11HostileClientIT extends HostileClientScenarios {

    JettyEe11HostileClientIT() {
        super(new JettyEe11Container());
    }
}
