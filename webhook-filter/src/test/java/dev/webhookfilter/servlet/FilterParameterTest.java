package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each row of {@link FilterParameter} is enforced, as an init-param and as the builder's typed value,
 * with the same words. Every expected value is written out here, never read from the table.
 */
class FilterParameterTest {

    private static final String SECRET = "whsec_filter_parameter_secret_1";

    /** The init-params each number needs beside it to be in use, and the same for the builder. */
    private static final Map<String, List<String>> CONTEXT = Map.of(
            "toleranceSeconds", List.of(),
            "maxBodyBytes", List.of(),
            "replayCacheSize", List.of("replayProtection", "true"),
            "dedupTtlSeconds", List.of("deduplicate", "true", "idHeader", "Id"),
            "leaseSeconds", List.of("deduplicate", "true", "idHeader", "Id"),
            "storeTimeoutMillis", List.of("replayProtection", "true", "store", "test-unavailable:"));
    private static final Map<String, Consumer<WebhookSignatureFilter.Builder>> BUILDER_CONTEXT = Map.of(
            "toleranceSeconds", builder -> { },
            "maxBodyBytes", builder -> { },
            "replayCacheSize", WebhookSignatureFilter.Builder::replayProtection,
            "dedupTtlSeconds", builder -> builder.deduplicate("Id"),
            "leaseSeconds", builder -> builder.deduplicate("Id"),
            "storeTimeoutMillis", builder -> builder.replayProtection().store("test-unavailable:"));
    private static final Map<String, BiConsumer<WebhookSignatureFilter.Builder, Long>> SETTERS = Map.of(
            "toleranceSeconds", (builder, value) -> builder.toleranceSeconds(Math.toIntExact(value)),
            "maxBodyBytes", (builder, value) -> builder.maxBodyBytes(Math.toIntExact(value)),
            "replayCacheSize", (builder, value) -> builder.replayCacheSize(Math.toIntExact(value)),
            "dedupTtlSeconds", (builder, value) -> builder.dedupTtlSeconds(Math.toIntExact(value)),
            "leaseSeconds", (builder, value) -> builder.leaseSeconds(Math.toIntExact(value)),
            "storeTimeoutMillis", (builder, value) -> builder.storeTimeoutMillis(Math.toIntExact(value)),
            "maxBufferedBytes", WebhookSignatureFilter.Builder::maxBufferedBytes);

    private static FilterSettings parse(List<String> nameValues) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("secrets", SECRET);
        for (int i = 0; i < nameValues.size(); i += 2) {
            params.put(nameValues.get(i), nameValues.get(i + 1));
        }
        return FilterSettings.parse(params.keySet(), params::get, name -> null);
    }

    private static List<String> with(String name, String value) {
        List<String> params = new ArrayList<>(CONTEXT.getOrDefault(name, List.of()));
        params.add(name);
        params.add(value);
        return params;
    }

    private static WebhookSignatureFilter build(String name, long value) {
        WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().secrets(SECRET);
        BUILDER_CONTEXT.getOrDefault(name, b -> { }).accept(builder);
        SETTERS.get(name).accept(builder, value);
        return builder.build();
    }

    @Nested
    class Numbers {

        @ParameterizedTest(name = "{0}: {2} to {3} {1}, default {4}")
        @CsvSource({
                "toleranceSeconds, seconds, 1, 86400, 300",
                "maxBodyBytes, bytes, 1, 1073741824, 1048576",
                "replayCacheSize, entries, 1, 10000000, 100000",
                "dedupTtlSeconds, seconds, 1, 31536000, 259200",
                "leaseSeconds, seconds, 1, 86400, 60",
                "storeTimeoutMillis, milliseconds, 1, 60000, 1000"})
        void takeTheirRange_andRefuseTheRest_asInitParamsAndInTheBuilder(String name, String unit, long least,
                                                                       long most, long defaultValue) {
            String problem = name + ": out of range; give a whole number of " + unit + " from " + least + " to " + most
                    + ", or remove it for the default " + defaultValue;
            for (long value : new long[] {least, most}) {
                parse(with(name, Long.toString(value)));
                build(name, value).destroy();
            }
            for (long value : new long[] {least - 1, most + 1}) {
                assertEquals(problem, assertThrows(IllegalArgumentException.class,
                        () -> parse(with(name, Long.toString(value)))).getMessage());
                assertEquals(problem, assertThrows(IllegalArgumentException.class,
                        () -> build(name, value)).getMessage(), "the builder's words are init's");
            }
            assertEquals(name + ": not a whole number; give a whole number of " + unit + " from " + least + " to "
                    + most + ", or remove it for the default " + defaultValue, assertThrows(
                    IllegalArgumentException.class, () -> parse(with(name, "1.5"))).getMessage());
        }

        @Test
        void maxBufferedBytes_isAtLeastMaxBodyBytes_andAtMostTwoToTheFifty() {
            String problem = "maxBufferedBytes: out of range; give a whole number of bytes from maxBodyBytes (1024) to"
                    + " 1125899906842624, or remove it for the default, a quarter of the heap";
            List<String> small = List.of("maxBodyBytes", "1024");
            for (long value : new long[] {1024, 1_125_899_906_842_624L}) {
                List<String> params = new ArrayList<>(small);
                params.addAll(List.of("maxBufferedBytes", Long.toString(value)));
                assertEquals(value, parse(params).bodyBudget.limit());
                assertEquals("maxBodyBytes 1024, maxBufferedBytes " + value, bodyLimits(
                        WebhookSignatureFilter.builder().secrets(SECRET).maxBodyBytes(1024).maxBufferedBytes(value)
                                .build()));
            }
            for (long value : new long[] {1023, 1_125_899_906_842_625L}) {
                List<String> params = new ArrayList<>(small);
                params.addAll(List.of("maxBufferedBytes", Long.toString(value)));
                assertEquals(problem, assertThrows(IllegalArgumentException.class, () -> parse(params)).getMessage());
                assertEquals(problem, assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                        .builder().secrets(SECRET).maxBodyBytes(1024).maxBufferedBytes(value).build()).getMessage());
            }
        }

        @Test
        void aMaxBodyBytesThatIsNoNumber_leavesMaxBufferedBytesJudgedAgainstTheDefault() {
            assertEquals("maxBodyBytes: not a whole number; give a whole number of bytes from 1 to 1073741824, or"
                    + " remove it for the default 1048576\nmaxBufferedBytes: out of range; give a whole number of bytes"
                    + " from maxBodyBytes (1048576) to 1125899906842624, or remove it for the default, a quarter of the"
                    + " heap", assertThrows(IllegalArgumentException.class,
                    () -> parse(List.of("maxBodyBytes", "1MB", "maxBufferedBytes", "1024"))).getMessage());
        }

        private String bodyLimits(WebhookSignatureFilter filter) {
            String text = filter.toString();
            return text.substring(text.indexOf("maxBodyBytes"), text.indexOf(", header"));
        }

        @Test
        void aSchemesToleranceIsTheDefaultItsMessageNames() {
            assertEquals("toleranceSeconds: out of range; give a whole number of seconds from 1 to 86400, or remove it"
                    + " for the default 5", assertThrows(IllegalArgumentException.class,
                    () -> parse(List.of("scheme", "paddle", "secrets", "pdl_ntfset_01_abcdefghijklmnop",
                            "toleranceSeconds", "0"))).getMessage());
        }
    }

    @Nested
    class Defaults {

        @Test
        void ofTheNumbersAndWords() {
            FilterSettings settings = parse(List.of("replayProtection", "true", "deduplicate", "true",
                    "idHeader", "Id"));
            assertEquals(Duration.ofSeconds(300), settings.verifier.tolerance());
            assertEquals(1_048_576, settings.maxBodyBytes);
            assertEquals("wealthkernel-2022", settings.verifier.scheme().name());
            assertFalse(settings.rejectQueryString);
            assertEquals(Duration.ofSeconds(259_200), settings.dedup.ttl);
            assertEquals(Duration.ofSeconds(60), settings.dedup.lease);
            assertEquals("StoreAccess[InMemoryReplayGuard[0 of 100000 keys], InMemoryDeduplicator[0 of 100000 ids]]",
                    settings.store.toString(), "store memory, of replayCacheSize entries");
            assertFalse(parse(List.of()).verifier.hasReplayProtection());
            assertEquals(null, parse(List.of()).dedup);
        }

        @Test
        void ofASharedStore() {
            FilterSettings settings = parse(List.of("replayProtection", "true", "store", "test-unavailable:"));
            try {
                assertEquals(Duration.ofMillis(1000), UnavailableStoreProvider.openedTimeout);
                assertEquals("webhook-filter:", UnavailableStoreProvider.openedKeyPrefix);
                assertEquals("StoreAccess[StubStore]", settings.store.toString(), "reject when unavailable");
            } finally {
                settings.openedStore.close();
            }
        }

        @Test
        void theBuildersWordsAreTheOthers() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).rejectQueryStrings()
                    .replayProtection().store("test-unavailable:").allowWhenStoreUnavailable().build();
            try {
                String text = filter.toString();
                assertTrue(text.contains("query string reject"), text);
                assertTrue(text.contains("replay protection StoreAccess[StubStore, allow when unavailable]"), text);
            } finally {
                filter.destroy();
            }
        }
    }
}
