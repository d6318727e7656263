package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookVerifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The init-params: defaults, ranges, and a message naming each bad parameter with its fix. */
class FilterSettingsTest {

    private static final String SECRET = "whsec_settings_test_secret_long";

    private static FilterSettings parse(String... nameValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], nameValues[i + 1]);
        }
        return FilterSettings.parse(parameters.keySet(), parameters::get, Map.of("SHORT", "abc")::get);
    }

    private static String problems(String... nameValues) {
        return assertThrows(IllegalArgumentException.class, () -> parse(nameValues)).getMessage();
    }

    @Test
    void hasTheDocumentedDefaults() {
        FilterSettings settings = parse("secrets", SECRET);

        assertEquals(1024 * 1024, settings.maxBodyBytes);
        assertEquals("X-Webhook-Signature", settings.headerName);
        assertEquals(Duration.ofSeconds(300), settings.verifier.tolerance());
        assertFalse(settings.verifier.hasReplayProtection());
        assertEquals(List.of(), settings.shortSecrets);
    }

    @Test
    void takesEveryParameter() {
        FilterSettings settings = parse("secrets", SECRET + ",env:SHORT", "toleranceSeconds", " 60 ",
                "maxBodyBytes", "1", "headerName", " X-Signature ", "replayProtection", "true",
                "replayCacheSize", "10");

        assertEquals(2, settings.verifier.secretCount());
        assertEquals(Duration.ofSeconds(60), settings.verifier.tolerance());
        assertEquals(1, settings.maxBodyBytes);
        assertEquals("X-Signature", settings.headerName);
        assertTrue(settings.verifier.hasReplayProtection());
        assertEquals(List.of(2), settings.shortSecrets, "the position of the short secret, from 1");
    }

    @Test
    void acceptsTheLargestValues() {
        FilterSettings settings = parse("secrets", SECRET, "toleranceSeconds", "86400", "maxBodyBytes", "1073741824",
                "replayProtection", "true", "replayCacheSize", "10000000");

        assertEquals(Duration.ofSeconds(86_400), settings.verifier.tolerance());
        assertEquals(1 << 30, settings.maxBodyBytes);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "toleranceSeconds | 0          | toleranceSeconds: out of range; give a whole number of seconds from 1 to 86400, or remove it for the default 300",
        "toleranceSeconds | 86401      | toleranceSeconds: out of range",
        "toleranceSeconds | 5m         | toleranceSeconds: not a whole number; give a whole number of seconds",
        "maxBodyBytes     | -1         | maxBodyBytes: out of range; give a whole number of bytes from 1 to 1073741824",
        "maxBodyBytes     | 1073741825 | maxBodyBytes: out of range",
        "maxBodyBytes     | 1MB        | maxBodyBytes: not a whole number",
        "maxBodyBytes     | 99999999999 | maxBodyBytes: not a whole number",
        "headerName       | X Sig      | headerName: must be an HTTP header name",
        "headerName       | ' '        | headerName: must be an HTTP header name",
        "replayProtection | yes        | replayProtection: must be true or false",
        "replayCacheSize  | 10         | replayCacheSize: has no effect unless replayProtection is true",
        "toleranceSecond  | 300        | toleranceSecond: not a parameter of this filter; the parameters are secrets, toleranceSeconds,",
        "Secrets          | x          | Secrets: not a parameter of this filter",
    })
    void refusesABadParameterWithItsNameAndFix(String name, String value, String expected) {
        String problems = problems("secrets", SECRET, name, value);

        assertTrue(problems.startsWith(expected) || problems.contains("\n" + expected), problems);
    }

    @Test
    void refusesMissingSecretsAndListsEveryProblem() {
        String problems = problems("toleranceSeconds", "0", "maxBodyBytes", "x");

        assertEquals(3, problems.lines().count(), problems);
        assertTrue(problems.contains("secrets: required"), problems);
    }

    @Test
    void refusesAnUnresolvableSecret() {
        assertTrue(problems("secrets", "env:UNSET").startsWith("secrets: entry 1 of 1: environment variable UNSET"));
        assertTrue(problems("secrets", " ").startsWith("secrets: required"));
    }

    @Test
    void refusesVerifierParametersBesideAVerifier() {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).build();
        Map<String, String> parameters = Map.of("toleranceSeconds", "60", "maxBodyBytes", "10");

        String problems = assertThrows(IllegalArgumentException.class,
                () -> FilterSettings.parse(parameters.keySet(), parameters::get, name -> null, verifier)).getMessage();

        assertTrue(problems.startsWith("toleranceSeconds: the filter was given a WebhookVerifier"), problems);
        assertEquals(1, problems.lines().count(), problems);
        Map<String, String> allowed = Map.of("maxBodyBytes", "10");
        assertEquals(10, FilterSettings.parse(allowed.keySet(), allowed::get, name -> null, verifier).maxBodyBytes);
    }

    @Test
    void neverQuotesASecretInAProblem() {
        String problems = problems("secrets", "whsec_do_not_print_me,", "toleranceSeconds", "x");

        assertFalse(problems.contains("whsec_do_not_print_me"), problems);
    }
}
