package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.Received;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC's trailing slash match (on Boot 3.5 only: Spring 7 removed it) with the ant-style matcher, behind an
 * exact path pattern: {@code /webhooks/payments/logged/;x} is {@code /webhooks/payments/logged/} to the container,
 * which runs no filter of the exact pattern then, and Spring drops the parameters and the slash and routes it to
 * the controller at {@code /webhooks/payments/logged}. The starter's {@code webhookAmbiguousPathFilter} refuses it.
 */
class TrailingSlashWithParametersOnBoot35Test {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/;x", "/;", "//;x"})
    @SuppressWarnings("deprecation")
    void aTrailingEmptySegmentWithParameters_neverReachesTheControllerOfTheExactPattern(String tail) throws Exception {
        String logged = "/webhooks/payments/logged";
        SpringApplication application = new SpringApplication(SignedRequestsWithoutSpringSecurityOnTomcatTest.App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "spring.mvc.pathmatch.matching-strategy", "ant-path-matcher",
                "webhooks.endpoints.payments.path-patterns", logged,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("trailingSlashMatch",
                WebMvcConfigurer.class, () -> new WebMvcConfigurer() {
                    @Override
                    public void configurePathMatch(PathMatchConfigurer configurer) {
                        configurer.setUseTrailingSlashMatch(true);
                    }
                }));
        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));
            Loopback.Answer answer = http.post(logged + tail, "application/json", Vectors.SIMPLE_BODY);
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }
}
