package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Servlet specification's URL patterns (Servlet 6.0, section 12.2), written out by hand. */
class ServletUrlPatternsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/payments", "/webhooks/*", "/*", "/", "", "*.json"})
    void aPatternTheSpecificationDefines_isValid(String pattern) {
        assertTrue(ServletUrlPatterns.isValid(pattern), pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/**", "/webhooks/*/events", "/webhooks*", "*.", "*.json/x", "**.json", "*.js*",
            "webhooks/*", "*"})
    void aPatternAContainerWouldTakeLiterally_isNot(String pattern) {
        // The specification reads a * anywhere else as a literal character of an exact path: never what was meant.
        assertFalse(ServletUrlPatterns.isValid(pattern), pattern);
    }

    @Test
    void nullIsNot() {
        assertFalse(ServletUrlPatterns.isValid(null));
    }
}
