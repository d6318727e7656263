package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.SchemeScenarios;

class JettyEe11SchemeIT extends SchemeScenarios {

    JettyEe11SchemeIT() {
        super(new JettyEe11Container());
    }
}
