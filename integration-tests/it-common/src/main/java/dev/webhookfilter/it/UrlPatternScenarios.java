package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.internal.ServletUrlPatterns;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The premise of {@link ServletUrlPatterns#unmatchedOnSomeContainer}, which refuses at start a url-pattern some
 * container matches to no request as written, checked on the container itself: in one context, a plain recording
 * filter (not the webhook filter, which would refuse half of these) is mapped on each pattern of {@link #ROWS},
 * servlets on {@code /} and {@value #SERVLET_PREFIX} answer 200 and list the filters that ran, and each row's
 * requests are sent as a client writes them. A row says whether the rule accepts its pattern, and what each
 * container does with its requests, as the experiment of commits 4a8441b and a27317f found on Tomcat 10.1.62 and
 * 11.0.27 and Jetty 12.1.14 ee10 and ee11 (the two Tomcats alike, the two Jettys alike); neither is read from
 * the rule. So a container version that matches otherwise fails here, and so does a rule that drifts from it.
 */
public abstract class UrlPatternScenarios extends ContainerScenarios {

    /** The path of the context that holds the filters. */
    static final String CONTEXT_PATH = "/patterns";
    /** The prefix of the second servlet; the first is the default servlet, on {@code /}. */
    static final String SERVLET_PREFIX = "/webhooks/*";

    /** What a container does with one request, as seen from the row's filter and the servlets. */
    enum Reach {
        /** A servlet answered 200 after the row's filter ran: the pattern guards the request. */
        FILTERED,
        /** A servlet answered 200 and the row's filter did not run: the application saw the request unguarded. */
        UNFILTERED,
        /** The container answered 400 itself: no filter and no servlet ran. */
        REFUSED_BY_CONTAINER
    }

    /**
     * One pattern, the requests it is meant to cover (paths after the context path, as sent on the wire), whether
     * the rule accepts it, and what Tomcat and Jetty do with each of the requests.
     */
    record Row(String pattern, boolean accepted, Reach onTomcat, Reach onJetty, List<String> targets) {

        /** A row without a request would pass whatever the containers do. */
        Row {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a row sends at least one request: " + pattern);
            }
        }

        /** A pattern the rule accepts: every container ran its filter for each request. */
        static Row accepted(String pattern, String... targets) {
            return new Row(pattern, true, Reach.FILTERED, Reach.FILTERED, List.of(targets));
        }

        /**
         * A pattern the rule refuses: on at least one container a servlet answered each request without the filter
         * (the reason for the refusal).
         */
        static Row refused(String pattern, Reach onTomcat, Reach onJetty, String... targets) {
            if (onTomcat != Reach.UNFILTERED && onJetty != Reach.UNFILTERED) {
                throw new IllegalArgumentException("a refused row must show a container that serves it unfiltered: "
                        + pattern);
            }
            return new Row(pattern, false, onTomcat, onJetty, List.of(targets));
        }

        /** The name of the filter mapped on this row's pattern; unique, as the patterns are. */
        String filterName() {
            return "on '" + pattern + "'";
        }

        @Override
        public String toString() {
            return (accepted ? "accepted " : "refused ") + "'" + pattern + "' " + targets;
        }
    }

    /**
     * The table. Accepted: ordinary exact, prefix and extension patterns, the context root, case, a trailing '/',
     * non-ASCII, upper-case escapes of characters a path cannot hold, '.' inside a segment. Refused: a '.' in an
     * extension, {@code /} as a filter mapping, {@code //}, {@code .} and {@code ..} segments, {@code ;}, a
     * character a path carries percent-encoded, escapes Jetty decodes or writes in upper case, a path variable.
     * Left out, as the rule accepts them without a request that shows it: patterns whose requests no container
     * lets through unguarded because it refuses them (a backslash, {@code %00}), and a '%' that begins no escape
     * ({@code /webhooks/100%}), a mapping Tomcat refuses, which would stop this whole context. Left out too: a
     * pattern that holds an invisible character (a tab, a no-break space), which the rule refuses as a copying slip
     * (the path meant, without it, goes unguarded), not for what a container does with the path it names.
     */
    static final List<Row> ROWS = List.of(
            Row.accepted("/webhooks/payments", "/webhooks/payments"),
            Row.accepted("/webhooks.v2/*", "/webhooks.v2", "/webhooks.v2/x"),
            Row.accepted("/*", "/anything", "/webhooks/x"),
            Row.accepted("", "/"),
            Row.accepted("*.json", "/a.json", "/webhooks/a.json"),
            Row.accepted("*.gz", "/webhooks/a.json.gz"),
            Row.accepted("/webhooks/a.json.gz", "/webhooks/a.json.gz"),
            Row.accepted("/webhooks/", "/webhooks/"),
            Row.accepted("/Webhooks/Events", "/Webhooks/Events"),
            Row.accepted("*.Xml", "/a.Xml"),
            Row.accepted("/webhooks/\u00e9", "/webhooks/%C3%A9"),
            // Persian "I want", with the zero-width non-joiner its spelling holds (printf '\u200c' | xxd: e2 80 8c).
            Row.accepted("/webhooks/\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
                    "/webhooks/%D9%85%DB%8C%E2%80%8C%D8%AE%D9%88%D8%A7%D9%87%D9%85"),
            Row.accepted("/webhooks/a%20b", "/webhooks/a%20b"),
            Row.accepted("/c/x%3Cy", "/c/x%3Cy"),
            Row.accepted("/c/x%3By", "/c/x%3By"),
            Row.accepted("*.j%3Fs", "/x.j%3Fs"),
            Row.accepted("/webhooks/co:lon", "/webhooks/co:lon"),
            Row.accepted("/.well-known/x", "/.well-known/x"),
            Row.accepted("/webhooks/..y/*", "/webhooks/..y/z"),
            // Tomcat compares what follows the last '.' (gz) with the extension; Jetty the path's end.
            Row.refused("*.json.gz", Reach.UNFILTERED, Reach.FILTERED, "/webhooks/a.json.gz"),
            // A filter on '/' is the exact path '/', where a servlet on '/' serves every path no other maps.
            Row.refused("/", Reach.UNFILTERED, Reach.UNFILTERED, "/x", "/webhooks/x"),
            // Tomcat merges // into /, Jetty refuses the request.
            Row.refused("/webhooks//events", Reach.UNFILTERED, Reach.REFUSED_BY_CONTAINER, "/webhooks//events"),
            Row.refused("/webhooks/./events", Reach.UNFILTERED, Reach.UNFILTERED, "/webhooks/./events"),
            Row.refused("/webhooks/../events", Reach.UNFILTERED, Reach.UNFILTERED, "/webhooks/../events"),
            Row.refused("/webhooks/events;v=1", Reach.UNFILTERED, Reach.UNFILTERED, "/webhooks/events;v=1"),
            // Tomcat decodes the pattern and the path; Jetty keeps %20 (and writes such escapes in upper case).
            Row.refused("/webhooks/s p", Reach.FILTERED, Reach.UNFILTERED, "/webhooks/s%20p"),
            Row.refused("*.j s", Reach.FILTERED, Reach.UNFILTERED, "/x.j%20s"),
            Row.refused("/c/x%3cy", Reach.FILTERED, Reach.UNFILTERED, "/c/x%3cy"),
            // Jetty decodes escapes of characters a path may hold, and compares the pattern as written.
            Row.refused("/webhooks/%65vents", Reach.FILTERED, Reach.UNFILTERED, "/webhooks/events"),
            Row.refused("/webhooks/%C3%A9", Reach.FILTERED, Reach.UNFILTERED, "/webhooks/%C3%A9"),
            // Spring's path variable is literal text to a container.
            Row.refused("/webhooks/{id}", Reach.UNFILTERED, Reach.UNFILTERED, "/webhooks/42"));

    private static final PatternContext CONTEXT = new PatternContext();

    /**
     * The scenarios on one container.
     *
     * @param container starts the container, with the context of the filters beside the example WAR
     */
    protected UrlPatternScenarios(Container container) {
        super(container);
    }

    @Override
    protected List<? extends AddedContext> probeContexts() {
        return List.of(CONTEXT);
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    /**
     * Each request of the row reaches the row's filter, or not, as the table says for this container, and the
     * rule accepts the pattern exactly when the table does; both are checked, so that either drift is reported.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aFilterOnThePatternSeesTheRequestsAsTheExperimentFound(Row row) throws IOException {
        assertTrue(CONTEXT.started.get(), "the context " + CONTEXT_PATH + " did not start");
        boolean tomcat = app.serverInfo().startsWith("Apache Tomcat/");
        if (!tomcat && !app.serverInfo().startsWith("Jetty/")) {
            throw new IllegalStateException("neither Tomcat nor Jetty: " + app.serverInfo());
        }
        Reach expected = tomcat ? row.onTomcat() : row.onJetty();
        List<Executable> checks = new ArrayList<>();
        for (String target : row.targets()) {
            RawResponse response;
            try (RawConnection connection = connect()) {
                response = connection.exchange(RawRequest.post(CONTEXT_PATH + target));
            }
            String seen = response.status() + " " + response.text().strip().replace('\n', ',');
            checks.add(() -> assertEquals(expected, reach(response, row),
                    () -> app.serverInfo() + ", POST " + CONTEXT_PATH + target + ", filter " + row.filterName()
                            + ": HTTP " + seen));
        }
        String reason = ServletUrlPatterns.unmatchedOnSomeContainer(row.pattern());
        checks.add(() -> assertTrue(ServletUrlPatterns.isValid(row.pattern()), "not a valid pattern"));
        checks.add(() -> assertEquals(row.accepted(), reason == null,
                () -> "the table says " + (row.accepted() ? "accepted" : "refused")
                        + ", unmatchedOnSomeContainer says " + (reason == null ? "null" : "'" + reason + "'")));
        assertAll(row.toString(), checks);
    }

    /** What the response says of the row's filter; null for one that fits no {@link Reach}. */
    private static Reach reach(RawResponse response, Row row) {
        if (response.status() == 400) {
            return Reach.REFUSED_BY_CONTAINER;
        }
        List<String> lines = Arrays.asList(response.text().split("\n"));
        if (response.status() != 200 || lines.isEmpty() || !lines.get(0).startsWith(Answer.SERVLET)) {
            return null;
        }
        return lines.contains(Recorder.FILTER + row.filterName()) ? Reach.FILTERED : Reach.UNFILTERED;
    }

    /** The context: a {@link Recorder} on each row's pattern, an {@link Answer} on {@code /} and the prefix. */
    private static final class PatternContext implements AddedContext {

        private final AtomicBoolean started = new AtomicBoolean();

        @Override
        public String path() {
            return CONTEXT_PATH;
        }

        @Override
        public Map<Integer, String> errorPages() {
            return Map.of();
        }

        @Override
        public void onStartup(Set<Class<?>> classes, ServletContext context) {
            for (Row row : ROWS) {
                context.addFilter(row.filterName(), new Recorder(row.filterName()))
                        .addMappingForUrlPatterns(null, false, row.pattern());
            }
            context.addServlet("root", new Answer("root")).addMapping("/");
            context.addServlet("prefix", new Answer("prefix")).addMapping(SERVLET_PREFIX);
            started.set(true);
        }
    }

    /** Notes its name in a request attribute, then passes the request on. */
    private static final class Recorder implements Filter {

        static final String ATTRIBUTE = "dev.webhookfilter.it.filtersRun";
        static final String FILTER = "filter ";
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            List<String> run = (List<String>) request.getAttribute(ATTRIBUTE);
            if (run == null) {
                run = new ArrayList<>();
                request.setAttribute(ATTRIBUTE, run);
            }
            run.add(name);
            chain.doFilter(request, response);
        }
    }

    /** Answers 200: {@code servlet <name>}, then {@code filter <name>} for each filter that ran. */
    private static final class Answer extends HttpServlet {

        private static final long serialVersionUID = 1L;
        static final String SERVLET = "servlet ";
        private final String name;

        Answer(String name) {
            this.name = name;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            StringBuilder text = new StringBuilder(SERVLET).append(name).append('\n');
            List<String> run = (List<String>) request.getAttribute(Recorder.ATTRIBUTE);
            for (String filter : run == null ? List.<String>of() : run) {
                text.append(Recorder.FILTER).append(filter).append('\n');
            }
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(text.toString());
        }
    }
}
