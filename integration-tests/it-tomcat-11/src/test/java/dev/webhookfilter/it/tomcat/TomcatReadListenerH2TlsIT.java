package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.ReadListenerScenarios;

class TomcatReadListenerH2TlsIT extends ReadListenerScenarios {

    TomcatReadListenerH2TlsIT() {
        super(new TomcatContainer(), Protocol.H2_TLS);
    }
}
