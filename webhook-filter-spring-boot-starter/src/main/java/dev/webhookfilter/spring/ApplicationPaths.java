package dev.webhookfilter.spring;

import dev.webhookfilter.internal.ServletUrlPatterns;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where the application's controllers are, as far as its properties tell: the context path
 * ({@code server.servlet.context-path}) and the path Spring MVC's {@code DispatcherServlet} is mapped under
 * ({@code spring.mvc.servlet.path}). A path pattern is matched after the context path and before the servlet
 * path is taken off, so a pattern written as the controller's mapping, or as the full URL, guards no controller
 * when either is set; the endpoint's controllers would take unsigned requests. Immutable.
 *
 * @param contextPath the context path without a trailing {@code /}; empty for the root context
 * @param servletPath the {@code DispatcherServlet}'s path without a trailing {@code /}; empty when it is
 *        mapped on {@code /}
 */
record ApplicationPaths(String contextPath, String servletPath) {

    static final String CONTEXT_PATH_PROPERTY = "server.servlet.context-path";
    static final String SERVLET_PATH_PROPERTY = "spring.mvc.servlet.path";

    ApplicationPaths {
        contextPath = withoutTrailingSlashes(contextPath);
        servletPath = withoutTrailingSlashes(servletPath);
    }

    /** Read as Spring Boot binds them, environment variables included. */
    static ApplicationPaths in(Environment environment) {
        Binder binder = Binder.get(environment);
        return new ApplicationPaths(binder.bind(CONTEXT_PATH_PROPERTY, String.class).orElse(""),
                binder.bind(SERVLET_PATH_PROPERTY, String.class).orElse(""));
    }

    /**
     * Why {@code pattern}, a Servlet URL pattern, would guard no controller: it begins with the context path,
     * or lies outside the {@code DispatcherServlet}'s path. Null when neither.
     *
     * @param named how the problem names the pattern: quoted, or by its index
     * @param shown whether the problem may write the pattern again, in the paths it gives and the one to write;
     *        false for a value that may be a secret
     */
    String problem(String pattern, String named, boolean shown) {
        if (pattern.startsWith("*.") || pattern.equals("/") || pattern.equals("/*")) {
            return null; // an extension, or everything: wherever the controllers are, it covers them
        }
        String relative = ServletUrlPatterns.afterContextPath(pattern, contextPath);
        if (relative != null) {
            return named + " begins with the context path " + contextPath + " (" + CONTEXT_PATH_PROPERTY + "), but a"
                    + " path pattern is matched after the context path: this one guards "
                    + (shown ? contextPath + pattern + ", not " + pattern : "the context path twice")
                    + ", whose controllers would take unsigned requests; write "
                    + (!shown ? "it without the context path"
                            : relative.isEmpty() ? "the path after the context path" : relative);
        }
        String path = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
        boolean covered = servletPath.isEmpty() || ServletUrlPatterns.isAtOrUnder(path, servletPath)
                || pattern.endsWith("/*") && ServletUrlPatterns.isAtOrUnder(servletPath, path);
        if (!covered) {
            return named + " lies outside " + servletPath + "/*, where Spring MVC's DispatcherServlet is mapped ("
                    + SERVLET_PATH_PROPERTY + "): it guards no controller, and a controller mapped at "
                    + (shown ? pattern + " takes unsigned requests at " + servletPath + pattern
                            : "its path takes unsigned requests under " + servletPath)
                    + "; a path pattern includes the servlet path: write "
                    + (shown ? servletPath + pattern : servletPath + " before it");
        }
        return null;
    }

    private static String withoutTrailingSlashes(String path) {
        String stripped = path == null ? "" : path.strip();
        int end = stripped.length();
        while (end > 0 && stripped.charAt(end - 1) == '/') {
            end--;
        }
        return stripped.substring(0, end);
    }
}
