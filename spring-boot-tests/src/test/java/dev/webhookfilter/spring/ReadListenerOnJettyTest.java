package dev.webhookfilter.spring;

import org.springframework.context.annotation.Import;

/** The read listener scenarios on Jetty. */
@Import(Servers.Jetty.class)
class ReadListenerOnJettyTest extends ReadListenerScenarios {
}
