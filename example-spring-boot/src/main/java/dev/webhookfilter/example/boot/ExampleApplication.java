package dev.webhookfilter.example.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with two webhook endpoints, configured in {@code application.yml};
 * webhook-filter-spring-boot-starter puts a verifying filter in front of each. Run it with
 * {@code mvn -pl example-spring-boot -am -DskipTests package exec:exec}.
 */
@SpringBootApplication
public class ExampleApplication {

    /**
     * Starts the example on port 8080, or {@code server.port}.
     *
     * @param args Spring Boot's command-line arguments, such as {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
