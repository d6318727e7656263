package dev.webhookfilter;

/**
 * Parses {@code t=<unix-seconds>,v1=<base64>[,v1=<base64>...]} without regular expressions or
 * intermediate strings: one pass over the characters, bounded by {@link #MAX_LENGTH}.
 *
 * <p>Grammar: elements are separated by {@code ,}; spaces and tabs around an element are ignored,
 * as are empty elements; an element splits at its first {@code =} into a scheme and a value.
 * Exactly one {@code t}, a canonical positive decimal ({@code [1-9][0-9]{0,18}} that fits a
 * {@code long}); between one and {@link #MAX_SIGNATURES} {@code v1}, each the canonical padded
 * base64 of 32 bytes. Other schemes are ignored. Only visible ASCII, space and tab may appear.
 *
 * <p>The rule on {@code t} is a security rule: the signed message is {@code body || t} with no
 * separator, so a {@code t} with a leading zero would let a body byte move across the boundary
 * and keep the same MAC.
 */
final class SignatureHeader {

    /** Longest header accepted, in characters; longer ones are rejected before any parsing. */
    static final int MAX_LENGTH = 8192;
    /** Most {@code v1} values accepted in one header. */
    static final int MAX_SIGNATURES = 8;

    static final int SIGNATURE_BYTES = 32;
    private static final int SIGNATURE_CHARS = 44;
    private static final int MAX_TIMESTAMP_DIGITS = 19;

    private static final byte[] BASE64_VALUES = new byte[128];

    static {
        java.util.Arrays.fill(BASE64_VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private SignatureHeader() {
    }

    /**
     * Parses a header value.
     *
     * @return a {@link Rejection#MALFORMED_HEADER} rejection, or a header-accepted verification
     *         holding the timestamp and the decoded signatures (freshness not yet checked)
     */
    static Verification parse(CharSequence header) {
        if (header == null) {
            return Verification.rejected(Rejection.MISSING_HEADER, "the signature header is missing");
        }
        int length = header.length();
        if (length > MAX_LENGTH) {
            return malformed("the header is longer than " + MAX_LENGTH + " characters");
        }
        long timestamp = 0;
        byte[] timestampText = null;
        byte[][] signatures = new byte[2][];
        int signatureCount = 0;

        int start = 0;
        while (start <= length) {
            int end = start;
            int equals = -1;
            while (end < length) {
                char c = header.charAt(end);
                if (c == ',') {
                    break;
                }
                if ((c < 0x20 && c != '\t') || c > 0x7e) {
                    return malformed("the header contains a character outside visible ASCII");
                }
                if (c == '=' && equals < 0) {
                    equals = end;
                }
                end++;
            }
            int from = skipBlanks(header, start, end);
            int to = trimBlanks(header, from, end);
            start = end + 1;
            if (from == to) {
                continue;
            }
            if (equals < 0) {
                return malformed("an element has no '='");
            }
            if (equals - from == 1 && header.charAt(from) == 't') {
                if (timestampText != null) {
                    return malformed("the header has more than one t");
                }
                timestamp = parseTimestamp(header, equals + 1, to);
                if (timestamp < 0) {
                    return malformed("t is not a canonical positive decimal that fits 64 bits"
                            + " (no sign, no leading zero, digits only)");
                }
                timestampText = ascii(header, equals + 1, to);
            } else if (equals - from == 2 && header.charAt(from) == 'v' && header.charAt(from + 1) == '1') {
                if (signatureCount == MAX_SIGNATURES) {
                    return malformed("the header has more than " + MAX_SIGNATURES + " v1 values");
                }
                byte[] signature = decodeSignature(header, equals + 1, to);
                if (signature == null) {
                    return malformed("a v1 value is not the padded base64 of a 32-byte HMAC-SHA256");
                }
                if (signatureCount == signatures.length) {
                    signatures = java.util.Arrays.copyOf(signatures, MAX_SIGNATURES);
                }
                signatures[signatureCount++] = signature;
            }
        }
        if (timestampText == null) {
            return malformed("the header has no t");
        }
        if (signatureCount == 0) {
            return malformed("the header has no v1");
        }
        if (signatureCount < signatures.length) {
            signatures = java.util.Arrays.copyOf(signatures, signatureCount);
        }
        return Verification.headerAccepted(timestamp, timestampText, signatures);
    }

    private static Verification malformed(String detail) {
        return Verification.rejected(Rejection.MALFORMED_HEADER, detail);
    }

    private static int skipBlanks(CharSequence s, int from, int to) {
        while (from < to && isBlank(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimBlanks(CharSequence s, int from, int to) {
        while (to > from && isBlank(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** The value of {@code s[from, to)} if it is {@code [1-9][0-9]{0,18}} and fits a long; else -1. */
    private static long parseTimestamp(CharSequence s, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > MAX_TIMESTAMP_DIGITS || s.charAt(from) == '0') {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The bytes of {@code s[from, to)}, already checked to be ASCII. */
    private static byte[] ascii(CharSequence s, int from, int to) {
        byte[] bytes = new byte[to - from];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) s.charAt(from + i);
        }
        return bytes;
    }

    /**
     * Decodes {@code s[from, to)} if it is exactly the canonical padded base64 of 32 bytes: 43
     * alphabet characters, the last carrying two zero bits, then one {@code =}. Anything else,
     * including other encodings of the same bytes, gives null, so one MAC has one spelling.
     */
    private static byte[] decodeSignature(CharSequence s, int from, int to) {
        if (to - from != SIGNATURE_CHARS || s.charAt(to - 1) != '=') {
            return null;
        }
        byte[] out = new byte[SIGNATURE_BYTES];
        int o = 0;
        int i = from;
        for (int group = 0; group < 10; group++, i += 4) {
            int bits = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12
                    | sextet(s.charAt(i + 2)) << 6 | sextet(s.charAt(i + 3));
            if (bits < 0) {
                return null;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        int last = sextet(s.charAt(i + 2));
        int bits = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12 | last << 6;
        if (bits < 0 || (last & 0b11) != 0) {
            return null;
        }
        out[o++] = (byte) (bits >> 16);
        out[o] = (byte) (bits >> 8);
        return out;
    }

    /**
     * The 6-bit value of a base64 character, or -1. Shifted left by less than 32, -1 stays negative,
     * so one bad character makes the whole OR of a group negative.
     */
    private static int sextet(char c) {
        return c < 128 ? BASE64_VALUES[c] : -1;
    }
}
