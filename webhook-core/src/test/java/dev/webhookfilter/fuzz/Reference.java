package dev.webhookfilter.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.Verification;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent model of the signature scheme, written from the specification and not from the
 * library: the oracle that the fuzz and property tests judge the library by. The grammar is checked
 * with {@code String.split}, a regular expression and {@code java.util.Base64} (the library's parser
 * is a hand-written single pass); the HMAC is a fresh {@code javax.crypto.Mac} over one concatenated
 * message (the library feeds pooled instances in two updates). {@link ReferenceTest} anchors it to
 * {@code openssl}.
 */
public final class Reference {

    /** Longest header accepted, in characters. */
    public static final int MAX_HEADER_LENGTH = 8192;
    /** Most {@code v1} values one header may carry. */
    public static final int MAX_SIGNATURES = 8;

    private static final Pattern CANONICAL_T = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\t\\x20-\\x7e]*");

    private Reference() {
    }

    /** A header the grammar accepts: its {@code t} as sent and as a number, and its decoded {@code v1} values. */
    public record Header(String timestampText, long timestamp, List<byte[]> signatures) {
    }

    /** HMAC-SHA256 keyed with {@code secret}'s UTF-8 bytes over {@code body} then the ASCII of {@code t}. */
    public static byte[] hmac(String secret, byte[] body, String t) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8), body, t.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 keyed with {@code key} over {@code body} then {@code t}. */
    public static byte[] hmac(byte[] key, byte[] body, byte[] t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] message = new byte[body.length + t.length];
            System.arraycopy(body, 0, message, 0, body.length);
            System.arraycopy(t, 0, message, body.length, t.length);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("this JVM has no HmacSHA256", e);
        }
    }

    /** The {@code v1} value for {@code secret}: standard padded base64 of the HMAC. */
    public static String v1(String secret, byte[] body, String t) {
        return Base64.getEncoder().encodeToString(hmac(secret, body, t));
    }

    /** The header a sender with these secrets writes: {@code t=<t>} then one {@code v1} per secret, in order. */
    public static String header(List<String> secrets, byte[] body, long t) {
        StringBuilder header = new StringBuilder("t=").append(t);
        for (String secret : secrets) {
            header.append(",v1=").append(v1(secret, body, Long.toString(t)));
        }
        return header.toString();
    }

    /**
     * Parses {@code header} by the grammar: the accepted header, or null when the grammar rejects it.
     * Split on {@code ,}; trim spaces and tabs; skip empty elements; an element without {@code =}
     * rejects; scheme before the first {@code =}; exactly one {@code t}, canonical and fitting a long;
     * 1..8 {@code v1}, each canonical padded base64 of 32 bytes; other schemes ignored.
     */
    public static Header parse(String header) {
        if (header.length() > MAX_HEADER_LENGTH || !VISIBLE_ASCII.matcher(header).matches()) {
            return null;
        }
        String timestampText = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String raw : header.split(",", -1)) {
            String element = strip(raw);
            if (element.isEmpty()) {
                continue;
            }
            int equals = element.indexOf('=');
            if (equals < 0) {
                return null;
            }
            String scheme = element.substring(0, equals);
            String value = element.substring(equals + 1);
            if (scheme.equals("t")) {
                if (timestampText != null || !CANONICAL_T.matcher(value).matches() || !fitsLong(value)) {
                    return null;
                }
                timestampText = value;
            } else if (scheme.equals("v1")) {
                byte[] signature = decodeCanonical(value);
                if (signature == null) {
                    return null;
                }
                signatures.add(signature);
            }
        }
        if (timestampText == null || signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            return null;
        }
        return new Header(timestampText, Long.parseLong(timestampText), signatures);
    }

    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean fitsLong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The 32 bytes {@code value} encodes if it is exactly their canonical padded base64; else null. */
    private static byte[] decodeCanonical(String value) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean canonical = decoded.length == 32 && Base64.getEncoder().encodeToString(decoded).equals(value);
        return canonical ? decoded : null;
    }

    /** What {@code verify} must answer: a rejection, or verified under the secret at {@code secretIndex}. */
    public record Verdict(Rejection rejection, int secretIndex) {

        static Verdict rejected(Rejection rejection) {
            return new Verdict(rejection, -1);
        }
    }

    /**
     * The verdict the specification gives for a request: malformed, stale or future, verified under
     * the first secret whose HMAC equals some {@code v1}, or no matching signature.
     */
    public static Verdict verdict(String header, byte[] body, List<String> secrets, long nowSeconds,
                                  long toleranceSeconds) {
        if (header == null) {
            return Verdict.rejected(Rejection.MISSING_HEADER);
        }
        Header parsed = parse(header);
        if (parsed == null) {
            return Verdict.rejected(Rejection.MALFORMED_HEADER);
        }
        // Compared without subtracting now and t, which overflows for a clock before 1970 and a t near
        // Long.MAX_VALUE; t >= 1, and neither now nor the tolerance comes near a long's ends.
        if (nowSeconds - toleranceSeconds > parsed.timestamp()) {
            return Verdict.rejected(Rejection.STALE_TIMESTAMP);
        }
        if (parsed.timestamp() - toleranceSeconds > nowSeconds) {
            return Verdict.rejected(Rejection.FUTURE_TIMESTAMP);
        }
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = hmac(secrets.get(i), body, parsed.timestampText());
            for (byte[] signature : parsed.signatures()) {
                if (Arrays.equals(signature, expected)) {
                    return new Verdict(null, i);
                }
            }
        }
        return Verdict.rejected(Rejection.NO_MATCHING_SIGNATURE);
    }

    /**
     * Asserts that {@code actual}, the library's answer for this request, is the specification's.
     * First the safety half on its own, so a failure says plainly when a forgery got through: a
     * verified result must carry a fresh {@code t} and a {@code v1} equal to the HMAC under the
     * secret it names.
     */
    public static void assertVerdict(Verification actual, String header, byte[] body, List<String> secrets,
                                     long nowSeconds, long toleranceSeconds) {
        assertNotNull(actual, "verify returned null");
        if (actual.isVerified()) {
            Header parsed = parse(header);
            assertNotNull(parsed, "verified a header the grammar rejects");
            assertTrue(nowSeconds - toleranceSeconds <= parsed.timestamp()
                    && parsed.timestamp() - toleranceSeconds <= nowSeconds, "verified a timestamp outside the window");
            byte[] expected = hmac(secrets.get(actual.secretIndex()), body, parsed.timestampText());
            assertTrue(parsed.signatures().stream().anyMatch(s -> Arrays.equals(s, expected)),
                    "verified, but no v1 is the HMAC of body||t under secret #" + actual.secretIndex());
        }
        Verdict expected = verdict(header, body, secrets, nowSeconds, toleranceSeconds);
        assertEquals(expected, new Verdict(actual.rejection(), actual.secretIndex()),
                () -> "library and specification disagree: " + actual);
        assertEquals(expected.rejection() == null, actual.detail() == null, "detail present iff rejected");
    }
}
