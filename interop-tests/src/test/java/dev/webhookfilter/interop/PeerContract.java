package dev.webhookfilter.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.interop.Bodies.Body;
import dev.webhookfilter.testing.http.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * What holds between webhook-filter and one sender's own SDK, over {@link Bodies#all()}: what the SDK
 * signs we verify; what we sign the SDK verifies; a tampered body, a changed timestamp or a wrong secret is
 * refused by both (a changed message id too, where the scheme signs one: {@code StandardWebhooksFamily});
 * both agree with Python's {@code hmac} ({@link ReferenceVectors}). Each {@code @Nested} class of
 * {@link SenderSdkInteropTest} binds it to one SDK and adds what is particular to that SDK.
 *
 * <p>Every SDK here takes the body as a {@code String}, and encodes it back to bytes to MAC it. A body
 * that is not well-formed UTF-8 cannot make that round trip: a framework that decodes it replaces each
 * invalid sequence with U+FFFD, and the SDK MACs those replacement characters, not the bytes that were
 * signed. Such bodies are counted, and tested for what they show: we verify them, the SDK cannot.
 */
abstract class PeerContract {

    /** Now, for the SDKs that read the system clock (Standard Webhooks, Svix); every party uses it. */
    final long now = Instant.now().getEpochSecond();

    /** {@return the scheme's name, as {@link Scheme#named(String)} takes it} */
    abstract String scheme();

    /** {@return a fresh secret, spelled as the sender shows it} */
    abstract String newSecret(Random random);

    /**
     * The SDK signs {@code text} (the body as its API takes it) as sent at {@code timestamp} with
     * message id {@code id} (ignored by a scheme without one).
     *
     * @return the headers the sender would send, named as our signer names them
     */
    abstract Map<String, String> sdkSign(String secret, long timestamp, String id, String text) throws Exception;

    /** {@return whether the SDK accepts {@code headers} and {@code text} at {@link #now}} */
    abstract boolean sdkVerifies(String secret, Map<String, String> headers, String text) throws Exception;

    /** {@return the headers of the reference signature over {@code vector}'s body, at {@link ReferenceVectors#TIMESTAMP}} */
    abstract Map<String, String> referenceHeaders(ReferenceVectors.Vector vector);

    /** {@return the secret {@link ReferenceVectors} signed with for this scheme} */
    abstract String referenceSecret();

    // ---------------------------------------------------------------------------------------------
    // Our side.

    WebhookVerifier ourVerifier(String secret, long atSecond) {
        return WebhookVerifier.builder().scheme(Scheme.named(scheme())).secret(secret)
                .clock(Clock.fixed(Instant.ofEpochSecond(atSecond), ZoneOffset.UTC)).build();
    }

    Verification ourVerify(String secret, Map<String, String> headers, byte[] body) {
        return ourVerifier(secret, now).verify(HeaderLookup.of(headers), body);
    }

    Map<String, String> ourSign(long timestamp, String id, byte[] body, String... secrets) {
        return WebhookSigner.of(Scheme.named(scheme()), secrets).headers(body, timestamp, id);
    }

    static String messageId(Random random) {
        return "msg_" + HexFormat.of().formatHex(bytes(random, 12));
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String whsecSecret(Random random) {
        return "whsec_" + Base64.getEncoder().encodeToString(bytes(random, 24 + random.nextInt(9)));
    }

    /** A random generator per test method, so that each test sees the same secrets on every run. */
    static Random random(String salt) {
        return new Random(Bodies.SEED ^ salt.hashCode());
    }

    // ---------------------------------------------------------------------------------------------
    // The contract.

    @Test
    void whatTheSdkSigns_weVerify_andOurSignerMakesTheSameHeaders() throws Exception {
        Random random = random("sdk-signs");
        List<Body> bodies = Bodies.expressibleAsStrings();
        assertTrue(bodies.size() >= Bodies.AT_LEAST, "too few bodies a String API can carry: " + bodies.size());
        for (Body body : bodies) {
            String secret = newSecret(random);
            String id = messageId(random);
            Map<String, String> headers = sdkSign(secret, now, id, body.text());
            Verification ours = ourVerify(secret, headers, body.bytes());
            assertTrue(ours.isVerified(), () -> body + ": " + ours);
            assertEquals(headers, ourSign(now, id, body.bytes(), secret), body::toString);
        }
        Counts.print(scheme() + ": the SDK signed, we verified and signed alike", bodies.size() + " bodies");
    }

    @Test
    void whatWeSign_theSdkVerifies() throws Exception {
        Random random = random("we-sign");
        List<Body> bodies = Bodies.expressibleAsStrings();
        assertTrue(bodies.size() >= Bodies.AT_LEAST, "too few bodies a String API can carry: " + bodies.size());
        for (Body body : bodies) {
            String secret = newSecret(random);
            Map<String, String> headers = ourSign(now, messageId(random), body.bytes(), secret);
            assertTrue(sdkVerifies(secret, headers, body.text()), () -> body + " " + headers);
        }
        Counts.print(scheme() + ": we signed, the SDK verified", bodies.size() + " bodies");
    }

    /**
     * A body that is not UTF-8 is signed and sent by a sender that signs bytes (ours here): we verify
     * it, and the SDK, given the text a framework decodes from it, cannot.
     */
    @Test
    void aBodyThatIsNotUtf8_weVerify_theSdkGivenItsDecodedTextCannot() throws Exception {
        Random random = random("not-utf8");
        List<Body> bodies = Bodies.notUtf8();
        assertTrue(bodies.size() >= Bodies.COUNT / 5, "too few bodies that are not UTF-8: " + bodies.size());
        for (Body body : bodies) {
            String secret = newSecret(random);
            Map<String, String> headers = ourSign(now, messageId(random), body.bytes(), secret);
            Verification ours = ourVerify(secret, headers, body.bytes());
            assertTrue(ours.isVerified(), () -> body + ": " + ours);
            assertFalse(sdkVerifies(secret, headers, body.text()), () -> body + " passed the SDK");
        }
        Counts.print(scheme() + ": not UTF-8, we verified and the SDK could not", bodies.size() + " bodies");
    }

    /** A genuine delivery: the secret it was signed with, its headers, its body and the message id it signed. */
    record Delivery(String secret, Map<String, String> headers, byte[] body, String id) {

        Delivery with(Map<String, String> otherHeaders) {
            return new Delivery(secret, otherHeaders, body, id);
        }
    }

    /**
     * For every body, a delivery we signed and (for a body a String can carry) one the SDK signed, each changed in
     * one thing by {@code change}: we refuse the changed one whoever signed; the SDK verifies the genuine one and
     * refuses the changed one, for every body it can carry (for the others it refuses even the genuine body, so
     * its refusal of a changed one would prove nothing).
     *
     * @param what what {@code change} changes, for the counts printed
     * @param change the delivery changed in one thing, drawn from the random generator given
     */
    void refusedByBoth(String what, Random random, BiFunction<Delivery, Random, Delivery> change) throws Exception {
        int ours = 0;
        int sdk = 0;
        for (Body body : Bodies.all()) {
            String secret = newSecret(random);
            String id = messageId(random);
            List<Map<String, String>> signed = new ArrayList<>(List.of(ourSign(now, id, body.bytes(), secret)));
            if (body.expressibleAsString()) {
                signed.add(sdkSign(secret, now, id, body.text()));
            }
            for (Map<String, String> headers : signed) {
                Delivery changed = change.apply(new Delivery(secret, headers, body.bytes(), id), random);
                Verification verification = ourVerify(changed.secret(), changed.headers(), changed.body());
                assertEquals(Rejection.NO_MATCHING_SIGNATURE, verification.rejection(), () -> body + ": " + verification);
                ours++;
                // A changed body that reads as the same text (a byte turned into U+FFFD where one stood) would pass
                // the SDK and prove nothing: the String API cannot see it (its own test, below), we refused it above.
                boolean sdkCanTell = changed.body() == body.bytes() || !Bodies.sameText(body.bytes(), changed.body());
                if (body.expressibleAsString() && sdkCanTell) {
                    assertTrue(sdkVerifies(secret, headers, body.text()), body::toString);
                    assertFalse(sdkVerifies(changed.secret(), changed.headers(),
                            new String(changed.body(), StandardCharsets.UTF_8)), () -> body + ", " + what + ", passed the SDK");
                    sdk++;
                }
            }
        }
        // Two signers (ours and the SDK) over each body the SDK can carry.
        assertTrue(sdk >= 2 * Bodies.AT_LEAST, "too few bodies the SDK could judge: " + sdk);
        Counts.print(scheme() + ": " + what, ours + " signatures refused by us, " + sdk
                + " of them (over bodies a String can carry) by the SDK too");
    }

    /** One byte of the body changed. */
    @Test
    void aTamperedBody_isRefusedByBoth() throws Exception {
        refusedByBoth("one byte changed", random("tampered"), (genuine, random) ->
                new Delivery(genuine.secret(), genuine.headers(), Bodies.tamper(genuine.body(), random), genuine.id()));
    }

    @Test
    void aWrongSecret_isRefusedByBoth() throws Exception {
        refusedByBoth("wrong secret", random("wrong-secret"), (genuine, random) ->
                new Delivery(newSecret(random), genuine.headers(), genuine.body(), genuine.id()));
    }

    /**
     * The timestamp changed to another fresh second, wherever the scheme carries it (a header of its own, or
     * {@code t=} in the signature header).
     */
    @Test
    void aTamperedTimestamp_isRefusedByBoth() throws Exception {
        refusedByBoth("timestamp changed", random("tampered-t"), (genuine, random) ->
                genuine.with(withTimestamp(genuine.headers(), now, now - 1 - random.nextInt(60))));
    }

    /**
     * {@code headers} with the timestamp {@code from} replaced by {@code to}: a header whose whole value
     * it is, or the {@code t=} that opens the signature header.
     */
    static Map<String, String> withTimestamp(Map<String, String> headers, long from, long to) {
        Map<String, String> tampered = new LinkedHashMap<>();
        String was = Long.toString(from);
        headers.forEach((name, value) -> tampered.put(name, value.equals(was) ? Long.toString(to)
                : value.startsWith("t=" + was + ",") ? "t=" + to + value.substring(2 + was.length()) : value));
        assertFalse(tampered.equals(headers), () -> "no timestamp " + from + " in " + headers);
        return tampered;
    }

    /**
     * A String API cannot tell bytes apart that decode to the same text: a body signed with a literal
     * U+FFFD ({@code ef bf bd}) and delivered with a lone {@code ff} in its place passes the SDK. We
     * verify the bytes, and refuse it.
     */
    @Test
    void bytesThatDecodeToTheSameText_passTheSdk_notUs() throws Exception {
        byte[] signed = "{\"note\":\"\uFFFD\"}".getBytes(StandardCharsets.UTF_8);
        byte[] delivered = "{\"note\":\"_\"}".getBytes(StandardCharsets.UTF_8);
        delivered[9] = (byte) 0xff;
        assertTrue(Bodies.sameText(signed, delivered));
        String secret = newSecret(random("same-text"));
        Map<String, String> headers = sdkSign(secret, now, "msg_same_text", new String(signed, StandardCharsets.UTF_8));

        assertTrue(sdkVerifies(secret, headers, new String(delivered, StandardCharsets.UTF_8)));
        assertEquals(Rejection.NO_MATCHING_SIGNATURE, ourVerify(secret, headers, delivered).rejection());
        assertTrue(ourVerify(secret, headers, signed).isVerified());
    }

    /** Python's {@code hmac}, our signer and the SDK's signer make the same signature; we verify it. */
    @Test
    void pythonHmacVectors_matchOurSignerAndTheSdks_andWeVerifyThem() throws Exception {
        String secret = referenceSecret();
        for (ReferenceVectors.Vector vector : ReferenceVectors.TABLE) {
            byte[] body = vector.body();
            Map<String, String> reference = referenceHeaders(vector);
            Verification ours = ourVerifier(secret, ReferenceVectors.TIMESTAMP).verify(HeaderLookup.of(reference), body);
            assertTrue(ours.isVerified(), () -> vector.bodyHex() + ": " + ours);
            assertEquals(reference, ourSign(ReferenceVectors.TIMESTAMP, ReferenceVectors.STANDARD_ID, body, secret),
                    vector.bodyHex());
            Map<String, String> sdk = sdkSign(secret, ReferenceVectors.TIMESTAMP, ReferenceVectors.STANDARD_ID,
                    new String(body, StandardCharsets.UTF_8));
            if (Bodies.isUtf8(body)) {
                assertEquals(reference, sdk, vector.bodyHex());
            } else {
                // The SDK signed the decoded text, U+FFFD and all: not the bytes Python signed.
                assertFalse(reference.equals(sdk), vector.bodyHex());
            }
        }
    }

    /**
     * End to end: the filter, configured by init-params with this scheme, in front of a handler in Jetty
     * over loopback. A sample of the bodies, signed by the SDK, reaches the handler byte for byte; each
     * with one byte changed gets 401 and never reaches it.
     */
    @Test
    void throughTheFilterInJetty_sdkSignedBodiesReachTheHandlerIntact_tamperedOnesGet401() throws Exception {
        Random random = random("filter");
        String secret = newSecret(random);
        int genuine = 0;
        try (FilterServer server = FilterServer.start(scheme(), secret)) {
            for (Body body : Bodies.all()) {
                // Every seventh body: 7 and the five kinds are coprime, so every kind is in the sample.
                if (body.index() % 7 != 0 || !body.expressibleAsString()) {
                    continue;
                }
                Map<String, String> headers = sdkSign(secret, Instant.now().getEpochSecond(), messageId(random),
                        body.text());
                RawResponse accepted = server.post(headers, body.bytes());
                assertEquals(200, accepted.status(), () -> body + ": " + accepted.text());
                assertEquals(FilterServer.sha256(body.bytes()), accepted.text(), body::toString);
                RawResponse refused = server.post(headers, Bodies.tamper(body.bytes(), random));
                assertEquals(401, refused.status(), body::toString);
                genuine++;
            }
        }
        assertTrue(genuine >= Bodies.COUNT / 14, "too few bodies: " + genuine);
        Counts.print(scheme() + ": through the filter in Jetty", genuine + " genuine requests reached the handler intact, "
                + genuine + " tampered ones got 401");
    }

    /** {@code name: value} pairs, in order, for the reference headers. */
    static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
