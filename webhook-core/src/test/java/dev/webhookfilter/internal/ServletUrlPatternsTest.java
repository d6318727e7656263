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

    /**
     * Tomcat merges a request's // into / before it matches, and Jetty refuses it (400): no request reaches the
     * filter, while on Tomcat one sent to /webhooks//events reached a servlet on /webhooks/* (200).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks//events", "//webhooks/*", "/webhooks//*", "/webhooks//", "//"})
    void anEmptySegment_isValidButMatchesNothing(String pattern) {
        assertUnmatched(EMPTY_SEGMENT, pattern);
    }

    /** Every container resolves . and .. in a request's path (or refuses %2E) before it matches. */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/./events", "/webhooks/../events", "/webhooks/.", "/webhooks/..", "/webhooks/./*",
            "/webhooks/../*", "/./*", "/.."})
    void aDotSegment_isValidButMatchesNothing(String pattern) {
        assertUnmatched(DOT_SEGMENT, pattern);
    }

    /** Every container matches a request's path without its path parameters: /webhooks;v=1 as /webhooks. */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks;v=1", "/webhooks/events;v=1", "/webhooks;v=1/*", "/webhooks/events;", "*.js;v=1",
            "/;/*"})
    void aSemicolon_isValidButMatchesNothing(String pattern) {
        assertUnmatched(PATH_PARAMETER, pattern);
    }

    /**
     * A request's path carries these percent-encoded: Tomcat matches the decoded path (and ran the filter on
     * /webhooks/s%20p for /webhooks/s p), Jetty the path with %20 still in it (and did not).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/s p", "/webhooks/q?x", "/webhooks/h#x", "/c/x\"y", "/c/x<y", "/c/x>y", "/c/x^y",
            "/c/x`y", "/c/x{y", "/c/x}{y", "/c/x|y", "/c/x}y", "/c/x[y", "/c/x]y", "/a b/*", "*.j s", "*.q?x", "*.h#x"})
    void aCharacterAPathCarriesEncoded_isValidButMatchesNothingOnJetty(String pattern) {
        assertUnmatched(ENCODED_CHARACTER, pattern);
    }

    /**
     * Tomcat decodes a pattern's escapes; Jetty compares them as written with a path in which it decoded every
     * escape of a character a path may hold and wrote the others in upper case.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/%65vents", "/web%68ooks/*", "/webhooks/a%2Fb", "/webhooks/%C3%A9",
            "/webhooks/%E9", "/c/x%3cy", "/c/x%7by", "/c/x%21y", "/c/x%2Ey", "/c/x%41y", "/c/x%7Ey", "/c/x%2ay", "/c/x%3Ay", "/c/x%40y",
            "/c/x%2By", "*.%6Asx", "*.j%3fs", "*.j%2Fs"})
    void anEscapeJettyWritesOtherwise_isValidButMatchesNothingOnJetty(String pattern) {
        assertUnmatched(DECODED_ESCAPE, pattern);
    }

    /**
     * Each ran the filter, or reached nothing, on Tomcat 10.1 and 11 and Jetty 12 ee10 and ee11 alike: a trailing /
     * and case are kept by all; non-ASCII is decoded by all; an upper-case escape of a character a path cannot hold
     * is what Jetty writes too; a backslash (raw or %5C), %00 and an escape that is not one (Tomcat refuses the
     * mapping) reach nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"*.json", "*.gz", "/webhooks/a.json.gz", "/webhooks.v2/*", "", "/*", "/webhooks/",
            "/Webhooks/Events", "*.Xml", "/webhooks/\u00e9", "*.\u00e9x", "/webhooks/a%20b", "/a%5Bb/*", "*.j%3Fs",
            "*.j%20s", "/c/x%3By", "/c/x%23y", "/c/x%25y", "/c/x%22y", "/c/x%60y", "/c/x%3Cy", "/webhooks/a+b",
            "/webhooks/~x", "/webhooks/co:lon", "/c/x!y$&'(),=@-_", "/.well-known/x", "/webhooks/.../y",
            "/webhooks/..y/*", "/webhooks/.json", "/webhooks/b\\s", "/c/x%5Cy", "/webhooks/100%", "/c/x%2", "/c/x%zz",
            "/c/x%00y", "/c/x%01y", "/c/x%1fy", "/c/x%7Fy", "/c/x%7fy", "/c/x%5Dy", "*.%20"})
    void anyOtherValidPattern_isMatchedOnEveryContainer(String pattern) {
        assertTrue(ServletUrlPatterns.isValid(pattern), pattern);
        assertEquals(null, ServletUrlPatterns.unmatchedOnSomeContainer(pattern), pattern);
    }

    /**
     * Copied from a page or a chat, a pattern may carry a character that shows as nothing or as a space: the filter
     * would guard only the path with it (a tab, which Jetty refuses in a path and Tomcat matches; the others, which
     * both match), and the servlet on the path meant, without it, would serve its requests unverified. ' ' has its
     * own reason, above. Each is named by its code point, since the pattern as quoted shows nothing.
     */
    @ParameterizedTest(name = "U+{1}")
    @CsvSource({"'/webhooks/payments\u00a0', 00A0", "'/webhooks/\u200bpayments', 200B", "'/webhooks/payments\t', 0009",
            "'/\ufeffwebhooks/*', FEFF", "'/web\u2028hooks', 2028", "'*.js\u3000', 3000", "'/a\u0085/*', 0085",
            "'/a\u007f', 007F", "'/a\u2029b', 2029", "'/a\u200eb', 200E", "'/a\ud834\udd73', 1D173", "'/a\u3164', 3164",
            "'/a\u115f', 115F", "'/a\u1160', 1160", "'/a\uffa0', FFA0", "'/a\u2800', 2800",
            "'/webhooks/pay\u200cments', 200C", "'/webhooks/pay\u200dments', 200D", "'/\u200c\u0645', 200C",
            "'/\u03b1\u200c\u03b2', 200C", "'/\u0434\u200d\u0430', 200D", "'/e\u0301\u200cx', 200C",
            "'/\u06f1\u200c\u0645', 200C", "'/\u0645\u200b\u062e', 200B", "'*.\u200d\u0937', 200D",
            "'/\u4e2d\u200c\u6587', 200C", "'/\u05d0\u200d\u05d1', 200D", "'/e\u0301\u200c\u0645', 200C",
            "'/\u0645\u200c\u200c\u062e', 200C", "'/\u0915\u094d\u200d\u200c\u0937', 200C",
            "'/\u0915\u094d\u200c\u200c\u0937', 200C", "'/\u0915\u094d\u200d\u0951\u200c', 200C",
            "'/webhooks/\u0645\u06cc\u200c', 200C", "'/\u0645\u200c/x', 200C", "'/\u0645\u200d/*', 200D",
            "'/\u0645\u200c\u0915', 200C", "'/\u0645\u200c\u064e\u062e', 200C"})
    void anInvisibleCharacter_isNamedByItsCodePoint(String pattern, String codePoint) {
        assertUnmatched("holds an invisible character, U+" + codePoint + " (one that shows as nothing or as a space): no"
                + " sender's path holds one, so it is taken for a copying slip; the filter would guard only the path"
                + " with it, and a servlet mapped on the path without it would serve those requests unverified; delete"
                + " it", pattern);
    }

    /**
     * A zero-width non-joiner or joiner is part of a word's spelling in the scripts that write one, as IDNA allows it
     * there (RFC 5892, CONTEXTJ): Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 ("I want"), Hindi
     * \u0915\u094d\u200d\u0937 (after a virama, a mark), Malayalam's chillu \u0d28\u0d4d\u200d at a word's end, Sinhala
     * \u0dc1\u0dca\u200d\u0dbb\u0dd3, and after an Arabic letter's vowel mark (Inherited, read through to the letter).
     * A path that holds one is typed so, sent so, and matched so by Tomcat and Jetty (UrlPatternScenarios), so the
     * pattern is not a slip to refuse. After a Latin, Greek, Cyrillic, Han or Hebrew letter, a digit, a '/' or another
     * joiner (no word spells two in a row, and IDNA refuses them), one still is; and in a script whose letters join,
     * one that no letter of such a script follows (at a segment's end, before a Devanagari letter or a mark), as
     * IDNA refuses it there too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "/\u0915\u094d\u200d\u0937/*", "/\u0d28\u0d4d\u200d/x", "*.\u0dc1\u0dca\u200d\u0dbb\u0dd3",
            "/\u0645\u064e\u200c\u062e"})
    void aJoinerInAWordOfAScriptThatWritesOne_isMatchedOnEveryContainer(String pattern) {
        assertTrue(ServletUrlPatterns.isValid(pattern), pattern);
        assertEquals(null, ServletUrlPatterns.unmatchedOnSomeContainer(pattern), pattern);
    }

    /**
     * Spring's path variables, written as in a controller's mapping: the advice is a prefix, not the braces
     * percent-encoded (which would name one literal path). A lone brace is a character like any other.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/{id}", "/webhooks/{tenant}/events", "/webhooks/{id}/*", "/{a}{b}"})
    void aPathVariable_isNamedAsOne(String pattern) {
        assertUnmatched("holds a path variable ({id}): a Servlet URL pattern has none, and containers take it as"
                + " literal text, which a request's path carries percent-encoded, so the filter would guard nothing,"
                + " and a servlet mapped otherwise would serve the requests unverified; write a prefix that covers"
                + " the paths (/webhooks/*)", pattern);
    }

    /**
     * A filter on / ran for the request for / alone on Tomcat 10.1 and 11 and Jetty 12 ee10 and ee11 (web.xml's
     * FilterMap and addMappingForUrlPatterns), while /x went to the servlet on / and /webhooks/x to the one on
     * /webhooks/*, unfiltered; so did one on the empty pattern, which the specification gives the root alone.
     */
    @Test
    void theDefaultServletsMapping_isTheRootAloneForAFilter() {
        assertEquals("is, for a filter, the exact path /: Tomcat and Jetty run a filter mapped on / for the request"
                + " for / alone (a servlet on / is the default servlet, which serves every path no other maps), so the"
                + " filter would guard no other path, and a servlet would serve those requests unverified; write /* to"
                + " guard every path, or '' for the context root alone", ServletUrlPatterns.unmatchedOnSomeContainer("/"));
    }

    private static final String EMPTY_SEGMENT = "holds an empty segment (//): Tomcat merges a request's // into one /"
            + " before it matches (Jetty refuses the request), so the filter would guard nothing, and a servlet mapped"
            + " otherwise would serve the request unverified on Tomcat; write a single /";
    private static final String DOT_SEGMENT = "holds a . or .. segment: containers resolve those in a request's path"
            + " before they match, so the filter would guard nothing, and a servlet mapped otherwise would serve the"
            + " request unverified; write the path they resolve to";
    private static final String PATH_PARAMETER = "holds a ';': containers match a request's path without its path"
            + " parameters (what follows a ';' in a segment), so the filter would guard nothing, and a servlet mapped"
            + " otherwise would serve the request unverified; leave the parameters out";
    private static final String ENCODED_CHARACTER = "holds a character a request's path carries percent-encoded (a"
            + " space, \", #, <, >, ?, [, ], ^, `, {, | or }): Jetty matches the path with it still encoded, Tomcat"
            + " decoded, so the filter would guard nothing on Jetty, and a servlet mapped otherwise would serve the"
            + " request unverified there; write it as Jetty does, %XX in upper case (%20 for a space)";
    private static final String DECODED_ESCAPE = "holds an escape that Jetty decodes or writes in upper case in a"
            + " request's path before it matches (%65, %2F, %C3%A9, %3c), and Jetty compares the pattern as written"
            + " (Tomcat decodes it), so the filter would guard nothing on Jetty, and a servlet mapped otherwise would"
            + " serve the request unverified there; write such a character as itself (e, /, \u00e9) and any escape in"
            + " upper case (%3C)";

    private static void assertUnmatched(String reason, String pattern) {
        assertTrue(ServletUrlPatterns.isValid(pattern), pattern);
        assertEquals(reason, ServletUrlPatterns.unmatchedOnSomeContainer(pattern), pattern);
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
