package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.LoadScenarios;

class TomcatLoadIT extends LoadScenarios {

    TomcatLoadIT() {
        super(new TomcatContainer());
    }
}
