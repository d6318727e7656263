package dev.webhookfilter;

import static dev.webhookfilter.Vectors.NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SECRET_B;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.SIMPLE_NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.EMPTY_A;
import static dev.webhookfilter.Vectors.ID;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookSignerTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.webhookfilter.Vectors#bodiesUnderSecretA")
    void signsAsOpensslDoes(String name, byte[] body, String v1) {
        assertEquals(header(v1), WebhookSigner.of(SECRET_A).sign(body, T));
    }

    @Test
    void keysANonAsciiSecretAsItsUtf8Bytes() {
        assertEquals(header(SIMPLE_NON_ASCII_SECRET), WebhookSigner.of(NON_ASCII_SECRET).sign(SIMPLE_BODY, T));
    }

    @Test
    void givesOneV1PerSecretInOrder() {
        assertEquals(header(SIMPLE_A, SIMPLE_B), WebhookSigner.of(SECRET_A, SECRET_B).sign(SIMPLE_BODY, T));
        assertEquals(header(SIMPLE_B, SIMPLE_A), WebhookSigner.of(SECRET_B, SECRET_A).sign(SIMPLE_BODY, T));
    }

    @Test
    void signsTheSmallestTimestamp() {
        // printf '%s' '{"a":1}1' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
        assertEquals("t=1,v1=rvNU3JgZ//paKCKEOIldCSLldlRgfNbwisffK/3oeXw=",
                WebhookSigner.of(SECRET_A).sign(SIMPLE_BODY, 1));
    }

    @Test
    void timestampsWithItsClockInWholeSeconds() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T * 1000 + 999), ZoneOffset.UTC);
        assertEquals(header(SIMPLE_A), WebhookSigner.of(SECRET_A).withClock(clock).sign(SIMPLE_BODY));
    }

    @Test
    void withClockKeepsTheKeys() {
        WebhookSigner two = WebhookSigner.of(SECRET_A, SECRET_B);
        Clock clock = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
        assertEquals(header(SIMPLE_A, SIMPLE_B), two.withClock(clock).sign(SIMPLE_BODY));
        assertThrows(NullPointerException.class, () -> two.withClock(null));
    }

    @Test
    void signsWithTheSystemClockByDefault() {
        String signed = WebhookSigner.of(SECRET_A).sign(SIMPLE_BODY);
        long t = Long.parseLong(signed.substring(2, signed.indexOf(',')));
        long now = Instant.now().getEpochSecond();
        assertFalse(Math.abs(now - t) > 5, signed);
    }

    @Test
    void refusesATimestampBelowOne() {
        WebhookSigner signer = WebhookSigner.of(SECRET_A);
        assertThrows(IllegalArgumentException.class, () -> signer.sign(SIMPLE_BODY, 0));
        assertThrows(IllegalArgumentException.class, () -> signer.sign(SIMPLE_BODY, -1));
    }

    /**
     * A body held in arrays one after another, as the CLI reads a pipe of unknown length: signed as openssl signs
     * it whole. The vectors and the openssl command beside each are in {@link Vectors}.
     */
    @Nested
    class BodyInArrays {

        /**
         * {@code body} split at {@code at} into two arrays, the second followed by 3 bytes that are not the body's
         * and then by a null array, which is not read as the body ends before it.
         */
        private byte[][] split(byte[] body, int at) {
            byte[] second = Arrays.copyOf(Arrays.copyOfRange(body, at, body.length), body.length - at + 3);
            Arrays.fill(second, body.length - at, second.length, (byte) 'x');
            return new byte[][] {Arrays.copyOfRange(body, 0, at), second, null};
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#bodiesUnderSecretA")
        void signsAsOpensslDoesWhereverTheBodyIsSplit(String name, byte[] body, String v1) {
            WebhookSigner signer = WebhookSigner.of(SECRET_A);
            for (int at = 0; at <= body.length; at++) {
                assertEquals(header(v1), signer.headers(split(body, at), body.length, T, null)
                        .get(signer.scheme().signatureHeader()), "split at " + at);
            }
        }

        @Test
        void signsTheMessageIdOfASchemeThatHasOne() {
            WebhookSigner signer = WebhookSigner.of(Scheme.named("standard-webhooks"),
                    Vectors.StandardWebhooks.SECRET_A);

            Map<String, String> headers = signer.headers(split(SIMPLE_BODY, 3), SIMPLE_BODY.length, T, ID);

            assertEquals("v1," + Vectors.StandardWebhooks.SIMPLE_A, headers.get("webhook-signature"));
            assertEquals(ID, headers.get("webhook-id"));
            assertEquals(String.valueOf(T), headers.get("webhook-timestamp"));
        }

        /** The arrays after the one where the body ends are not read: here a null one. */
        @Test
        void readsNoArrayPastTheBodysEnd() {
            WebhookSigner signer = WebhookSigner.of(SECRET_A);

            assertEquals(header(SIMPLE_A), signer.headers(new byte[][] {SIMPLE_BODY, null}, SIMPLE_BODY.length, T, null)
                    .get(signer.scheme().signatureHeader()));
            assertEquals(header(EMPTY_A), signer.headers(new byte[][] {null}, 0, T, null)
                    .get(signer.scheme().signatureHeader()));
        }

        @Test
        void refusesArraysThatHoldLessThanTheLength() {
            WebhookSigner signer = WebhookSigner.of(SECRET_A);
            byte[][] seven = {new byte[3], new byte[4]};

            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> signer.headers(seven, 8, T, null));
            assertEquals("the 2 arrays hold 7 of the body's 8 bytes", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> signer.headers(seven, -1, T, null));
            assertThrows(NullPointerException.class, () -> signer.headers((byte[][]) null, 0, T, null));
            assertThrows(NullPointerException.class, () -> signer.headers(new byte[][] {null}, 1, T, null));
            assertThrows(IllegalArgumentException.class, () -> signer.headers(seven, 7, 0, null));
        }
    }

    @Test
    void refusesMissingOrEmptySecrets() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of());
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of((String[]) null));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of(SECRET_A, null));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of(SECRET_A, ""));
    }

    @Test
    void toStringShowsTheCountOnly() {
        assertEquals("WebhookSigner[1 secret]", WebhookSigner.of(SECRET_A).toString());
        assertEquals("WebhookSigner[2 secrets]", WebhookSigner.of(SECRET_A, NON_ASCII_SECRET).toString());
    }
}
