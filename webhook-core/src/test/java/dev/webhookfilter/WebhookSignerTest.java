package dev.webhookfilter;

import static dev.webhookfilter.Vectors.NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SECRET_B;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.SIMPLE_NON_ASCII_SECRET;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
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
