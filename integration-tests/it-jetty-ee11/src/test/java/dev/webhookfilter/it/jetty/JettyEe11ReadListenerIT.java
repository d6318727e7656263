package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe11ReadListenerIT extends ReadListenerScenarios {

    JettyEe11ReadListenerIT() {
        super(new JettyEe11Container());
    }
}
