package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2AsyncResetScenarios;

class JettyEe10H2AsyncResetIT extends H2AsyncResetScenarios {

    JettyEe10H2AsyncResetIT() {
        super(new JettyEe10Container());
    }
}
