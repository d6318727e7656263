package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.UrlPatternScenarios;

class TomcatUrlPatternIT extends UrlPatternScenarios {

    TomcatUrlPatternIT() {
        super(new TomcatContainer());
    }
}
