package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.SlowClientScenarios;

class TomcatSlowClientIT extends SlowClientScenarios {

    TomcatSlowClientIT() {
        super(new TomcatContainer());
    }
}
