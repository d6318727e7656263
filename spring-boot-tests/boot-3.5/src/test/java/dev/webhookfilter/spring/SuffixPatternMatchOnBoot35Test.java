package dev.webhookfilter.spring;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;

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
        Map<String, String> antPathMatcher = new HashMap<>(properties);
        antPathMatcher.put("spring.mvc.pathmatch.matching-strategy", "ant-path-matcher");
        SignedRequestsWithoutSpringSecurityOnTomcatTest.assertRefusedAsAmbiguous(LOGGED, antPathMatcher, pathMatch,
                LOGGED, LOGGED + suffix);
    }
}
