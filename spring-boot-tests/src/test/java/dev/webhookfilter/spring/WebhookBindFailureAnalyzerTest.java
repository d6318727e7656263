package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.webhookfilter.spring.app.WebhookTestApplication;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A value Spring cannot convert to its {@code webhooks.*} property's type stops the start, and the start-up
 * output never shows it. Spring Boot's own report quotes it ({@code Value: "..."}, and its converter's
 * {@code for value [...]}): a secret's placeholder under the wrong key ({@code tolerance: ${WEBHOOK_SECRET}})
 * put the secret in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookBindFailureAnalyzerTest {

    /** Stands in for a webhook secret: it must appear nowhere in what the application prints. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "tolerance         | whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | a duration such as 300s",
            "max-body-size     | ${WEBHOOK_SECRET}                      | a size such as 1MB",
            "tolerance         | ${WEBHOOK_SECRET}                      | a duration such as 300s",
            "store-timeout     | ${WEBHOOK_SECRET}                      | a duration such as 300s",
            "replay-cache-size | ${WEBHOOK_SECRET}                      | a whole number",
            "replay-protection | ${WEBHOOK_SECRET}                      | true or false",
            "query-string      | ${WEBHOOK_SECRET}                      | one of allow, reject",
    })
    void aSecretUnderAPropertyOfAnotherType_stopsTheStart_namingTheKeyTheFormAndTheOrigin_neverTheValue(
            String property, String written, String form, CapturedOutput output) throws IOException {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*\n"
                + "webhooks.endpoints.orders.secrets[0]=${WEBHOOK_SECRET}\n"
                + "webhooks.endpoints.orders." + property + "=" + written + "\n", StandardCharsets.UTF_8);

        RuntimeException thrown = start(config, Map.of());

        String key = "webhooks.endpoints.orders." + property;
        assertThat(stackTrace(thrown))
                .as("what SpringApplication.run throws, as a test runner or a container deploying the application"
                        + " prints it")
                .doesNotContain(SECRET)
                .contains(key + ": cannot be read as " + form);
        assertThat(output.getAll())
                .as("everything printed at the default log levels, stack traces included")
                .doesNotContain(SECRET)
                .contains("APPLICATION FAILED TO START")
                .contains(key + ": cannot be read as " + form)
                .contains("set in URL [file:" + config + "] - 3:")
                .contains("Give " + key + " " + form + ", or remove it for its default");
    }

    /**
     * A list with a missing index stops the start (Spring binds a list's elements from [0] up to the first one
     * missing), as when a rotation's old secret was removed and the new one kept its index. Spring Boot's report of
     * the elements it left unbound quotes each one's value.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "webhooks.endpoints.orders.secrets[2]          | webhooks.endpoints.orders.secrets[2]",
            "webhooks.endpoints.orders.path-patterns[3]    | webhooks.endpoints.orders.path-patterns[3]",
            "WEBHOOKS_ENDPOINTS_ORDERS_SECRETS_2           | webhooks.endpoints.orders.secrets[2]",
    })
    void aListElementAfterAMissingIndex_stopsTheStart_namingItAndWhereItWasSet_neverItsValue(
            String written, String key, CapturedOutput output) throws IOException {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "webhooks.endpoints.orders.path-patterns[0]=/webhooks/orders/*\n"
                + "webhooks.endpoints.orders.secrets[0]=whsec_the_new_secret_of_the_rotation\n"
                + (written.contains(".") ? written + "=" + SECRET + "\n" : ""), StandardCharsets.UTF_8);
        Map<String, Object> environment = written.contains(".") ? Map.of() : Map.of(written, SECRET);

        RuntimeException thrown = start(config, Map.of(), environment);

        String list = key.substring(0, key.indexOf('['));
        assertThat(stackTrace(thrown)).doesNotContain(SECRET).contains(key + ": left unbound");
        assertThat(output.getAll())
                .as("everything printed at the default log levels, stack traces included")
                .doesNotContain(SECRET)
                .contains("APPLICATION FAILED TO START")
                .contains(key + ": left unbound, since an element of " + list + " before it is missing")
                .contains(written.contains(".") ? "set in URL [file:" + config + "] - 3:" : "set in \"" + written + "\"")
                .contains("Number the elements of " + list + " from [0] without a gap");
    }

    /** An application's own properties under {@code webhooks.} that refuse unknown keys: Spring quoted the key's value. */
    @Test
    void anUnknownKeyOfTheApplicationsOwnUnderWebhooks_stopsTheStart_namingIt_neverItsValue(CapturedOutput output)
            throws IOException {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "webhooks.outgoing.signing-secrte=" + SECRET + "\n", StandardCharsets.UTF_8);

        RuntimeException thrown = start(config, Map.of(), OwnWebhooksConfiguration.class);

        assertThat(stackTrace(thrown)).doesNotContain(SECRET);
        assertThat(output.getAll()).doesNotContain(SECRET)
                .contains("webhooks.outgoing.signing-secrte: left unbound, since no property takes it; set in URL [file:"
                        + config + "] - 1:")
                .contains("Remove the keys named above, or correct their spelling.");
    }

    /**
     * YAML indented one level too few: an endpoint's name with nothing under it (YAML gives it an empty value), or an
     * endpoint's property where an endpoint's name goes. Spring cannot make an endpoint of either; the report says so
     * in those words, not as "a value of type Endpoint".
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'    payments:\n    path-patterns: [/webhooks/payments]\n    secrets: [\"${WEBHOOK_SECRET}\"]\n'"
                    + " | webhooks.endpoints.payments | Indent the properties of webhooks.endpoints.payments under it, or"
                    + " remove it.",
            "'    tolerance: 300s\n'"
                    + " | webhooks.endpoints.tolerance | Indent the properties of webhooks.endpoints.tolerance under it, or"
                    + " remove it; if tolerance is meant as an endpoint's property, write it under the endpoint's name,"
                    + " as webhooks.endpoints.<name>.tolerance.",
    })
    void anEndpointWithoutItsPropertiesIndentedUnderIt_stopsTheStart_sayingSo(String endpoints, String key, String fix,
                                                                               CapturedOutput output) throws IOException {
        Path config = dir.resolve("application.yml");
        Files.writeString(config, "webhooks:\n  endpoints:\n" + endpoints.replace("\\n", "\n"), StandardCharsets.UTF_8);

        RuntimeException thrown = start(config, Map.of());

        assertThat(stackTrace(thrown)).doesNotContain(SECRET);
        assertThat(output.getAll()).doesNotContain(SECRET)
                .contains(key + ": cannot be read as an endpoint, whose properties (path-patterns, secrets and the"
                        + " others) are indented under its name")
                .contains(fix)
                .doesNotContain("a value of type Endpoint");
    }

    /**
     * With {@code debug=true}, as Spring Boot's "re-run your application with 'debug' enabled" invites, Spring Boot
     * also logs the analysed exception, whose causes' messages quoted the value.
     */
    @Test
    void withDebugOn_theLoggedExceptionHoldsNoValueEither(CapturedOutput output) throws IOException {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*\n"
                + "webhooks.endpoints.orders.secrets[0]=${WEBHOOK_SECRET}\n"
                + "webhooks.endpoints.orders.max-body-size=${WEBHOOK_SECRET}\n", StandardCharsets.UTF_8);

        start(config, Map.of("debug", "true"));

        assertThat(output.getAll()).contains("Application failed to start due to an exception")
                .contains("webhooks.endpoints.orders.max-body-size: cannot be read as a size such as 1MB")
                .doesNotContain(SECRET);
    }

    @Test
    void aBindFailureOfTheApplicationsOwnKey_isLeftToSpringBootsReport(CapturedOutput output) throws IOException {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "outgoing.tolerance=soon\n", StandardCharsets.UTF_8);

        start(config, Map.of(), OwnConfiguration.class);

        assertThat(output.getAll()).contains("Failed to bind properties under 'outgoing.tolerance' to java.time.Duration")
                .contains("Value: \"soon\"")
                .doesNotContain("outgoing.tolerance: cannot be read as");
    }

    @Test
    void theAnalyzer_takesNoFailureOfAKeyOutsideWebhooks() {
        BindException outside = bindFailure("webhooks-old.endpoints.orders.tolerance");

        assertThat(new WebhookBindFailureAnalyzer().analyze(outside)).isNull();
    }

    @Test
    void theAnalyzer_takesTheFailureOfAKeyUnderWebhooks() {
        BindException under = bindFailure("webhooks.endpoints.orders.tolerance");

        assertThat(new WebhookBindFailureAnalyzer().analyze(under).getDescription())
                .startsWith("webhooks.endpoints.orders.tolerance: cannot be read as a duration such as 300s")
                .doesNotContain(SECRET);
    }

    /** What binding {@link #SECRET}, set at {@code key}, to a {@code Duration} throws. */
    private static BindException bindFailure(String key) {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(key, SECRET)));
        try {
            binder.bind(key, Duration.class);
        } catch (BindException expected) {
            return expected;
        }
        throw new AssertionError(key + "=" + SECRET + " bound to a Duration");
    }

    /**
     * Runs the test application, with {@code more} configuration, on {@code config} and {@code properties}, with
     * {@code WEBHOOK_SECRET} set as its environment would set it, and fails if it starts.
     *
     * @return what {@code SpringApplication.run} threw
     */
    private static RuntimeException start(Path config, Map<String, String> properties, Class<?>... more) {
        return start(config, properties, Map.of(), more);
    }

    /** As {@link #start(Path, Map, Class...)}, with {@code environment} as environment variables besides. */
    private static RuntimeException start(Path config, Map<String, String> properties, Map<String, Object> environment,
                                          Class<?>... more) {
        SpringApplication application = new SpringApplication(WebhookTestApplication.class);
        // Boot maps names as environment variables only in a source named so.
        application.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment", environment)));
        application.addPrimarySources(List.of(more));
        Map<String, Object> defaults = new HashMap<>(properties);
        defaults.putAll(Map.of("server.port", "0", "server.address", "127.0.0.1", "WEBHOOK_SECRET", SECRET,
                "spring.config.location", "file:" + config));
        application.setDefaultProperties(defaults);
        ConfigurableApplicationContext started;
        try {
            started = application.run();
        } catch (RuntimeException refused) {
            return refused;
        }
        started.close();
        return fail("the application started");
    }

    /** The exception as {@code printStackTrace} prints it: its causes' messages and its suppressed ones too. */
    private static String stackTrace(Throwable thrown) {
        StringWriter printed = new StringWriter();
        thrown.printStackTrace(new PrintWriter(printed));
        return printed.toString();
    }

    /** An application's own settings, of a type Spring converts as it does the starter's. */
    @ConfigurationProperties("outgoing")
    record OwnProperties(Duration tolerance) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OwnProperties.class)
    static class OwnConfiguration {
    }

    /** An application's own settings under {@code webhooks.}, which refuse a key they do not take. */
    @ConfigurationProperties(prefix = "webhooks.outgoing", ignoreUnknownFields = false)
    record OwnWebhooksProperties(String signingSecret) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OwnWebhooksProperties.class)
    static class OwnWebhooksConfiguration {
    }
}
