package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe10ReadListenerIT extends ReadListenerScenarios {

    JettyEe10ReadListenerIT() {
        super(new JettyEe10Container());
    }
}
