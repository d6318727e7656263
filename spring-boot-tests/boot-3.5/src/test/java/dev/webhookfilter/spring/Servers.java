package dev.webhookfilter.spring;

import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * Chooses a test application's container: Tomcat and Jetty are both on the classpath, and Boot
 * backs off from its own choice when the application defines a server factory. The factories'
 * packages are what differs between Boot lines here (Boot 3.5: {@code org.springframework.boot.web.embedded.tomcat} and
 * {@code org.springframework.boot.web.embedded.jetty}), so each line has its own copy of this class.
 */
final class Servers {

    private Servers() {
    }

    static class Tomcat {

        @Bean
        TomcatServletWebServerFactory tomcatServletWebServerFactory() {
            return new TomcatServletWebServerFactory();
        }
    }

    static class Jetty {

        @Bean
        JettyServletWebServerFactory jettyServletWebServerFactory() {
            return new JettyServletWebServerFactory();
        }
    }

    static class Undertow {

        @Bean
        UndertowServletWebServerFactory undertowServletWebServerFactory() {
            return new UndertowServletWebServerFactory();
        }
    }
}
