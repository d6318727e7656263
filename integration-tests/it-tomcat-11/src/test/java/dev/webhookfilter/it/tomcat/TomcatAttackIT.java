package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.AttackScenarios;

class TomcatAttackIT extends AttackScenarios {

    TomcatAttackIT() {
        super(new TomcatContainer());
    }
}
