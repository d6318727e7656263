package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.UrlPatternScenarios;

class JettyEe11UrlPatternIT extends UrlPatternScenarios {

    JettyEe11UrlPatternIT() {
        super(new JettyEe11Container());
    }
}
