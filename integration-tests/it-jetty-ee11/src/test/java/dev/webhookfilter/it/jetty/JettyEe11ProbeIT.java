package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ProbeScenarios;

class JettyEe11ProbeIT extends ProbeScenarios {

    JettyEe11ProbeIT() {
        super(new JettyEe11Container());
    }
}
