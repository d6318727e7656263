package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.fuzz.SchemeReference.Spec;
import dev.webhookfilter.fuzz.SchemeReference.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link WebhookVerifier#verify(dev.webhookfilter.HeaderLookup, byte[])} for every scheme against
 * {@link SchemeReference}: the library must give the reference's verdict (which rejection, which secret
 * matched). {@link VerifyFuzzTest} does the same for {@code wealthkernel-2022} against {@link Reference}.
 * The fuzzer picks the scheme, the secrets, the clock and the tolerance, then either a correctly signed
 * request (under any of the scheme's header sets) with one header's value replaced or appended to, or
 * headers of its own making, each of the scheme's names present zero to two times.
 */
@Tag("fuzz")
class SchemeFuzzTest {

    private static final long MAX_NOW = Long.MAX_VALUE / 1000; // a Clock's millis() must fit a long

    @FuzzTest
    @DictionaryEntries({"t=", "ts=", "v1=", "v1,", "h1=", "v0=", "sha256=", ",", ";", " ", "whsec_", "msg_",
        "1700000000", "=", "."})
    void verify_anySchemeGivesTheReferencesVerdict(FuzzedDataProvider data) {
        Spec spec = SchemeReference.SPECS.get(data.consumeInt(0, SchemeReference.SPECS.size() - 1));
        List<String> secrets = secrets(spec, data);
        long now = data.consumeBoolean() ? 1_700_000_000L : data.consumeLong(1, MAX_NOW);
        long tolerance = data.consumeLong(1, 86_400);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        byte[] body;
        if (data.consumeBoolean()) {
            body = data.consumeBytes(data.consumeInt(0, 1024));
            long t = Math.max(1, now + data.consumeLong(-tolerance - 2, tolerance + 2));
            String signer = data.consumeInt(0, secrets.size()) < secrets.size()
                    ? secrets.get(data.consumeInt(0, secrets.size() - 1)) : secret(spec, data, "stranger");
            String id = "msg_" + HexFormat.of().formatHex(data.consumeBytes(12));
            SchemeReference.sign(spec, List.of(signer), body, t, id,
                    data.consumeInt(0, SchemeReference.sets(spec) - 1))
                    .forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
            List<String> names = new ArrayList<>(headers.keySet());
            String name = names.get(data.consumeInt(0, names.size() - 1));
            String text = data.consumeString(256);
            switch (data.consumeInt(0, 2)) {
                case 0 -> headers.get(name).set(0, text);
                case 1 -> headers.get(name).set(0, headers.get(name).get(0) + text);
                default -> headers.get(name).add(text);
            }
        } else {
            for (String name : names(spec)) {
                for (int i = data.consumeInt(0, 2); i > 0; i--) {
                    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(data.consumeString(256));
                }
            }
            body = data.consumeRemainingAsBytes();
        }

        Verification actual = WebhookVerifier.builder().scheme(Scheme.named(spec.name())).secrets(secrets)
                .tolerance(Duration.ofSeconds(tolerance))
                .clock(Clock.fixed(Instant.ofEpochMilli(now * 1000), ZoneOffset.UTC)).build()
                .verify(name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .flatMap(e -> e.getValue().stream()).toList(), body);
        Verdict expected = SchemeReference.verdict(spec, headers, body, secrets, now, tolerance);
        assertEquals(expected, new Verdict(actual.rejection(), actual.secretIndex()),
                () -> spec.name() + ": library and reference disagree: " + actual + " on " + headers);
    }

    /** One to three secrets as the scheme's sender shows them. */
    private static List<String> secrets(Spec spec, FuzzedDataProvider data) {
        List<String> secrets = new ArrayList<>();
        for (int i = data.consumeInt(1, 3); i > 0; i--) {
            secrets.add(secret(spec, data, "secret-" + i));
        }
        return secrets;
    }

    /**
     * A secret: base64 of fuzzed bytes (with or without {@code whsec_} where the scheme takes it), or for a
     * UTF-8 key, fuzzed text after a fixed letter (so that it never reads as {@code env:NAME}, which a
     * verifier refuses to use as a key) with any {@code $} or {@code %} (placeholders) taken out.
     */
    private static String secret(Spec spec, FuzzedDataProvider data, String fallback) {
        if (spec.key().equals("utf8")) {
            String text = data.consumeString(40).replace("$", "").replace("%", "");
            return "k" + (text.isEmpty() ? fallback : text);
        }
        byte[] key = data.consumeBytes(data.consumeInt(1, 64));
        String base64 = Base64.getEncoder().encodeToString(key.length == 0 ? fallback.getBytes(StandardCharsets.US_ASCII) : key);
        return spec.key().equals("whsec") && data.consumeBoolean() ? "whsec_" + base64 : base64;
    }

    /** Every header name the scheme reads, in every header set. */
    private static Set<String> names(Spec spec) {
        Set<String> names = new LinkedHashSet<>(spec.signatureHeaders());
        names.addAll(spec.timestampHeaders());
        names.addAll(spec.idHeaders());
        return names;
    }
}
