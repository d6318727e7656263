package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.H2AsyncResetScenarios;

class TomcatH2AsyncResetIT extends H2AsyncResetScenarios {

    TomcatH2AsyncResetIT() {
        super(new TomcatContainer());
    }
}
