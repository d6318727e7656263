package dev.webhookfilter;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.X0_A;
import static dev.webhookfilter.Vectors.X_A;
import static dev.webhookfilter.Vectors.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureHeaderTest {

    private static final String V1 = "v1=" + SIMPLE_A;
    /** The bytes of SIMPLE_A, decoded by the JDK. */
    private static final byte[] MAC_A = Base64.getDecoder().decode(SIMPLE_A);
    private static final byte[] MAC_B = Base64.getDecoder().decode(SIMPLE_B);

    @Nested
    class Rejected {

        static Stream<Arguments> badHeaders() {
            String base64Of31 = Base64.getEncoder().encodeToString(new byte[31]);  // 44 characters ending "=="
            String base64Of33 = Base64.getEncoder().encodeToString(new byte[33]);  // 44 characters, no padding
            String last = SIMPLE_A.substring(0, 42);                                 // SIMPLE_A ends "Z0="
            return Stream.of(
                    bad("missing t", V1, "the header has no t"),
                    bad("duplicate t", "t=1700000000,t=1700000000," + V1, "more than one t"),
                    bad("duplicate t, second one invalid", "t=1700000000,t=x," + V1, "more than one t"),
                    bad("uppercase T is an unknown scheme", "T=1700000000," + V1, "the header has no t"),
                    bad("scheme 'tt'", "tt=1700000000," + V1, "the header has no t"),
                    bad("scheme 'u'", "u=1700000000," + V1, "the header has no t"),
                    bad("space before '=' makes another scheme", "t =1700000000," + V1, "the header has no t"),
                    bad("plus sign", "t=+1700000000," + V1, "t is not a canonical"),
                    bad("minus sign", "t=-1700000000," + V1, "t is not a canonical"),
                    bad("leading zero", "t=01700000000," + V1, "t is not a canonical"),
                    bad("zero", "t=0," + V1, "t is not a canonical"),
                    bad("empty t", "t=," + V1, "t is not a canonical"),
                    bad("letter in t", "t=17000000a0," + V1, "t is not a canonical"),
                    bad("colon in t (just above '9')", "t=1700000:00," + V1, "t is not a canonical"),
                    bad("slash in t (just below '0')", "t=1700000/00," + V1, "t is not a canonical"),
                    bad("decimal point", "t=1700000000.5," + V1, "t is not a canonical"),
                    bad("20 digits", "t=12345678901234567890," + V1, "t is not a canonical"),
                    bad("19 digits above Long.MAX_VALUE", "t=9223372036854775808," + V1, "t is not a canonical"),
                    bad("19 digits far above Long.MAX_VALUE", "t=9999999999999999999," + V1, "t is not a canonical"),
                    bad("space inside t", "t=1700 000000," + V1, "t is not a canonical"),
                    bad("space after '='", "t= 1700000000," + V1, "t is not a canonical"),
                    bad("missing v1", "t=1700000000", "the header has no v1"),
                    bad("only unknown schemes", "t=1700000000,v0=" + SIMPLE_A + ",v2=" + SIMPLE_A, "the header has no v1"),
                    bad("scheme 'x1'", "t=1700000000,x1=" + SIMPLE_A, "the header has no v1"),
                    bad("scheme 'v1' in upper case", "t=1700000000,V1=" + SIMPLE_A, "the header has no v1"),
                    bad("empty v1", "t=1700000000,v1=", "padded base64"),
                    bad("invalid base64 character", "t=1700000000,v1=!" + SIMPLE_A.substring(1), "padded base64"),
                    bad("invalid character in the last group", "t=1700000000,v1=" + SIMPLE_A.substring(0, 41) + "!0=",
                            "padded base64"),
                    bad("invalid character at the end of the last group", "t=1700000000,v1=" + last + "!=", "padded base64"),
                    bad("base64url alphabet", "t=1700000000,v1=" + SIMPLE_A.replace('/', '_'), "padded base64"),
                    bad("non-ASCII letter in base64", "t=1700000000,v1=é" + SIMPLE_A.substring(1), "visible ASCII"),
                    bad("U+0080, the first character past ASCII, in base64", "t=1700000000,v1=\u0080" + SIMPLE_A.substring(1),
                            "visible ASCII"),
                    bad("base64 of 31 bytes", "t=1700000000,v1=" + base64Of31, "padded base64"),
                    bad("base64 of 33 bytes", "t=1700000000,v1=" + base64Of33, "padded base64"),
                    bad("base64 of 48 bytes", "t=1700000000,v1=" + Base64.getEncoder().encodeToString(new byte[48]),
                            "padded base64"),
                    bad("no padding", "t=1700000000,v1=" + SIMPLE_A.substring(0, 43), "padded base64"),
                    bad("a character after v1", "t=1700000000," + V1 + "A", "padded base64"),
                    bad("a word after v1 and a blank", "t=1700000000," + V1 + " \tx,v1=" + SIMPLE_B, "padded base64"),
                    bad("v1 cut short by the next element", "t=1700000000,v1=" + SIMPLE_A.substring(1) + ",v1=" + SIMPLE_B,
                            "padded base64"),
                    bad("padding in the middle", "t=1700000000,v1=" + SIMPLE_A.substring(0, 40) + "=" + SIMPLE_A.substring(41),
                            "padded base64"),
                    bad("non-canonical base64: low bit of the last character set", "t=1700000000,v1=" + last + "1=",
                            "padded base64"),
                    bad("non-canonical base64: second-lowest bit set", "t=1700000000,v1=" + last + "2=", "padded base64"),
                    bad("nine v1", "t=1700000000" + (",v1=" + SIMPLE_A).repeat(9), "more than 8 v1 values"),
                    bad("element without '='", "t=1700000000," + V1 + ",junk", "no '='"),
                    bad("longer than 8192 characters", "t=1700000000," + V1 + "," + " ".repeat(8192), "longer than 8192"),
                    bad("non-ASCII character", "t=1700000000," + V1 + ",x=é", "visible ASCII"),
                    bad("control character", "t=1700000000," + V1 + ",x=\u0001", "visible ASCII"),
                    bad("unit separator 0x1f", "t=1700000000," + V1 + ",x=\u001f", "visible ASCII"),
                    bad("DEL 0x7f", "t=1700000000," + V1 + ",x=\u007f", "visible ASCII"),
                    bad("newline", "t=1700000000,\n" + V1, "visible ASCII"),
                    bad("NUL", "t=1700000000\u0000," + V1, "visible ASCII"),
                    // Found wrong before the scan reaches the bad character: still named for it.
                    bad("non-ASCII after a bad t", "t=01700000000," + V1 + ",x=é", "visible ASCII"),
                    bad("control character after an element without '='", "junk," + V1 + ",t=1700000000\u0001",
                            "visible ASCII"));
        }

        /**
         * A prefixed header has no scan: its decode is what meets the character, and the detail still names it.
         * {@code š} (U+0161) and {@code İ} (U+0130) have the low bytes of {@code a} and {@code 0}: a decode that
         * looked at a character's low byte only would take them for hex digits.
         */
        @ParameterizedTest
        @ValueSource(strings = {"\u00e9", "\u0001", "\u007f", "\u0100", "\u0161", "\u0130"})
        void aPrefixedHeaderWithACharacterOutsideVisibleAsciiSaysSo(String character) {
            String hex = "0123456789abcdef".repeat(4);
            for (String header : new String[] {"sha256=" + hex + character, "sha256=" + character + hex.substring(1),
                    character + "sha256=" + hex}) {
                HeaderCheck result = SignatureHeader.parse(KnownSchemes.GITHUB, header);
                assertEquals(Rejection.MALFORMED_HEADER, result.rejection(), header);
                assertTrue(result.detail().contains("visible ASCII"), result.detail());
            }
            assertTrue(SignatureHeader.parse(KnownSchemes.GITHUB, " sha256=" + hex + "\t").isAccepted(),
                    "blanks around it are not outside visible ASCII");
        }

        /**
         * A prefixed header that is blanks then its prefix cut short ({@code sha2}, {@code v0}) ends before the
         * prefix does: it is malformed, and the prefix is not compared past the header's end.
         */
        @ParameterizedTest
        @ValueSource(strings = {"   sha2", "      sha256", "\tsha256", "sha256"})
        void aPrefixedHeaderShorterThanItsPrefixIsMalformed(String header) {
            HeaderCheck result = SignatureHeader.parse(KnownSchemes.GITHUB, header);
            assertEquals("the header is not sha256= followed by 64 lowercase hex digits of a 32-byte HMAC-SHA256",
                    result.detail());
            assertEquals(Rejection.MALFORMED_HEADER, SignatureHeader.parse(KnownSchemes.SLACK, "  v0").rejection());
        }

        private static Arguments bad(String name, String header, String detail) {
            return Arguments.of(name, header, detail);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badHeaders")
        void isMalformed(String name, String header, String detail) {
            HeaderCheck result = SignatureHeader.parse(header);
            assertEquals(Rejection.MALFORMED_HEADER, result.rejection(), result.toString());
            assertTrue(result.detail().contains(detail), result.detail());
            assertFalse(result.isAccepted());
            assertEquals(0, result.timestamp());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badHeaders")
        void isMalformedThroughTheVerifierToo(String name, String header, String detail) {
            WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A)
                    .clock(Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC)).build();
            assertEquals(Rejection.MALFORMED_HEADER, verifier.verify(header, ascii("{\"a\":1}")).rejection());
        }

        @Test
        void aNullHeaderIsMissing() {
            HeaderCheck result = SignatureHeader.parse(null);
            assertEquals(Rejection.MISSING_HEADER, result.rejection());
            assertEquals(401, result.rejection().status());
            // What the client is told: README's table of rejections, "Response says".
            assertEquals("missing signature header", result.rejection().message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", ",", " , \t,"})
        void anEmptyHeaderHasNoT(String header) {
            assertEquals("the header has no t", SignatureHeader.parse(header).detail());
        }
    }

    @Nested
    class Accepted {

        private void assertParsed(String header, long timestamp, byte[]... macs) {
            HeaderCheck result = SignatureHeader.parse(header);
            assertTrue(result.isAccepted(), () -> header + ": " + result.detail());
            assertNull(result.rejection());
            assertEquals(timestamp, result.timestamp());
            assertArrayEquals(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(result.signed, result.tAt, result.tAt + result.tLength));
            assertEquals(macs.length * 32, result.signatures.length);
            for (int i = 0; i < macs.length; i++) {
                assertArrayEquals(macs[i], Arrays.copyOfRange(result.signatures, 32 * i, 32 * i + 32), "v1 #" + i);
            }
        }

        @Test
        void theSimplestForm() {
            assertParsed("t=1700000000," + V1, T, MAC_A);
        }

        @Test
        void spacesAndTabsAroundElements() {
            assertParsed(" \tt=1700000000 \t, \t" + V1 + "\t ", T, MAC_A);
        }

        @Test
        void emptyElements() {
            assertParsed(",,t=1700000000,, ,\t," + V1 + ",", T, MAC_A);
        }

        @Test
        void unknownSchemesAreIgnored() {
            assertParsed("v0=abc,t=1700000000,v2=" + SIMPLE_B + ",x=a=b,=nothing,foo=,v10=1,~=~," + V1, T, MAC_A);
        }

        @Test
        void anEmptySchemeAtTheVeryStartIsIgnored() {
            assertParsed("=v1=x,t=1700000000," + V1, T, MAC_A);
        }

        @Test
        void elementsInAnyOrder() {
            assertParsed(V1 + ",t=1700000000", T, MAC_A);
            assertParsed("v1=" + SIMPLE_B + ",t=1700000000," + V1, T, MAC_B, MAC_A);
        }

        @Test
        void upToEightV1InOrder() {
            StringBuilder header = new StringBuilder("t=1700000000");
            byte[][] macs = new byte[8][];
            for (int i = 0; i < 8; i++) {
                String v1 = i % 2 == 0 ? SIMPLE_A : SIMPLE_B;
                header.append(",v1=").append(v1);
                macs[i] = Base64.getDecoder().decode(v1);
            }
            assertParsed(header.toString(), T, macs);
        }

        @Test
        void threeV1() {
            assertParsed("t=1700000000," + V1 + ",v1=" + SIMPLE_B + "," + V1, T, MAC_A, MAC_B, MAC_A);
        }

        @Test
        void theSmallestAndLargestT() {
            assertParsed("t=1," + V1, 1, MAC_A);
            assertParsed("t=9223372036854775807," + V1, Long.MAX_VALUE, MAC_A);
            assertParsed("t=9223372036854775799," + V1, Long.MAX_VALUE - 8, MAC_A);
            assertParsed("t=1000000000000000000," + V1, 1_000_000_000_000_000_000L, MAC_A);
        }

        @Test
        void everyBase64Character() {
            // The alphabet's edges; a last character of 'A', 'Q', 'g' or 'w' leaves the two spare bits zero.
            for (String v1 : new String[] {
                    "AZaz09+/AZaz09+/AZaz09+/AZaz09+/AZaz09+/AZQ=", "//////////////////////////////////////////w=",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKg="}) {
                assertParsed("t=1700000000,v1=" + v1, T, Base64.getDecoder().decode(v1));
            }
        }

        @Test
        void exactly8192Characters() {
            String base = "t=1700000000," + V1 + ",";
            assertParsed(base + " ".repeat(8192 - base.length()), T, MAC_A);
        }

        @Test
        void visibleAsciiAndTabInUnknownSchemes() {
            assertParsed("t=1700000000," + V1 + ",x= !~\t}", T, MAC_A);
        }
    }

    @Nested
    class BoundaryShift {

        private final WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET_A)
                .clock(Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC)).build();

        @Test
        void theGenuineRequestVerifies() {
            assertTrue(verifier.verify("t=1700000000,v1=" + X0_A, ascii("x0")).isVerified());
        }

        @Test
        void theShiftedHeaderWouldCarryAMatchingMac() throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET_A.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(ascii("x"));
            assertArrayEquals(Base64.getDecoder().decode(X0_A), mac.doFinal(ascii("01700000000")),
                    "body 'x' with t=01700000000 is the same message as body 'x0' with t=1700000000");
        }

        @Test
        void yetTheShiftedHeaderIsRejectedForItsLeadingZero() {
            Verification result = verifier.verify("t=01700000000,v1=" + X0_A, ascii("x"));
            assertEquals(Rejection.MALFORMED_HEADER, result.rejection());
        }

        @Test
        void andBodyXVerifiesOnlyWithItsOwnMac() {
            assertTrue(verifier.verify("t=1700000000,v1=" + X_A, ascii("x")).isVerified());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.verify("t=1700000000,v1=" + X0_A, ascii("x")).rejection());
        }
    }
}
