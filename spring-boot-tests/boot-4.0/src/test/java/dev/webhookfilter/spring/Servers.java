package dev.webhookfilter.spring;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * Chooses a test application's container: Tomcat and Jetty are both on the classpath, and Boot
 * backs off from its own choice when the application defines a server factory. The factories'
 * packages are what differs between Boot lines here (Boot 4.0: {@code org.springframework.boot.tomcat.servlet} and
 * {@code org.springframework.boot.jetty.servlet}), so each line has its own copy of this class.
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
}
