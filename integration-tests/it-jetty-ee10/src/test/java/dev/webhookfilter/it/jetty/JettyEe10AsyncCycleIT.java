package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.AsyncCycleScenarios;

class JettyEe10AsyncCycleIT extends AsyncCycleScenarios {

    JettyEe10AsyncCycleIT() {
        super(new JettyEe10Container());
    }
}
