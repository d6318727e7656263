package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.UrlPatternScenarios;

class JettyEe10UrlPatternIT extends UrlPatternScenarios {

    JettyEe10UrlPatternIT() {
        super(new JettyEe10Container());
    }
}
