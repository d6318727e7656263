package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.Received;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * The test application's controller without Spring Security, on Undertow (Boot 3.5 only), as
 * {@link SignedRequestsWithoutSpringSecurityOnTomcatTest} runs it on Tomcat: Spring Security's firewall is not there to
 * refuse a dot segment, so only the container's mapping and the starter's filters decide. Undertow decodes the path
 * and removes its dot segments before it matches filter mappings, as Tomcat does.
 */
@SpringBootTest(classes = PathsWithoutSpringSecurityOnUndertowTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "webhooks.endpoints.payments.path-patterns=/webhooks/*",
                "webhooks.endpoints.payments.secrets[0]=" + Vectors.SECRET_A,
        })
class PathsWithoutSpringSecurityOnUndertowTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
    @ComponentScan(basePackageClasses = Received.class, excludeFilters = @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE, classes = WebhookTestApplication.class))
    @Import(Servers.Undertow.class)
    static class App {

        @Bean
        Received received() {
            return new Received();
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Received received;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/payments/bytes", "/webhooks/%2e%2e/bytes", "/webhooks/.%2E/bytes",
            "/webhooks/..;/bytes", "/webhooks/payments/../bytes", "/webhooks/x%2F..%2F..%2Fbytes/bytes",
            "/WEBHOOKS/payments/bytes", "/webhooks/payments/bytes.json", "/webhooks/payments/bytes/"})
    void anUnsignedRequest_neverReachesTheController(String path) throws Exception {
        int before = received.controllerCalls.get();

        Loopback.Answer answer = new Loopback(port).post(path, "application/json", Vectors.SIMPLE_BODY);

        assertThat(answer.status()).as(answer.body()).isIn(400, 401, 404);
        assertThat(received.controllerCalls.get()).as("controller calls").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/%2e%2e/bytes", "/webhooks/.%2E/bytes"})
    void aDotSegmentUnderTheEndpointsPattern_gets400(String path) throws Exception {
        Loopback.Answer answer = new Loopback(port).post(path, "application/json", Vectors.SIMPLE_BODY);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("webhook rejected: ambiguous path\n");
    }
}
