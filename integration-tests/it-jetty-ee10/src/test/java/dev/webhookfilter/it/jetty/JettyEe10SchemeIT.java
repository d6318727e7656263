package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.SchemeScenarios;

class JettyEe10SchemeIT extends SchemeScenarios {

    JettyEe10SchemeIT() {
        super(new JettyEe10Container());
    }
}
