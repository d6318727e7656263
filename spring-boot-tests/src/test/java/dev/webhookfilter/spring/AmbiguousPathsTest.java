package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request paths the container and Spring MVC may read as two paths, under the endpoints' patterns. */
class AmbiguousPathsTest {

    private final AmbiguousPaths webhooks = new AmbiguousPaths(List.of("/webhooks/*"));

    @Nested
    class Segments {

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/%2e%2e/bytes", "/webhooks/.%2E/bytes", "/webhooks/%2E./bytes",
                "/webhooks/../bytes", "/webhooks/..;/bytes", "/webhooks/..;jsessionid=1/bytes", "/webhooks/./bytes",
                "/webhooks/%2e/bytes", "/webhooks/.;x/bytes", "/webhooks/a/..", "/webhooks/a/%2e", "/webhooks/..",
                "/webhooks/x%2F..%2F..%2Fbytes/bytes", "/webhooks/x%2f../bytes", "/webhooks/x%5C..%5Cbytes/bytes",
                "/webhooks/x\\..\\bytes/bytes"})
        void aDotSegmentOrAnEncodedSeparator_underAPattern_isRefused(String path) {
            assertThat(webhooks.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments/bytes", "/webhooks/...", "/webhooks/.../bytes", "/webhooks/.x/y",
                "/webhooks/a.b/c.d", "/webhooks/x..", "/webhooks/%2e%2e%2e", "/webhooks/%252e%252e/bytes",
                "/webhooks/%2e%2/x", "/webhooks/%zz./x", "/webhooks/x;..", "/webhooks/x;../bytes", "/webhooks/%3B../x",
                "/webhooks//bytes", "/webhooks/", ""})
        void aPathWithoutOne_isLetThrough(String path) {
            assertThat(webhooks.refuses(path, "")).isFalse();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/other/%2e%2e/webhooks/x", "/../webhooks/x", "/webhooks2/../x", "/static/./app.js"})
        void anAmbiguousPath_thatNoPatternCovers_isLetThrough(String path) {
            assertThat(webhooks.refuses(path, "")).isFalse();
        }

        @Test
        void aPathThatIsNotAmbiguous_allocatesNothing() {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            String[] paths = {"/webhooks/payments/bytes", "/webhooks/%E2%9C%93/event.json", "/app/webhooks/x;a=b"};
            boolean refused = webhooks.refuses(paths[0], "/app");

            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                refused |= webhooks.refuses(paths[i % paths.length], "/app");
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(refused).isFalse();
            // Under a byte a call: the smallest object is 16 bytes, so no call allocates, whatever the
            // bean's own reading costs on another JDK.
            assertThat(allocated).isLessThan(10_000);
        }
    }

    /**
     * Spring's UrlHandlerFilter and the trailing slash match of Spring MVC before 7.0 route a path with a slash after
     * it to the controller at the path without; the container matched the filters against the path with the slash.
     */
    @Nested
    class TrailingSlash {

        private final AmbiguousPaths exactAndExtension =
                new AmbiguousPaths(List.of("/webhooks/payments", "*.json", "/hooks/orders/*"));

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments/", "/webhooks/payments//", "/webhooks//payments/",
                "/webhooks/pay%6Dents/", "/webhooks;a=b/payments/", "/events/order.json/", "/webhooks/payments%2F",
                // A last segment of parameters only: the container and Spring both read the path as ending in '/'.
                "/webhooks/payments/;x", "/webhooks/payments/;", "/webhooks/payments//;x", "/events/order.json/;a=b"})
        void aSlashAfterAPathThatAnExactOrExtensionPatternCovers_isRefused(String path) {
            assertThat(exactAndExtension.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments", "/webhooks/", "/webhooks/payments/x/", "/hooks/orders/",
                "/hooks/orders/x/", "/hooks/", "/events/order.jsonx/", "/other/payments/", "/", "//", "/x%zz/",
                "/webhooks/payments;x", "/webhooks/payments/x;y", "/hooks/orders/;x", "/;x"})
        void aSlashAfterAPathNoPatternCovers_orAfterOneThePatternsCoverWithIt_isLetThrough(String path) {
            assertThat(exactAndExtension.refuses(path, "")).isFalse();
        }

        @Test
        void theContextPath_isNotPartOfThePathMatched() {
            assertThat(exactAndExtension.refuses("/app/webhooks/payments/", "/app")).isTrue();
            assertThat(exactAndExtension.refuses("/app/", "/app")).isFalse();
        }
    }

    /**
     * The container matches filter mappings case-sensitively; Spring MVC set to match without regard to case
     * ({@code PathPatternParser} or {@code AntPathMatcher} with {@code setCaseSensitive(false)}) routes a path that
     * differs from a pattern in case only to the endpoint's controller. Both fold case as {@code regionMatches(true)}
     * does: on spring-web 6.2.12 and 7.0.8, {@code /webhooks/{e}/bytes} matched {@code /webhooK/...} with the Kelvin
     * sign U+212A and {@code /webhookſ/...} with the long s U+017F, and {@code /webhooks/{e}/bytes.json} matched
     * {@code bytes.JSON}.
     */
    @Nested
    class Case {

        private final AmbiguousPaths patterns =
                new AmbiguousPaths(List.of("/webhooks/*", "/hooks/payments", "*.json", "/api/orders/*"));

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/WEBHOOKS/payments/bytes", "/Webhooks/payments/bytes", "/WEBHOOKS", "/WEBHOOKS/",
                "/%57EBHOOKS/payments/bytes", "/%57ebhooks/payments/bytes", "/webhoo%E2%84%AAs/payments/bytes",
                "/webhook%C5%BF/payments/bytes", "/WEBHOOKS;a=b/payments/bytes", "/WEBHOOKS//payments/bytes",
                "//WEBHOOKS/payments/bytes", "/WEBHOOKS/%2e%2e/bytes", "/HOOKS/payments", "/hooks/PAYMENTS",
                "/hooks/Payments/", "/hooks/pay%4Dents", "/events/order.JSON", "/events/order.Json;x=1",
                "/events/order.JSON/", "/api/ORDERS/x", "/API/orders/x", "/Api/orders"})
        void aPathUnderAPatternOnlyWhenCaseIsIgnored_isRefused(String path) {
            assertThat(patterns.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments/bytes", "/webhooks/PAYMENTS/BYTES", "/webhooks/%57/x",
                "/webhooks;a=b/X", "/WEBHOOKSX/a", "/WEBHOOK/a", "/other/WEBHOOKS/x", "/HOOKS/payments/x",
                "/HOOKS/paymentsx", "/events/order.JSONX", "/events/order.JSON/x", "/events.JSON/x",
                "/events/JSON", "/WEBHOO%zzS/x", "/static/App.js", "/", "", "/API/ordersx"})
        void aPathUnderAPatternWithCase_orUnderNoneWithout_isLetThrough(String path) {
            assertThat(patterns.refuses(path, "")).isFalse();
        }

        @Test
        void theContextPath_isNotPartOfThePathCompared() {
            assertThat(patterns.refuses("/app/WEBHOOKS/x", "/app")).isTrue();
            assertThat(patterns.refuses("/app/webhooks/x", "/app")).isFalse();
            assertThat(patterns.refuses("/APP/webhooks/x", "/APP")).isFalse();
        }

        @ParameterizedTest(name = "pattern {0}")
        @ValueSource(strings = {"/", "/*"})
        void aPatternThatCoversEveryPath_refusesNoCase(String pattern) {
            assertThat(new AmbiguousPaths(List.of(pattern)).refuses("/WEBHOOKS/x", "")).isFalse();
        }

        @Test
        void aPathUnderNoPatternEvenIgnoringCase_orUnderOneWithCase_allocatesNothing() {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            String[] paths = {"/static/app.js", "/webhooks/payments/bytes", "/other/WEBHOOKS/x", "/hooks/payments",
                    "/events/order.json", "/WEBHOOKSX/a", "/static/", "/other/webhooks/", "/static/jquery.min.js",
                    "/hooks/payments/x.js"};
            boolean refused = patterns.refuses(paths[0], "");

            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                refused |= patterns.refuses(paths[i % paths.length], "");
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(refused).isFalse();
            assertThat(allocated).isLessThan(10_000);
        }
    }

    /**
     * Spring MVC's suffix pattern match before 7.0, with the ant-style matcher ({@code setUseSuffixPatternMatch}), routes
     * a path to a mapping without a dot with {@code .*} after it, and its registered suffix match to any mapping with a
     * registered extension after it; the container matched the filters against the path with the suffix.
     */
    @Nested
    class Suffix {

        private final AmbiguousPaths patterns =
                new AmbiguousPaths(List.of("/webhooks/payments/logged", "/hooks/*", "*.json"));

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments/logged.xml", "/webhooks/payments/logged.anything",
                "/webhooks/payments/logged.", "/webhooks/payments/logged.a.b", "/webhooks/payments/logged.xml;x=1",
                "/webhooks/payments/logged%2Exml", "/webhooks//payments/logged.xml", "/webhooks/payments/LOGGED.xml",
                "/webhooks/payments/logged.xml/", "/webhooks/payments/logged..", "/hooks.xml", "/hooks.x.y",
                "/events/order.json.xml", "/events/order.JSON.xml"})
        void aPathUnderAPatternOnceItsLastSegmentIsCutAtADot_isRefused(String path) {
            assertThat(patterns.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks/payments/logged", "/hooks/payments.xml", "/hooks/x.y/z.xml", "/hooks/.xml",
                "/events/order.json", "/webhooks/payments/loggedx.xml", "/webhooks/payments/logged.xml/x",
                "/webhooks/payments.xml/logged", "/webhooks/payments/logged/x.xml", "/webhooks/payments/.xml",
                "/webhooks/payments/logged;a.b", "/webhooksx.xml", "/static/jquery.min.js", "/.xml", "/"})
        void aPathUnderAPatternAsItIs_orUnderNoneCutAtADotOfItsLastSegment_isLetThrough(String path) {
            assertThat(patterns.refuses(path, "")).isFalse();
        }

        @Test
        void theContextPath_isNotPartOfThePathCut() {
            assertThat(patterns.refuses("/app/webhooks/payments/logged.xml", "/app")).isTrue();
            assertThat(patterns.refuses("/app.xml", "/app.xml")).isFalse();
        }
    }

    /**
     * Spring MVC's ant-style matcher with a {@code UrlPathHelper} that keeps {@code ;parameters} (for
     * {@code @MatrixVariable}) matches a path with them; the container matched the filters against the path without.
     */
    @Nested
    class Parameters {

        private final AmbiguousPaths patterns =
                new AmbiguousPaths(List.of("/webhooks/payments/logged", "/hooks/*", "*.json"));

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/events/order;x.json", "/events/order;.json", "/events/order;x=1.json",
                "/events/order;x=1;y=2.json", "/events/order;x.JSON", "/events/order;x%2Ejson", "/events//order;x.json",
                "/events/order;x.json/"})
        void aPathUnderAPatternOnlyWithItsParametersKept_isRefused(String path) {
            assertThat(patterns.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/events/order.json;x", "/events/order.json;x.xml", "/events;x.json/order.json",
                "/events;x.json/order", "/webhooks/payments/logged;x", "/hooks;x", "/hooks;x/y", "/hooks/x;y.json",
                "/events/order;x", "/events/order;x.jsonx", "/other;x/payments", "/events/order;x.json%zz",
                // The container matches these as they are without the parameters.
                "/webhooks/payments/logged;x.json", "/events/order%3Bx.json;y=1"})
        void aPathUnderAPatternWithoutItsParameters_orUnderNoneWithThem_isLetThrough(String path) {
            assertThat(patterns.refuses(path, "")).isFalse();
        }

        @Test
        void theContextPath_isNotPartOfThePathRead() {
            assertThat(patterns.refuses("/app/events/order;x.json", "/app")).isTrue();
            assertThat(patterns.refuses("/app;x.json", "/app;x.json")).isFalse();
        }
    }

    /**
     * Spring's {@code AntPathMatcher} with {@code setTrimTokens(true)} trims each segment and drops those left empty;
     * the container matched the filters against the path with the spaces.
     */
    @Nested
    class TrimmedSegments {

        private final AmbiguousPaths patterns =
                new AmbiguousPaths(List.of("/webhooks/payments/logged", "/hooks/*", "*.json"));

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/webhooks%20/payments/logged", "/webhooks/payments/logged%20", "/%20webhooks/payments/logged",
                "/webhooks/payments/logged%09", "/webhooks%0B/payments/logged", "/webhooks/payments/%20logged",
                "/webhooks/%20/payments/logged", "/webhooks/payments/logged/%20", "/hooks%20/x", "/hooks%1F",
                "/events/order.json%20", "/WEBHOOKS%20/payments/logged"})
        void aPathUnderAPatternOnlyWithItsSegmentsTrimmed_isRefused(String path) {
            assertThat(patterns.refuses(path, "")).isTrue();
        }

        @ParameterizedTest(name = "path {0}")
        @ValueSource(strings = {"/hooks/x%20", "/hooks/%20", "/webhooks/payments/log%20ged", "/other%20/payments/logged",
                "/webhooks%C2%A0/payments/logged", "/events/order%20.json", "/%20"})
        void aPathUnderAPatternAsItIs_orUnderNoneTrimmed_isLetThrough(String path) {
            assertThat(patterns.refuses(path, "")).isFalse();
        }

        @Test
        void eachSegmentIsTrimmed_andAnEmptyOneDropped() {
            assertThat(AmbiguousPaths.withSegmentsTrimmed("/ a/\tb /  /c/")).isEqualTo("/a/b/c/");
            assertThat(AmbiguousPaths.withSegmentsTrimmed("/ ")).isEqualTo("/");
            assertThat(AmbiguousPaths.withSegmentsTrimmed("/a b/c")).isEqualTo("/a b/c");
        }
    }

    @Nested
    class ContextPath {

        @Test
        void theContextPath_isNotPartOfThePathMatched() {
            assertThat(webhooks.refuses("/app/webhooks/%2e%2e/bytes", "/app")).isTrue();
            assertThat(webhooks.refuses("/app/other/%2e%2e/bytes", "/app")).isFalse();
        }

        @Test
        void aDotSegmentInTheContextPath_isTheContainersBusiness() {
            assertThat(webhooks.refuses("/a/../webhooks/x", "/a/..")).isFalse();
        }
    }

    @Nested
    class Patterns {

        @ParameterizedTest(name = "{0} covers {1}: {2}")
        @CsvSource({
                "/webhooks/*, /webhooks/.., true",
                "/webhooks/*, /webhooks/a/../b, true",
                "/webhooks/*, /webhooksx/.., false",
                "/*, /anything/.., true",
                "/, /anything/.., true",
                "/webhooks/a/../b, /webhooks/a/../b, true",
                "/webhooks/a/../b, /webhooks/a/../b/c, false",
                "*.json, /x/../event.json, true",
                "*.json, /x/..;/event.json, true",
                "*.json, /event.json/.., false",
                "*.json, /x/../event.jsonx, false",
                "*.json, /x.json/../y, false",
        })
        void servletPatternRules_readOnThePathAsSpringReadsIt(String pattern, String path, boolean refused) {
            assertThat(new AmbiguousPaths(List.of(pattern)).refuses(path, "")).isEqualTo(refused);
        }

        @Test
        void theEmptyPattern_isTheContextRootOnly() {
            assertThat(new AmbiguousPaths(List.of("")).fallsUnder("/")).isTrue();
            assertThat(new AmbiguousPaths(List.of("")).refuses("/./", "")).isFalse();
        }

        @Test
        void segmentsAreDecoded_andTheirParametersRemoved_dotSegmentsKept() {
            assertThat(AmbiguousPaths.readAsSpringDoes("/webhooks/%2e%2e;x=1/b%C3%A9/.;/c", 0))
                    .isEqualTo("/webhooks/../bé/./c");
        }
    }
}
