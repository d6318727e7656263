package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.AsyncCycleScenarios;

class JettyEe11AsyncCycleIT extends AsyncCycleScenarios {

    JettyEe11AsyncCycleIT() {
        super(new JettyEe11Container());
    }
}
