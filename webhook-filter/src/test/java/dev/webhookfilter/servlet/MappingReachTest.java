package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.servlet.MappingReach.Role;
import dev.webhookfilter.servlet.MappingReach.Servlet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Servlet specification's mapping rules (Servlet 6.0, sections 12.1 and 12.2), written out by hand. */
class MappingReachTest {

    private static final Function<String, Collection<String>> NO_FILES = directory -> List.of();
    private static final Servlet CONTAINER_DEFAULT = new Servlet("default", Role.CONTAINER, List.of("/"));

    /** The application's servlet on {@code patterns} (space-separated; {@code ''} for the context root) and the container's default servlet. */
    private static MappingReach application(String patterns) {
        List<String> list = new ArrayList<>();
        for (String pattern : patterns.split(" ")) {
            list.add(pattern.equals("''") ? "" : pattern);
        }
        return new MappingReach(List.of(new Servlet("handler", Role.APPLICATION, list), CONTAINER_DEFAULT));
    }

    private static String pattern(String cell) {
        return cell.equals("''") ? "" : cell;
    }

    @Nested
    class OneApplicationServlet {

        @ParameterizedTest(name = "filter {0}, servlet {1}: {2}")
        @CsvSource(delimiter = '|', textBlock = """
                /webhooks/*           | /webhooks/*                   | true
                /webhooks/*           | /webhooks                     | true
                /webhooks/*           | /webhooks/payments            | true
                /webhooks/*           | /webhooks/payments/*          | true
                /webhooks/payments/*  | /webhooks/*                   | true
                /webhooks/payments/*  | /*                            | true
                /webhooks/payments    | /webhooks/*                   | true
                /webhooks             | /webhooks/*                   | true
                /webhooks/payments    | /webhooks/payments            | true
                /webhooks/*           | /                             | true
                /webhook/*            | /                             | true
                /webhooks/*           | *.json                        | true
                /webhooks/x.json      | *.json                        | true
                *.json                | *.json                        | true
                *.json                | /webhooks/*                   | true
                *.json                | /hooks/payments.json          | true
                /*                    | /hooks                        | true
                /                     | /hooks                        | true
                /*                    | ''                            | true
                ''                    | ''                            | true
                ''                    | /*                            | true
                /webhook/*            | /webhooks/*                   | false
                /app/webhooks/*       | /webhooks/*                   | false
                /webhooks/*           | /webhooksx/*                  | false
                /webhooks/*           | /webhooksx                    | false
                /webhooks/payments/*  | /webhooks/payment             | false
                /webhooks/payments    | /webhooks/orders              | false
                /webhooks/payments    | /webhooks/payments/*/x        | false
                /webhooks             | /webhooks/payments            | false
                *.json                | *.xml                         | false
                *.json                | /hooks                        | false
                *.json                | /hooks.json/x                 | false
                ''                    | /webhooks/*                   | false
                /webhook/*            | ''                            | false
                /webhooks/x.json      | *.xml                         | false
                """)
        void reachesTheApplicationAsTheSpecificationMapsRequests(String filter, String servlet, boolean reaches) {
            assertEquals(reaches, application(servlet).reachesApplication(pattern(filter), NO_FILES));
        }

        @ParameterizedTest(name = "filter {0}, servlets {1}: {2}")
        @CsvSource(delimiter = '|', textBlock = """
                /webhook/*   | /webhooks/* /events ''         | false
                /webhook/*   | /webhooks/* /events '' /       | true
                /webhooks/*  | /events /webhooks/payments/*   | true
                *.json       | /events /webhooks              | false
                /hooks/*     | /events *.json                 | true
                """)
        void withSeveralMappings(String filter, String servlets, boolean reaches) {
            assertEquals(reaches, application(servlets).reachesApplication(pattern(filter), NO_FILES));
        }
    }

    @Nested
    class ContainerServlets {

        @Test
        void noServletReachesNothing() {
            assertFalse(new MappingReach(List.of()).reachesApplication("/*", NO_FILES));
            assertFalse(new MappingReach(List.of(CONTAINER_DEFAULT)).reachesApplication("/*", NO_FILES));
        }

        @Test
        void aContainerServletOnAPrefixTakesItsPathsFromAnExtension() {
            // Tomcat's DefaultServlet mapped by the application on /static/*: prefixes come before extensions.
            MappingReach reach = new MappingReach(List.of(CONTAINER_DEFAULT,
                    new Servlet("static", Role.CONTAINER, List.of("/static/*")),
                    new Servlet("json", Role.APPLICATION, List.of("*.json"))));
            assertFalse(reach.reachesApplication("/static/*", NO_FILES));
            assertTrue(reach.reachesApplication("/other/*", NO_FILES));
        }

        @Test
        void theApplicationsServletOnAPatternTheContainerAlsoMapsCounts() {
            MappingReach reach = new MappingReach(List.of(CONTAINER_DEFAULT,
                    new Servlet("dispatcher", Role.APPLICATION, List.of("/"))));
            assertTrue(reach.reachesApplication("/webhook/*", NO_FILES));
        }

        @Test
        void servletsReachedNamesTheContainersToo() {
            MappingReach reach = new MappingReach(List.of(CONTAINER_DEFAULT,
                    new Servlet("handler", Role.APPLICATION, List.of("/webhooks/*")),
                    new Servlet("jsp", Role.JSP_ENGINE, List.of("*.jsp"))));
            assertEquals(Set.of("default", "jsp"), reach.servletsReached("/webhook/*"));
            assertEquals(Set.of("default", "jsp", "handler"), reach.servletsReached("/*"));
            assertEquals(Set.of("handler"), reach.servletsReached("/webhooks/*"));
        }
    }

    /** Tomcat's and Jetty's defaults map a JSP engine on *.jsp, which would otherwise reach every prefix. */
    @Nested
    class JspEngine {

        private final MappingReach reach = new MappingReach(List.of(CONTAINER_DEFAULT,
                new Servlet("handler", Role.APPLICATION, List.of("/webhooks/*")),
                new Servlet("jsp", Role.JSP_ENGINE, List.of("*.jsp", "*.jspx", "/pages/*"))));

        private Function<String, Collection<String>> files(List<String> asked, String... files) {
            return directory -> {
                asked.add(directory);
                return Arrays.stream(files).filter(file -> file.startsWith(directory)).toList();
            };
        }

        @Test
        void itsExtensionsReachOnlyTheJspsThereAre() {
            List<String> asked = new ArrayList<>();
            assertFalse(reach.reachesApplication("/webhook/*", files(asked)));
            assertFalse(reach.reachesApplication("/webhook/*", files(asked, "/webhooks/x.jsp", "/webhook/", "/webhook/a.js")));
            assertTrue(reach.reachesApplication("/webhook/*", files(asked, "/webhook/sub/index.jsp")));
            assertTrue(reach.reachesApplication("/webhook/*", directory -> null), "files that cannot be told");
            assertEquals(List.of("/webhook/", "/webhook/", "/webhook/"), asked);
        }

        @Test
        void filesAreAskedForOnlyWhenNothingElseReaches() {
            List<String> asked = new ArrayList<>();
            assertTrue(reach.reachesApplication("/webhooks/*", files(asked)));
            assertTrue(reach.reachesApplication("/*", files(asked)));
            assertTrue(reach.reachesApplication("*.jsp", files(asked)), "/webhooks/x.jsp goes to the handler");
            assertFalse(reach.reachesApplication("/hooks/x.json", files(asked)), "not a JSP's extension");
            assertFalse(reach.reachesApplication("", files(asked)), "the context root has no extension");
            assertEquals(List.of(), asked);
        }

        @Test
        void anExactPatternOrAnExtensionLooksWhereItCovers() {
            MappingReach jspOnly = new MappingReach(List.of(CONTAINER_DEFAULT,
                    new Servlet("jsp", Role.JSP_ENGINE, List.of("*.jsp", "*.jspx"))));
            List<String> asked = new ArrayList<>();
            assertTrue(jspOnly.reachesApplication("/hooks/a.jsp", files(asked, "/hooks/a.jsp")));
            assertFalse(jspOnly.reachesApplication("/hooks/b.jsp", files(asked, "/hooks/a.jsp")));
            assertTrue(jspOnly.reachesApplication("*.jspx", files(asked, "/a/b.jspx")));
            assertFalse(jspOnly.reachesApplication("*.jsp", files(asked, "/a/b.jspx")));
            assertFalse(jspOnly.reachesApplication("/*", files(asked, "/a/b.js", "/a/")));
            assertEquals(List.of("/hooks/", "/hooks/", "/", "/", "/"), asked);
        }

        @Test
        void itsOtherPatternsCountAsTheApplications() {
            // A jsp-property-group's url-pattern, which Tomcat maps to the engine: JSPs under /pages/ are code.
            assertTrue(reach.reachesApplication("/pages/*", NO_FILES));
        }

        @Test
        void aJspUnderAContainersPrefixIsNotServedAsOne() {
            MappingReach withStatic = new MappingReach(List.of(CONTAINER_DEFAULT,
                    new Servlet("static", Role.CONTAINER, List.of("/static/*")),
                    new Servlet("jsp", Role.JSP_ENGINE, List.of("*.jsp"))));
            assertFalse(withStatic.reachesApplication("/static/*", directory -> List.of("/static/a.jsp")));
        }
    }

    @Nested
    class Overlap {

        @ParameterizedTest(name = "{0} and {1}: {2}")
        @CsvSource(delimiter = '|', textBlock = """
                /webhooks/*          | /webhooks/*          | true
                /webhooks/*          | /*                   | true
                /webhooks/*          | /                    | true
                /webhooks/*          | /webhooks            | true
                /webhooks/*          | /webhooks/payments   | true
                /webhooks/*          | /webhooks/payments/* | true
                /webhooks/*          | *.json               | true
                /x.json              | *.json               | true
                *.json               | *.json               | true
                ''                   | /*                   | true
                ''                   | ''                   | true
                /webhooks/*          | /webhooksx/*         | false
                /webhooks/*          | /other               | false
                /webhooks/*          | /webhooksx           | false
                *.json               | *.xml                | false
                *.json               | /x                   | false
                ''                   | /webhooks/*          | false
                ''                   | *.json               | false
                /x                   | /y                   | false
                """)
        void twoFilterPatternsOverlapWhenSomePathIsCoveredByBoth(String a, String b, boolean overlap) {
            assertEquals(overlap, MappingReach.overlap(pattern(a), pattern(b)));
            assertEquals(overlap, MappingReach.overlap(pattern(b), pattern(a)));
        }
    }

    @Nested
    class Roles {

        @ParameterizedTest
        @ValueSource(strings = {"org.apache.catalina.servlets.DefaultServlet", "org.eclipse.jetty.ee10.servlet.DefaultServlet",
                "org.eclipse.jetty.ee11.servlet.ServletHandler$Default404Servlet", "org.eclipse.jetty.ee10.servlet.NoJspServlet",
                "io.undertow.servlet.handlers.DefaultServlet"})
        void theContainersDefaultServletsAreItsOwn(String className) {
            assertEquals(Role.CONTAINER, MappingReach.roleOf(className));
        }

        @ParameterizedTest
        @ValueSource(strings = {"org.apache.jasper.servlet.JspServlet", "org.eclipse.jetty.ee10.jsp.JettyJspServlet"})
        void theJspEnginesAreKnown(String className) {
            assertEquals(Role.JSP_ENGINE, MappingReach.roleOf(className));
        }

        @ParameterizedTest
        @ValueSource(strings = {"org.springframework.web.servlet.DispatcherServlet", "com.example.DefaultServlet",
                "org.apache.catalina.servlets.WebdavServlet"})
        void anyOtherServletIsTheApplications(String className) {
            assertEquals(Role.APPLICATION, MappingReach.roleOf(className));
        }

        @Test
        void aServletWithoutAClassNameIsTheApplications() {
            assertEquals(Role.APPLICATION, MappingReach.roleOf(null));
        }

        @Test
        void theWebSocketFiltersAreTheContainers() {
            assertTrue(MappingReach.isContainerFilter("org.apache.tomcat.websocket.server.WsFilter"));
            assertTrue(MappingReach.isContainerFilter("org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter"));
            assertFalse(MappingReach.isContainerFilter("org.apache.wicket.protocol.http.WicketFilter"));
            assertFalse(MappingReach.isContainerFilter(null));
        }
    }
}
