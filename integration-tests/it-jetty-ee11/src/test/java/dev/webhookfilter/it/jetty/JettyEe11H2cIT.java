package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2cScenarios;

class JettyEe11H2cIT extends H2cScenarios {

    JettyEe11H2cIT() {
        super(new JettyEe11Container());
    }
}
