package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.SlowClientScenarios;

class JettyEe11SlowClientIT extends SlowClientScenarios {

    JettyEe11SlowClientIT() {
        super(new JettyEe11Container());
    }
}
