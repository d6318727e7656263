package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.H2cScenarios;

class JettyEe11H2TlsIT extends H2cScenarios {

    JettyEe11H2TlsIT() {
        super(new JettyEe11Container(), Transport.TLS);
    }
}
