package dev.webhookfilter;

import java.util.Arrays;
import java.util.List;

/**
 * Reads a scheme's headers without regular expressions or intermediate strings: one pass over each
 * header's characters, bounded by {@link #MAX_LENGTH}.
 *
 * <p>Every header the scheme needs must be present exactly once, at most {@link #MAX_LENGTH} characters
 * of visible ASCII, space or tab. Where a scheme names fallbacks ({@code svix}: {@code svix-*}, then
 * {@code webhook-*}; {@code shopify}: {@code X-Shopify-Hmac-Sha256}, then {@code shopify-hmac-sha256}), they come
 * in whole header sets, as Svix's libraries read them: the first set
 * whose headers are all present is read, never some headers of one set and some of another; when no
 * set is whole, the rejection says what the first set with a signature header (else the first set)
 * lacks or repeats.
 *
 * <p>A list header ({@code t=..,v1=..}, {@code ts=..;h1=..}, {@code v1,.. v1,..}): elements are
 * separated by the scheme's separator; spaces and tabs around an element are ignored, as are empty
 * elements; an element splits at its first pair separator into a label and a value. Exactly one
 * timestamp label where the scheme has one, a canonical positive decimal ({@code [1-9][0-9]{0,18}}
 * that fits a {@code long}); between one and the scheme's maximum of signature labels, each the
 * canonical spelling of 32 bytes. Other labels are ignored. A prefixed header ({@code sha256=..}) is
 * the prefix and one MAC, nothing else. A timestamp header is the canonical decimal alone; an id
 * header is 1 to {@link #MAX_ID_LENGTH} visible ASCII characters other than {@code .}.
 *
 * <p>The rule on the timestamp is a security rule: where the signed message is {@code body || t} with
 * no separator, a {@code t} with a leading zero would let a body byte move across the boundary and
 * keep the same MAC. The rule on the id (no {@code .}) keeps {@code id.t.body} unambiguous.
 */
final class SignatureHeader {

    /** Longest header accepted, in characters, whichever the header; longer ones are rejected before any parsing. */
    static final int MAX_LENGTH = 8192;
    /** Most signatures accepted in one header. */
    static final int MAX_SIGNATURES = 8;
    /** Longest message id accepted, in characters. */
    static final int MAX_ID_LENGTH = 256;

    private static final int SIGNATURE_BYTES = 32;
    private static final int MAX_TIMESTAMP_DIGITS = 19;
    private static final String CANONICAL_DECIMAL = " is not a canonical positive decimal that fits 64 bits"
            + " (no sign, no leading zero, digits only)";
    private static final String NOT_ASCII = "the header contains a character outside visible ASCII";

    private static final byte[] BASE64_VALUES = new byte[128];
    /** Indexed by a character's low byte: {@link #decodeHex} checks that the high byte is zero. */
    private static final short[] HEX_VALUES = new short[256];

    static {
        Arrays.fill(HEX_VALUES, (short) -256);
        for (int i = 0; i < 16; i++) {
            HEX_VALUES["0123456789abcdef".charAt(i)] = (short) i;
        }
        Arrays.fill(BASE64_VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private SignatureHeader() {
    }

    /** Parses the signature header of {@link KnownSchemes#WEALTHKERNEL_2022}; for tests. */
    static HeaderCheck parse(CharSequence header) {
        return parse(KnownSchemes.WEALTHKERNEL_2022, header);
    }

    /** Parses a scheme whose only header is the signature header, given its value (null when absent). */
    static HeaderCheck parse(Scheme scheme, CharSequence header) {
        if (header == null) {
            return missing("the signature header is missing");
        }
        return parseSignature(scheme, header, null, null);
    }

    /**
     * Reads a scheme's headers: those of the first header set the request has all of, or, when it has
     * none whole, says what the first set with a signature header (else the first set) lacks. The
     * common case, the first set whole, looks each header up once.
     *
     * @return a {@link Rejection#MISSING_HEADER} or {@link Rejection#MALFORMED_HEADER} rejection, or a
     *         header-accepted verification holding the signed message (freshness not yet checked)
     */
    static HeaderCheck parse(Scheme scheme, HeaderLookup headers) {
        int reported = -1;
        for (int set = 0; set < scheme.headerSets; set++) {
            List<String> signature = values(headers, scheme.signatureHeaders, set);
            if (signature.isEmpty()) {
                continue;
            }
            if (reported < 0) {
                reported = set;
            }
            List<String> timestamp = values(headers, scheme.timestampHeaders, set);
            if (timestamp != null && timestamp.isEmpty()) {
                continue;
            }
            List<String> id = values(headers, scheme.idHeaders, set);
            if (id != null && id.isEmpty()) {
                continue;
            }
            return read(scheme, signature, timestamp, id);
        }
        // Looked up again: only a refused request comes here, and bounded work is all it is owed.
        int set = Math.max(reported, 0);
        return read(scheme, values(headers, scheme.signatureHeaders, set), values(headers, scheme.timestampHeaders, set),
                values(headers, scheme.idHeaders, set));
    }

    /**
     * The values of header set {@code set}'s name in {@code names}, its {@code set}-th or, where it has one
     * name only, that one; empty when the request has no such header; null when the scheme reads none.
     */
    private static List<String> values(HeaderLookup headers, List<String> names, int set) {
        if (names.isEmpty()) {
            return null;
        }
        List<String> values = headers.values(names.get(Math.min(set, names.size() - 1)));
        // A lookup that breaks its contract with a list holding null, as singletonList(getHeader(name)) makes for an
        // absent header, is taken at its word: the header is missing, and the next header set may be read.
        return values == null || values.size() == 1 && values.get(0) == null ? List.of() : values;
    }

    /**
     * Reads one header set's values (timestamp and id null where the scheme has none): each present
     * exactly once, signature first, then timestamp, then id.
     */
    private static HeaderCheck read(Scheme scheme, List<String> signature, List<String> timestamp, List<String> id) {
        if (signature.isEmpty()) {
            return missing("the signature header is missing");
        }
        if (signature.size() > 1) {
            return malformed("the request has more than one signature header");
        }
        if (timestamp != null && timestamp.size() != 1) {
            return timestamp.isEmpty() ? missing("the timestamp header is missing")
                    : malformed("the request has more than one timestamp header");
        }
        if (id != null && id.size() != 1) {
            return id.isEmpty() ? missing("the message id header is missing")
                    : malformed("the request has more than one message id header");
        }
        return parseSignature(scheme, signature.get(0), timestamp == null ? null : timestamp.get(0),
                id == null ? null : id.get(0));
    }

    private static HeaderCheck parseSignature(Scheme scheme, CharSequence header, String timestampHeader,
                                               String idHeader) {
        int length = header.length();
        if (length > MAX_LENGTH) {
            return malformed("the header is longer than " + MAX_LENGTH + " characters");
        }
        long timestamp = 0;
        CharSequence t = null; // the text holding the timestamp, at [tFrom, tTo)
        int tFrom = 0;
        int tTo = 0;
        byte[] signatures; // 32 bytes each, one after another
        if (scheme.layout == Scheme.Layout.PREFIXED) {
            int from = skipBlanks(header, 0, length);
            int to = trimBlanks(header, from, length);
            String prefix = scheme.signatureLabel;
            signatures = new byte[SIGNATURE_BYTES];
            if (!startsWith(header, from, to, prefix)
                    || !decodeSignature(scheme.encoding, header, from + prefix.length(), to, signatures, 0)) {
                return malformed(header, "the header is not " + (prefix.isEmpty() ? "" : prefix + " followed by ")
                        + scheme.encoding.description + " of a 32-byte HMAC-SHA256");
            }
        } else {
            signatures = new byte[SIGNATURE_BYTES]; // room for one per secret the sender signs with: usually one
            int signatureCount = 0;
            String label = scheme.signatureLabel;
            String tLabel = scheme.timestampLabel;
            char separator = scheme.elementSeparator;
            int start = 0;
            while (start <= length) {
                // The label: up to the element's first pair separator, or its end if it has none.
                int from = skipBlanks(header, start, length);
                int pair = from;
                char c = 0;
                while (pair < length && (c = header.charAt(pair)) != separator && c != scheme.pairSeparator) {
                    if (!isHeaderText(c)) {
                        return malformed(NOT_ASCII);
                    }
                    pair++;
                }
                if (pair == length || c == separator) {
                    if (trimBlanks(header, from, pair) > from) {
                        return malformed(header, "an element has no '" + scheme.pairSeparator + "'");
                    }
                    start = pair + 1; // an empty element
                    continue;
                }
                if (isLabel(header, from, pair, label)) {
                    if (signatureCount == scheme.maxSignatures) {
                        return malformed(header, "the header has more than " + scheme.maxSignatures + " " + label + " values");
                    }
                    // The MAC is decoded straight from the header: its alphabet is visible ASCII and holds
                    // no separator, so the element is scanned once. Only blanks may follow it.
                    int to = pair + 1 + scheme.encoding.chars;
                    if (signatureCount * SIGNATURE_BYTES == signatures.length) {
                        signatures = Arrays.copyOf(signatures, scheme.maxSignatures * SIGNATURE_BYTES);
                    }
                    boolean decoded = to <= length && decodeSignature(scheme.encoding, header, pair + 1, to,
                            signatures, signatureCount * SIGNATURE_BYTES);
                    start = Math.min(to, length);
                    while (start < length && (c = header.charAt(start)) != separator && isBlank(c)) {
                        start++;
                    }
                    if (!decoded || start < length && c != separator) {
                        return malformed(header, "a " + label + " value is not " + scheme.encoding.description
                                + " of a 32-byte HMAC-SHA256");
                    }
                    start++;
                    signatureCount++;
                    continue;
                }
                // Any other element: its value is scanned to the element's end.
                int end = pair + 1;
                while (end < length && (c = header.charAt(end)) != separator) {
                    if (!isHeaderText(c)) {
                        return malformed(NOT_ASCII);
                    }
                    end++;
                }
                start = end + 1;
                if (tLabel != null && isLabel(header, from, pair, tLabel)) {
                    if (t != null) {
                        return malformed(header, "the header has more than one " + tLabel);
                    }
                    int to = trimBlanks(header, pair + 1, end);
                    timestamp = parseTimestamp(header, pair + 1, to);
                    if (timestamp < 0) {
                        return malformed(header, tLabel + CANONICAL_DECIMAL);
                    }
                    t = header;
                    tFrom = pair + 1;
                    tTo = to;
                }
            }
            if (tLabel != null && t == null) {
                return malformed(header, "the header has no " + tLabel);
            }
            if (signatureCount == 0) {
                return malformed(header, "the header has no " + label);
            }
            if (signatureCount * SIGNATURE_BYTES < signatures.length) {
                signatures = Arrays.copyOf(signatures, signatureCount * SIGNATURE_BYTES);
            }
        }
        if (timestampHeader != null) {
            if (timestampHeader.length() > MAX_LENGTH) {
                return malformed("the timestamp header is longer than " + MAX_LENGTH + " characters");
            }
            tFrom = skipBlanks(timestampHeader, 0, timestampHeader.length());
            tTo = trimBlanks(timestampHeader, tFrom, timestampHeader.length());
            timestamp = parseTimestamp(timestampHeader, tFrom, tTo);
            if (timestamp < 0) {
                return malformed("the timestamp header" + CANONICAL_DECIMAL);
            }
            t = timestampHeader;
        }
        int idFrom = 0;
        int idTo = 0;
        if (idHeader != null) {
            if (idHeader.length() > MAX_LENGTH) {
                return malformed("the message id header is longer than " + MAX_LENGTH + " characters");
            }
            idFrom = skipBlanks(idHeader, 0, idHeader.length());
            idTo = trimBlanks(idHeader, idFrom, idHeader.length());
            if (idTo - idFrom < 1 || idTo - idFrom > MAX_ID_LENGTH || !isIdText(idHeader, idFrom, idTo)) {
                return malformed("the message id is not 1 to " + MAX_ID_LENGTH
                        + " visible ASCII characters other than '.'");
            }
        }
        return HeaderCheck.accepted(scheme, timestamp, t, tFrom, tTo, idHeader, idFrom, idTo, signatures);
    }

    private static HeaderCheck missing(String detail) {
        return HeaderCheck.rejected(Rejection.MISSING_HEADER, detail);
    }

    private static HeaderCheck malformed(String detail) {
        return HeaderCheck.rejected(Rejection.MALFORMED_HEADER, detail);
    }

    /**
     * A signature header found malformed: said to hold a character outside visible ASCII if it does,
     * wherever that character is, else {@code detail}. The accepting path checks each character as
     * it scans or decodes it; only a rejection looks at the whole header again.
     */
    private static HeaderCheck malformed(CharSequence header, String detail) {
        for (int i = 0; i < header.length(); i++) {
            if (!isHeaderText(header.charAt(i))) {
                return malformed(NOT_ASCII);
            }
        }
        return malformed(detail);
    }

    /** Visible ASCII, space or tab. */
    private static boolean isHeaderText(char c) {
        return (c >= 0x20 || c == '\t') && c <= 0x7e;
    }

    private static boolean isLabel(CharSequence s, int from, int to, String label) {
        return to - from == label.length() && startsWith(s, from, to, label);
    }

    private static boolean startsWith(CharSequence s, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdText(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c > 0x7e || c == '.') {
                return false;
            }
        }
        return true;
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

    /**
     * The value of {@code s[from, to)} if it is {@code [1-9][0-9]{0,18}} and fits a long; else negative.
     * Eighteen digits always fit. Nineteen that do not fit need no check of their own: they are below
     * 10^19, under 2^64, so the sum wraps to a negative long, which callers refuse as they refuse -1.
     */
    private static long parseTimestamp(CharSequence s, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > MAX_TIMESTAMP_DIGITS || s.charAt(from) == '0') {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * Decodes the MAC spelled at {@code s[from, to)} into {@code out[at, at + 32)}; false, with what was
     * written there meaningless, if that is not its one canonical spelling in {@code encoding}.
     */
    private static boolean decodeSignature(Scheme.Encoding encoding, CharSequence s, int from, int to,
                                           byte[] out, int at) {
        return encoding == Scheme.Encoding.HEX ? decodeHex(s, from, to, out, at) : decodeBase64(s, from, to, out, at);
    }

    /**
     * Decodes {@code s[from, to)} into {@code out} at {@code at} if it is exactly 64 lowercase hex digits.
     * A table, not comparisons: a MAC's digits and letters come in no order a branch predicts. No branch per
     * character either: what is wrong with any of them (no hex digit, negative in the table; or above
     * {@code 0xff}, which the table, indexed by the low byte, does not see) is gathered in one word and looked
     * at once, at the end.
     */
    private static boolean decodeHex(CharSequence s, int from, int to, byte[] out, int at) {
        if (to - from != Scheme.Encoding.HEX.chars) {
            return false;
        }
        int wrong = 0;
        for (int i = 0; i < SIGNATURE_BYTES; i++) {
            char high = s.charAt(from + 2 * i);
            char low = s.charAt(from + 2 * i + 1);
            int bits = HEX_VALUES[high & 0xff] << 4 | HEX_VALUES[low & 0xff];
            wrong |= bits | (high | low) & 0xff00;
            out[at + i] = (byte) bits;
        }
        return (wrong & ~0xff) == 0;
    }

    /**
     * Decodes {@code s[from, to)} into {@code out} at {@code at} if it is exactly the canonical padded
     * base64 of 32 bytes: 43 alphabet characters, the last carrying two zero bits, then one {@code =}.
     * Anything else, including other encodings of the same bytes, is false, so one MAC has one spelling.
     */
    private static boolean decodeBase64(CharSequence s, int from, int to, byte[] out, int at) {
        if (to - from != Scheme.Encoding.BASE64.chars || s.charAt(to - 1) != '=') {
            return false;
        }
        int o = at;
        int i = from;
        for (int group = 0; group < 10; group++, i += 4) {
            int bits = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12
                    | sextet(s.charAt(i + 2)) << 6 | sextet(s.charAt(i + 3));
            if (bits < 0) {
                return false;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        int last = sextet(s.charAt(i + 2));
        int bits = sextet(s.charAt(i)) << 18 | sextet(s.charAt(i + 1)) << 12 | last << 6;
        if (bits < 0 || (last & 0b11) != 0) {
            return false;
        }
        out[o++] = (byte) (bits >> 16);
        out[o] = (byte) (bits >> 8);
        return true;
    }

    /**
     * The 6-bit value of a base64 character, or -1. Shifted left by less than 32, -1 stays negative,
     * so one bad character makes the whole OR of a group negative.
     */
    private static int sextet(char c) {
        return c < 128 ? BASE64_VALUES[c] : -1;
    }
}
