package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.StalledBodyScenarios;

class JettyEe10StalledBodyIT extends StalledBodyScenarios {

    JettyEe10StalledBodyIT() {
        super(new JettyEe10Container());
    }
}
