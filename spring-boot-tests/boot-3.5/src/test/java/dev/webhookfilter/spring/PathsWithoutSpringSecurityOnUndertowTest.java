package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.Received;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
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
    @Import(Servers.Undertow.class)
    static class App extends SignedRequestsWithoutSpringSecurityOnTomcatTest.WithoutSpringSecurity {
    }

    /** The Tomcat test's paths, and more that Undertow's own decoding and mapping could get wrong. */
    static Stream<String> paths() {
        return Stream.concat(SignedRequestsWithoutSpringSecurityOnTomcatTest.pathsToTheController(), Stream.of(
                "/webhooks/payments/../bytes", "/webhooks/x%2F..%2F..%2Fbytes/bytes", "/WEBHOOKS/payments/bytes",
                "/webhooks/payments/bytes.json", "/webhooks/payments/bytes/"));
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Received received;

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
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
