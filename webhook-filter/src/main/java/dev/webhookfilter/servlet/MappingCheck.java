package dev.webhookfilter.servlet;

import dev.webhookfilter.internal.AmbiguousPathGuard;
import dev.webhookfilter.internal.ServletUrlPatterns;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * At {@code init}, whether the filter's mappings reach a servlet of the application, from the registrations its
 * context reports: a pattern with a typo ({@code /webhook/*} for a servlet at {@code /webhooks/*}) or the context
 * path in it ({@code /app/webhooks/*}) covers only requests the container's default servlet answers, and the
 * filter would guard nothing. Such a pattern is a problem, unless another filter covers it too (a framework that
 * is a filter, such as Wicket or Jersey, may be the handler): then it is a warning. A context that does not
 * report its registrations is not checked. Runs once; requests never come here.
 */
final class MappingCheck {

    /** At most this many of the application's servlet mappings, or servlet names, are named in a message. */
    static final int LISTED = 6;
    /** At most this many entries are looked at for a JSP a pattern covers; past them, there may be one. */
    static final int ENTRIES_LOOKED_AT = 10_000;
    private MappingCheck() {
    }

    /**
     * Adds a problem for each of {@code patterns}, and each servlet name the filter is mapped to, that reaches no
     * servlet of the application while no other filter covers it.
     *
     * @param patterns the filter's URL patterns, valid ones only
     * @return one warning for each pattern that reaches no servlet but other filters cover
     */
    static List<String> check(FilterConfig config, Collection<String> patterns, List<String> problems) {
        ServletContext context = config.getServletContext();
        FilterRegistration own;
        Map<String, ? extends ServletRegistration> servlets;
        Map<String, ? extends FilterRegistration> filters;
        Collection<String> servletNames;
        String contextPath;
        try {
            own = context == null ? null : context.getFilterRegistration(config.getFilterName());
            servlets = own == null ? null : context.getServletRegistrations();
            filters = own == null ? null : context.getFilterRegistrations();
            servletNames = own == null ? null : own.getServletNameMappings();
            contextPath = own == null ? null : Objects.requireNonNullElse(context.getContextPath(), "");
        } catch (RuntimeException e) {
            // UnsupportedOperationException, as the specification allows, or a container's own refusal: a context
            // that cannot tell is not checked, rather than an application kept from starting by a check it cannot run.
            return List.of();
        }
        if (servlets == null || filters == null) {
            return List.of();
        }
        List<MappingReach.Servlet> mapped = new ArrayList<>();
        Set<String> applicationMappings = new TreeSet<>();
        Set<String> strictAboutSlash = new TreeSet<>();
        servlets.forEach((name, registration) -> {
            if (MappingReach.isStrictAboutTrailingSlash(registration.getClassName())) {
                strictAboutSlash.add(name);
            }
            Collection<String> mappings = registration.getMappings();
            MappingReach.Servlet servlet = new MappingReach.Servlet(name,
                    MappingReach.roleOf(registration.getClassName()), mappings == null ? List.of() : mappings);
            mapped.add(servlet);
            if (servlet.role == MappingReach.Role.APPLICATION) {
                servlet.patterns.forEach(pattern -> applicationMappings.add(name + " on "
                        + (pattern.isEmpty() ? "'' (the context root)" : pattern)));
            }
        });
        MappingReach reach = new MappingReach(mapped);
        String servletsText = applicationMappings.isEmpty() ? "it has no servlet of its own"
                : "servlets: " + listed(applicationMappings, "mappings");

        if (servletNames != null) {
            for (String name : servletNames) {
                if (!name.equals("*") && !servlets.containsKey(name)) {
                    problems.add("servlet-name '" + name + "' of its filter-mapping names no servlet of the"
                            + " application (" + (servlets.isEmpty() ? "it has none"
                            : "servlets: " + listed(new TreeSet<>(servlets.keySet()), "servlets"))
                            + "), so the filter would guard nothing; check the name for a typo");
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String pattern : patterns) {
            if (reach.reachesApplication(pattern, directory -> entriesUnder(context, directory))) {
                continue;
            }
            Set<String> others = overlappingFilters(config.getFilterName(), pattern, reach, filters);
            if (others.isEmpty()) {
                problems.add("url-pattern '" + pattern + "' of its filter-mapping reaches no servlet of the"
                        + " application (" + servletsText + "), so the filter would guard nothing; "
                        + cause(pattern, contextPath));
            } else {
                boolean one = others.size() == 1;
                warnings.add("url-pattern '" + pattern + "' reaches no servlet of the application (" + servletsText
                        + "), and " + quoted(others, "filter", "filters") + " also " + (one ? "covers" : "cover")
                        + " it: unless " + (one ? "that filter handles" : "one of them handles")
                        + " these requests itself, the handler is not guarded; "
                        + cause(pattern, contextPath));
            }
        }
        List<String> refusedWithSlash = guardedByAmbiguousPathFilter(filters);
        if (stripsTrailingSlash(filters)) {
            strictAboutSlash.clear();
        }
        for (String pattern : patterns) {
            String slash = trailingSlashServed(pattern, patterns, reach, strictAboutSlash);
            if (slash != null && !refusesWithTrailingSlash(refusedWithSlash, pattern)) {
                warnings.add("url-pattern '" + pattern + "' is an exact path, and servlet '"
                        + reach.resolve(slash).name + "' also serves " + slash + ", which the filter does not"
                        + " guard: JAX-RS, and Spring MVC with trailing-slash matching, route it to the same"
                        + " handler unverified; map " + pattern + "/* instead, which covers " + pattern + " too");
            }
        }
        return warnings;
    }

    /**
     * The patterns the Spring Boot starter's ambiguous-path filter guards, as its registration lists them; none
     * without that filter. It knows the starter's endpoints only, not a filter the application registers itself.
     */
    private static List<String> guardedByAmbiguousPathFilter(Map<String, ? extends FilterRegistration> filters) {
        List<String> guarded = new ArrayList<>();
        for (FilterRegistration filter : filters.values()) {
            if (AmbiguousPathGuard.FILTER_CLASS.equals(filter.getClassName())) {
                guarded.addAll(AmbiguousPathGuard.split(filter.getInitParameter(AmbiguousPathGuard.PATTERNS)));
            }
        }
        return guarded;
    }

    /**
     * Whether the starter's ambiguous-path filter refuses (400) {@code pattern}'s path with a trailing {@code /}, by
     * its rule: one of the {@code guarded} patterns covers the path, and none covers it with the {@code /}.
     */
    private static boolean refusesWithTrailingSlash(List<String> guarded, String pattern) {
        boolean coversPath = false;
        for (String other : guarded) {
            if (ServletUrlPatterns.covers(other, pattern + "/")) {
                return false;
            }
            coversPath |= ServletUrlPatterns.covers(other, pattern);
        }
        return coversPath;
    }

    /**
     * {@code pattern}'s path with a trailing {@code /} when it is an exact path, none of {@code patterns} covers that,
     * and one of the application's servlets serves it, other than one of {@code strict}; else null. JAX-RS matches a
     * resource method with or without a trailing {@code /}, as Spring MVC did with trailing-slash matching, so that
     * servlet may route the unguarded path to the handler of the guarded one.
     *
     * @param strict the names of the servlets that route no such path (Spring MVC's, without a filter that strips it)
     */
    private static String trailingSlashServed(String pattern, Collection<String> patterns, MappingReach reach,
                                              Set<String> strict) {
        if (!pattern.startsWith("/") || pattern.endsWith("/") || pattern.endsWith("/*")) {
            return null; // the empty pattern, /, a prefix or an extension
        }
        String slash = pattern + "/";
        for (String own : patterns) {
            if (ServletUrlPatterns.covers(own, slash)) {
                return null;
            }
        }
        MappingReach.Servlet servlet = reach.resolve(slash);
        return servlet != null && servlet.role == MappingReach.Role.APPLICATION && !strict.contains(servlet.name)
                ? slash : null;
    }

    /** Whether one of {@code filters} may take a trailing {@code /} off a path before Spring MVC routes it. */
    private static boolean stripsTrailingSlash(Map<String, ? extends FilterRegistration> filters) {
        for (FilterRegistration filter : filters.values()) {
            if (MappingReach.stripsTrailingSlash(filter.getClassName())) {
                return true;
            }
        }
        return false;
    }

    /** The likely causes: the context path, when the pattern begins with it; else a typo, or a context path. */
    private static String cause(String pattern, String contextPath) {
        String relative = ServletUrlPatterns.afterContextPath(pattern, contextPath);
        if (relative != null) {
            return "it begins with the context path " + contextPath + ", but patterns are matched after the context"
                    + " path: write " + (relative.isEmpty() ? "the path after the context path" : relative);
        }
        return "check it for a typo, and leave the context path out of it: patterns are matched after the context"
                + " path (/webhooks/*, not /app/webhooks/*, for an application at /app)";
    }

    /** The other filters, not the container's own, that cover some request {@code pattern} covers. */
    private static Set<String> overlappingFilters(String self, String pattern, MappingReach reach,
                                                  Map<String, ? extends FilterRegistration> filters) {
        Set<String> others = new TreeSet<>();
        Set<String> servletsReached = null;
        for (Map.Entry<String, ? extends FilterRegistration> entry : filters.entrySet()) {
            FilterRegistration other = entry.getValue();
            if (entry.getKey().equals(self) || MappingReach.isContainerFilter(other.getClassName())) {
                continue;
            }
            Collection<String> otherPatterns = other.getUrlPatternMappings();
            for (String otherPattern : otherPatterns == null ? List.<String>of() : otherPatterns) {
                if (MappingReach.overlap(pattern, otherPattern)) {
                    others.add(entry.getKey());
                }
            }
            Collection<String> otherNames = other.getServletNameMappings();
            for (String name : otherNames == null ? List.<String>of() : otherNames) {
                if (servletsReached == null) {
                    servletsReached = reach.servletsReached(pattern);
                }
                if (name.equals("*") || servletsReached.contains(name)) {
                    others.add(entry.getKey());
                }
            }
        }
        return others;
    }

    /**
     * The entries under {@code directory} and its subdirectories, outside {@code WEB-INF} and {@code META-INF}
     * (which no request reaches); null when the context cannot tell or they are too many to look at.
     */
    private static Collection<String> entriesUnder(ServletContext context, String directory) {
        List<String> entries = new ArrayList<>();
        Deque<String> directories = new ArrayDeque<>();
        directories.push(directory);
        try {
            while (!directories.isEmpty()) {
                Set<String> found = context.getResourcePaths(directories.pop());
                for (String entry : found == null ? Set.<String>of() : found) {
                    if (entries.size() == ENTRIES_LOOKED_AT) {
                        return null;
                    }
                    entries.add(entry);
                    if (entry.endsWith("/") && !entry.equals("/WEB-INF/") && !entry.equals("/META-INF/")) {
                        directories.push(entry);
                    }
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return entries;
    }

    /** Up to {@link #LISTED} of {@code items}, then how many more {@code kind} there are. */
    private static String listed(Collection<String> items, String kind) {
        List<String> shown = new ArrayList<>(items).subList(0, Math.min(LISTED, items.size()));
        return String.join(", ", shown)
                + (items.size() > LISTED ? " and " + (items.size() - LISTED) + " more " + kind : "");
    }

    private static String quoted(Collection<String> names, String one, String several) {
        List<String> quoted = new ArrayList<>();
        names.forEach(name -> quoted.add("'" + name + "'"));
        return (names.size() == 1 ? one : several) + " " + String.join(", ", quoted);
    }
}
