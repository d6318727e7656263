package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.Received;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC's suffix pattern match (on Boot 3.5 only: Spring 7 removed it) with the ant-style matcher, behind an
 * exact path pattern: Tomcat matches {@code /webhooks/payments/logged} against {@code /webhooks/payments/logged.json}
 * and runs no filter of that pattern, while Spring matches the controller's {@code /webhooks/payments/logged} as
 * {@code /webhooks/payments/logged.*} and routes the request to it. The starter's {@code webhookAmbiguousPathFilter}
 * refuses it.
 */
class SuffixPatternMatchOnBoot35Test {

    private static final String LOGGED = "/webhooks/payments/logged";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".json", ".anything", ".", ".a.b", ".json;x=1"})
    @SuppressWarnings("deprecation")
    void aSuffixAfterAnExactPathPattern_neverReachesTheControllerOfThatPattern(String suffix) throws Exception {
        assertRefused(suffix, Map.of(), configurer -> configurer.setUseSuffixPatternMatch(true));
    }

    /** The registered suffix match: only the extensions of the media types configured for content negotiation. */
    @Test
    @SuppressWarnings("deprecation")
    void aRegisteredSuffixAfterAnExactPathPattern_neverReachesTheControllerOfThatPattern() throws Exception {
        assertRefused(".xml", Map.of("spring.mvc.contentnegotiation.media-types.xml", "application/xml"),
                configurer -> configurer.setUseRegisteredSuffixPatternMatch(true));
    }

    private static void assertRefused(String suffix, Map<String, String> properties,
                                      Consumer<PathMatchConfigurer> pathMatch) throws Exception {
        SpringApplication application = new SpringApplication(SignedRequestsWithoutSpringSecurityOnTomcatTest.App.class);
        Map<String, Object> defaults = new HashMap<>(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "spring.mvc.pathmatch.matching-strategy", "ant-path-matcher",
                "webhooks.endpoints.payments.path-patterns", LOGGED,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        defaults.putAll(properties);
        application.setDefaultProperties(defaults);
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("suffixPatternMatch",
                WebMvcConfigurer.class, () -> new WebMvcConfigurer() {
                    @Override
                    public void configurePathMatch(PathMatchConfigurer configurer) {
                        pathMatch.accept(configurer);
                    }
                }));
        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer exact = http.post(LOGGED, "application/json", Vectors.SIMPLE_BODY);
            Loopback.Answer suffixed = http.post(LOGGED + suffix, "application/json", Vectors.SIMPLE_BODY);

            assertThat(exact.status()).as(exact.body()).isEqualTo(401);
            assertThat(suffixed.status()).as(suffixed.body()).isEqualTo(400);
            assertThat(suffixed.body()).isEqualTo("webhook rejected: ambiguous path\n");
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }
}
