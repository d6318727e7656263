package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.ProbeScenarios;

class TomcatProbeIT extends ProbeScenarios {

    TomcatProbeIT() {
        super(new TomcatContainer());
    }
}
