package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2cScenarios;

class JettyEe10H2cIT extends H2cScenarios {

    JettyEe10H2cIT() {
        super(new JettyEe10Container());
    }
}
