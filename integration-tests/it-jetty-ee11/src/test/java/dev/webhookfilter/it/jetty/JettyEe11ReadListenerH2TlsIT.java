package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe11ReadListenerH2TlsIT extends ReadListenerScenarios {

    JettyEe11ReadListenerH2TlsIT() {
        super(new JettyEe11Container(), Protocol.H2_TLS);
    }
}
