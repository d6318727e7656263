package dev.webhookfilter.spring;

import org.springframework.context.annotation.Import;

/** The scenarios on Tomcat, Spring Boot's default container. */
@Import(Servers.Tomcat.class)
class SignedRequestsOnTomcatTest extends SignedRequestScenarios {

    @Override
    String serverInfoPrefix() {
        return "Apache Tomcat";
    }

    @Override
    Class<?> server() {
        return Servers.Tomcat.class;
    }
}
