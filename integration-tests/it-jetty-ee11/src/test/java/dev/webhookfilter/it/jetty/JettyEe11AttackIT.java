package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.AttackScenarios;

class JettyEe11AttackIT extends AttackScenarios {

    JettyEe11AttackIT() {
        super(new JettyEe11Container());
    }
}
