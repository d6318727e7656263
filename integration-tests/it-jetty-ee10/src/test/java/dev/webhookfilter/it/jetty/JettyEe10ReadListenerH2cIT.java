package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe10ReadListenerH2cIT extends ReadListenerScenarios {

    JettyEe10ReadListenerH2cIT() {
        super(new JettyEe10Container(), Protocol.H2C);
    }
}
