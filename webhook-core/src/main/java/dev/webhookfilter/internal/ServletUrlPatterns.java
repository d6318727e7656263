package dev.webhookfilter.internal;

import java.util.EnumSet;
import java.util.Set;

/**
 * The grammar of a Servlet URL pattern, and which paths a filter mapped on one sees, for the servlet filter's
 * mappings and the Spring Boot starter's {@code path-patterns}: a pattern outside the grammar is one a container
 * may take literally (Tomcat takes {@code /webhooks/**} as one path), and a filter mapped on it guards nothing.
 * Plain text, no Servlet API.
 * Not part of the API, and free to change in any release.
 */
public final class ServletUrlPatterns {

    private ServletUrlPatterns() {
    }

    /**
     * Whether the Servlet specification gives {@code pattern} a meaning: {@code /exact/path}, {@code /prefix/*},
     * {@code *.extension}, {@code /} or the empty string (the context root). Elsewhere a {@code *} is a literal
     * character.
     *
     * @param pattern the pattern as configured, or null
     * @return false for null
     */
    public static boolean isValid(String pattern) {
        if (pattern == null) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            return pattern.length() > 2 && !pattern.contains("/") && pattern.lastIndexOf('*') == 0;
        }
        if (pattern.isEmpty()) {
            return true;
        }
        // A prefix's only '*' is its last character; any other path holds none.
        return pattern.startsWith("/") && (pattern.endsWith("/*") ? pattern.indexOf('*') == pattern.length() - 1
                : !pattern.contains("*"));
    }

    /**
     * Characters a request's path carries percent-encoded: Jetty matches the path with them still encoded (as
     * {@code %XX} in upper case), Tomcat decoded, so a pattern that holds one as itself matches nothing on Jetty.
     */
    private static final String ENCODED_IN_A_PATH = " \"#<>?[]^`{|}";
    /**
     * Characters whose escape, with upper-case hex digits, Jetty keeps as it is in the path it matches, where Tomcat
     * decodes it and the pattern alike: those of {@link #ENCODED_IN_A_PATH}, and {@code ;}, {@code %} and
     * {@code \} (a request that holds one of the last two is refused, 400, by Jetty, and by Tomcat for {@code \}).
     */
    private static final String KEPT_ESCAPED = ENCODED_IN_A_PATH + ";%\\";

    /**
     * Why a filter mapped on {@code pattern}, a pattern {@link #isValid} accepts, would still see no request on some
     * container while the request goes on to a servlet mapped otherwise, or null. Containers match a normalised,
     * decoded path: Tomcat 10.1 and 11 and Jetty 12 (ee10, ee11) alike resolve {@code .} and {@code ..} segments and
     * leave path parameters out ({@code ;v=1}); Tomcat merges {@code //} into {@code /} (Jetty refuses a request
     * that holds one); Tomcat decodes the pattern's escapes and the path, while Jetty compares the pattern as written
     * with a path in which it decoded the escapes of characters a path may hold ({@code %65}) and left the others
     * encoded, in upper case ({@code %20}). Tomcat compares an extension with what follows a path's last {@code .},
     * so it matches nothing to one that holds a {@code .} ({@code *.json.gz}). A filter mapped on {@code /} runs for
     * the request for {@code /} alone on all of them, where a servlet on {@code /} serves every path no other servlet
     * maps. Each of these was shown by experiment
     * on those containers: the filter ran on no request, and a servlet on {@code /} or a prefix served it. Apart
     * from those, a pattern that holds an invisible character (a tab, a no-break or zero-width space) is named too:
     * it guards the path with that character, which no sender sends, while the path the user meant goes unguarded.
     *
     * @param pattern a pattern {@link #isValid} accepts
     * @return null when every container matches it as the specification says; else the reason, a phrase that
     *     follows the pattern ("'*.json.gz' is an extension that ...")
     */
    public static String unmatchedOnSomeContainer(String pattern) {
        if (pattern.equals("/")) {
            return "is, for a filter, the exact path /: Tomcat and Jetty run a filter mapped on / for the request for"
                    + " / alone (a servlet on / is the default servlet, which serves every path no other maps), so the"
                    + " filter would guard no other path, and a servlet would serve those requests unverified; write"
                    + " /* to guard every path, or '' for the context root alone";
        }
        boolean extension = pattern.startsWith("*.");
        if (extension && pattern.lastIndexOf('.') > 1) {
            return "is an extension that holds a '.': Tomcat compares what follows a path's last '.' with it, and"
                    + " matches no request to it (Jetty matches one), so the filter would guard nothing there; write"
                    + " the last extension alone (*.gz), or an exact path or a prefix";
        }
        // A prefix's path ends at the '/' before its '*', which closes its last segment; an extension has none.
        int end = pattern.endsWith("/*") ? pattern.length() - 1 : pattern.length();
        int segment = 0;
        for (int i = extension ? 2 : 0; i < end; i++) {
            char c = pattern.charAt(i);
            if (c == '/') {
                if (i == segment + 1) {
                    return "holds an empty segment (//): Tomcat merges a request's // into one / before it matches"
                            + " (Jetty refuses the request), so the filter would guard nothing, and a servlet mapped"
                            + " otherwise would serve the request unverified on Tomcat; write a single /";
                }
                if (isDotSegment(pattern, segment + 1, i)) {
                    return DOT_SEGMENT;
                }
                segment = i;
            } else if (c == ';') {
                return "holds a ';': containers match a request's path without its path parameters (what follows a"
                        + " ';' in a segment), so the filter would guard nothing, and a servlet mapped otherwise would"
                        + " serve the request unverified; leave the parameters out";
            } else if (c == '{' && pattern.indexOf('}', i) != -1) {
                // Spring's /webhooks/{id}: the character check below would advise writing the braces as %7B, %7D.
                return "holds a path variable ({id}): a Servlet URL pattern has none, and containers take it as"
                        + " literal text, which a request's path carries percent-encoded, so the filter would guard"
                        + " nothing, and a servlet mapped otherwise would serve the requests unverified; write a prefix"
                        + " that covers the paths (/webhooks/*)";
            } else if (ENCODED_IN_A_PATH.indexOf(c) >= 0) {
                return "holds a character a request's path carries percent-encoded (a space, \", #, <, >, ?, [, ], ^,"
                        + " `, {, | or }): Jetty matches the path with it still encoded, Tomcat decoded, so the filter"
                        + " would guard nothing on Jetty, and a servlet mapped otherwise would serve the request"
                        + " unverified there; write it as Jetty does, %XX in upper case (%20 for a space)";
            } else if (isInvisible(pattern.codePointAt(i)) && !joinsAWord(pattern, i)) {
                return String.format("holds an invisible character, U+%04X (one that shows as nothing or as a space): no"
                        + " sender's path holds one, so it is taken for a copying slip; the filter would guard only the"
                        + " path with it, and a servlet mapped on the path without it would serve those requests"
                        + " unverified; delete it", pattern.codePointAt(i));
            } else if (c == '%' && i + 2 < pattern.length() && isEscapeJettyRewrites(pattern, i)) {
                return "holds an escape that Jetty decodes or writes in upper case in a request's path before it"
                        + " matches (%65, %2F, %C3%A9, %3c), and Jetty compares the pattern as written (Tomcat decodes"
                        + " it), so the filter would guard nothing on Jetty, and a servlet mapped otherwise would serve"
                        + " the request unverified there; write such a character as itself (e, /, \u00e9) and any"
                        + " escape in upper case (%3C)";
            }
        }
        // An exact path's last segment (a prefix's ends at the last '/' seen; an extension holds no '.' past "*.").
        return isDotSegment(pattern, segment + 1, end) ? DOT_SEGMENT : null;
    }

    /**
     * Whether {@code codePoint} shows as nothing, or as a space, where a pattern is read: not ' ', named apart. Beside
     * the control, format and space characters, the letters and symbol Unicode draws blank: the Hangul fillers and the
     * blank Braille pattern.
     */
    private static boolean isInvisible(int codePoint) {
        if (codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x3164 || codePoint == 0xFFA0
                || codePoint == 0x2800) {
            return true;
        }
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return true;
            default:
                return false;
        }
    }

    /**
     * Whether the character at {@code index} is a zero-width non-joiner or joiner that spells the word it stands in:
     * one after a letter or a mark (a virama) of a script whose words hold one, Persian
     * \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 or Hindi \u0915\u094d\u200d\u0937, where IDNA allows
     * them (RFC 5892, CONTEXTJ: in Arabic joining, after a virama). Marks of no script of their own (an Arabic vowel
     * sign, a Latin accent) are read through to their letter; the joiners, of no script of their own either, are not.
     * In a script whose letters join, a letter of one follows it too, as the joining it breaks or makes is between
     * two (IDNA's rule for the non-joiner): at a word's end (before a '/', or ending the pattern) one joins nothing.
     * Anywhere else (after a Latin, Greek, Cyrillic or Han letter, a digit, a '/', another joiner) one is a slip like
     * any invisible character. The pattern begins with '/' or "*.", where the walk back stops.
     */
    private static boolean joinsAWord(String pattern, int index) {
        char c = pattern.charAt(index);
        if (c != '\u200c' && c != '\u200d') {
            return false;
        }
        int before = index;
        int letter;
        do {
            letter = pattern.codePointBefore(before);
            before -= Character.charCount(letter);
        } while (Character.UnicodeScript.of(letter) == Character.UnicodeScript.INHERITED && letter != '\u200c'
                && letter != '\u200d'); // Inherited too, but no mark: a joiner after one is no word's
        int type = Character.getType(letter);
        if (!(Character.isLetter(letter) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK)
                || !JOINING_SCRIPTS.contains(Character.UnicodeScript.of(letter))) {
            return false;
        }
        if (!CURSIVE_SCRIPTS.contains(Character.UnicodeScript.of(letter))) {
            return true; // after a virama: Malayalam's chillu ends a word with one
        }
        int next = index + 1 < pattern.length() ? pattern.codePointAt(index + 1) : '/';
        return Character.isLetter(next) && CURSIVE_SCRIPTS.contains(Character.UnicodeScript.of(next));
    }

    /** The scripts whose letters join, where a zero-width non-joiner or joiner stands between two letters. */
    private static final Set<Character.UnicodeScript> CURSIVE_SCRIPTS = EnumSet.of(
            Character.UnicodeScript.ARABIC, Character.UnicodeScript.SYRIAC, Character.UnicodeScript.NKO,
            Character.UnicodeScript.MONGOLIAN, Character.UnicodeScript.MANDAIC, Character.UnicodeScript.PHAGS_PA);

    /**
     * The scripts whose words hold a zero-width non-joiner or joiner: those whose letters join (Arabic, Syriac, N'Ko,
     * Mongolian, Mandaic, Phags-pa), and the Brahmic scripts, whose virama a joiner follows.
     */
    private static final Set<Character.UnicodeScript> JOINING_SCRIPTS = EnumSet.of(
            Character.UnicodeScript.ARABIC, Character.UnicodeScript.SYRIAC, Character.UnicodeScript.NKO,
            Character.UnicodeScript.MONGOLIAN, Character.UnicodeScript.MANDAIC, Character.UnicodeScript.PHAGS_PA,
            Character.UnicodeScript.DEVANAGARI, Character.UnicodeScript.BENGALI, Character.UnicodeScript.GURMUKHI,
            Character.UnicodeScript.GUJARATI, Character.UnicodeScript.ORIYA, Character.UnicodeScript.TAMIL,
            Character.UnicodeScript.TELUGU, Character.UnicodeScript.KANNADA, Character.UnicodeScript.MALAYALAM,
            Character.UnicodeScript.SINHALA, Character.UnicodeScript.TIBETAN, Character.UnicodeScript.MYANMAR,
            Character.UnicodeScript.KHMER, Character.UnicodeScript.BALINESE, Character.UnicodeScript.JAVANESE,
            Character.UnicodeScript.SUNDANESE);

    private static final String DOT_SEGMENT = "holds a . or .. segment: containers resolve those in a request's path"
            + " before they match, so the filter would guard nothing, and a servlet mapped otherwise would serve the"
            + " request unverified; write the path they resolve to";

    private static boolean isDotSegment(String pattern, int from, int to) {
        return (to - from == 1 || to - from == 2 && pattern.charAt(from + 1) == '.') && pattern.charAt(from) == '.';
    }

    /**
     * Whether the escape at {@code percent} is one Jetty would not leave as written in the path it matches. One that
     * is not an escape ({@code 100%}) is left alone: Tomcat refuses the mapping, and Jetty refuses such a request.
     */
    private static boolean isEscapeJettyRewrites(String pattern, int percent) {
        char low = pattern.charAt(percent + 2);
        // Negative when either is no hex digit.
        int value = hexValue(pattern.charAt(percent + 1)) << 4 | hexValue(low);
        if (value <= 0x1f || value == 0x7f) {
            // No escape, or one of a control character: Jetty refuses a request that holds one (400), Tomcat guards it.
            return false;
        }
        // Jetty writes the escapes it keeps in upper case; an escape of a character it keeps has a digit first.
        return KEPT_ESCAPED.indexOf(value) < 0 || Character.isLowerCase(low);
    }

    /** The value of an ASCII hex digit, or -1. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /**
     * Whether a filter mapped on {@code pattern} sees a request for {@code path}, by the specification's rules:
     * {@code /} and {@code /*} cover every path ({@code /} is taken at its widest: a
     * servlet on it serves every path no other maps, and {@link #unmatchedOnSomeContainer} refuses it for a filter), the empty pattern the context root {@code /}, {@code /x/*} the path {@code /x} and everything
     * under it, {@code *.ext} every path whose last segment ends {@code .ext}, any other pattern its own path.
     *
     * @param pattern a pattern {@link #isValid} accepts
     * @param path a request's path after the context path, starting with {@code /}
     * @return whether the pattern covers the path
     */
    public static boolean covers(String pattern, String path) {
        if (pattern.equals("/*") || pattern.equals("/")) {
            return true;
        }
        if (pattern.isEmpty()) {
            return path.equals("/");
        }
        if (pattern.startsWith("*.")) {
            // A valid extension has no '/': a path that ends with it ends so in its last segment.
            return path.endsWith(pattern.substring(1));
        }
        if (pattern.endsWith("/*")) {
            return isAtOrUnder(path, pattern.substring(0, pattern.length() - 2));
        }
        return pattern.equals(path);
    }

    /**
     * Whether {@code path} is {@code base} or under it, segment by segment: {@code /a/b} is under {@code /a},
     * {@code /ab} is not; every path is under the empty base.
     *
     * @param path a path, starting with {@code /}
     * @param base a path without a trailing {@code /}, or empty
     * @return whether the path is the base or under it
     */
    public static boolean isAtOrUnder(String path, String base) {
        return path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/');
    }

    /**
     * What {@code pattern} reads as once the context path is taken from its start, when it begins with it segment
     * by segment: a pattern is matched after the context path, so {@code /app/webhooks/*} in an application at
     * {@code /app} guards {@code /app/app/webhooks/*}. Null when it does not begin with it, or is an extension.
     *
     * @param pattern a pattern {@link #isValid} accepts
     * @param contextPath the application's context path; empty for the root context
     * @return the pattern after the context path (empty when the pattern is the context path), or null
     */
    public static String afterContextPath(String pattern, String contextPath) {
        if (contextPath.isEmpty() || pattern.startsWith("*.")) {
            return null;
        }
        String path = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
        return isAtOrUnder(path, contextPath) ? pattern.substring(contextPath.length()) : null;
    }
}
