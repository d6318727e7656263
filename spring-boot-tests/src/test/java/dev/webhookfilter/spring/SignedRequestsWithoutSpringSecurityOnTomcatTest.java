package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.spring.app.CaseInsensitiveRouting;
import dev.webhookfilter.spring.app.Received;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.UrlHandlerFilter;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UrlPathHelper;

/**
 * The test application's controller without Spring Security (as example-spring-boot runs), on Tomcat: one
 * endpoint whose path pattern, /webhooks/*, covers every path the controller's /webhooks/{endpoint}/bytes
 * maps. Spring Security's firewall is not there to refuse a dot segment, so only the filter's mapping decides.
 */
@SpringBootTest(classes = SignedRequestsWithoutSpringSecurityOnTomcatTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "webhooks.endpoints.payments.path-patterns=/webhooks/*",
                "webhooks.endpoints.payments.secrets[0]=" + Vectors.SECRET_A,
        })
class SignedRequestsWithoutSpringSecurityOnTomcatTest {

    /**
     * The test application without Spring Security (its auto-configurations as Boot 3.5 and 4.0 name them), with the
     * controllers and the {@link Received} they count in: each container's test extends it with its server.
     */
    @EnableAutoConfiguration(excludeName = {
            // Boot 3.5
            "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
            // Boot 4.0
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
    @ComponentScan(basePackageClasses = Received.class, excludeFilters = @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE, classes = WebhookTestApplication.class))
    static class WithoutSpringSecurity {

        @Bean
        Received received() {
            return new Received();
        }
    }

    @SpringBootConfiguration
    @Import(Servers.Tomcat.class)
    static class App extends WithoutSpringSecurity {
    }

    /** Paths that Spring MVC maps to the webhook controller, with dot segments that a firewall would refuse. */
    static Stream<String> pathsToTheController() {
        return Stream.of("/webhooks/payments/bytes", "/webhooks/%2e%2e/bytes", "/webhooks/.%2E/bytes",
                "/webhooks/..;/bytes");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Received received;

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsToTheController")
    void anUnsignedRequest_thatSpringMapsToTheWebhookController_neverReachesIt(String path) throws Exception {
        int before = received.controllerCalls.get();

        Loopback.Answer answer = new Loopback(port).post(path, "application/json", Vectors.SIMPLE_BODY);

        assertThat(answer.status()).as(answer.body()).isNotEqualTo(200);
        assertThat(received.controllerCalls.get()).as("controller calls").isEqualTo(before);
    }

    @Test
    void aDotSegmentUnderTheEndpointsPattern_gets400_beforeAnythingReadsTheRequest() throws Exception {
        Loopback.Answer answer = new Loopback(port).post("/webhooks/%2e%2e/bytes", "application/json",
                Vectors.SIMPLE_BODY);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("webhook rejected: ambiguous path\n");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aDotSegmentElsewhere_isLeftToTheApplication() throws Exception {
        Loopback.Answer answer = new Loopback(port).post("/elsewhere/%2e%2e/bytes", "application/json",
                Vectors.SIMPLE_BODY);

        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
    }

    /**
     * A path pattern is matched after the context path is taken off and before Spring MVC's servlet path is:
     * written as the full URL, or as the controller's mapping under spring.mvc.servlet.path, it guards no
     * controller, and the application used to start with its controller taking unsigned requests.
     */
    @ParameterizedTest(name = "{0}={1}, path-patterns={2}")
    @CsvSource({
            "spring.mvc.servlet.path,     /api, /webhooks/*,     /api/webhooks/payments/bytes",
            "server.servlet.context-path, /app, /app/webhooks/*, /app/webhooks/payments/bytes",
    })
    void aPathPatternThatGuardsNoController_stopsTheStart(String property, String value, String pattern, String url)
            throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1", property, value,
                "webhooks.endpoints.payments.path-patterns", pattern,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));

        ConfigurableApplicationContext started;
        try {
            started = application.run();
        } catch (RuntimeException refused) {
            assertThat(refused).hasStackTraceContaining("path-patterns: '" + pattern + "'");
            return;
        }
        try (started) {
            Received received = started.getBean(Received.class);
            Loopback.Answer answer = new Loopback(Integer.parseInt(started.getEnvironment().getProperty(
                    "local.server.port"))).post(url, "application/json", Vectors.SIMPLE_BODY);
            fail("the application started; an unsigned POST to " + url + " got " + answer.status()
                    + ", and the controller ran " + received.controllerCalls.get() + " time(s)");
        }
    }

    /**
     * A filter mapped on / runs for the request for / alone, on Tomcat 10.1 and 11 and Jetty 12 ee10 and ee11 (a
     * servlet on / is the default servlet; a filter on / is an exact path): path-patterns: / used to start, and the
     * controller took unsigned requests on every other path.
     */
    @Test
    void theSlashPattern_stopsTheStart() throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", "/",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));

        ConfigurableApplicationContext started;
        try {
            started = application.run();
        } catch (RuntimeException refused) {
            assertThat(refused).hasStackTraceContaining("path-patterns: '/' is, for a filter, the exact path /:");
            return;
        }
        failBecauseItStarted(started);
    }

    /**
     * The filter registered by the application itself (README, "Without web.xml") on Spring's /webhooks/**:
     * Tomcat takes it as one literal path, with a log line, and used to start with the filter guarding nothing.
     */
    @Test
    void theFilterInAnApplicationsOwnRegistrationOnAPatternTomcatTakesLiterally_stopsTheStart() throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1"));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("webhookSignature",
                FilterRegistrationBean.class, () -> {
                    FilterRegistrationBean<WebhookSignatureFilter> registration = new FilterRegistrationBean<>(
                            WebhookSignatureFilter.builder().secrets(Vectors.SECRET_A).build());
                    registration.addUrlPatterns("/webhooks/**");
                    return registration;
                }));

        ConfigurableApplicationContext started;
        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName())) {
            try {
                started = application.run();
            } catch (RuntimeException refused) {
                // Tomcat says only that a filter failed to start; the filter's own logger says why.
                assertThat(refused).hasStackTraceContaining("Unable to start web server");
                assertThat(logs.messages(java.util.logging.Level.SEVERE)).containsExactly("WebhookSignatureFilter"
                        + " 'webhookSignature' is misconfigured and will not start:\nurl-pattern '/webhooks/**' of its"
                        + " filter-mapping is not a Servlet URL pattern and would match no request: a * stands only at"
                        + " the end of a prefix (/webhooks/*, which covers everything under /webhooks/) or at the"
                        + " start of an extension (*.json)");
                return;
            }
        }
        failBecauseItStarted(started);
    }

    /** Fails, saying what an unsigned POST got from the application that {@code started}, and closes it. */
    private static void failBecauseItStarted(ConfigurableApplicationContext started) throws IOException {
        try (started) {
            Received received = started.getBean(Received.class);
            Loopback.Answer answer = new Loopback(Integer.parseInt(started.getEnvironment().getProperty(
                    "local.server.port"))).post("/webhooks/payments/bytes", "application/json", Vectors.SIMPLE_BODY);
            fail("the application started; an unsigned POST got " + answer.status() + ", and the controller ran "
                    + received.controllerCalls.get() + " time(s)");
        }
    }

    /**
     * Lazy initialisation makes a bean only when something asks for it. An endpoint that binds to nothing (every
     * key misspelled, or all under a misspelling of webhooks.endpoints) has no registration to ask for the starter's
     * checks, and the application used to start with its controller taking unsigned requests.
     */
    @ParameterizedTest(name = "{0}{1}")
    @CsvSource({
            "webhooks.endpoint.payments.,  path-patterns, secrets[0], Keys look meant for an endpoint",
            "webhooks.endpoints.payments., path-paterns,  secret,     path-paterns: not a property of an endpoint",
    })
    void lazyInitialisation_doesNotSkipTheCheckOfMisspelledKeys(String prefix, String paths, String secret,
                                                                String problem) throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "spring.main.lazy-initialization", "true",
                prefix + paths, "/webhooks/*", prefix + secret, Vectors.SECRET_A));

        ConfigurableApplicationContext started;
        try {
            started = application.run();
        } catch (RuntimeException refused) {
            assertThat(refused).hasRootCauseInstanceOf(WebhookConfigurationException.class);
            assertThat(refused).hasStackTraceContaining(problem);
            return;
        }
        failBecauseItStarted(started);
    }

    @Test
    void aPathPatternUnderTheServletPath_guardsTheController() throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "spring.mvc.servlet.path", "/api",
                "webhooks.endpoints.payments.path-patterns", "/api/webhooks/*",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));

        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback.Answer answer = new Loopback(Integer.parseInt(started.getEnvironment().getProperty(
                    "local.server.port"))).post("/api/webhooks/payments/bytes", "application/json", Vectors.SIMPLE_BODY);

            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }

    /**
     * Spring's {@code UrlHandlerFilter}, which Spring 6.2 offers instead of trailing slash matching, takes the slash
     * off a path inside the filter chain, after the container matched filter mappings: an exact path pattern does not
     * cover the path with a slash after it, and the controller at the exact path used to run unsigned. Whether the
     * UrlHandlerFilter runs after the starter's filters (its default order) or before them.
     */
    @ParameterizedTest(name = "UrlHandlerFilter at order {0}")
    @ValueSource(ints = {Ordered.LOWEST_PRECEDENCE, Ordered.HIGHEST_PRECEDENCE})
    void aTrailingSlashAfterAnExactPathPattern_neverReachesTheControllerThatSpringStripsItFor(int order)
            throws Exception {
        String logged = "/webhooks/payments/logged"; // the controller's one path that no other mapping shares
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", logged,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("trailingSlash",
                FilterRegistrationBean.class, () -> {
                    FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
                            UrlHandlerFilter.trailingSlashHandler("/webhooks/**").wrapRequest().build());
                    registration.setOrder(order);
                    return registration;
                }));

        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer exact = http.post(logged, "application/json", Vectors.SIMPLE_BODY);
            Loopback.Answer slash = http.post(logged + "/", "application/json", Vectors.SIMPLE_BODY);

            assertThat(exact.status()).as(exact.body()).isEqualTo(401);
            assertThat(slash.status()).as(slash.body()).isEqualTo(400);
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }

    /**
     * The starter's ambiguous-path filter refuses the trailing '/' of its endpoints' exact patterns only. A filter the
     * application registers itself beside the starter, on another exact path, used to start without the warning that
     * the path with a '/' reaches the controller unsigned, whenever the starter's filter was there. With a
     * UrlHandlerFilter (which strips the '/' for Spring MVC) the application's own filter is warned of; without one,
     * Spring MVC 6 and 7 route no path with a trailing '/' to a handler mapped without it, and neither filter is.
     */
    @ParameterizedTest(name = "UrlHandlerFilter: {0}")
    @ValueSource(booleans = {true, false})
    void anApplicationsOwnExactPatternBesideTheStarter_isWarnedOfWhereSpringStripsTheTrailingSlash(
            boolean urlHandlerFilter) throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", "/webhooks/payments/bytes",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("own",
                FilterRegistrationBean.class, () -> {
                    FilterRegistrationBean<WebhookSignatureFilter> registration = new FilterRegistrationBean<>(
                            WebhookSignatureFilter.builder().secrets(Vectors.SECRET_B).build());
                    registration.setName("own");
                    registration.addUrlPatterns("/webhooks/own/bytes");
                    return registration;
                }));
        if (urlHandlerFilter) {
            application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("trailingSlash",
                    FilterRegistrationBean.class, () -> new FilterRegistrationBean<>(
                            UrlHandlerFilter.trailingSlashHandler("/webhooks/**").wrapRequest().build())));
        }

        try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName());
             ConfigurableApplicationContext started = application.run()) {
            assertThat(logs.messages(java.util.logging.Level.WARNING)).isEqualTo(!urlHandlerFilter ? List.of()
                    : List.of("WebhookSignatureFilter 'own': url-pattern '/webhooks/own/bytes' is an exact"
                    + " path, and servlet 'dispatcherServlet' also serves /webhooks/own/bytes/, which the filter does"
                    + " not guard: JAX-RS, and Spring MVC with trailing-slash matching, route it to the same handler"
                    + " unverified; map /webhooks/own/bytes/* instead, which covers /webhooks/own/bytes too"));

            // What the warning is about, unsigned: the controller runs for the own pattern's '/' path only where the
            // UrlHandlerFilter strips it; the starter's filter refuses the starter endpoint's whatever the setting.
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));
            Loopback.Answer own = http.post("/webhooks/own/bytes/", "application/json", Vectors.SIMPLE_BODY);
            Loopback.Answer starters = http.post("/webhooks/payments/bytes/", "application/json", Vectors.SIMPLE_BODY);

            assertThat(own.status()).as(own.body()).isEqualTo(urlHandlerFilter ? 200 : 404);
            assertThat(starters.status()).as(starters.body()).isEqualTo(400);
            assertThat(received.controllerCalls.get()).as("controller calls").isEqualTo(urlHandlerFilter ? 1 : 0);
        }
    }

    /**
     * Without Spring MVC's suffix pattern match (Spring 7 removed it; Spring 6 has it off unless the application turns
     * it on with the ant-style matcher, as SuffixPatternMatchOnBoot35Test does), /webhooks/payments/logged.json
     * reaches no controller: it got 404 with either matcher, on Boot 3.5 and 4.0.
     * The starter cannot see whether the application matches suffixes, so it refuses such a path whatever the setting.
     */
    @ParameterizedTest(name = "matching-strategy {0}")
    @ValueSource(strings = {"path-pattern-parser", "ant-path-matcher"})
    void aSuffixAfterAnExactPathPattern_isRefusedWhateverTheMatcher(String strategy) throws Exception {
        String logged = "/webhooks/payments/logged";
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "spring.mvc.pathmatch.matching-strategy", strategy,
                "webhooks.endpoints.payments.path-patterns", logged,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));

        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer suffixed = http.post(logged + ".json", "application/json", Vectors.SIMPLE_BODY);

            assertThat(suffixed.status()).as(suffixed.body()).isEqualTo(400);
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }

    /**
     * Tomcat matches filter mappings case-sensitively: with Spring MVC matching paths without regard to case, an
     * unsigned POST to /WEBHOOKS/payments/bytes ran no filter of /webhooks/* and reached the controller (200), with
     * either of Spring's matchers.
     */
    @ParameterizedTest(name = "AntPathMatcher: {0}")
    @ValueSource(booleans = {false, true})
    void aPathThatDiffersFromThePatternInCaseOnly_neverReachesTheControllerThatSpringRoutesItTo(boolean antPathMatcher)
            throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", "/webhooks/*",
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean(
                "caseInsensitiveRouting", WebMvcConfigurer.class, () -> new CaseInsensitiveRouting(antPathMatcher)));

        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer lower = http.post("/webhooks/payments/bytes", "application/json", Vectors.SIMPLE_BODY);
            Loopback.Answer upper = http.post("/WEBHOOKS/payments/bytes", "application/json", Vectors.SIMPLE_BODY);

            assertThat(lower.status()).as(lower.body()).isEqualTo(401);
            assertThat(upper.status()).as(upper.body()).isEqualTo(400);
            assertThat(upper.body()).isEqualTo("webhook rejected: ambiguous path\n");
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }

    /**
     * Spring MVC's ant-style matcher with a UrlPathHelper that keeps ;parameters, as Spring's reference configures it for
     * {@code @MatrixVariable}, matches /events/order;x.json to /events/{name}.json, while Tomcat leaves the parameters
     * out and matched the filters against /events/order: an unsigned POST reached the controller under *.json (200).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/events/order;x.json", "/events/order;.json", "/events/order;x=1.json"})
    @SuppressWarnings({"deprecation", "removal"}) // the ant-style matcher and UrlPathHelper: deprecated in Spring 7
    void anExtensionInTheLastSegmentsParameters_neverReachesTheControllerThatSpringRoutesItTo(String path)
            throws Exception {
        assertRefusedAsAmbiguous("*.json", Map.of(), configurer -> {
            UrlPathHelper urlPathHelper = new UrlPathHelper();
            urlPathHelper.setRemoveSemicolonContent(false);
            configurer.setPathMatcher(new AntPathMatcher());
            configurer.setUrlPathHelper(urlPathHelper);
        }, "/events/order.json", path);
    }

    /**
     * Spring's AntPathMatcher with setTrimTokens(true) trims each segment of the path, while Tomcat matched the filters
     * against /webhooks /payments/logged, spaces and all: an unsigned POST reached the controller (200), under a prefix
     * or an exact pattern.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"/webhooks/*, /webhooks%20/payments/logged", "/webhooks/*, /%09webhooks/payments/logged",
            "/webhooks/payments/logged, /webhooks/payments/logged%20", "/webhooks/payments/logged, /webhooks/%20/payments/logged"})
    @SuppressWarnings({"deprecation", "removal"}) // the ant-style matcher: deprecated in Spring 7
    void aSegmentWithSpacesAroundIt_neverReachesTheControllerThatATrimmingMatcherRoutesItTo(String pattern, String path)
            throws Exception {
        assertRefusedAsAmbiguous(pattern, Map.of(), configurer -> {
            AntPathMatcher matcher = new AntPathMatcher();
            matcher.setTrimTokens(true);
            configurer.setPathMatcher(matcher);
        }, "/webhooks/payments/logged", path);
    }

    /**
     * Starts the application with one endpoint under {@code pattern}, {@code properties} besides, and its path
     * matching configured by {@code pathMatch}: an unsigned POST to {@code plain} gets the endpoint's 401, one to
     * {@code path} the ambiguous-path filter's 400, and the controller never runs.
     */
    static void assertRefusedAsAmbiguous(String pattern, Map<String, String> properties,
                                         Consumer<PathMatchConfigurer> pathMatch, String plain, String path)
            throws Exception {
        SpringApplication application = new SpringApplication(App.class);
        Map<String, Object> defaults = new HashMap<>(Map.of("server.port", "0", "server.address", "127.0.0.1",
                "webhooks.endpoints.payments.path-patterns", pattern,
                "webhooks.endpoints.payments.secrets[0]", Vectors.SECRET_A));
        defaults.putAll(properties);
        application.setDefaultProperties(defaults);
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("pathMatch",
                WebMvcConfigurer.class, () -> new WebMvcConfigurer() {
                    @Override
                    public void configurePathMatch(PathMatchConfigurer configurer) {
                        pathMatch.accept(configurer);
                    }
                }));

        try (ConfigurableApplicationContext started = application.run()) {
            Received received = started.getBean(Received.class);
            Loopback http = new Loopback(Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer unsigned = http.post(plain, "application/json", Vectors.SIMPLE_BODY);
            Loopback.Answer ambiguous = http.post(path, "application/json", Vectors.SIMPLE_BODY);

            assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(401);
            assertThat(ambiguous.status()).as(ambiguous.body()).isEqualTo(400);
            assertThat(ambiguous.body()).isEqualTo("webhook rejected: ambiguous path\n");
            assertThat(received.controllerCalls.get()).as("controller calls").isZero();
        }
    }

    @Test
    void anEndpointNamedAsAnotherFilterOfTheApplication_stopsTheStart() {
        // A servlet context holds one filter of a name: the second registration fails, and the start with it,
        // so that the endpoint's filter is never silently left out.
        SpringApplication application = new SpringApplication(App.class);
        application.setDefaultProperties(Map.of("server.port", "0",
                "webhooks.endpoints.audit.path-patterns", "/webhooks/*",
                "webhooks.endpoints.audit.secrets[0]", Vectors.SECRET_A));
        application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("audit",
                Filter.class, () -> (request, response, chain) -> chain.doFilter(request, response)));

        assertThatThrownBy(() -> application.run().close())
                .hasStackTraceContaining("Failed to register 'filter audit' on the servlet context");
    }
}
