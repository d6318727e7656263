package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.ReadListenerScenarios;

class TomcatReadListenerH2cIT extends ReadListenerScenarios {

    TomcatReadListenerH2cIT() {
        super(new TomcatContainer(), Protocol.H2C);
    }
}
