package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.H2cScenarios;

class TomcatH2cIT extends H2cScenarios {

    TomcatH2cIT() {
        super(new TomcatContainer());
    }
}
