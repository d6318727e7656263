package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * Tomcat takes a path's extension after its last '.' and compares it with the pattern's whole extension, so it
     * matches no path to these (Jetty compares the path's end, and matches /a/b.json.gz to *.json.gz).
     */
    @ParameterizedTest
    @ValueSource(strings = {"*.json.gz", "*.tar.gz", "*..json", "*.json."})
    void anExtensionWithADot_isValidButMatchesNothingOnTomcat(String pattern) {
        assertTrue(ServletUrlPatterns.isValid(pattern), pattern);
        assertEquals("is an extension that holds a '.': Tomcat compares what follows a path's last '.' with it, and"
                + " matches no request to it (Jetty matches one), so the filter would guard nothing there; write the"
                + " last extension alone (*.gz), or an exact path or a prefix",
                ServletUrlPatterns.unmatchedOnSomeContainer(pattern));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.json", "*.gz", "/webhooks/a.json.gz", "/webhooks.v2/*", "/", "", "/*"})
    void anyOtherValidPattern_isMatchedOnEveryContainer(String pattern) {
        assertEquals(null, ServletUrlPatterns.unmatchedOnSomeContainer(pattern), pattern);
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /*          | /                   | true
            /           | /a/b                | true
            ''          | /                   | true
            ''          | /a                  | false
            /a/*        | /a                  | true
            /a/*        | /a/                 | true
            /a/*        | /a/b/c              | true
            /a/*        | /ab                 | false
            *.json      | /a/b.json           | true
            *.json      | /a/.json            | true
            *.json      | /a/b.json.txt       | false
            *.json      | /a.json/b           | false
            *.json      | /a/bjson            | false
            /a/b.json   | /a/b.json           | true
            /a          | /a/                 | false
            """)
    void aFilterPatternCoversPathsAsTheSpecificationMatchesFilters(String pattern, String path, boolean covers) {
        assertEquals(covers, ServletUrlPatterns.covers(pattern, path));
    }

    @ParameterizedTest(name = "{0} after the context path {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            /app/webhooks/*  | /app | /webhooks/*
            /app/*           | /app | /*
            /app             | /app | ''
            /app/x.json      | /app | /x.json
            /application/*   | /app | null
            /webhooks/*      | /app | null
            *.json           | /app | null
            /app/webhooks/*  | ''   | null
            """)
    void aPatternThatBeginsWithTheContextPath_readsAsTheRestAfterIt(String pattern, String contextPath, String after) {
        assertEquals(after, ServletUrlPatterns.afterContextPath(pattern, contextPath));
    }
}
