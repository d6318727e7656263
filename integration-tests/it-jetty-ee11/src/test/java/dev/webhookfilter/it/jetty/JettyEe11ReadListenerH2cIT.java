package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe11ReadListenerH2cIT extends ReadListenerScenarios {

    JettyEe11ReadListenerH2cIT() {
        super(new JettyEe11Container(), Protocol.H2C);
    }
}
