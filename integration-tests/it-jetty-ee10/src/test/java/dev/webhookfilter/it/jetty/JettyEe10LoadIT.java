package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.LoadScenarios;

class JettyEe10LoadIT extends LoadScenarios {

    JettyEe10LoadIT() {
        super(new JettyEe10Container());
    }
}
