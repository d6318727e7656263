package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2AsyncResetScenarios;

class JettyEe11H2AsyncResetIT extends H2AsyncResetScenarios {

    JettyEe11H2AsyncResetIT() {
        super(new JettyEe11Container());
    }
}
