package dev.webhookfilter.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.fuzz.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Properties of signing and verifying, each checked on {@link Cases#COUNT} random cases: random
 * bodies (any bytes, up to 2 KiB), random secrets (non-ASCII included), random clocks, tolerances
 * and timestamps. Signatures are also computed independently ({@link Reference}, on
 * {@code javax.crypto.Mac}) so that signer and verifier cannot agree on a wrong scheme.
 *
 * <p>Long run: {@code mvn -B -pl webhook-core test -Dtest='*PropertiesTest' -Dproperties.cases=1000000}.
 * Tagged so that slow runners (mutation testing) can leave them out or give them fewer cases.
 */
@Tag("properties")
class SignaturePropertiesTest {

    @Test
    void signedRequestsVerify_underTheFirstConfiguredSecretThatSigned() {
        Cases.forEach("sign then verify", c -> {
            List<String> configured = c.secrets(1 + c.nextInt(3));
            List<String> signing = someOf(c, configured);
            if (c.nextInt(3) == 0) {
                signing.add(c.nextInt(signing.size() + 1), "stranger:" + c.secret());
            }
            long nowMillis = c.nowMillis();
            long tolerance = c.tolerance();
            long t = Math.floorDiv(nowMillis, 1000) + c.between(-tolerance, tolerance);
            byte[] body = c.body();

            String header = WebhookSigner.of(signing.toArray(String[]::new)).sign(body, t);
            assertEquals(Reference.header(signing, body, t), header, "WebhookSigner and javax.crypto.Mac disagree");

            Verification result = newVerifier(configured, nowMillis, tolerance).verify(header, body);
            int first = configured.stream().filter(signing::contains).mapToInt(configured::indexOf).min().orElseThrow();
            assertTrue(result.isVerified(), result::toString);
            assertEquals(first, result.secretIndex(), "secretIndex");
            assertEquals(t, result.timestamp(), "timestamp");
        });
    }

    @Test
    void flippingAnySingleBit_ofBodyTimestampOrSignature_fails() {
        Cases.forEach("single bit flips fail", c -> {
            Signed signed = Signed.random(c, c.body());
            assertTrue(signed.verify(signed.body, signed.t, signed.v1).isVerified(), "the unflipped request");

            if (signed.body.length > 0) {
                byte[] body = signed.body.clone();
                int bit = c.nextInt(body.length * 8);
                body[bit / 8] ^= (byte) (1 << (bit % 8));
                assertEquals(Rejection.NO_MATCHING_SIGNATURE, signed.verify(body, signed.t, signed.v1).rejection(),
                        "body bit " + bit);
            }

            String t = flipBit(c, signed.t);
            assertFalse(signed.verify(signed.body, t, signed.v1).isVerified(), "t flipped to " + t);

            byte[] mac = Base64.getDecoder().decode(signed.v1);
            int bit = c.nextInt(mac.length * 8);
            mac[bit / 8] ^= (byte) (1 << (bit % 8));
            String reencoded = Base64.getEncoder().encodeToString(mac);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, signed.verify(signed.body, signed.t, reencoded).rejection(),
                    "signature bit " + bit);

            String v1 = flipBit(c, signed.v1);
            assertFalse(signed.verify(signed.body, signed.t, v1).isVerified(), "v1 text flipped to " + v1);
        });
    }

    @Test
    void movingAByteAcrossTheBodyTimestampBoundary_fails() {
        Cases.forEach("boundary moves fail", c -> {
            byte[] original = c.body();
            if (original.length > 0 && c.nextBoolean()) {
                original[original.length - 1] = (byte) ('0' + c.nextInt(10)); // a digit is the dangerous case
            }
            Signed signed = Signed.random(c, original);

            if (original.length > 0) {
                byte last = original[original.length - 1];
                byte[] body = Arrays.copyOf(original, original.length - 1);
                String t = (char) (last & 0xff) + signed.t;
                Verification moved = signed.verify(body, t, signed.v1);
                assertFalse(moved.isVerified(), "last body byte moved onto t");
                if (last >= '1' && last <= '9') {
                    // The MAC still matches: only t's value, far in the future, stops this.
                    assertArrayEquals(Base64.getDecoder().decode(signed.v1), Reference.hmac(signed.secret, body, t));
                    assertEquals(Rejection.FUTURE_TIMESTAMP, moved.rejection());
                } else {
                    assertEquals(Rejection.MALFORMED_HEADER, moved.rejection(), "t=" + t);
                }
            }

            byte[] body = Arrays.copyOf(original, original.length + 1);
            body[original.length] = (byte) signed.t.charAt(0);
            String t = signed.t.substring(1);
            Verification moved = signed.verify(body, t, signed.v1);
            assertFalse(moved.isVerified(), "first digit of t moved onto the body");
            assertEquals(t.isEmpty() || t.charAt(0) == '0' ? Rejection.MALFORMED_HEADER : Rejection.STALE_TIMESTAMP,
                    moved.rejection(), "t=" + t);
        });
    }

    @Test
    void timestampsOutsideTheWindowFail_andInsideItPass() {
        Cases.forEach("tolerance window", c -> {
            List<String> secrets = c.secrets(1 + c.nextInt(2));
            String secret = secrets.get(c.nextInt(secrets.size()));
            long nowMillis = c.nowMillis();
            long now = Math.floorDiv(nowMillis, 1000);
            long tolerance = c.tolerance();
            WebhookVerifier verifier = newVerifier(secrets, nowMillis, tolerance);
            WebhookSigner signer = WebhookSigner.of(secret);
            byte[] body = c.body();

            for (long t : new long[] {now - tolerance, now + tolerance, now + c.between(-tolerance, tolerance)}) {
                Verification inside = verifier.verify(signer.sign(body, t), body);
                assertTrue(inside.isVerified(), () -> "t=now" + signed(t - now) + ": " + inside);
            }
            for (long t : new long[] {now - tolerance - 1, c.between(1, now - tolerance - 1)}) {
                assertEquals(Rejection.STALE_TIMESTAMP, verifier.verify(signer.sign(body, t), body).rejection(),
                        "t=now" + signed(t - now));
            }
            for (long t : new long[] {now + tolerance + 1, c.between(now + tolerance + 1, Long.MAX_VALUE)}) {
                assertEquals(Rejection.FUTURE_TIMESTAMP, verifier.verify(signer.sign(body, t), body).rejection(),
                        "t=now" + signed(t - now));
            }
        });
    }

    /** A correctly signed, fresh request under one of the verifier's secrets, taken apart for editing. */
    private record Signed(WebhookVerifier verifier, String secret, byte[] body, String t, String v1) {

        static Signed random(Cases.Case c, byte[] body) {
            List<String> secrets = c.secrets(1 + c.nextInt(3));
            String secret = secrets.get(c.nextInt(secrets.size()));
            long nowMillis = c.nowMillis();
            long tolerance = c.tolerance();
            long t = Math.floorDiv(nowMillis, 1000) + c.between(-tolerance, tolerance);
            String t1 = Long.toString(t);
            return new Signed(newVerifier(secrets, nowMillis, tolerance), secret, body, t1, Reference.v1(secret, body, t1));
        }

        Verification verify(byte[] body, String t, String v1) {
            return verifier.verify("t=" + t + ",v1=" + v1, body);
        }
    }

    private static WebhookVerifier newVerifier(List<String> secrets, long nowMillis, long tolerance) {
        return WebhookVerifier.builder()
                .secrets(secrets)
                .tolerance(Duration.ofSeconds(tolerance))
                .clock(Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC))
                .build();
    }

    /** A non-empty selection of {@code from}, in random order. */
    private static List<String> someOf(Cases.Case c, List<String> from) {
        List<String> shuffled = new ArrayList<>(from);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            shuffled.set(i, shuffled.set(c.nextInt(i + 1), shuffled.get(i)));
        }
        return new ArrayList<>(shuffled.subList(0, 1 + c.nextInt(shuffled.size())));
    }

    /** {@code s} with one random bit of one random character flipped. */
    private static String flipBit(Cases.Case c, String s) {
        char[] chars = s.toCharArray();
        chars[c.nextInt(chars.length)] ^= (char) (1 << c.nextInt(8));
        return new String(chars);
    }

    private static String signed(long seconds) {
        return seconds < 0 ? Long.toString(seconds) : "+" + seconds;
    }
}
