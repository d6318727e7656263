package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookVerifier;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes {@link WebhookVerifier#verify}, header and body together, against {@link Reference}: the
 * library must answer exactly what the specification answers, and above all must never verify a
 * request unless some {@code v1} is the HMAC of {@code body || t} under a configured secret.
 *
 * <p>{@link #verify_arbitraryRequest} feeds unstructured text and bytes; a random {@code v1} never
 * matches, so it mostly proves that nothing throws. {@link #verify_mutatedSignedRequest} starts from
 * a correctly signed request and lets the fuzzer edit it, so the verified path and every way of
 * nearly reaching it are explored. Seeds: {@code VerifyFuzzTestInputs/} in the test resources.
 */
@Tag("fuzz")
class VerifyFuzzTest {

    private static final long MAX_NOW = Long.MAX_VALUE / 1000; // a Clock's millis() must fit a long
    private static final long MAX_TOLERANCE = 86_400;

    @FuzzTest
    @DictionaryEntries({"t=", "v1=", ",v1=", ",", "v0=", "1700000000", CheckHeaderFuzzTest.SOME_V1})
    void verify_arbitraryRequest(FuzzedDataProvider data) {
        List<String> secrets = secrets(data);
        // Often the dictionary's t, so that a well-formed header can be fresh and reach the MAC; otherwise
        // any second a Clock holds, before 1970 too, where now - t once wrapped for a t near Long.MAX_VALUE.
        long now = data.consumeBoolean() ? CheckHeaderFuzzTest.NOW : data.consumeLong(-MAX_NOW, MAX_NOW);
        long tolerance = data.consumeLong(1, MAX_TOLERANCE);
        String header = data.consumeString(1024);
        byte[] body = data.consumeRemainingAsBytes();

        Verification result = verifier(secrets, now, tolerance).verify(header, body);

        Reference.assertVerdict(result, header, body, secrets, now, tolerance);
    }

    @FuzzTest
    void verify_mutatedSignedRequest(FuzzedDataProvider data) {
        List<String> secrets = secrets(data);
        long now = data.consumeLong(1_000_000_000L, 4_102_444_800L); // 2001 to 2100
        long tolerance = data.consumeLong(1, MAX_TOLERANCE);
        long t = now + data.consumeLong(-tolerance - 2, tolerance + 2);
        // The signer's secret: one of the configured ones, or (the last choice) a stranger's.
        int signer = data.consumeInt(0, secrets.size());
        String signingSecret = signer < secrets.size() ? secrets.get(signer) : "not-a-configured-secret";
        byte[] original = data.consumeBytes(data.consumeInt(0, 1024));
        String signed = Reference.header(List.of(signingSecret), original, t);

        Request request = new Request(signed, original);
        int edits = data.consumeInt(0, 4);
        for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
            request = request.edit(data);
        }
        Verification result = verifier(secrets, now, tolerance).verify(request.header, request.body);

        Reference.assertVerdict(result, request.header, request.body, secrets, now, tolerance);
        if (edits == 0 && signer < secrets.size() && Math.abs(now - t) <= tolerance) {
            assertTrue(result.isVerified(), "an untouched, fresh request signed with a configured secret");
        }
    }

    /** One to three non-empty secrets chosen by the fuzzer, any characters. */
    static List<String> secrets(FuzzedDataProvider data) {
        int count = data.consumeInt(1, 3);
        List<String> secrets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String secret = data.consumeString(40);
            secrets.add(secret.isEmpty() ? "secret-" + i : secret);
        }
        return secrets;
    }

    private static WebhookVerifier verifier(List<String> secrets, long now, long tolerance) {
        return WebhookVerifier.builder()
                .secrets(secrets)
                .tolerance(Duration.ofSeconds(tolerance))
                .clock(Clock.fixed(Instant.ofEpochMilli(now * 1000), ZoneOffset.UTC))
                .build();
    }

    /** A header and a body, edited the ways an attacker or a broken proxy might. */
    private record Request(String header, byte[] body) {

        Request edit(FuzzedDataProvider data) {
            switch (data.consumeInt(0, 9)) {
                case 0: // flip one bit of the body
                    if (body.length == 0) {
                        return this;
                    }
                    byte[] flipped = body.clone();
                    int bit = data.consumeInt(0, body.length * 8 - 1);
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                    return new Request(header, flipped);
                case 1: // insert bytes into the body
                    return new Request(header, splice(body, data.consumeInt(0, body.length), 0,
                            data.consumeBytes(data.consumeInt(1, 8))));
                case 2: // delete bytes from the body
                    int from = data.consumeInt(0, body.length);
                    return new Request(header, splice(body, from, data.consumeInt(0, body.length - from), new byte[0]));
                case 3: // replace one character of the header
                    int at = data.consumeInt(0, Math.max(0, header.length() - 1));
                    return header.isEmpty() ? this : new Request(
                            header.substring(0, at) + data.consumeChar() + header.substring(at + 1), body);
                case 4: // insert text into the header
                    int into = data.consumeInt(0, header.length());
                    return new Request(header.substring(0, into) + data.consumeString(16) + header.substring(into), body);
                case 5: // delete text from the header
                    int start = data.consumeInt(0, header.length());
                    int end = start + data.consumeInt(0, header.length() - start);
                    return new Request(header.substring(0, start) + header.substring(end), body);
                case 6: // move the last body byte onto the front of t
                    int t = header.indexOf("t=");
                    if (t < 0 || body.length == 0) {
                        return this;
                    }
                    char moved = (char) (body[body.length - 1] & 0xff);
                    return new Request(header.substring(0, t + 2) + moved + header.substring(t + 2),
                            splice(body, body.length - 1, 1, new byte[0]));
                case 7: // move the first character of t onto the end of the body
                    int digit = header.indexOf("t=") + 2;
                    if (digit < 2 || digit >= header.length()) {
                        return this;
                    }
                    return new Request(header.substring(0, digit) + header.substring(digit + 1),
                            splice(body, body.length, 0, new byte[] {(byte) header.charAt(digit)}));
                case 8: // add an element
                    return new Request(data.consumeBoolean()
                            ? data.consumeString(64) + "," + header
                            : header + "," + data.consumeString(64), body);
                default: // replace t with another number
                    int eq = header.indexOf("t=");
                    int comma = header.indexOf(',', eq + 1);
                    if (eq < 0 || comma < 0) {
                        return this;
                    }
                    return new Request(header.substring(0, eq + 2) + data.consumeLong() + header.substring(comma), body);
            }
        }

        private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
            out.write(bytes, 0, at);
            out.write(insert, 0, insert.length);
            out.write(bytes, at + remove, bytes.length - at - remove);
            return out.toByteArray();
        }
    }
}
