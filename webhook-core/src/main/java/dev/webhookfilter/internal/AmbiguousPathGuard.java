package dev.webhookfilter.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How the Spring Boot starter's ambiguous-path filter tells the servlet filter's start-up check which URL patterns
 * it guards. That filter refuses (400) a path that only a trailing {@code /} sets apart from an exact or extension
 * pattern of a starter endpoint; its registration carries those patterns in the init parameter {@link #PATTERNS},
 * and the servlet filter does not warn of the trailing {@code /} of a pattern listed there. An application's own
 * filter beside the starter is not listed, and is still warned of. Plain text, no Servlet API. Stateless and
 * thread-safe.
 * Not part of the API, and free to change in any release.
 */
public final class AmbiguousPathGuard {

    /** The class of the Spring Boot starter's ambiguous-path filter, as its registration reports it. */
    public static final String FILTER_CLASS = "dev.webhookfilter.spring.AmbiguousPathFilter";

    /** The init parameter of that filter's registration that lists the patterns it guards, one a line. */
    public static final String PATTERNS = "dev.webhookfilter.guardedPatterns";

    private AmbiguousPathGuard() {
    }

    /**
     * The value of {@link #PATTERNS} for {@code patterns}: each followed by a line break, so that none is told from
     * the one empty pattern (the context root). A pattern that holds a line break is left out, rather than read back
     * as others: it is then not exempt, and the check warns of it as of any filter's own.
     *
     * @param patterns the guarded patterns
     * @return each, followed by {@code \n}
     */
    public static String join(Collection<String> patterns) {
        StringBuilder value = new StringBuilder();
        for (String pattern : patterns) {
            if (pattern.indexOf('\n') < 0 && pattern.indexOf('\r') < 0) {
                value.append(pattern).append('\n');
            }
        }
        return value.toString();
    }

    /**
     * The patterns a value of {@link #PATTERNS} lists: its lines, the last one also without a line break after it.
     *
     * @param value the init parameter's value, or null when the registration has none
     * @return the patterns, in order; none for null or the empty string
     */
    public static List<String> split(String value) {
        List<String> patterns = new ArrayList<>();
        if (value != null) {
            int from = 0;
            for (int end = value.indexOf('\n'); end >= 0; end = value.indexOf('\n', from)) {
                patterns.add(value.substring(from, end));
                from = end + 1;
            }
            if (from < value.length()) {
                patterns.add(value.substring(from));
            }
        }
        return patterns;
    }
}
