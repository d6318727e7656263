package dev.webhookfilter.spring;

import org.springframework.context.annotation.Import;

/** The read listener scenarios on Tomcat. */
@Import(Servers.Tomcat.class)
class ReadListenerOnTomcatTest extends ReadListenerScenarios {
}
