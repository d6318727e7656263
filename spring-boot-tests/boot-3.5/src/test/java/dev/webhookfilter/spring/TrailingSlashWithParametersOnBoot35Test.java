package dev.webhookfilter.spring;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        SignedRequestsWithoutSpringSecurityOnTomcatTest.assertRefusedAsAmbiguous(logged,
                Map.of("spring.mvc.pathmatch.matching-strategy", "ant-path-matcher"),
                configurer -> configurer.setUseTrailingSlashMatch(true), logged, logged + tail);
    }
}
