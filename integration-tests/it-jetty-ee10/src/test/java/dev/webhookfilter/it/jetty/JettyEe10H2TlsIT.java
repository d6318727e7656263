package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2cScenarios;

class JettyEe10H2TlsIT extends H2cScenarios {

    JettyEe10H2TlsIT() {
        super(new JettyEe10Container(), Transport.TLS);
    }
}
