package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.HostileClientScenarios;

class TomcatHostileClientIT extends HostileClientScenarios {

    TomcatHostileClientIT() {
        super(new TomcatContainer());
    }
}
