package dev.webhookfilter.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.app_backend.SlackSignature;
import com.stripe.exception.SignatureVerificationException;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.Verification;
import dev.webhookfilter.interop.Bodies.Body;
import dev.webhookfilter.interop.Bodies.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * webhook-filter against the senders' own Java SDKs, both ways, over {@link Bodies#all()}: the shared
 * contract is {@link PeerContract}; each {@code @Nested} class binds it to one SDK and adds what that
 * SDK does differently (the quirks are asserted, so a new SDK version that changes them shows here).
 */
class SenderSdkInteropTest {

    @Nested
    @DisplayName("the generated bodies")
    class GeneratedBodies {

        @Test
        void coverEveryKind_andBothSidesOfUtf8() {
            Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
            int notUtf8 = 0;
            int crlf = 0;
            int multibyte = 0;
            for (Body body : Bodies.all()) {
                kinds.merge(body.kind(), 1, Integer::sum);
                notUtf8 += body.expressibleAsString() ? 0 : 1;
                String text = body.text();
                crlf += text.contains("\r\n") ? 1 : 0;
                multibyte += body.expressibleAsString() && text.length() < body.bytes().length ? 1 : 0;
            }
            assertEquals(Bodies.COUNT, Bodies.all().size());
            assertEquals(0, Bodies.all().get(0).bytes().length);
            assertEquals(Kind.values().length, kinds.size(), kinds::toString);
            assertTrue(notUtf8 >= Bodies.COUNT / 5, "not UTF-8: " + notUtf8);
            assertTrue(crlf >= Bodies.COUNT / 10, "with CRLF: " + crlf);
            assertTrue(multibyte >= Bodies.COUNT / 10, "multibyte UTF-8: " + multibyte);
            Counts.print("bodies", Bodies.COUNT + " (" + kinds + "); " + notUtf8 + " not UTF-8, " + crlf
                    + " with CRLF, " + multibyte + " multibyte UTF-8");
        }

        @Test
        void utf8Check_refusesEncodedSurrogatesOverlongsAndTruncations_acceptsEveryLength() {
            assertFalse(Bodies.isUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "an encoded surrogate");
            assertFalse(Bodies.isUtf8(new byte[] {(byte) 0xc0, (byte) 0xaf}), "an overlong /");
            assertFalse(Bodies.isUtf8(new byte[] {(byte) 0xe2, (byte) 0x82}), "a truncated euro sign");
            assertTrue(Bodies.isUtf8("a\u00e9\u20ac\uD83D\uDE00".getBytes(StandardCharsets.UTF_8)), "1 to 4 bytes");
            assertTrue(Bodies.isUtf8(new byte[0]));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * stripe-java's {@code com.stripe.net.Webhook.Signature}: {@code generateSignatureHeader} and
     * {@code verifyHeader}, which MAC {@code String.format("%d.%s", t, payload)} as UTF-8 with the whole
     * secret's UTF-8 as key, and compare lowercase hex.
     */
    @Nested
    @DisplayName("stripe-java (com.stripe:stripe-java)")
    class StripeJava extends PeerContract {

        @Override
        String scheme() {
            return "stripe";
        }

        @Override
        String newSecret(Random random) {
            return "whsec_" + HexFormat.of().formatHex(bytes(random, 16));
        }

        @Override
        Map<String, String> sdkSign(String secret, long timestamp, String id, String text) throws Exception {
            return headers("Stripe-Signature",
                    com.stripe.net.Webhook.Signature.generateSignatureHeader(text, secret, timestamp));
        }

        @Override
        boolean sdkVerifies(String secret, Map<String, String> headers, String text) {
            return stripeVerifies(secret, headers.get("Stripe-Signature"), text, now);
        }

        boolean stripeVerifies(String secret, String header, String text, long atSecond) {
            try {
                return com.stripe.net.Webhook.Signature.verifyHeader(text, header, secret,
                        com.stripe.net.Webhook.DEFAULT_TOLERANCE, Clock.fixed(Instant.ofEpochSecond(atSecond), ZoneOffset.UTC));
            } catch (SignatureVerificationException e) {
                return false;
            }
        }

        @Override
        Map<String, String> referenceHeaders(ReferenceVectors.Vector vector) {
            return headers("Stripe-Signature", "t=" + ReferenceVectors.TIMESTAMP + ",v1=" + vector.stripe());
        }

        @Override
        String referenceSecret() {
            return ReferenceVectors.STRIPE_SECRET;
        }

        @Test
        void pythonHmacVectors_passTheSdk() {
            for (ReferenceVectors.Vector vector : ReferenceVectors.TABLE) {
                String header = referenceHeaders(vector).get("Stripe-Signature");
                String text = new String(vector.body(), StandardCharsets.UTF_8);
                assertEquals(Bodies.isUtf8(vector.body()),
                        stripeVerifies(ReferenceVectors.STRIPE_SECRET, header, text, ReferenceVectors.TIMESTAMP),
                        vector.bodyHex());
            }
        }

        @Test
        void ourHeaderWithTwoSignatures_whileASecretRotates_passesTheSdkUnderEither() {
            byte[] body = "{\"id\":\"evt_rotate\"}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = ourSign(now, null, body, "whsec_old", "whsec_new");
            String text = new String(body, StandardCharsets.UTF_8);
            assertTrue(sdkVerifies("whsec_old", headers, text));
            assertTrue(sdkVerifies("whsec_new", headers, text));
            assertFalse(sdkVerifies("whsec_other", headers, text));
        }

        /**
         * stripe-java formats the timestamp with {@code %d} in the JVM's default locale: where that
         * locale writes other digits (ar-EG: ١٧٠٠...), it MACs them, and refuses every genuine Stripe
         * webhook. We MAC the header's bytes and are not affected.
         */
        @Test
        void underADefaultLocaleWithOtherDigits_theSdkRefusesGenuineWebhooks_weDoNot() throws Exception {
            ReferenceVectors.Vector vector = ReferenceVectors.TABLE.get(1);
            String header = referenceHeaders(vector).get("Stripe-Signature");
            String text = new String(vector.body(), StandardCharsets.UTF_8);
            Locale saved = Locale.getDefault(Locale.Category.FORMAT);
            try {
                Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag("ar-EG"));
                assertFalse(stripeVerifies(ReferenceVectors.STRIPE_SECRET, header, text, ReferenceVectors.TIMESTAMP));
                String sdkHeader = com.stripe.net.Webhook.Signature.generateSignatureHeader(text,
                        ReferenceVectors.STRIPE_SECRET, ReferenceVectors.TIMESTAMP);
                assertFalse(sdkHeader.startsWith("t=" + ReferenceVectors.TIMESTAMP), sdkHeader);
                assertTrue(ourVerifier(ReferenceVectors.STRIPE_SECRET, ReferenceVectors.TIMESTAMP)
                        .verify(HeaderLookup.of(referenceHeaders(vector)), vector.body()).isVerified());
                assertEquals(Rejection.MALFORMED_HEADER, ourVerifier(ReferenceVectors.STRIPE_SECRET,
                        ReferenceVectors.TIMESTAMP).verify(HeaderLookup.of(headers("Stripe-Signature", sdkHeader)),
                        vector.body()).rejection());
            } finally {
                Locale.setDefault(Locale.Category.FORMAT, saved);
            }
            assertTrue(stripeVerifies(ReferenceVectors.STRIPE_SECRET, header, text, ReferenceVectors.TIMESTAMP));
        }

        /** stripe-java bounds only the past: a timestamp an hour ahead passes it; we refuse it. */
        @Test
        void aTimestampAnHourAhead_passesTheSdk_notUs() throws Exception {
            String secret = "whsec_future";
            String header = com.stripe.net.Webhook.Signature.generateSignatureHeader("{}", secret, now + 3600);
            assertTrue(stripeVerifies(secret, header, "{}", now));
            assertEquals(Rejection.FUTURE_TIMESTAMP,
                    ourVerify(secret, headers("Stripe-Signature", header), "{}".getBytes(StandardCharsets.UTF_8)).rejection());
        }

        /**
         * stripe-java parses {@code t} with {@code Long.parseLong} and MACs it re-formatted, so a
         * {@code +} or leading zeros pass it with the signature of the plain number. We accept one
         * spelling of a timestamp and MAC it as sent.
         */
        @ParameterizedTest
        @ValueSource(strings = {"+", "0", "00"})
        void aTimestampSpelledOtherwise_passesTheSdk_notUs(String prefix) throws Exception {
            String secret = "whsec_spelling";
            String genuine = com.stripe.net.Webhook.Signature.generateSignatureHeader("{}", secret, now);
            String respelled = genuine.replace("t=" + now, "t=" + prefix + now);
            assertTrue(stripeVerifies(secret, respelled, "{}", now), respelled);
            assertTrue(ourVerify(secret, headers("Stripe-Signature", respelled), "{}".getBytes(StandardCharsets.UTF_8))
                    .isRejected());
        }

        /**
         * A malformed {@code Stripe-Signature} makes stripe-java throw an unchecked exception, not its
         * {@code SignatureVerificationException}: code that catches only the latter answers 500. We
         * return {@code MALFORMED_HEADER} (401).
         */
        @Test
        void aMalformedHeader_escapesTheSdkAsAnUncheckedException_weRefuseIt() {
            String secret = "whsec_malformed";
            Clock clock = Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
            assertThrows(NumberFormatException.class,
                    () -> com.stripe.net.Webhook.Signature.verifyHeader("{}", "t=soon,v1=00", secret, 300, clock));
            assertThrows(ArrayIndexOutOfBoundsException.class,
                    () -> com.stripe.net.Webhook.Signature.verifyHeader("{}", "t=" + now + ",v1", secret, 300, clock));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            assertEquals(Rejection.MALFORMED_HEADER, ourVerify(secret, headers("Stripe-Signature", "t=soon,v1=00"), body).rejection());
            assertEquals(Rejection.MALFORMED_HEADER, ourVerify(secret, headers("Stripe-Signature", "t=" + now + ",v1"), body).rejection());
        }

        /** Forgeries of a genuine header that both refuse. */
        @ParameterizedTest
        @ValueSource(strings = {"uppercase hex", "v0 only", "one digit short", "no t", "v1 twice, neither right"})
        void aForgedHeader_isRefusedByBoth(String forgery) throws Exception {
            String secret = "whsec_forgeries";
            String genuine = com.stripe.net.Webhook.Signature.generateSignatureHeader("{}", secret, now);
            String mac = genuine.substring(genuine.indexOf("v1=") + 3);
            String forged;
            switch (forgery) {
                case "uppercase hex":
                    forged = "t=" + now + ",v1=" + mac.toUpperCase(Locale.ROOT);
                    break;
                case "v0 only":
                    forged = "t=" + now + ",v0=" + mac;
                    break;
                case "one digit short":
                    forged = "t=" + now + ",v1=" + mac.substring(1);
                    break;
                case "no t":
                    forged = "v1=" + mac;
                    break;
                default:
                    forged = "t=" + now + ",v1=" + "0".repeat(64) + ",v1=" + "f".repeat(64);
            }
            assertFalse(stripeVerifies(secret, forged, "{}", now), forged);
            assertTrue(ourVerify(secret, headers("Stripe-Signature", forged), "{}".getBytes(StandardCharsets.UTF_8))
                    .isRejected(), forged);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Shared by the two SDKs of the Standard Webhooks family, whose code is the same but for header names. */
    abstract static class StandardWebhooksFamily extends PeerContract {

        /** The SDK's {@code sign(msgId, timestamp, payload)}: {@code v1,<base64>}. */
        abstract String sdkSignature(String secret, String id, long timestamp, String text) throws Exception;

        /**
         * The SDK's {@code verify(payload, HttpHeaders)} (the Java 11+ overload its multi-release jar adds,
         * which reads the same map), true when it does not throw its verification exception.
         */
        abstract boolean sdkVerifiesHeaders(String secret, Map<String, List<String>> headers, String text)
                throws Exception;

        /** {@return the header names the SDK reads first: id, timestamp, signature} */
        abstract List<String> names();

        @Override
        Map<String, String> sdkSign(String secret, long timestamp, String id, String text) throws Exception {
            List<String> n = names();
            return headers(n.get(2), sdkSignature(secret, id, timestamp, text), n.get(1), Long.toString(timestamp),
                    n.get(0), id);
        }

        @Override
        boolean sdkVerifies(String secret, Map<String, String> headers, String text) throws Exception {
            Map<String, List<String>> multi = new LinkedHashMap<>();
            headers.forEach((name, value) -> multi.put(name, List.of(value)));
            return sdkVerifiesHeaders(secret, multi, text);
        }

        @Override
        String newSecret(Random random) {
            return whsecSecret(random);
        }

        @Override
        Map<String, String> referenceHeaders(ReferenceVectors.Vector vector) {
            List<String> n = names();
            return headers(n.get(2), "v1," + vector.standard(), n.get(1), Long.toString(ReferenceVectors.TIMESTAMP),
                    n.get(0), ReferenceVectors.STANDARD_ID);
        }

        @Override
        String referenceSecret() {
            return ReferenceVectors.STANDARD_SECRET;
        }

        @Test
        void thePublishedTestVector_isWhatTheSdkSigns_andWeVerifyIt() throws Exception {
            String text = new String(Vectors.STANDARD_DOC_BODY, StandardCharsets.UTF_8);
            assertEquals(Vectors.STANDARD_DOC_HEADER, sdkSignature(Vectors.STANDARD_DOC_SECRET,
                    Vectors.STANDARD_DOC_ID, Vectors.STANDARD_DOC_T, text));
            List<String> n = names();
            Map<String, String> headers = headers(n.get(0), Vectors.STANDARD_DOC_ID,
                    n.get(1), Long.toString(Vectors.STANDARD_DOC_T),
                    n.get(2), Vectors.STANDARD_DOC_HEADER);
            Verification ours = ourVerifier(Vectors.STANDARD_DOC_SECRET, Vectors.STANDARD_DOC_T)
                    .verify(HeaderLookup.of(headers), Vectors.STANDARD_DOC_BODY);
            assertTrue(ours.isVerified(), ours::toString);
        }

        @Test
        void ourHeaderWithTwoSignatures_whileASecretRotates_passesTheSdkUnderEither() throws Exception {
            Random random = random("rotate");
            String old = newSecret(random);
            String next = newSecret(random);
            byte[] body = "{\"type\":\"rotate\"}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = ourSign(now, "msg_rotate", body, old, next);
            assertTrue(headers.get(names().get(2)).contains(" v1,"), headers::toString);
            String text = new String(body, StandardCharsets.UTF_8);
            assertTrue(sdkVerifies(old, headers, text));
            assertTrue(sdkVerifies(next, headers, text));
            assertFalse(sdkVerifies(newSecret(random), headers, text));
        }

        /** Both skip signatures of other versions ({@code v1a}, {@code v2}) and accept a {@code v1} among them. */
        @Test
        void otherSignatureVersions_areIgnoredByBoth() throws Exception {
            String secret = newSecret(random("versions"));
            String text = "{\"type\":\"versions\"}";
            String v1 = sdkSignature(secret, "msg_versions", now, text);
            String mac = v1.substring(3);
            Map<String, String> mixed = sdkSign(secret, now, "msg_versions", text);
            mixed.put(names().get(2), "v1a," + mac + " " + v1 + " v2," + mac);
            Map<String, String> none = new LinkedHashMap<>(mixed);
            none.put(names().get(2), "v1a," + mac + " v2," + mac);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);

            assertTrue(sdkVerifies(secret, mixed, text));
            assertTrue(ourVerify(secret, mixed, body).isVerified());
            assertFalse(sdkVerifies(secret, none, text));
            assertTrue(ourVerify(secret, none, body).isRejected());
        }

        /**
         * The SDK parses the timestamp with {@code Long.parseLong} and MACs it re-formatted: {@code +} or
         * leading zeros pass it with the plain number's signature. We accept one spelling, MACed as sent.
         */
        @ParameterizedTest
        @ValueSource(strings = {"+", "0"})
        void aTimestampSpelledOtherwise_passesTheSdk_notUs(String prefix) throws Exception {
            String secret = newSecret(random("spelling"));
            String text = "{}";
            Map<String, String> headers = sdkSign(secret, now, "msg_spelling", text);
            headers.put(names().get(1), prefix + now);
            assertTrue(sdkVerifies(secret, headers, text));
            assertTrue(ourVerify(secret, headers, text.getBytes(StandardCharsets.UTF_8)).isRejected());
        }

        /**
         * The signed message {@code id.t.body} is ambiguous when an id may contain {@code .}: the
         * signature of id {@code msg.<t0>} at {@code t1} over {@code B} is also the signature of id
         * {@code msg} at {@code t0} over {@code "<t1>." + B}, a body the sender never sent. Neither the
         * SDK nor we can tell the two apart (the bytes MACed are the same); only a sender whose ids have no
         * dot (Svix's are {@code msg_} and letters) is safe from it. We refuse a dotted id outright, so the
         * genuine message is refused too; the SDK accepts both.
         */
        @Test
        void aDottedMessageId_makesTheSignedMessageAmbiguous_forTheSdkAndUsAlike() throws Exception {
            String secret = newSecret(random("reframe"));
            long t0 = now - 5;
            String text = "{\"amount\":1}";
            Map<String, String> genuine = sdkSign(secret, now, "msg." + t0, text);
            List<String> n = names();
            Map<String, String> reframed = headers(n.get(0), "msg", n.get(1), Long.toString(t0),
                    n.get(2), genuine.get(n.get(2)));
            String reframedText = now + "." + text;

            assertTrue(sdkVerifies(secret, genuine, text));
            assertEquals(Rejection.MALFORMED_HEADER,
                    ourVerify(secret, genuine, text.getBytes(StandardCharsets.UTF_8)).rejection());
            assertTrue(sdkVerifies(secret, reframed, reframedText));
            assertTrue(ourVerify(secret, reframed, reframedText.getBytes(StandardCharsets.UTF_8)).isVerified());
        }

        /** One character of the message id changed, to another that keeps it well-formed. */
        @Test
        void aTamperedMessageId_isRefusedByBoth() throws Exception {
            String idHeader = names().get(0);
            refusedByBoth("message id changed", random("tampered-id"), (genuine, random) -> {
                String id = genuine.id();
                // One hex digit after "msg_" changed to another.
                int at = 4 + random.nextInt(id.length() - 4);
                char digit = Character.forDigit((Character.digit(id.charAt(at), 16) + 1 + random.nextInt(15)) % 16, 16);
                Map<String, String> tampered = new LinkedHashMap<>(genuine.headers());
                assertEquals(id, tampered.put(idHeader, id.substring(0, at) + digit + id.substring(at + 1)));
                return genuine.with(tampered);
            });
        }

        /** Both bound the timestamp on both sides: ten minutes ahead or behind is refused. */
        @ParameterizedTest
        @ValueSource(longs = {-600, 600})
        void aTimestampTenMinutesOff_isRefusedByBoth(long offset) throws Exception {
            String secret = newSecret(random("freshness"));
            Map<String, String> headers = sdkSign(secret, now + offset, "msg_fresh", "{}");
            assertFalse(sdkVerifies(secret, headers, "{}"));
            assertEquals(offset < 0 ? Rejection.STALE_TIMESTAMP : Rejection.FUTURE_TIMESTAMP,
                    ourVerify(secret, headers, "{}".getBytes(StandardCharsets.UTF_8)).rejection());
        }
    }

    /** Standard Webhooks' reference Java library, {@code com.standardwebhooks.Webhook}. */
    @Nested
    @DisplayName("Standard Webhooks (com.standardwebhooks:standardwebhooks)")
    class StandardWebhooksSdk extends StandardWebhooksFamily {

        @Override
        String scheme() {
            return "standard-webhooks";
        }

        @Override
        List<String> names() {
            return List.of("webhook-id", "webhook-timestamp", "webhook-signature");
        }

        @Override
        String sdkSignature(String secret, String id, long timestamp, String text) throws Exception {
            return new com.standardwebhooks.Webhook(secret).sign(id, timestamp, text);
        }

        @Override
        boolean sdkVerifiesHeaders(String secret, Map<String, List<String>> headers, String text) throws Exception {
            try {
                new com.standardwebhooks.Webhook(secret).verify(text, HttpHeaders.of(headers, (name, value) -> true));
                return true;
            } catch (com.standardwebhooks.exceptions.WebhookVerificationException e) {
                return false;
            }
        }
    }

    /** Svix's Java SDK, {@code com.svix.Webhook}: Standard Webhooks under {@code svix-*} names. */
    @Nested
    @DisplayName("Svix (com.svix:svix)")
    class SvixSdk extends StandardWebhooksFamily {

        @Override
        String scheme() {
            return "svix";
        }

        @Override
        List<String> names() {
            return List.of("svix-id", "svix-timestamp", "svix-signature");
        }

        @Override
        String sdkSignature(String secret, String id, long timestamp, String text) throws Exception {
            return new com.svix.Webhook(secret).sign(id, timestamp, text);
        }

        @Override
        boolean sdkVerifiesHeaders(String secret, Map<String, List<String>> headers, String text) throws Exception {
            try {
                new com.svix.Webhook(secret).verify(text, HttpHeaders.of(headers, (name, value) -> true));
                return true;
            } catch (com.svix.exceptions.WebhookVerificationException e) {
                return false;
            }
        }

        @Test
        void theUnbrandedWebhookHeaders_areReadByBoth() throws Exception {
            String secret = newSecret(random("unbranded"));
            String text = "{\"type\":\"unbranded\"}";
            Map<String, String> headers = headers("webhook-id", "msg_unbranded", "webhook-timestamp", Long.toString(now),
                    "webhook-signature", sdkSignature(secret, "msg_unbranded", now, text));
            assertTrue(sdkVerifies(secret, headers, text));
            assertTrue(ourVerify(secret, headers, text.getBytes(StandardCharsets.UTF_8)).isVerified());
        }

        /**
         * Svix falls back to the {@code webhook-*} headers only when one of its own three is missing, and
         * then reads all three from {@code webhook-*}; so do we. With {@code svix-id} and
         * {@code svix-timestamp} but only {@code webhook-signature}, neither set is whole: both refuse.
         */
        @Test
        void aSvixIdAndTimestampWithAnUnbrandedSignature_areRefusedByBoth() throws Exception {
            String secret = newSecret(random("mixed"));
            String text = "{\"type\":\"mixed\"}";
            Map<String, String> headers = headers("svix-id", "msg_mixed", "svix-timestamp", Long.toString(now),
                    "webhook-signature", sdkSignature(secret, "msg_mixed", now, text));
            assertFalse(sdkVerifies(secret, headers, text));
            Verification ours = ourVerify(secret, headers, text.getBytes(StandardCharsets.UTF_8));
            assertEquals(Rejection.MISSING_HEADER, ours.rejection(), ours.toString());
        }

        /**
         * With {@code svix-timestamp} missing, both read the whole {@code webhook-*} set, and not the
         * {@code svix-id} and {@code svix-signature} that are there (another message's): both verify.
         */
        @Test
        void anIncompleteSvixSetBesideAWholeUnbrandedSet_isVerifiedFromTheUnbrandedSetByBoth() throws Exception {
            String secret = newSecret(random("fallback"));
            String text = "{\"type\":\"fallback\"}";
            Map<String, String> headers = headers("svix-id", "msg_other", "svix-signature",
                    sdkSignature(secret, "msg_other", now, "{}"), "webhook-id", "msg_fallback", "webhook-timestamp",
                    Long.toString(now), "webhook-signature", sdkSignature(secret, "msg_fallback", now, text));
            assertTrue(sdkVerifies(secret, headers, text));
            Verification ours = ourVerify(secret, headers, text.getBytes(StandardCharsets.UTF_8));
            assertTrue(ours.isVerified(), ours.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Slack's {@code com.slack.api.app_backend.SlackSignature} (slack-app-backend): {@code Generator}
     * MACs {@code "v0:" + t + ":" + body} encoded with {@code String.getBytes()}, the JVM's default
     * charset; {@code Verifier.isValid} compares with {@code String.equals}. This module's tests run with
     * {@code -Dfile.encoding=UTF-8} (its pom), as Java 18 and later do by default.
     */
    @Nested
    @DisplayName("Slack (com.slack.api:slack-app-backend, SlackSignature)")
    class SlackSdk extends PeerContract {

        @Override
        String scheme() {
            return "slack";
        }

        @Override
        String newSecret(Random random) {
            return HexFormat.of().formatHex(bytes(random, 16));
        }

        @Override
        Map<String, String> sdkSign(String secret, long timestamp, String id, String text) {
            String t = Long.toString(timestamp);
            return headers("X-Slack-Signature", new SlackSignature.Generator(secret).generate(t, text),
                    "X-Slack-Request-Timestamp", t);
        }

        @Override
        boolean sdkVerifies(String secret, Map<String, String> headers, String text) {
            return slackVerifies(secret, headers, text, now);
        }

        boolean slackVerifies(String secret, Map<String, String> headers, String text, long atSecond) {
            return new SlackSignature.Verifier(new SlackSignature.Generator(secret)).isValid(
                    headers.get("X-Slack-Request-Timestamp"), text, headers.get("X-Slack-Signature"), atSecond * 1000);
        }

        @Override
        Map<String, String> referenceHeaders(ReferenceVectors.Vector vector) {
            return headers("X-Slack-Signature", "v0=" + vector.slack(),
                    "X-Slack-Request-Timestamp", Long.toString(ReferenceVectors.TIMESTAMP));
        }

        @Override
        String referenceSecret() {
            return ReferenceVectors.SLACK_SECRET;
        }

        @Test
        void theseTestsRun_withUtf8AsTheDefaultCharset() {
            assertEquals(StandardCharsets.UTF_8, Charset.defaultCharset(),
                    "SlackSignature encodes with the default charset; the pom's argLine sets file.encoding=UTF-8");
        }

        @Test
        void pythonHmacVectors_passTheSdk() {
            for (ReferenceVectors.Vector vector : ReferenceVectors.TABLE) {
                String text = new String(vector.body(), StandardCharsets.UTF_8);
                assertEquals(Bodies.isUtf8(vector.body()), slackVerifies(ReferenceVectors.SLACK_SECRET,
                        referenceHeaders(vector), text, ReferenceVectors.TIMESTAMP), vector.bodyHex());
            }
        }

        @Test
        void slacksWorkedExample_passesBoth() {
            Map<String, String> headers = headers("X-Slack-Signature", Vectors.SLACK_DOC_HEADER,
                    "X-Slack-Request-Timestamp", Long.toString(Vectors.SLACK_DOC_T));
            String body = new String(Vectors.SLACK_DOC_BODY, StandardCharsets.US_ASCII);
            assertTrue(slackVerifies(Vectors.SLACK_DOC_SECRET, headers, body, Vectors.SLACK_DOC_T));
            assertTrue(ourVerifier(Vectors.SLACK_DOC_SECRET, Vectors.SLACK_DOC_T)
                    .verify(HeaderLookup.of(headers), Vectors.SLACK_DOC_BODY).isVerified());
        }

        /**
         * Slack's SDK refuses a timestamp 300 seconds old ({@code age < 5 min}); we accept it
         * ({@code |age| <= tolerance}, as the other SDKs do). At 301 seconds both refuse.
         */
        @Test
        void atExactlyFiveMinutesOld_weAccept_theSdkRefuses_andAtOneSecondMoreBothRefuse() {
            String secret = newSecret(random("boundary"));
            byte[] body = "payload=%7B%7D".getBytes(StandardCharsets.UTF_8);
            String text = new String(body, StandardCharsets.UTF_8);
            Map<String, String> headers = sdkSign(secret, now, null, text);
            assertTrue(ourVerifier(secret, now + 300).verify(HeaderLookup.of(headers), body).isVerified());
            assertFalse(slackVerifies(secret, headers, text, now + 300));
            assertEquals(Rejection.STALE_TIMESTAMP, ourVerifier(secret, now + 301).verify(HeaderLookup.of(headers), body).rejection());
            assertFalse(slackVerifies(secret, headers, text, now + 301));
        }

        /** Slack's SDK bounds only the past: a timestamp a day ahead passes it; we refuse it. */
        @Test
        void aTimestampADayAhead_passesTheSdk_notUs() {
            String secret = newSecret(random("future"));
            Map<String, String> headers = sdkSign(secret, now + 86_400, null, "{}");
            assertTrue(slackVerifies(secret, headers, "{}", now));
            assertEquals(Rejection.FUTURE_TIMESTAMP, ourVerify(secret, headers, "{}".getBytes(StandardCharsets.UTF_8)).rejection());
        }

        /**
         * Slack's SDK MACs the timestamp header as sent, as we do, but accepts any text
         * {@code Long.parseLong} takes: {@code +} or leading zeros, signed so, pass it. We refuse them
         * before any MAC.
         */
        @ParameterizedTest
        @ValueSource(strings = {"+", "0"})
        void aTimestampSpelledOtherwise_passesTheSdk_notUs(String prefix) {
            String secret = newSecret(random("spelling"));
            String t = prefix + now;
            Map<String, String> headers = headers("X-Slack-Signature", new SlackSignature.Generator(secret).generate(t, "{}"),
                    "X-Slack-Request-Timestamp", t);
            assertTrue(slackVerifies(secret, headers, "{}", now));
            assertEquals(Rejection.MALFORMED_HEADER, ourVerify(secret, headers, "{}".getBytes(StandardCharsets.UTF_8)).rejection());
        }

        /**
         * On a JVM whose default charset is not UTF-8 (Java 17 under {@code LANG=C}: US-ASCII),
         * {@code SlackSignature.Generator} MACs a multibyte body with each non-ASCII character replaced
         * by {@code ?}, so it refuses Slack's genuine signature. Shown in a child JVM started with
         * {@code -Dfile.encoding=US-ASCII}: it signs an ASCII body as Python does, a multibyte one not.
         */
        @Test
        void underAnAsciiDefaultCharset_theSdkMisSignsMultibyteBodies() throws Exception {
            ReferenceVectors.Vector ascii = ReferenceVectors.TABLE.get(1);
            ReferenceVectors.Vector multibyte = ReferenceVectors.TABLE.get(2);
            List<String> lines = runSlackProbe("US-ASCII", ascii.bodyHex(), multibyte.bodyHex());
            assertEquals(List.of("v0=" + ascii.slack(), lines.get(1)), lines);
            assertFalse(lines.get(1).equals("v0=" + multibyte.slack()), lines.get(1));
            // And the same probe under UTF-8 signs both as Python does: the difference is the charset.
            assertEquals(List.of("v0=" + ascii.slack(), "v0=" + multibyte.slack()),
                    runSlackProbe("UTF-8", ascii.bodyHex(), multibyte.bodyHex()));
        }

        private List<String> runSlackProbe(String charset, String... bodiesHex) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dfile.encoding=" + charset, "-cp", System.getProperty("java.class.path"),
                    SlackSignatureProbe.class.getName(), ReferenceVectors.SLACK_SECRET,
                    Long.toString(ReferenceVectors.TIMESTAMP)));
            command.addAll(List.of(bodiesHex));
            // stderr (slf4j's "no binding" notice) goes to the build's output; stdout is the probe's answer.
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
            String text = new String(output, StandardCharsets.US_ASCII);
            assertEquals(0, process.exitValue(), text);
            return List.of(text.strip().split("\\R"));
        }
    }
}
