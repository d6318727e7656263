package dev.webhookfilter.internal;

/**
 * The grammar of a Servlet URL pattern, for the servlet filter's mappings and the Spring Boot starter's
 * {@code path-patterns}: a pattern outside it is one a container may take literally (Tomcat takes
 * {@code /webhooks/**} as one path), and a filter mapped on it guards nothing. Plain text, no Servlet API.
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
            return pattern.length() > 2 && pattern.indexOf('/') < 0 && pattern.indexOf('*', 1) < 0;
        }
        if (pattern.isEmpty()) {
            return true;
        }
        int star = pattern.indexOf('*');
        return pattern.startsWith("/") && (star < 0 || star == pattern.length() - 1 && pattern.endsWith("/*"));
    }
}
