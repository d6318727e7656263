package dev.webhookfilter.internal;

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
     * Why a filter mapped on {@code pattern}, a pattern {@link #isValid} accepts, would still see no request on some
     * container, or null. One such pattern: an extension holding a {@code .} ({@code *.json.gz}). Tomcat takes the
     * text after a path's last {@code .} and compares it with the pattern's whole extension, so it matches no
     * request to it, while Jetty compares the path's end; a servlet mapped otherwise would then serve such a request
     * unverified on Tomcat.
     *
     * @param pattern a pattern {@link #isValid} accepts
     * @return null when every container matches it as the specification says; else the reason, a phrase that
     *     follows the pattern ("'*.json.gz' is an extension that ...")
     */
    public static String unmatchedOnSomeContainer(String pattern) {
        if (pattern.startsWith("*.") && pattern.lastIndexOf('.') > 1) {
            return "is an extension that holds a '.': Tomcat compares what follows a path's last '.' with it, and"
                    + " matches no request to it (Jetty matches one), so the filter would guard nothing there; write"
                    + " the last extension alone (*.gz), or an exact path or a prefix";
        }
        return null;
    }

    /**
     * Whether a filter mapped on {@code pattern} sees a request for {@code path}, by the specification's rules:
     * {@code /} and {@code /*} cover every path (containers read {@code /} differently, so it is taken at its
     * widest), the empty pattern the context root {@code /}, {@code /x/*} the path {@code /x} and everything
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
