package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookVerifier;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterSettingsTest {

    private static final String SECRET = "whsec_filter_settings_secret_01";
    private static final Map<String, String> ENVIRONMENT = Map.of("WEBHOOK_SECRET", SECRET);

    /** Parses init-params given as name, value, name, value... */
    private static FilterSettings parse(String... nameValues) {
        Map<String, String> params = params(nameValues);
        return FilterSettings.parse(params.keySet(), params::get, ENVIRONMENT::get);
    }

    private static String problems(String... nameValues) {
        return assertThrows(IllegalArgumentException.class, () -> parse(nameValues)).getMessage();
    }

    private static Map<String, String> params(String... nameValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.put(nameValues[i], nameValues[i + 1]);
        }
        return params;
    }

    @Test
    void maxBufferedBytesMustHoldAtLeastOneLargestBody() {
        assertEquals(2048, parse("secrets", SECRET, "maxBodyBytes", "2048", "maxBufferedBytes", "2048").bodyBudget.limit());
        assertEquals(("maxBufferedBytes: out of range; give a whole number of bytes from maxBodyBytes (2048) to "
                + "1125899906842624" + ", or remove it for the default, a quarter of the heap"),
                problems("secrets", SECRET, "maxBodyBytes", "2048", "maxBufferedBytes", "2047"));
        assertEquals(("maxBufferedBytes: not a whole number; give a whole number of bytes from maxBodyBytes"
                + " (1048576) to " + "1125899906842624" + ", or remove it for the default, a quarter"
                + " of the heap"), problems("secrets", SECRET, "maxBufferedBytes", "1g"));
        assertEquals(1L << 40, parse("secrets", SECRET, "maxBufferedBytes", " 1099511627776 ").bodyBudget.limit());
    }

    @Test
    void queryStringIsAllowOrReject() {
        assertFalse(parse("secrets", SECRET, "queryString", "allow").rejectQueryString);
        assertTrue(parse("secrets", SECRET, "queryString", " reject ").rejectQueryString);
        assertEquals("queryString: must be allow (the default) or reject",
                problems("secrets", SECRET, "queryString", "Reject"));
    }

    @Test
    void defaults() {
        FilterSettings settings = parse("secrets", SECRET);
        assertEquals(1_048_576, settings.maxBodyBytes);
        assertEquals("X-Webhook-Signature", settings.headerName);
        assertEquals(Duration.ofSeconds(300), settings.verifier.tolerance());
        assertEquals(1, settings.verifier.secretCount());
        assertFalse(settings.verifier.hasReplayProtection());
        assertEquals(List.of(), settings.shortSecrets);
        assertEquals(Runtime.getRuntime().maxMemory() / 4, settings.bodyBudget.limit(), "a quarter of the heap");
        assertFalse(settings.rejectQueryString);
        assertEquals("FilterSettings[WebhookVerifier[1 secret, tolerance 300 s], maxBodyBytes 1048576,"
                + " maxBufferedBytes " + Runtime.getRuntime().maxMemory() / 4 + ", header X-Webhook-Signature,"
                + " query string allow]", settings.toString());
    }

    @Nested
    class Secrets {

        @Test
        void resolvesEnvironmentVariablesWithTheGivenEnvironment() {
            assertEquals(2, parse("secrets", "env:WEBHOOK_SECRET, other_secret_value_01").verifier.secretCount());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "  "})
        void areRequired(String value) {
            assertTrue(problems("secrets", value).startsWith("secrets: required; give one or more"),
                    problems("secrets", value));
            assertTrue(problems().startsWith("secrets: required;"), problems());
        }

        @Test
        void aResolutionErrorNamesTheParameter() {
            assertEquals("secrets: entry 2 of 2: environment variable MISSING is not set"
                + "; set it in the server's environment, or give the secret as file:PATH",
                    problems("secrets", SECRET + ",env:MISSING"));
        }

        /**
         * SECURITY.md: a secret that looks like a reference or a placeholder stops the start wherever it comes
         * from; here from a variable and from a file, where it would otherwise be taken as the key itself.
         */
        @ParameterizedTest
        @ValueSource(strings = {"env:OTHER_SECRET", "file:/run/secrets/webhook", "${WEBHOOK_SECRET}"})
        void aVariableOrFileHoldingAReferenceStopsTheStart(String reference, @TempDir Path dir) throws Exception {
            Path file = Files.writeString(dir.resolve("secrets"), SECRET + "\n" + reference + "\n");
            Map<String, String> environment = Map.of("WEBHOOK_SECRET", reference);
            for (String secrets : List.of("env:WEBHOOK_SECRET", "file:" + file)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterSettings.parse(
                        List.of("secrets"), Map.of("secrets", secrets)::get, environment::get));
                assertTrue(e.getMessage().contains("looks like a reference (env:NAME, file:PATH) or a placeholder"),
                        secrets + ": " + e.getMessage());
                assertFalse(e.getMessage().contains(reference), e.getMessage());
            }
        }

        @Test
        void shortSecretsAreNotedByPosition() {
            // 15 ASCII bytes, 16 ASCII bytes, 16 UTF-8 bytes in 8 characters, 3 bytes
            FilterSettings settings = parse("secrets", "abcdefghijklmno,abcdefghijklmnop,éééééééé,abc");
            assertEquals(List.of(1, 4), settings.shortSecrets);
        }

        /** A whsec_ secret of 18 characters whose base64 holds 8 bytes ({@code SecretsTest} says how it was made). */
        @Test
        void shortSecretsAreThoseWhoseKeyIsShort_whereTheSchemeDecodesThem() {
            FilterSettings settings = parse("scheme", "standard-webhooks",
                    "secrets", "whsec_c2hvcnRrZXk=,whsec_MDEyMzQ1Njc4OWFiY2RlZg==");
            assertEquals(List.of(1), settings.shortSecrets);
        }
    }

    @Nested
    class Integers {

        @ParameterizedTest
        @CsvSource({"toleranceSeconds, 1", "toleranceSeconds, 86400", "toleranceSeconds, ' 60 '",
                "maxBodyBytes, 1", "maxBodyBytes, 1073741824"})
        void acceptTheirRange(String name, String value) {
            FilterSettings settings = parse("secrets", SECRET, name, value);
            long expected = Long.parseLong(value.strip());
            assertEquals(expected, name.equals("maxBodyBytes") ? settings.maxBodyBytes
                    : settings.verifier.tolerance().getSeconds());
        }

        @ParameterizedTest
        @CsvSource({
                "toleranceSeconds, 0, out of range; give a whole number of seconds from 1 to 86400, or remove it for the default 300",
                "toleranceSeconds, 86401, out of range; give a whole number of seconds from 1 to 86400, or remove it for the default 300",
                "toleranceSeconds, -5, out of range",
                "toleranceSeconds, 5m, not a whole number; give a whole number of seconds from 1 to 86400",
                "toleranceSeconds, '', not a whole number",
                "maxBodyBytes, 0, out of range; give a whole number of bytes from 1 to 1073741824, or remove it for the default 1048576",
                "maxBodyBytes, 1073741825, out of range",
                "maxBodyBytes, 99999999999, out of range",
                "maxBodyBytes, 99999999999999999999, out of range",
                "maxBodyBytes, 1MB, not a whole number",
                "replayCacheSize, 0, out of range; give a whole number of entries from 1 to 10000000, or remove it for the default 100000",
                "replayCacheSize, 10000001, out of range"})
        void refuseOthersNamingTheParameter(String name, String value, String problem) {
            String message = problems("secrets", SECRET, "replayProtection", "true", name, value);
            assertEquals(name + ": " + problem, message.substring(0, Math.min(message.length(), name.length() + 2 + problem.length())),
                    message);
        }

        @Test
        void replayCacheSizeSetsTheGuardsCapacity() {
            FilterSettings settings = parse("secrets", SECRET, "replayProtection", "true", "replayCacheSize", "10000000");
            assertTrue(settings.verifier.toString().contains("of 10000000 keys"), settings.verifier.toString());
            assertTrue(parse("secrets", SECRET, "replayProtection", "true", "replayCacheSize", "1")
                    .verifier.toString().contains("of 1 keys"));
            assertTrue(parse("secrets", SECRET, "replayProtection", "true")
                    .verifier.toString().contains("of 100000 keys"));
        }
    }

    @Nested
    class HeaderName {

        @ParameterizedTest
        @ValueSource(strings = {"X-Sig", " X-Sig\t", "azAZ09", "!#$%&'*+-.^_`|~"})
        void acceptsATokenStripped(String name) {
            assertEquals(name.strip(), parse("secrets", SECRET, "headerName", name).headerName);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "X Sig", "X:Sig", "X@", "X[", "X/", "X{", "Xé", "X\"", "X(", "X,"})
        void refusesAnythingElse(String name) {
            assertEquals("headerName: must be an HTTP header name (letters, digits and -); remove it to use"
                    + " X-Webhook-Signature", problems("secrets", SECRET, "headerName", name));
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-Sig", "svix-signature", "Webhook-Signature"})
        void acceptsAnySignatureHeaderOfTheScheme(String name) {
            assertEquals(name, parse("scheme", "svix", "secrets", Vectors.StandardWebhooks.SECRET_A, "headerName", name)
                    .headerName);
        }

        /** Read from the header that holds the timestamp or the message id too, no request could verify. */
        @ParameterizedTest
        @CsvSource({"slack, X-Slack-Request-Timestamp", "slack, x-slack-request-timestamp",
                "standard-webhooks, webhook-timestamp", "standard-webhooks, Webhook-Id", "svix, svix-id",
                "svix, webhook-timestamp"})
        void refusesAnotherHeaderTheSchemeReads(String scheme, String name) {
            String secret = scheme.equals("slack") ? SECRET : Vectors.StandardWebhooks.SECRET_A;
            assertEquals("headerName: " + name + " is a header scheme " + scheme + " reads the timestamp or the"
                    + " message id from; name the header that carries the signature, or remove headerName to use "
                    + Scheme.named(scheme).signatureHeader(),
                    problems("scheme", scheme, "secrets", secret, "headerName", name));
        }
    }

    @Nested
    class ReplayProtection {

        @ParameterizedTest
        @CsvSource({"true, true", "' true ', true", "false, false", "' false', false"})
        void isABoolean(String value, boolean on) {
            assertEquals(on, parse("secrets", SECRET, "replayProtection", value).verifier.hasReplayProtection());
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "TRUE", "1", ""})
        void refusesOtherWords(String value) {
            assertEquals("replayProtection: must be true or false (default false)",
                    problems("secrets", SECRET, "replayProtection", value));
        }

        @Test
        void aCacheSizeWithoutProtectionIsAMistake() {
            String expected = "replayCacheSize: sizes the memory store, so it has no effect unless replayProtection or"
                    + " deduplicate is true with store memory; set one, or remove replayCacheSize";
            assertEquals(expected, problems("secrets", SECRET, "replayCacheSize", "100"));
            assertEquals(expected, problems("secrets", SECRET, "replayProtection", "false", "replayCacheSize", "100"));
            assertEquals(expected, problems("secrets", SECRET, "replayProtection", "true", "replayCacheSize", "100",
                    "store", "test-unavailable:"));
        }
    }

    /** Issue 11: the store and de-duplication parameters. */
    @Nested
    class StoreAndDeduplication {

        /**
         * A Stripe user who turned deduplicate on was told to "name the header that carries it": Stripe (like Slack and
         * Paddle) sends no id in a header at all, so the message sent them looking for one; it says where the id is and
         * what to do instead.
         */
        @Test
        void deduplicationNeedsAnIdHeader() {
            String bodyIds = ". Stripe, Slack and Paddle send none (their event ids are in the body, which the filter"
                    + " does not read): for them, turn deduplicate off and de-duplicate in the handler by the body's id";
            assertEquals("idHeader: required with deduplicate=true, since wealthkernel-2022 senders send no message id"
                    + " header that the filter knows; name the header that carries it" + bodyIds,
                    problems("secrets", SECRET, "deduplicate", "true"));
            assertEquals("idHeader: required with deduplicate=true, since stripe senders send no message id"
                    + " header that the filter knows; name the header that carries it" + bodyIds,
                    problems("secrets", SECRET, "scheme", "stripe", "deduplicate", "true"));
            assertEquals("idHeader: must be an HTTP header name (letters, digits and -)",
                    problems("secrets", SECRET, "deduplicate", "true", "idHeader", "a b"));
        }

        /**
         * The senders' delivery id headers, as their documentation names them, and their names in the senders' other
         * header sets; an idHeader given, even the scheme's own, is read alone.
         */
        @ParameterizedTest
        @CsvSource({"standard-webhooks, webhook-id,", "svix, svix-id, webhook-id", "github, X-GitHub-Delivery,",
                "shopify, X-Shopify-Webhook-Id, shopify-webhook-id"})
        void deduplicationClaimsTheSchemesDeliveryIdUnlessToldAnother(String scheme, String header, String fallback) {
            String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            FilterSettings.Dedup dedup = parse("secrets", secret, "scheme", scheme, "deduplicate", "true").dedup;
            assertEquals(header, dedup.idHeader);
            assertEquals(fallback, dedup.fallbackIdHeader);
            for (String given : List.of("X-Request-Id", header)) {
                FilterSettings.Dedup told = parse("secrets", secret, "scheme", scheme, "deduplicate", "true",
                        "idHeader", given).dedup;
                assertEquals(given, told.idHeader);
                assertNull(told.fallbackIdHeader, given);
            }
        }

        /**
         * A signed id forgotten while a copy of its request is still fresh lets that copy run the handler again:
         * a request is fresh from {@code toleranceSeconds} before its timestamp to as long after it, so up to twice
         * the tolerance after the first was processed. Replay protection covers that window itself.
         */
        @ParameterizedTest
        @ValueSource(strings = {"standard-webhooks", "svix"})
        void aSignedIdIsRememberedWhileACopyOfItsRequestCanStillBeFresh(String scheme) {
            String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            assertEquals("dedupTtlSeconds: 599 is shorter than twice toleranceSeconds (600): a copy of a processed"
                    + " event stays fresh that long and would run the handler again once its id is forgotten; give at"
                    + " least 600",
                    problems("secrets", secret, "scheme", scheme, "deduplicate", "true", "dedupTtlSeconds", "599"));
            assertEquals("dedupTtlSeconds: 119 is shorter than twice toleranceSeconds (120): a copy of a processed"
                    + " event stays fresh that long and would run the handler again once its id is forgotten; give at"
                    + " least 120",
                    problems("secrets", secret, "scheme", scheme, "deduplicate", "true", "dedupTtlSeconds", "119",
                            "toleranceSeconds", "60"));
            assertEquals(Duration.ofSeconds(600), parse("secrets", secret, "scheme", scheme, "deduplicate", "true",
                    "dedupTtlSeconds", "600").dedup.ttl);
            // Replay protection forgets a message answered as a duplicate: it does not refuse a copy of it.
            assertEquals("dedupTtlSeconds: 1 is shorter than twice toleranceSeconds (600): a copy of a processed"
                    + " event stays fresh that long and would run the handler again once its id is forgotten; give at"
                    + " least 600",
                    problems("secrets", secret, "scheme", scheme, "deduplicate", "true", "dedupTtlSeconds", "1",
                            "replayProtection", "true"));
            // An id the scheme does not sign can be changed in a copy: its ttl bounds nothing a copy could do.
            assertEquals(Duration.ofSeconds(1), parse("secrets", secret, "scheme", scheme, "deduplicate", "true",
                    "dedupTtlSeconds", "1", "idHeader", "X-Request-Id").dedup.ttl);
        }

        @Test
        void deduplicationsDefaultsAndBounds() {
            FilterSettings settings = parse("secrets", SECRET, "deduplicate", "true", "idHeader", " webhook-id ");
            assertEquals("webhook-id", settings.dedup.idHeader);
            assertEquals(Duration.ofSeconds(259_200), settings.dedup.ttl);
            assertEquals(Duration.ofSeconds(60), settings.dedup.lease);
            assertNull(settings.openedStore, "memory is not opened from a URI");
            FilterSettings tuned = parse("secrets", SECRET, "deduplicate", "true", "idHeader", "Id", "leaseSeconds", "5",
                    "dedupTtlSeconds", "86400");
            assertEquals(Duration.ofSeconds(5), tuned.dedup.lease);
            assertEquals(Duration.ofSeconds(86_400), tuned.dedup.ttl);
            assertEquals("leaseSeconds: out of range; give a whole number of seconds from 1 to 86400, or remove it for"
                    + " the default 60", problems("secrets", SECRET, "deduplicate", "true", "idHeader", "Id",
                    "leaseSeconds", "0"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"idHeader", "dedupTtlSeconds", "leaseSeconds"})
        void deduplicationParametersNeedDeduplication(String name) {
            assertEquals(name + ": has no effect unless deduplicate is true; set that, or remove " + name,
                    problems("secrets", SECRET, name, "60"));
        }

        @Test
        void aStoreNeedsSomethingToStore() {
            assertEquals("store: has no effect unless replayProtection or deduplicate is true; set one, or remove store",
                    problems("secrets", SECRET, "store", "memory"));
            assertEquals("onStoreUnavailable: has no effect unless replayProtection or deduplicate is true; remove it",
                    problems("secrets", SECRET, "onStoreUnavailable", "allow"));
            assertEquals("storeTimeoutMillis: only for a shared store (redis://..., jdbc:...); remove it",
                    problems("secrets", SECRET, "replayProtection", "true", "storeTimeoutMillis", "100"));
            assertEquals("storeKeyPrefix: only for a shared store (redis://..., jdbc:...); remove it",
                    problems("secrets", SECRET, "replayProtection", "true", "storeKeyPrefix", "app1:"));
            assertEquals("storeTimeoutMillis, storeKeyPrefix: only for a shared store (redis://..., jdbc:...); remove them",
                    problems("secrets", SECRET, "replayProtection", "true", "storeTimeoutMillis", "100",
                            "storeKeyPrefix", "app1:"));
            assertEquals("onStoreUnavailable: must be reject (the default) or allow", problems("secrets", SECRET,
                    "replayProtection", "true", "store", "test-unavailable:", "onStoreUnavailable", "open"));
        }

        /**
         * The memory store always answers, and full it refuses (503) whatever {@code onStoreUnavailable} says:
         * {@code allow} beside it was accepted and did nothing.
         */
        @Test
        void onStoreUnavailableIsRefusedBesideTheMemoryStore() {
            String expected = "onStoreUnavailable: only for a shared store (redis://..., jdbc:...); the memory store"
                    + " ignores it; remove it";
            assertEquals(expected, problems("secrets", SECRET, "replayProtection", "true", "onStoreUnavailable", "allow"));
            assertEquals(expected, problems("secrets", SECRET, "deduplicate", "true", "idHeader", "Id", "store", "memory",
                    "onStoreUnavailable", "allow"));
        }

        /**
         * A store URI templated from an unset variable arrives blank: taking it for memory leaves each
         * instance with its own records, so a replay sent to another instance gets through, and nothing says so.
         */
        @ParameterizedTest
        @ValueSource(strings = {"", "  "})
        void aBlankStoreIsRefused_notTakenForMemory(String blank) {
            assertEquals("store: is empty; give memory or a shared store's URI, or remove it",
                    problems("secrets", SECRET, "replayProtection", "true", "store", blank));
        }

        /**
         * A blank store is a shared store whose URI did not arrive: the shared store's parameters set beside it are
         * what a shared store takes, and are not refused as well, with advice to remove them that would be wrong
         * once the URI is there. Beside a store that has nothing to store, {@code onStoreUnavailable} is refused still.
         */
        @Test
        void aBlankStoreIsTheOnlyProblemBesideTheSharedStoresParameters() {
            assertEquals("store: is empty; give memory or a shared store's URI, or remove it",
                    problems("secrets", SECRET, "replayProtection", "true", "store", " ", "onStoreUnavailable", "allow",
                            "storeTimeoutMillis", "250", "storeKeyPrefix", "app1:"));
            assertEquals("store: is empty; give memory or a shared store's URI, or remove it",
                    problems("secrets", SECRET, "deduplicate", "true", "idHeader", "Id", "store", "",
                            "onStoreUnavailable", "allow"));
            assertEquals("store: is empty; give memory or a shared store's URI, or remove it\n"
                    + "onStoreUnavailable: has no effect unless replayProtection or deduplicate is true; remove it",
                    problems("secrets", SECRET, "store", "", "onStoreUnavailable", "allow"));
        }

        @Test
        void aStoreGivenInCode_isUsedAsShared_andNeitherOpenedNorOwned() {
            WebhookStore given = new dev.webhookfilter.StubStore(false);
            FilterSettings settings = parseGiven(given, "secrets", SECRET, "replayProtection", "true",
                    "deduplicate", "true", "idHeader", "Id", "onStoreUnavailable", "allow");
            assertNull(settings.openedStore, "the filter does not close it");
            assertTrue(settings.verifier.hasReplayProtection());
            assertEquals("StoreAccess[StubStore, allow when unavailable]", settings.store.toString());
            assertTrue(parseGiven(given, "secrets", SECRET, "deduplicate", "true", "idHeader", "Id").store.toString()
                    .startsWith("StoreAccess[StubStore"));
        }

        @Test
        void aStoreGivenInCode_takesNoUriSettings_andNeedsSomethingToStore() {
            WebhookStore given = new UnavailableStoreProvider().open("test-unavailable:", Duration.ofSeconds(1), "");
            assertEquals("store: has no effect unless replayProtection or deduplicate is true; set one, or remove store",
                    assertThrows(IllegalArgumentException.class, () -> parseGiven(given, "secrets", SECRET)).getMessage());
            assertEquals("storeKeyPrefix: the WebhookStore given in code was opened with its own; remove it",
                    assertThrows(IllegalArgumentException.class, () -> parseGiven(given,
                    "secrets", SECRET, "replayProtection", "true", "storeKeyPrefix", "app1:")).getMessage());
            assertEquals("storeTimeoutMillis, storeKeyPrefix: the WebhookStore given in code was opened with its own;"
                    + " remove them", assertThrows(IllegalArgumentException.class, () -> parseGiven(given, "secrets",
                    SECRET, "replayProtection", "true", "storeTimeoutMillis", "100", "storeKeyPrefix", "app1:"))
                    .getMessage());
            assertEquals("replayCacheSize: sizes the memory store, so it has no effect unless replayProtection or"
                    + " deduplicate is true with store memory; set one, or remove replayCacheSize",
                    assertThrows(IllegalArgumentException.class, () -> parseGiven(given, "secrets", SECRET,
                            "replayProtection", "true", "replayCacheSize", "10")).getMessage());
        }

        private FilterSettings parseGiven(WebhookStore store, String... nameValues) {
            Map<String, String> params = params(nameValues);
            return FilterSettings.parse(params.keySet(), params::get, ENVIRONMENT::get, null, store);
        }

        /**
         * A URI no store module opens is named by its scheme alone: the rest may hold credentials. A part before
         * the first {@code :} that a store URI's scheme would not look like is not shown either: it may be a
         * secret given as the store by mistake.
         */
        @ParameterizedTest
        @CsvSource({"'mongodb://user:pw@h/db', mongodb:", "x:secret-looking-rest, x:", "no-colon-at-all, (no scheme)",
                "':6379', (no scheme)", "'Zq7#pW:rest', (a scheme not shown)", "'Zq7pWxLm:rest', (a scheme not shown)",
                "'abcdefghijklmnopqrstu:x', (a scheme not shown)", "'redis+sentinel://h', redis+sentinel:"})
        void aUriNoStoreModuleOpensIsNamedByItsSchemeOnly(String uri, String named) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> parse("secrets", SECRET, "replayProtection", "true", "store", uri)).getMessage();
            assertEquals("store: no store module on the class path opens '" + named + "' URIs; give memory, or add"
                    + " webhook-store-redis (redis://, rediss://, redis-cluster://) or webhook-store-jdbc (jdbc:postgresql:,"
                    + " jdbc:h2:, java:comp/env/...) beside webhook-filter", message);
        }

        /**
         * Store modules are looked up in the thread's context class loader at init, in a container the web
         * application's (where webhook-store-redis sits in WEB-INF/lib); without one, in the filter's own.
         */
        @Test
        void aStoreModuleIsLookedUpInTheContextClassLoader() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(new ClassLoader(ClassLoader.getPlatformClassLoader()) { });
            try {
                String message = assertThrows(IllegalArgumentException.class, () -> parse("secrets", SECRET,
                        "replayProtection", "true", "store", "test-unavailable:")).getMessage();
                assertTrue(message.startsWith("store: no store module on the class path opens 'test-unavailable:' URIs"),
                        message);
                thread.setContextClassLoader(null);
                assertEquals("StubStore", parse("secrets", SECRET, "replayProtection", "true", "store",
                        "test-unavailable:").openedStore.toString());
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Test
        void aSharedStoreIsOpenedAndNamespacedAtInit() {
            FilterSettings settings = parse("secrets", SECRET, "replayProtection", "true", "store", "test-unavailable:",
                    "onStoreUnavailable", "reject", "storeTimeoutMillis", "250", "storeKeyPrefix", "app1:");
            assertEquals("StubStore", settings.openedStore.toString());
            assertTrue(settings.verifier.hasReplayProtection());
        }
    }

    @Nested
    class UnknownParameters {

        @ParameterizedTest
        @CsvSource({"tolerance,", "maxBodySize,", "header,", "SECRETS,secrets", "Secrets,secrets",
                "replayProtecton,replayProtection", "storetimeoutmilis,storeTimeoutMillis", "idheader,idHeader", "secret,secrets",
                "stor,store", "sto,", "sceme,scheme", "shceme,", "leaseSecnods,leaseSeconds", "dedupTtlSecond,dedupTtlSeconds"})
        void areRefused_namingTheParameterOneMisspelled(String name, String meant) {
            assertEquals(name + ": not a parameter of this filter" + (meant == null ? "" : " (did you mean " + meant + "?)")
                    + "; the parameters are secrets, toleranceSeconds,"
                    + " maxBodyBytes, maxBufferedBytes, scheme, headerName, queryString, replayProtection, replayCacheSize,"
                    + " deduplicate, idHeader, dedupTtlSeconds, leaseSeconds, store, storeTimeoutMillis, storeKeyPrefix,"
                    + " onStoreUnavailable, listener (check the spelling and case)",
                    problems("secrets", SECRET, name, "1"));
        }

        @Test
        void everyProblemIsReportedOnItsOwnLine() {
            String message = problems("zeta", "1", "alpha", "1", "toleranceSeconds", "0", "maxBodyBytes", "x",
                    "headerName", "a b", "replayProtection", "maybe");
            String[] lines = message.split("\n");
            assertEquals(7, lines.length, message);
            assertTrue(lines[0].startsWith("alpha: not a parameter"), "sorted by name: " + message);
            assertTrue(lines[1].startsWith("zeta: not a parameter"), message);
            assertTrue(lines[2].startsWith("maxBodyBytes: not a whole number"), message);
            assertTrue(lines[3].startsWith("headerName: must be"), message);
            assertTrue(lines[4].startsWith("replayProtection: must be"), message);
            assertTrue(lines[5].startsWith("secrets: required"), message);
            assertTrue(lines[6].startsWith("toleranceSeconds: out of range"), message);
        }
    }

    @Nested
    class WithAVerifier {

        private final WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).build();

        private FilterSettings parseWith(String... nameValues) {
            Map<String, String> params = params(nameValues);
            return FilterSettings.parse(params.keySet(), params::get, ENVIRONMENT::get, verifier);
        }

        @Test
        void usesItAndTheOtherParameters() {
            FilterSettings settings = parseWith("maxBodyBytes", "10", "headerName", "X-Sig");
            assertSame(verifier, settings.verifier);
            assertEquals(10, settings.maxBodyBytes);
            assertEquals("X-Sig", settings.headerName);
            assertEquals(List.of(), settings.shortSecrets);
        }

        @ParameterizedTest
        @ValueSource(strings = {"secrets", "toleranceSeconds", "scheme"})
        void refusesTheParametersItReplaces(String name) {
            String message = assertThrows(IllegalArgumentException.class, () -> parseWith(name, "1")).getMessage();
            assertEquals(name + ": the filter was given a WebhookVerifier, which already holds the secrets,"
                    + " tolerance and scheme; configure them there", message);
        }

        @Test
        void replayProtection_givesACopyOfItTheMemoryStore_onTheVerifiersClock() {
            // The verifier's clock stands at T, years ago: a memory store on the system clock would take every
            // accepted message for expired, and let its replay through.
            WebhookVerifier atT = WebhookVerifier.builder().secret(Vectors.SECRET_A)
                    .clock(Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC)).build();
            Map<String, String> params = params("replayProtection", "true", "replayCacheSize", "10");
            FilterSettings settings = FilterSettings.parse(params.keySet(), params::get, ENVIRONMENT::get, atT);

            assertNotSame(atT, settings.verifier);
            assertFalse(atT.hasReplayProtection());
            assertTrue(settings.verifier.hasReplayProtection());
            assertTrue(settings.verifier.toString().contains("InMemoryReplayGuard[0 of 10 keys]"), settings.verifier.toString());
            assertTrue(settings.verifier.verify(Vectors.header(Vectors.SIMPLE_A), Vectors.SIMPLE_BODY).isVerified());
            assertEquals(Rejection.REPLAYED,
                    settings.verifier.verify(Vectors.header(Vectors.SIMPLE_A), Vectors.SIMPLE_BODY).rejection());
        }

        @Test
        void replayProtection_isRefusedWhenTheVerifierHasAGuardOfItsOwn() {
            WebhookVerifier guarded = WebhookVerifier.builder().secret(SECRET)
                    .replayGuard(new InMemoryReplayGuard(5, Clock.systemUTC())).build();
            Map<String, String> params = params("replayProtection", "true");
            String message = assertThrows(IllegalArgumentException.class,
                    () -> FilterSettings.parse(params.keySet(), params::get, ENVIRONMENT::get, guarded)).getMessage();
            assertEquals("replayProtection: the WebhookVerifier given has a replay guard of its own; remove"
                    + " replayProtection, or build the verifier without one", message);
        }

        /** The tolerance and replay guard that bound a signed id's ttl are the verifier's. */
        @Test
        void aSignedIdIsRememberedForTwiceTheVerifiersTolerance() {
            WebhookVerifier.Builder svix = WebhookVerifier.builder().scheme(Scheme.named("svix"))
                    .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").tolerance(Duration.ofSeconds(1_000));
            Map<String, String> params = params("deduplicate", "true", "dedupTtlSeconds", "1999");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterSettings.parse(params.keySet(),
                    params::get, ENVIRONMENT::get, svix.build())).getMessage().startsWith(
                            "dedupTtlSeconds: 1999 is shorter than twice toleranceSeconds (2000)"));
            WebhookVerifier guarded = svix.replayGuard(new InMemoryReplayGuard(5, Clock.systemUTC())).build();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> FilterSettings.parse(params.keySet(),
                    params::get, ENVIRONMENT::get, guarded)).getMessage().startsWith(
                            "dedupTtlSeconds: 1999 is shorter than twice toleranceSeconds (2000)"));
            Map<String, String> twice = params("deduplicate", "true", "dedupTtlSeconds", "2000");
            assertEquals(Duration.ofSeconds(2_000),
                    FilterSettings.parse(twice.keySet(), twice::get, ENVIRONMENT::get, guarded).dedup.ttl);
        }

        @Test
        void replayCacheSize_sizesTheMemoryStoreOfDeduplication() {
            FilterSettings settings = parseWith("deduplicate", "true", "idHeader", "Id", "replayCacheSize", "10");
            assertSame(verifier, settings.verifier, "no replay protection asked for");
            assertTrue(settings.store.toString().contains("InMemoryDeduplicator[0 of 10 ids]"), settings.store.toString());
            assertEquals("replayCacheSize: sizes the memory store, so it has no effect unless replayProtection or"
                    + " deduplicate is true with store memory; set one, or remove replayCacheSize",
                    assertThrows(IllegalArgumentException.class, () -> parseWith("replayCacheSize", "10")).getMessage());
        }
    }

    @Nested
    class Init {

        private FilterConfig config(String... nameValues) {
            Map<String, String> params = params(nameValues);
            return new FilterConfig() {
                @Override
                public String getFilterName() {
                    return "webhooks";
                }

                @Override
                public ServletContext getServletContext() {
                    return null;
                }

                @Override
                public String getInitParameter(String name) {
                    return params.get(name);
                }

                @Override
                public Enumeration<String> getInitParameterNames() {
                    return Collections.enumeration(params.keySet());
                }
            };
        }

        @Test
        void aBadParameterStopsTheApplicationNamingIt() {
            ServletException e = assertThrows(ServletException.class,
                    () -> new WebhookSignatureFilter().init(config("secrets", SECRET, "toleranceSeconds", "0")));
            assertTrue(e.getMessage().startsWith("WebhookSignatureFilter 'webhooks' is misconfigured and will not start:\n"
                    + "toleranceSeconds: out of range"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));
        }

        @Test
        void anUnknownParameterStopsTheApplication() {
            ServletException e = assertThrows(ServletException.class,
                    () -> new WebhookSignatureFilter().init(config("secrets", SECRET, "secret", SECRET)));
            assertTrue(e.getMessage().contains("\nsecret: not a parameter of this filter"), e.getMessage());
        }

        @Test
        void noSecretStopsTheApplication() {
            ServletException e = assertThrows(ServletException.class, () -> new WebhookSignatureFilter().init(config()));
            assertTrue(e.getMessage().contains("\nsecrets: required"), e.getMessage());
        }

        @Test
        void aBuiltFilterRefusesInitParams() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).build();
            ServletException e = assertThrows(ServletException.class, () -> filter.init(config("maxBodyBytes", "10")));
            assertTrue(e.getMessage().endsWith(":\nthe filter was configured with WebhookSignatureFilter.builder();"
                    + " configure it there, not with init-params"), e.getMessage());
        }

        @Test
        void aGoodConfigurationInitialises() throws ServletException {
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            assertEquals("WebhookSignatureFilter[not initialised]", filter.toString());
            filter.init(config("secrets", SECRET, "maxBodyBytes", "10", "maxBufferedBytes", "4096",
                    "queryString", "reject"));
            assertEquals("WebhookSignatureFilter[FilterSettings[WebhookVerifier[1 secret, tolerance 300 s],"
                    + " maxBodyBytes 10, maxBufferedBytes 4096, header X-Webhook-Signature, query string reject]]",
                    filter.toString());
        }
    }
}
