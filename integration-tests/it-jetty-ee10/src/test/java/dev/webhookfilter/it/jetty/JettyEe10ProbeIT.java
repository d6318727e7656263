package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ProbeScenarios;

class JettyEe10ProbeIT extends ProbeScenarios {

    JettyEe10ProbeIT() {
        super(new JettyEe10Container());
    }
}
