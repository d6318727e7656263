package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.StalledBodyScenarios;

class TomcatStalledBodyIT extends StalledBodyScenarios {

    TomcatStalledBodyIT() {
        super(new TomcatContainer());
    }
}
