package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.LoadScenarios;

class JettyEe11LoadIT extends LoadScenarios {

    JettyEe11LoadIT() {
        super(new JettyEe11Container());
    }
}
