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
     * Starts the example on port 8080, or {@code server.port}. With {@code -Dexample.exitWithParent=true},
     * as the launcher passes, it exits when the process that started it does.
     *
     * @param args Spring Boot's command-line arguments, such as {@code --server.port=9090}
     */
    public static void main(String[] args) {
        if (Boolean.getBoolean("example.exitWithParent")) {
            // Under mvn exec:exec: if Maven itself is killed (an IDE's stop button, kill), stop too
            // rather than live on unseen and hold the port. System.exit runs Spring's shutdown hook.
            ProcessHandle.current().parent().ifPresent(maven -> maven.onExit().thenRun(() -> System.exit(0)));
        }
        SpringApplication.run(ExampleApplication.class, args);
    }
}
