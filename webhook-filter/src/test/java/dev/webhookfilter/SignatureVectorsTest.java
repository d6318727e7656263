package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scheme, byte for byte, against signatures computed once by independent tools. Every expected
 * value below was produced outside this code base, by the command written beside it; none comes from
 * {@link WebhookSigner}. The Python ones use:
 *
 * <pre>
 * python3 -c 'import hmac,hashlib,base64,sys; print(base64.b64encode(hmac.new(KEY, BODY + b"1700000000", hashlib.sha256).digest()).decode())'
 * </pre>
 */
class SignatureVectorsTest {

    static final String SECRET = "whsec_test_vectors_5b2f8e1c9d3a";
    static final String ROTATED_SECRET = "whsec_rotated_in_7a4c1e9f2b6d";
    static final long T = 1_700_000_000L;
    static final String JSON =
            "{\"eventId\":\"whevt-abc123\",\"eventType\":{\"name\":\"webhooks.test\",\"version\":1},\"payload\":{}}";

    /** Each body with its v1 under {@link #SECRET} at {@link #T}. */
    enum Vector {
        /**
         * printf '%s' '{"eventId":"whevt-abc123","eventType":{"name":"webhooks.test","version":1},"payload":{}}1700000000' \
         *   | openssl dgst -sha256 -hmac 'whsec_test_vectors_5b2f8e1c9d3a' -binary | base64
         */
        SIMPLE_JSON(utf8(JSON), "mC26hXS/5vnpwQk6pzD+5e/p25SqLxYFn9cPaUihw5Q="),
        /** printf '%s' '1700000000' | openssl dgst -sha256 -hmac 'whsec_test_vectors_5b2f8e1c9d3a' -binary | base64 */
        EMPTY(new byte[0], "02/96LoB1WbASaxNhGPg9BsEUoms17EiIhrnkGRae6o="),
        /** Python, BODY = '{"name":"Zoë, 東京 🚀"}'.encode('utf-8') */
        UTF8(utf8("{\"name\":\"Zo\u00eb, \u6771\u4eac \ud83d\ude80\"}"), "PbpzwH8EnbdQY6bwkbXwjAHr6USonB9OOJ3MJsQiAyw="),
        /** Python, BODY = b'line one\r\nline two\r\n' */
        CRLF(utf8("line one\r\nline two\r\n"), "F/i6Zl/fmaMsHom/vgttTLLXw6xsE01SZ5fAdC5F8wA="),
        /** Python, BODY = bytes([0xff, 0xfe, 0x00, 0x80, 0x41, 0xc3, 0x28]): not UTF-8, with a NUL. */
        NON_UTF8(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, 0x41, (byte) 0xc3, 0x28},
                "Urdf7Nmki77KPMnXYArqiQGuTnkfpP58s6Uy2nWXkvA=");

        final byte[] body;
        final String v1;

        Vector(byte[] body, String v1) {
            this.body = body;
            this.v1 = v1;
        }

        String header() {
            return "t=" + T + ",v1=" + v1;
        }
    }

    /** Python, KEY = ROTATED_SECRET.encode(), BODY = the JSON of {@link Vector#SIMPLE_JSON}. */
    static final String JSON_UNDER_ROTATED_SECRET = "/AyOqTD2zPOOzkG1rtMLpFb/LKFQp7l/4Ja0qv/AkA4=";
    /** Python, KEY = 'sécret-Ключ-秘密'.encode('utf-8'), BODY = the JSON of {@link Vector#SIMPLE_JSON}. */
    static final String NON_ASCII_SECRET = "s\u00e9cret-\u041a\u043b\u044e\u0447-\u79d8\u5bc6";
    static final String JSON_UNDER_NON_ASCII_SECRET = "IUnobmWb/ZbjP9VGXk+1bAZKT0JqRtWYjQshJf0s+uM=";
    /**
     * Python: both equal B4jkEVf+xnidu4vacPnTN975cEf6WtO3Bzu07j9xnHk=, the MAC of BODY=b'x0' with
     * t '1700000000' and of BODY=b'x' with t '01700000000' (the same 11 bytes).
     */
    static final String BOUNDARY_SHIFT = "B4jkEVf+xnidu4vacPnTN975cEf6WtO3Bzu07j9xnHk=";

    static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);

    static WebhookVerifier verifier(String... secrets) {
        return WebhookVerifier.builder().secrets(Arrays.asList(secrets)).clock(AT_T).build();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class Verifier {

        @ParameterizedTest
        @EnumSource(Vector.class)
        void acceptsTheIndependentlyComputedSignature(Vector vector) {
            Verification result = verifier(SECRET).verify(vector.header(), vector.body);

            assertTrue(result.isVerified(), result::toString);
            assertEquals(T, result.timestamp());
            assertEquals(0, result.secretIndex());
        }

        @Test
        void keysTheMacWithTheSecretsUtf8Bytes() {
            Verification result = verifier(NON_ASCII_SECRET).verify("t=" + T + ",v1=" + JSON_UNDER_NON_ASCII_SECRET, utf8(JSON));

            assertTrue(result.isVerified(), result::toString);
        }

        @Test
        void acceptsEitherV1UnderEitherSecretInEitherOrder() {
            String oldFirst = "t=" + T + ",v1=" + Vector.SIMPLE_JSON.v1 + ",v1=" + JSON_UNDER_ROTATED_SECRET;
            String newFirst = "t=" + T + ",v1=" + JSON_UNDER_ROTATED_SECRET + ",v1=" + Vector.SIMPLE_JSON.v1;
            byte[] body = utf8(JSON);

            // The matching secret reported is the first configured one with a matching v1.
            assertAll(
                    () -> assertEquals(0, verifier(SECRET, ROTATED_SECRET).verify(oldFirst, body).secretIndex()),
                    () -> assertEquals(0, verifier(SECRET, ROTATED_SECRET).verify(newFirst, body).secretIndex()),
                    () -> assertEquals(0, verifier(ROTATED_SECRET, SECRET).verify(oldFirst, body).secretIndex()),
                    () -> assertEquals(0, verifier(ROTATED_SECRET, SECRET).verify(newFirst, body).secretIndex()),
                    () -> assertEquals(1, verifier(SECRET, ROTATED_SECRET)
                            .verify("t=" + T + ",v1=" + JSON_UNDER_ROTATED_SECRET, body).secretIndex()),
                    () -> assertEquals(1, verifier(ROTATED_SECRET, SECRET)
                            .verify(Vector.SIMPLE_JSON.header(), body).secretIndex()));
        }

        @Test
        void refusesTheTimestampBeforeTheBody() {
            // Python, the message reversed: hmac.new(KEY, b"1700000000" + BODY, hashlib.sha256)
            String reversed = "SXJ8hFxvNh7mfyfHsshYruiLDakYUsVRAooINU+xrVk=";

            assertRefused(Rejection.NO_MATCHING_SIGNATURE, "t=" + T + ",v1=" + reversed, utf8(JSON));
        }

        @Test
        void refusesTheSameEventReserialised() {
            String pretty = "{\n  \"eventId\": \"whevt-abc123\",\n  \"eventType\": {\"name\": \"webhooks.test\", \"version\": 1},"
                    + "\n  \"payload\": {}\n}";

            assertRefused(Rejection.NO_MATCHING_SIGNATURE, Vector.SIMPLE_JSON.header(), utf8(pretty));
        }

        @Test
        void refusesABodyWithOneByteChanged() {
            byte[] body = utf8(JSON);
            body[12] ^= 0x01;

            assertRefused(Rejection.NO_MATCHING_SIGNATURE, Vector.SIMPLE_JSON.header(), body);
        }

        @Test
        void refusesABodyWithATrailingNewlineAdded() {
            assertRefused(Rejection.NO_MATCHING_SIGNATURE, Vector.SIMPLE_JSON.header(), utf8(JSON + "\n"));
        }

        @Test
        void refusesTheRightSignatureUnderTheWrongSecret() {
            assertRefused(Rejection.NO_MATCHING_SIGNATURE, Vector.SIMPLE_JSON.header(), utf8(JSON),
                    verifier(ROTATED_SECRET));
        }

        /** The MAC matches, but only because t has a leading zero: the canonical-t rule refuses it. */
        @Test
        void refusesAByteMovedFromTheBodyIntoT() {
            assertTrue(verifier(SECRET).verify("t=" + T + ",v1=" + BOUNDARY_SHIFT, utf8("x0")).isVerified(),
                    "the genuine request");

            assertRefused(Rejection.MALFORMED_HEADER, "t=0" + T + ",v1=" + BOUNDARY_SHIFT, utf8("x"));
        }

        private void assertRefused(Rejection expected, String header, byte[] body) {
            assertRefused(expected, header, body, verifier(SECRET));
        }

        private void assertRefused(Rejection expected, String header, byte[] body, WebhookVerifier verifier) {
            Verification result = verifier.verify(header, body);
            assertEquals(expected, result.rejection(), result::toString);
        }
    }

    @Nested
    class Signer {

        @ParameterizedTest
        @EnumSource(Vector.class)
        void producesTheIndependentlyComputedHeader(Vector vector) {
            assertEquals(vector.header(), WebhookSigner.of(SECRET).sign(vector.body, T));
        }

        @Test
        void signsWithEverySecretInOrder() {
            assertEquals("t=" + T + ",v1=" + Vector.SIMPLE_JSON.v1 + ",v1=" + JSON_UNDER_ROTATED_SECRET,
                    WebhookSigner.of(SECRET, ROTATED_SECRET).sign(utf8(JSON), T));
        }

        @Test
        void keysTheMacWithTheSecretsUtf8Bytes() {
            assertEquals("t=" + T + ",v1=" + JSON_UNDER_NON_ASCII_SECRET,
                    WebhookSigner.of(NON_ASCII_SECRET).sign(utf8(JSON), T));
        }

        @Test
        void signsAtTheClocksSecond() {
            Clock halfPast = Clock.fixed(Instant.ofEpochSecond(T, 500_000_000), ZoneOffset.UTC);

            assertEquals(Vector.EMPTY.header(), WebhookSigner.of(SECRET).withClock(halfPast).sign(new byte[0]));
        }
    }
}
