package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link WebhookVerifier#checkHeader}, the first thing an attacker's header reaches: any
 * text must give a result, never an exception, and the result must be the one the grammar gives
 * ({@link Reference#parse}) followed by the freshness rule.
 *
 * <p>The input bytes are decoded as UTF-8, so the fuzzer reaches every character class the parser
 * distinguishes: controls, tab, visible ASCII, DEL and characters beyond Latin-1 (which a careless
 * {@code (byte)} cast would fold onto ASCII). Seeds: {@code CheckHeaderFuzzTestInputs/} in the test
 * resources.
 */
@Tag("fuzz")
class CheckHeaderFuzzTest {

    static final long NOW = 1_700_000_000L;
    static final long TOLERANCE = 300;
    /** A well-formed v1 value (the base64 of SHA-256("a")), for the fuzzer's dictionary. */
    static final String SOME_V1 = "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=";

    private static final WebhookVerifier VERIFIER = WebhookVerifier.builder()
            .secret("fuzz-header-secret")
            .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
            .build();

    // A run this long of base64 characters with a letter in it is a signature or a key, not a word
    // of a detail sentence; details must never quote one.
    private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9+/=]{16,}");

    @FuzzTest
    @DictionaryEntries({"t=", "v1=", ",v1=", ",", "v0=", "1700000000", SOME_V1})
    void checkHeader_givesTheGrammarsVerdict(byte[] input) {
        String header = new String(input, StandardCharsets.UTF_8);
        HeaderCheck result = VERIFIER.checkHeader(header);

        assertNotNull(result);
        assertEquals(result.rejection() == null, result.isAccepted());
        assertEquals(result.rejection() != null, result.detail() != null, "a rejection has a detail");
        assertEquals(expected(header), result.rejection(), () -> "verdict on " + header.length() + " chars");

        Reference.Header parsed = Reference.parse(header);
        if (parsed != null) {
            assertEquals(parsed.timestamp(), result.timestamp(), "timestamp() is the header's t");
            assertPaddingUpToTheLimitChangesNothing(header, result.rejection());
        } else {
            assertEquals(0, result.timestamp(), "an unparsable header has no timestamp");
        }
        if (result.detail() != null) {
            assertDetailQuotesNothing(header, result.detail());
        }
    }

    /** The rejection the specification gives, or null when the header is accepted. */
    private static Rejection expected(String header) {
        Reference.Header parsed = Reference.parse(header);
        if (parsed == null) {
            return Rejection.MALFORMED_HEADER;
        }
        long age = NOW - parsed.timestamp();
        if (age > TOLERANCE) {
            return Rejection.STALE_TIMESTAMP;
        }
        if (-age > TOLERANCE) {
            return Rejection.FUTURE_TIMESTAMP;
        }
        return null;
    }

    /** Trailing blanks are trimmed, so they change nothing until the header passes 8192 characters. */
    private static void assertPaddingUpToTheLimitChangesNothing(String header, Rejection rejection) {
        String atLimit = header + " ".repeat(Reference.MAX_HEADER_LENGTH - header.length());
        assertEquals(rejection, VERIFIER.checkHeader(atLimit).rejection(), "padded to exactly 8192 chars");
        assertEquals(Rejection.MALFORMED_HEADER, VERIFIER.checkHeader(atLimit + " ").rejection(),
                "8193 chars must be rejected");
    }

    private static void assertDetailQuotesNothing(String header, String detail) {
        Matcher run = QUOTABLE.matcher(header);
        while (run.find()) {
            String quoted = run.group();
            if (quoted.chars().anyMatch(Character::isLetter)) {
                assertFalse(detail.contains(quoted), "the detail quotes the header: " + detail);
            }
        }
    }
}
