package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.ReadListenerScenarios;

class TomcatReadListenerIT extends ReadListenerScenarios {

    TomcatReadListenerIT() {
        super(new TomcatContainer());
    }
}
