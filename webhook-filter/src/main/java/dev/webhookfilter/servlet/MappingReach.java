package dev.webhookfilter.servlet;

import static dev.webhookfilter.internal.ServletUrlPatterns.covers;
import static dev.webhookfilter.internal.ServletUrlPatterns.isAtOrUnder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which servlets the requests a filter's URL pattern covers go to, by the Servlet specification's mapping rules
 * (Servlet 6.0, chapter 12). A request goes to the servlet whose exact pattern is its path (the empty pattern is
 * the context root, {@code /}); else to the longest prefix pattern {@code /x/*} that covers it ({@code /x} and
 * everything under it; {@code /*} covers everything); else to the extension pattern {@code *.ext} of its last
 * segment; else to the default servlet, {@code /}. A filter's pattern covers the same paths, without the
 * competition: {@code *.ext} every path ending {@code .ext}, and {@code /} (which containers read differently)
 * every path, so that a pattern is never taken to cover less than some container gives it.
 *
 * <p>The patterns are ones {@link dev.webhookfilter.internal.ServletUrlPatterns#isValid} accepts. Plain text, no
 * Servlet API. Immutable.
 */
final class MappingReach {

    /** What a servlet is to the check. */
    enum Role {
        /** The application's code: a request it serves may be a webhook. */
        APPLICATION,
        /** The container's default or not-found servlet: it serves files or 404, never a webhook. */
        CONTAINER,
        /**
         * The container's JSP engine: a JSP is the application's code, but the engine's extension patterns
         * ({@code *.jsp}) serve only the JSP files there are; its other patterns count as the application's.
         */
        JSP_ENGINE
    }

    /**
     * The container's own servlets by class: each serves static files, a 404 or a "JSP not configured" error.
     * A class not listed is the application's, so that a container this list does not know is never refused.
     */
    private static final Set<String> CONTAINER_SERVLETS = Set.of(
            "org.apache.catalina.servlets.DefaultServlet", // Tomcat, GlassFish, Payara
            "org.eclipse.jetty.ee10.servlet.DefaultServlet",
            "org.eclipse.jetty.ee10.servlet.ServletHandler$Default404Servlet",
            "org.eclipse.jetty.ee10.servlet.NoJspServlet",
            "org.eclipse.jetty.ee11.servlet.DefaultServlet",
            "org.eclipse.jetty.ee11.servlet.ServletHandler$Default404Servlet",
            "org.eclipse.jetty.ee11.servlet.NoJspServlet",
            "org.eclipse.jetty.ee9.servlet.DefaultServlet",
            "org.eclipse.jetty.ee9.servlet.ServletHandler$Default404Servlet",
            "org.eclipse.jetty.ee9.servlet.NoJspServlet",
            "io.undertow.servlet.handlers.DefaultServlet");

    private static final Set<String> JSP_ENGINES = Set.of(
            "org.apache.jasper.servlet.JspServlet", // Tomcat, Undertow (Jastow)
            "org.eclipse.jetty.ee10.jsp.JettyJspServlet",
            "org.eclipse.jetty.ee11.jsp.JettyJspServlet",
            "org.eclipse.jetty.ee9.jsp.JettyJspServlet",
            "org.glassfish.wasp.servlet.JspServlet");

    /**
     * The filters containers add to every application (WebSocket upgrades): they handle no other request, so
     * they are no framework that could be a webhook's handler.
     */
    private static final Set<String> CONTAINER_FILTERS = Set.of(
            "org.apache.tomcat.websocket.server.WsFilter",
            "org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter",
            "org.eclipse.jetty.ee11.websocket.servlet.WebSocketUpgradeFilter",
            "org.eclipse.jetty.ee9.websocket.servlet.WebSocketUpgradeFilter");

    /**
     * Spring MVC's servlet. Since Spring 6.0 it routes no path with a trailing {@code /} to a handler mapped without
     * one (spring-framework#28552); {@code setUseTrailingSlashMatch(true)}, which turns that back on, is deprecated in
     * 6.x and was removed in 7.0 (#34036). The application's own servlets of other classes (JAX-RS: Jersey, RESTEasy,
     * CXF; or unknown, a subclass of this one among them) may route it.
     */
    private static final String SPRING_DISPATCHER = "org.springframework.web.servlet.DispatcherServlet";

    /**
     * Spring's filter (6.2 and later) that takes a trailing {@code /} off a path, in its {@code wrapRequest} mode,
     * after the container matched the filter mappings: Spring MVC then routes the path as if it had none.
     */
    private static final String SPRING_URL_HANDLER_FILTER = "org.springframework.web.filter.UrlHandlerFilter";

    /** Exact paths, the context root as {@code /}. */
    private final Map<String, Servlet> exact = new HashMap<>();
    /** Prefix patterns without their {@code /*}: {@code /x} for {@code /x/*}, the empty string for {@code /*}. */
    private final Map<String, Servlet> prefix = new HashMap<>();
    /** Extension patterns without their {@code *.}. */
    private final Map<String, Servlet> extension = new HashMap<>();
    private final Servlet defaultServlet;
    /** A path segment no pattern has, and without a dot: what a request may have where the patterns say nothing. */
    private final String fresh;

    /**
     * @param servlets every servlet of the context, with its patterns; where two map the same pattern (the
     *        container refuses that, or lets the application's replace its own), the application's counts
     */
    MappingReach(Collection<Servlet> servlets) {
        Servlet root = null;
        int longest = 0;
        for (Servlet servlet : servlets) {
            for (String pattern : servlet.patterns) {
                longest = Math.max(longest, pattern.length());
                if (pattern.equals("/")) {
                    root = preferred(root, servlet);
                } else if (pattern.startsWith("*.")) {
                    extension.merge(pattern.substring(2), servlet, MappingReach::preferred);
                } else if (pattern.endsWith("/*")) {
                    prefix.merge(pattern.substring(0, pattern.length() - 2), servlet, MappingReach::preferred);
                } else {
                    exact.merge(pattern.isEmpty() ? "/" : pattern, servlet, MappingReach::preferred);
                }
            }
        }
        this.defaultServlet = root;
        this.fresh = "z".repeat(longest + 1);
    }

    private static Servlet preferred(Servlet a, Servlet b) {
        return a == null || b.role != Role.CONTAINER && a.role == Role.CONTAINER ? b : a;
    }

    /** The role of a servlet of class {@code className}; null (a container that does not say) is the application's. */
    static Role roleOf(String className) {
        if (className != null && CONTAINER_SERVLETS.contains(className)) {
            return Role.CONTAINER;
        }
        return className != null && JSP_ENGINES.contains(className) ? Role.JSP_ENGINE : Role.APPLICATION;
    }

    /**
     * Whether a servlet of class {@code className} routes a path with a trailing {@code /} to no handler mapped
     * without one, by its class alone: Spring MVC's {@code DispatcherServlet}, unless the application turns
     * trailing-slash matching back on (Spring 6), which no registration shows.
     */
    static boolean isStrictAboutTrailingSlash(String className) {
        return SPRING_DISPATCHER.equals(className);
    }

    /** Whether a filter of class {@code className} may take a trailing {@code /} off a path for Spring MVC. */
    static boolean stripsTrailingSlash(String className) {
        return SPRING_URL_HANDLER_FILTER.equals(className);
    }

    /** Whether a filter of class {@code className} is one a container adds to every application. */
    static boolean isContainerFilter(String className) {
        return className != null && CONTAINER_FILTERS.contains(className);
    }

    /**
     * Whether a request {@code filterPattern} covers goes to a servlet of the application.
     *
     * @param filesUnder the application's files under a directory (such as {@code /webhooks/}), paths from the
     *        context root, or null when that cannot be told; asked only when the JSP engine's extension patterns
     *        may serve one of the requests, at most once
     */
    boolean reachesApplication(String filterPattern, Function<String, Collection<String>> filesUnder) {
        for (String path : paths(filterPattern, false)) {
            Servlet servlet = resolve(path);
            if (servlet != null && servlet.role != Role.CONTAINER && !servesFilesOnly(servlet, path)) {
                return true;
            }
        }
        // Left: a path whose extension only the JSP engine maps, which it serves if there is such a file.
        if (!jspEngineMayServe(filterPattern)) {
            return false;
        }
        Collection<String> files = filesUnder.apply(directoryOf(filterPattern));
        if (files == null) {
            return true;
        }
        for (String file : files) {
            Servlet servlet = covers(filterPattern, file) ? resolve(file) : null;
            if (servlet != null && servlet.role != Role.CONTAINER) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names of the servlets the requests {@code filterPattern} covers go to, the container's included: what
     * a filter mapped by servlet name would see of them. The JSP engine counts wherever its extension patterns
     * reach, files or not.
     */
    Set<String> servletsReached(String filterPattern) {
        Set<String> names = new LinkedHashSet<>();
        for (String path : paths(filterPattern, true)) {
            Servlet servlet = resolve(path);
            if (servlet != null) {
                names.add(servlet.name);
            }
        }
        return names;
    }

    /** Whether the JSP engine serves {@code path} by its extension, so only if it is a file. */
    private boolean servesFilesOnly(Servlet servlet, String path) {
        return servlet.role == Role.JSP_ENGINE && resolvesByExtension(path);
    }

    private boolean resolvesByExtension(String path) {
        return !exact.containsKey(path) && longestPrefix(path) == null && extension.get(extensionOf(path)) != null;
    }

    /** Whether the JSP engine's extension patterns may serve a path {@code filterPattern} covers, if it is a file. */
    private boolean jspEngineMayServe(String filterPattern) {
        for (Map.Entry<String, Servlet> entry : extension.entrySet()) {
            if (entry.getValue().role != Role.JSP_ENGINE) {
                continue;
            }
            if (filterPattern.startsWith("*.") ? filterPattern.substring(2).equals(entry.getKey())
                    : isEverything(filterPattern) || filterPattern.endsWith("/*")
                    || entry.getKey().equals(extensionOf(filterPattern))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Paths {@code filterPattern} covers, one for each way the servlets' patterns can treat a path it covers:
     * whatever servlet serves some request it covers, serves one of these.
     */
    private List<String> paths(String filterPattern, boolean withJspEngine) {
        List<String> paths = new ArrayList<>();
        if (filterPattern.isEmpty()) {
            paths.add("/");
            return paths;
        }
        if (filterPattern.startsWith("*.")) {
            String dotExtension = filterPattern.substring(1);
            paths.add("/" + fresh + dotExtension);
            for (String base : prefix.keySet()) {
                paths.add(base + "/" + fresh + dotExtension);
            }
        } else if (filterPattern.equals("/") || filterPattern.endsWith("/*")) {
            String base = filterPattern.equals("/") ? "" : filterPattern.substring(0, filterPattern.length() - 2);
            paths.add(base.isEmpty() ? "/" : base);
            paths.add(base + "/" + fresh);
            for (Map.Entry<String, Servlet> entry : extension.entrySet()) {
                if (withJspEngine || entry.getValue().role != Role.JSP_ENGINE) {
                    paths.add(base + "/" + fresh + "." + entry.getKey());
                }
            }
            for (String nested : prefix.keySet()) {
                if (isAtOrUnder(nested, base)) {
                    paths.add(nested + "/" + fresh);
                }
            }
        } else {
            paths.add(filterPattern);
            return paths;
        }
        for (String path : exact.keySet()) {
            if (covers(filterPattern, path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** The servlet that serves {@code path}, a path after the context path; null when none does. */
    Servlet resolve(String path) {
        Servlet servlet = exact.get(path);
        if (servlet == null) {
            servlet = longestPrefix(path);
        }
        if (servlet == null) {
            servlet = extension.get(extensionOf(path));
        }
        return servlet == null ? defaultServlet : servlet;
    }

    private Servlet longestPrefix(String path) {
        for (String base = path; ; base = base.substring(0, base.lastIndexOf('/'))) {
            Servlet servlet = prefix.get(base);
            if (servlet != null || base.isEmpty()) {
                return servlet;
            }
        }
    }

    /** Whether some path is covered by both filter patterns. */
    static boolean overlap(String a, String b) {
        if (a.equals(b) || isEverything(a) || isEverything(b)) {
            return true;
        }
        if (isExactOrRoot(a) || isExactOrRoot(b)) {
            return isExactOrRoot(a) ? covers(b, a.isEmpty() ? "/" : a) : covers(a, b.isEmpty() ? "/" : b);
        }
        if (a.startsWith("*.") || b.startsWith("*.")) {
            // Two different extensions share no path; an extension and a prefix share /prefix/x.extension.
            return !(a.startsWith("*.") && b.startsWith("*."));
        }
        String baseA = a.substring(0, a.length() - 2);
        String baseB = b.substring(0, b.length() - 2);
        return isAtOrUnder(baseA, baseB) || isAtOrUnder(baseB, baseA);
    }

    private static boolean isEverything(String pattern) {
        return pattern.equals("/*") || pattern.equals("/");
    }

    private static boolean isExactOrRoot(String pattern) {
        return !pattern.startsWith("*.") && !pattern.endsWith("/*");
    }

    /** The directory whose files {@code filterPattern} may cover: {@code /x/} for {@code /x/*} or {@code /x/a.jsp}. */
    private static String directoryOf(String filterPattern) {
        if (filterPattern.startsWith("*.") || isEverything(filterPattern)) {
            return "/";
        }
        if (filterPattern.endsWith("/*")) {
            return filterPattern.substring(0, filterPattern.length() - 1);
        }
        return filterPattern.substring(0, filterPattern.lastIndexOf('/') + 1);
    }

    /** The extension of the path's last segment, after its last dot; empty when it has none. */
    private static String extensionOf(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1) : "";
    }

    /** A servlet and its URL patterns. Immutable. */
    static final class Servlet {

        final String name;
        final Role role;
        final List<String> patterns;

        Servlet(String name, Role role, Collection<String> patterns) {
            this.name = name;
            this.role = role;
            this.patterns = List.copyOf(patterns);
        }
    }
}
