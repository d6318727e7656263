package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.AsyncCycleScenarios;

class TomcatAsyncCycleIT extends AsyncCycleScenarios {

    TomcatAsyncCycleIT() {
        super(new TomcatContainer());
    }
}
