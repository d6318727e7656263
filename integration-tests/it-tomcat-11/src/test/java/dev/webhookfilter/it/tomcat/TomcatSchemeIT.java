package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.SchemeScenarios;

class TomcatSchemeIT extends SchemeScenarios {

    TomcatSchemeIT() {
        super(new TomcatContainer());
    }
}
