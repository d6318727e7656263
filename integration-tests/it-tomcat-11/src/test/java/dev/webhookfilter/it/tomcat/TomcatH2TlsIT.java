package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.H2cScenarios;

class TomcatH2TlsIT extends H2cScenarios {

    TomcatH2TlsIT() {
        super(new TomcatContainer(), Transport.TLS);
    }
}
