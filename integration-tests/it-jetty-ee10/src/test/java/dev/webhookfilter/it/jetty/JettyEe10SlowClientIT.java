package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.SlowClientScenarios;

class JettyEe10SlowClientIT extends SlowClientScenarios {

    JettyEe10SlowClientIT() {
        super(new JettyEe10Container());
    }
}
