package dev.webhookfilter.spring;

import org.springframework.context.annotation.Import;

/** The scenarios on Jetty. */
@Import(Servers.Jetty.class)
class SignedRequestsOnJettyTest extends SignedRequestScenarios {

    @Override
    String serverInfoPrefix() {
        return "jetty";
    }

    @Override
    Class<?> server() {
        return Servers.Jetty.class;
    }
}
