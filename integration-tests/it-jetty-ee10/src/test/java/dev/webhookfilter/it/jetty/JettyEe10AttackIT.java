package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.AttackScenarios;

class JettyEe10AttackIT extends AttackScenarios {

    JettyEe10AttackIT() {
        super(new JettyEe10Container());
    }
}
