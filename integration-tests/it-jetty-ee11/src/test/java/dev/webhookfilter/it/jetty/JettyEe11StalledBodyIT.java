package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.StalledBodyScenarios;

class JettyEe11StalledBodyIT extends StalledBodyScenarios {

    JettyEe11StalledBodyIT() {
        super(new JettyEe11Container());
    }
}
