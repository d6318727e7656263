package dev.webhookfilter.example.boot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * The example's application.yml, as packaged in its jar, holds no secret: an application started without
 * {@code WEBHOOK_SECRET} and {@code ORDERS_WEBHOOK_SECRET} stops, naming both, rather than verifying with a
 * development secret that anyone who has read this repository can sign with. Only the launcher
 * ({@code mvn ... exec:exec}) supplies the development secrets (the pom's profiles).
 */
class WithoutSecretsTest {

    @Test
    void withoutItsSecretsInTheEnvironment_theApplicationDoesNotStart() {
        SpringApplication application = new SpringApplication(ExampleApplication.class);
        // Neither the environment's variables nor the JVM's system properties: whatever this test's
        // environment holds, the application sees only its own application.yml.
        application.setEnvironment(new StandardEnvironment() {
            @Override
            protected void customizePropertySources(MutablePropertySources propertySources) {
            }
        });

        assertThatThrownBy(() -> application.run("--server.port=0").close())
                .rootCause()
                .hasMessageContaining("the placeholder ${WEBHOOK_SECRET} is not resolved")
                .hasMessageContaining("the placeholder ${ORDERS_WEBHOOK_SECRET} is not resolved");
    }
}
