package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.ReadListenerScenarios;

class JettyEe10ReadListenerH2TlsIT extends ReadListenerScenarios {

    JettyEe10ReadListenerH2TlsIT() {
        super(new JettyEe10Container(), Protocol.H2_TLS);
    }
}
