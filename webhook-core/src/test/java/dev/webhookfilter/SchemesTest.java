package dev.webhookfilter;

import static dev.webhookfilter.TestHeaders.lookup;
import static dev.webhookfilter.Vectors.ID;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Vectors.SchemeVector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every scheme but the default against vectors from openssl, Python and the senders' documentation. */
class SchemesTest {

    private static final Set<String> WITH_TIMESTAMP = Set.of("wealthkernel", "standard-webhooks", "svix", "stripe",
            "slack", "paddle");
    private static final Set<String> WITH_LIST = Set.of("wealthkernel", "standard-webhooks", "svix", "stripe", "paddle");

    private static Clock at(long seconds) {
        return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    }

    private static WebhookVerifier verifier(String scheme, Clock clock, String... secrets) {
        return WebhookVerifier.builder().scheme(Scheme.named(scheme)).secrets(List.of(secrets)).clock(clock).build();
    }

    private static Map<String, List<String>> lists(Map<String, String> headers) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        headers.forEach((name, value) -> lists.put(name, new ArrayList<>(List.of(value))));
        return lists;
    }

    @Nested
    class KnownVectors {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#schemeVectors")
        @Tag("broad")
        void verifiesTheIndependentlyComputedSignature(SchemeVector vector) {
            Verification result = verifier(vector.scheme(), at(T), vector.secret())
                    .verify(HeaderLookup.of(headers(vector.scheme(), vector.mac())), vector.body());
            assertTrue(result.isVerified(), result.toString());
            assertEquals(0, result.secretIndex());
            assertEquals(WITH_TIMESTAMP.contains(vector.scheme()) ? T : 0, result.timestamp());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#schemeVectors")
        void signsAsTheIndependentToolsDo(SchemeVector vector) {
            WebhookSigner signer = WebhookSigner.of(Scheme.named(vector.scheme()), vector.secret());
            assertEquals(headers(vector.scheme(), vector.mac()), signer.headers(vector.body(), T, ID));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#schemeVectors")
        @Tag("broad")
        void rejectsTheBodyWithOneByteChanged(SchemeVector vector) {
            byte[] body = java.util.Arrays.copyOf(vector.body(), vector.body().length + 1);
            body[body.length - 1] = ' ';
            Verification result = verifier(vector.scheme(), at(T), vector.secret())
                    .verify(HeaderLookup.of(headers(vector.scheme(), vector.mac())), body);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
        }

        @Test
        void githubsDocumentedVector() {
            WebhookVerifier verifier = verifier("github", at(T), Vectors.GITHUB_DOC_SECRET);
            assertTrue(verifier.verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY).isVerified());
            assertEquals(Vectors.GITHUB_DOC_HEADER, WebhookSigner.of(Scheme.named("github"), Vectors.GITHUB_DOC_SECRET)
                    .sign(Vectors.GITHUB_DOC_BODY, T));
        }

        @ParameterizedTest
        @ValueSource(strings = {"webhook-", "svix-"})
        @Tag("broad")
        void theStandardWebhooksDocumentedVector(String prefix) {
            Map<String, String> request = Map.of(prefix + "id", Vectors.STANDARD_DOC_ID,
                    prefix + "timestamp", Long.toString(Vectors.STANDARD_DOC_T), prefix + "signature", Vectors.STANDARD_DOC_HEADER);
            String scheme = prefix.equals("svix-") ? "svix" : "standard-webhooks";
            Verification result = verifier(scheme, at(Vectors.STANDARD_DOC_T + 60), Vectors.STANDARD_DOC_SECRET)
                    .verify(HeaderLookup.of(request), Vectors.STANDARD_DOC_BODY);
            assertTrue(result.isVerified(), result.toString());
        }

        @Test
        void slacksDocumentedVector() {
            Map<String, String> request = Map.of("X-Slack-Signature", Vectors.SLACK_DOC_HEADER,
                    "X-Slack-Request-Timestamp", Long.toString(Vectors.SLACK_DOC_T));
            assertTrue(verifier("slack", at(Vectors.SLACK_DOC_T), Vectors.SLACK_DOC_SECRET)
                    .verify(HeaderLookup.of(request), Vectors.SLACK_DOC_BODY).isVerified());
        }

        /**
         * Shopify's newer deliveries carry the MAC in {@code shopify-hmac-sha256}: its libraries read that header
         * first and the legacy one without it (Shopify/shopify-app-js #3028, lib/webhooks/validate.ts;
         * Shopify/shopify-api-ruby #1437), and Shopify/shopify_app #2052's controller test sends a webhook with the
         * newer headers alone. Events webhooks carry both, with the same value, for now.
         */
        @Test
        void shopifysNewerHmacHeaderAloneCarriesTheSameMac() {
            WebhookVerifier verifier = verifier("shopify", at(T), Vectors.SHOPIFY_SDK_SECRET);
            for (Map<String, String> request : List.of(Map.of("X-Shopify-Hmac-Sha256", Vectors.SHOPIFY_SDK_HEADER),
                    Map.of("shopify-hmac-sha256", Vectors.SHOPIFY_SDK_HEADER),
                    Map.of("X-Shopify-Hmac-Sha256", Vectors.SHOPIFY_SDK_HEADER, "shopify-hmac-sha256",
                            Vectors.SHOPIFY_SDK_HEADER))) {
                Verification result = verifier.verify(HeaderLookup.of(request), Vectors.SHOPIFY_SDK_BODY);
                assertTrue(result.isVerified(), request + ": " + result);
            }
        }

        @Test
        void headerNamesAreCaseInsensitive() {
            Map<String, String> request = Map.of("x-hub-signature-256", Vectors.GITHUB_DOC_HEADER);
            assertTrue(verifier("github", at(T), Vectors.GITHUB_DOC_SECRET)
                    .verify(HeaderLookup.of(request), Vectors.GITHUB_DOC_BODY).isVerified());
        }
    }

    @Nested
    class Secrets {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#simplePairs")
        @Tag("broad")
        void rotationWithTwoSecretsSaysWhichMatched(SchemeVector a, SchemeVector b) {
            WebhookVerifier ab = verifier(a.scheme(), at(T), a.secret(), b.secret());
            WebhookVerifier ba = verifier(a.scheme(), at(T), b.secret(), a.secret());
            assertEquals(1, ab.verify(HeaderLookup.of(headers(a.scheme(), b.mac())), SIMPLE_BODY).secretIndex());
            assertEquals(1, ba.verify(HeaderLookup.of(headers(a.scheme(), a.mac())), SIMPLE_BODY).secretIndex());
            assertEquals(0, ab.verify(HeaderLookup.of(headers(a.scheme(), a.mac())), SIMPLE_BODY).secretIndex());
            if (WITH_LIST.contains(a.scheme())) {
                assertEquals(0, ba.verify(HeaderLookup.of(headers(a.scheme(), a.mac(), b.mac())), SIMPLE_BODY).secretIndex());
                assertEquals(headers(a.scheme(), a.mac(), b.mac()),
                        WebhookSigner.of(Scheme.named(a.scheme()), a.secret(), b.secret()).headers(SIMPLE_BODY, T, ID));
            } else {
                assertThrows(IllegalArgumentException.class,
                        () -> WebhookSigner.of(Scheme.named(a.scheme()), a.secret(), b.secret()));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#simplePairs")
        @Tag("broad")
        void aSignatureUnderAnotherSecretDoesNotVerify(SchemeVector a, SchemeVector b) {
            Verification result = verifier(a.scheme(), at(T), b.secret())
                    .verify(HeaderLookup.of(headers(a.scheme(), a.mac())), SIMPLE_BODY);
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, result.rejection());
            assertFalse(result.detail().contains(a.mac()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"not base64!", "d2VhbHRo*a2VybmVs", "whsec_d2VhbHRoa2VybmVs"})
        void wealthkernelRefusesASecretThatIsNotBase64AtBuildTime(String secret) {
            WebhookVerifier.Builder builder = WebhookVerifier.builder().scheme(Scheme.named("wealthkernel"))
                    .secret(Vectors.Wealthkernel.SECRET_A).secret(secret);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
            assertEquals("secret #2: a secret is not valid base64; scheme wealthkernel takes the secret as the"
                    + " platform shows it, in base64", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"standard-webhooks", "svix"})
        void standardWebhooksRefusesASecretThatIsNotWhsecBase64(String scheme) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSigner.of(Scheme.named(scheme), "whsec_not*base64"));
            assertEquals("secret #1: a secret is not valid base64; scheme " + scheme
                    + " takes the secret as whsec_ followed by base64", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> WebhookSigner.of(Scheme.named(scheme), "whsec_"));
        }

        @Test
        void standardWebhooksTakesTheSecretWithoutItsPrefixToo() {
            String bare = Vectors.StandardWebhooks.SECRET_A.substring("whsec_".length());
            assertTrue(verifier("standard-webhooks", at(T), bare)
                    .verify(HeaderLookup.of(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A)), SIMPLE_BODY)
                    .isVerified());
        }

        @Test
        void stripeKeysTheWholeSecretPrefixIncluded() {
            String bare = Vectors.Stripe.SECRET_A.substring("whsec_".length());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier("stripe", at(T), bare)
                    .verify(HeaderLookup.of(headers("stripe", Vectors.Stripe.SIMPLE_A)), SIMPLE_BODY).rejection());
        }

        @Test
        void rawKeyBytesAreUsedAsTheyAre() {
            byte[] key = java.util.Base64.getDecoder().decode(Vectors.Wealthkernel.SECRET_A);
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("wealthkernel")).secret(key)
                    .clock(at(T)).build();
            assertTrue(verifier.verify(headers("wealthkernel", Vectors.Wealthkernel.SIMPLE_A).get("Webhook-Signature"),
                    SIMPLE_BODY).isVerified());
        }
    }

    @Nested
    @Tag("broad")
    class Freshness {

        static Stream<String> timestamped() {
            return WITH_TIMESTAMP.stream().sorted();
        }

        private SchemeVector simple(String scheme) {
            return Vectors.simplePairs().filter(p -> p[0].scheme().equals(scheme)).findFirst().orElseThrow()[0];
        }

        @ParameterizedTest
        @MethodSource("timestamped")
        void refusesStaleAndFutureTimestampsAtTheTolerance(String scheme) {
            SchemeVector v = simple(scheme);
            long tolerance = scheme.equals("paddle") ? 5 : 300;
            HeaderLookup request = HeaderLookup.of(headers(scheme, v.mac()));
            assertTrue(verifier(scheme, at(T + tolerance), v.secret()).verify(request, SIMPLE_BODY).isVerified());
            assertTrue(verifier(scheme, at(T - tolerance), v.secret()).verify(request, SIMPLE_BODY).isVerified());
            assertEquals(Rejection.STALE_TIMESTAMP,
                    verifier(scheme, at(T + tolerance + 1), v.secret()).checkHeader(request).rejection());
            assertEquals(Rejection.FUTURE_TIMESTAMP,
                    verifier(scheme, at(T - tolerance - 1), v.secret()).checkHeader(request).rejection());
        }

        @ParameterizedTest
        @MethodSource("timestamped")
        void judgesFreshnessAgainAfterTheBody(String scheme) {
            SchemeVector v = simple(scheme);
            MutableClock clock = new MutableClock(T);
            WebhookVerifier verifier = verifier(scheme, clock, v.secret());
            HeaderCheck header = verifier.checkHeader(HeaderLookup.of(headers(scheme, v.mac())));
            assertTrue(header.isAccepted(), header.toString());
            clock.advanceSeconds(301);
            assertEquals(Rejection.STALE_TIMESTAMP, verifier.checkBody(header, SIMPLE_BODY, 0, SIMPLE_BODY.length).rejection());
        }

        @ParameterizedTest
        @MethodSource("timestamped")
        void saysWhenATimestampLooksLikeMilliseconds(String scheme) {
            SchemeVector v = simple(scheme);
            HeaderCheck result = verifier(scheme, at(T), v.secret())
                    .checkHeader(HeaderLookup.of(Vectors.headersAt(scheme, T + "000", v.mac())));
            assertEquals(Rejection.FUTURE_TIMESTAMP, result.rejection());
            assertTrue(result.detail().endsWith("; t looks like milliseconds; senders send seconds"), result.detail());
        }

        @Test
        void aConfiguredToleranceReplacesPaddlesFiveSeconds() {
            SchemeVector v = simple("paddle");
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("paddle")).secret(v.secret())
                    .tolerance(Duration.ofSeconds(300)).clock(at(T + 300)).build();
            assertTrue(verifier.verify(HeaderLookup.of(headers("paddle", v.mac())), SIMPLE_BODY).isVerified());
            assertEquals(Duration.ofSeconds(5), Scheme.named("paddle").defaultTolerance());
            assertEquals(Duration.ofSeconds(5), verifier("paddle", at(T), v.secret()).tolerance());
            assertEquals(Duration.ofSeconds(300), verifier("stripe", at(T), "s").tolerance());
        }

        @ParameterizedTest
        @ValueSource(strings = {"github", "shopify"})
        void aSchemeWithoutTimestampHasNoFreshness(String scheme) {
            SchemeVector v = simple(scheme);
            Verification result = verifier(scheme, at(4_000_000_000L), v.secret())
                    .verify(HeaderLookup.of(headers(scheme, v.mac())), SIMPLE_BODY);
            assertTrue(result.isVerified());
            assertEquals(0, result.timestamp());
            assertFalse(Scheme.named(scheme).hasTimestamp());
        }
    }

    @Nested
    class Replay {

        /** A guard that records what it is given. */
        private final class Capturing implements ReplayGuard {
            final List<byte[]> keys = new ArrayList<>();
            final List<Long> expiries = new ArrayList<>();

            @Override
            public Decision record(byte[] key, long expiresAt) {
                boolean seen = keys.stream().anyMatch(k -> java.util.Arrays.equals(k, key));
                keys.add(key);
                expiries.add(expiresAt);
                return seen ? Decision.REPLAYED : Decision.FIRST_SEEN;
            }

            @Override
            public void forget(byte[] key) {
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.webhookfilter.Vectors#simplePairs")
        @Tag("broad")
        void theKeyIsTheSameWhicheverSecretMatchedAndAReplayIsRefused(SchemeVector a, SchemeVector b) {
            Capturing guard = new Capturing();
            WebhookVerifier underA = WebhookVerifier.builder().scheme(Scheme.named(a.scheme())).secret(a.secret())
                    .clock(at(T)).replayGuard(guard).build();
            WebhookVerifier underB = WebhookVerifier.builder().scheme(Scheme.named(a.scheme())).secret(b.secret())
                    .clock(at(T)).replayGuard(guard).build();
            assertTrue(underA.verify(HeaderLookup.of(headers(a.scheme(), a.mac())), SIMPLE_BODY).isVerified());
            Verification replay = underB.verify(HeaderLookup.of(headers(a.scheme(), b.mac())), SIMPLE_BODY);
            assertEquals(Rejection.REPLAYED, replay.rejection());
            assertArrayEquals(guard.keys.get(0), guard.keys.get(1));
            assertEquals(T + (a.scheme().equals("paddle") ? 5 : 300), guard.expiries.get(0),
                    "kept until t + tolerance, or now + tolerance without a timestamp (now = T here)");
        }

        @Test
        void keysOfTheSameBytesDifferBetweenSchemes() {
            Capturing guard = new Capturing();
            // github and shopify sign the body alone: the scheme's name keeps their keys apart.
            WebhookVerifier github = WebhookVerifier.builder().scheme(Scheme.named("github"))
                    .secret(Vectors.Github.SECRET_A).clock(at(T)).replayGuard(guard).build();
            WebhookVerifier shopify = WebhookVerifier.builder().scheme(Scheme.named("shopify"))
                    .secret(Vectors.Shopify.SECRET_A).clock(at(T)).replayGuard(guard).build();
            assertTrue(github.verify(HeaderLookup.of(headers("github", Vectors.Github.SIMPLE_A)), SIMPLE_BODY).isVerified());
            assertTrue(shopify.verify(HeaderLookup.of(headers("shopify", Vectors.Shopify.SIMPLE_A)), SIMPLE_BODY).isVerified());
            assertFalse(java.util.Arrays.equals(guard.keys.get(0), guard.keys.get(1)));
        }

        @Test
        void theStandardWebhooksKeyCoversTheId() {
            // { printf '\x00\x00\x00\x11standard-webhooks\x00\x00\x00\x1f%s\x00\x00\x00\x0a%s' \
            //     msg_2KWPBgLlAfxdpx2AI54pPJ85f4W 1700000000; printf '%s' '{"a":1}'; } | openssl dgst -sha256
            String expected = STANDARD_REPLAY_KEY_HEX;
            Capturing guard = new Capturing();
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("standard-webhooks"))
                    .secret(Vectors.StandardWebhooks.SECRET_A).clock(at(T)).replayGuard(guard).build();
            assertTrue(verifier.verify(HeaderLookup.of(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A)),
                    SIMPLE_BODY).isVerified());
            assertEquals(expected, java.util.HexFormat.of().formatHex(guard.keys.get(0)));
        }
    }

    static final String STANDARD_REPLAY_KEY_HEX = "7f280cd6cc60dd1854f7a0011fc9f8dfb0f8528699f8427135f77cf2a6f9c60b";

    @Nested
    class Malformed {

        static Stream<Arguments> variants() {
            List<Arguments> all = new ArrayList<>();
            Vectors.simplePairs().forEach(pair -> {
                SchemeVector v = pair[0];
                String scheme = v.scheme();
                Scheme s = Scheme.named(scheme);
                String sig = s.signatureHeader();
                boolean hex = v.mac().length() == 64;
                Map<String, String> valid = headers(scheme, v.mac());
                String signature = valid.get(sig);
                all.add(variant(scheme, "signature header missing", Rejection.MISSING_HEADER, valid, h -> {
                    h.remove(sig);
                    return h;
                }));
                all.add(variant(scheme, "signature header twice", Rejection.MALFORMED_HEADER, valid, h -> {
                    h.get(sig).add(signature);
                    return h;
                }));
                // A lookup that breaks its contract as singletonList(getHeader(name)) does is taken at its word.
                all.add(variant(scheme, "signature header as a list holding null", Rejection.MISSING_HEADER, valid, h -> {
                    h.put(sig, Collections.singletonList(null));
                    return h;
                }));
                all.add(variant(scheme, "MAC one character short", Rejection.MALFORMED_HEADER,
                        headers(scheme, v.mac().substring(1)), h -> h));
                all.add(variant(scheme, "MAC four characters short (still base64)", Rejection.MALFORMED_HEADER,
                        headers(scheme, v.mac().substring(4)), h -> h));
                all.add(variant(scheme, hex ? "MAC in uppercase hex" : "MAC without its padding", Rejection.MALFORMED_HEADER,
                        headers(scheme, hex ? v.mac().toUpperCase(java.util.Locale.ROOT) : v.mac().replace("=", "")), h -> h));
                all.add(variant(scheme, hex ? "MAC with a non-hex digit" : "MAC with non-zero padding bits",
                        Rejection.MALFORMED_HEADER, headers(scheme, hex ? "g" + v.mac().substring(1) : nonCanonical(v.mac())),
                        h -> h));
                all.add(variant(scheme, "MAC in the other encoding", Rejection.MALFORMED_HEADER,
                        headers(scheme, hex ? java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(v.mac()))
                                : java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(v.mac()))), h -> h));
                all.add(variant(scheme, "a character outside visible ASCII", Rejection.MALFORMED_HEADER, valid, h -> {
                    h.put(sig, new ArrayList<>(List.of(signature + "\u00e9")));
                    return h;
                }));
                all.add(variant(scheme, "a header longer than 8192 characters", Rejection.MALFORMED_HEADER, valid, h -> {
                    h.put(sig, new ArrayList<>(List.of(signature + " ".repeat(8193))));
                    return h;
                }));
                if (WITH_LIST.contains(scheme)) {
                    String[] nine = new String[9];
                    java.util.Arrays.fill(nine, v.mac());
                    all.add(variant(scheme, "nine signatures", Rejection.MALFORMED_HEADER, headers(scheme, nine), h -> h));
                } else {
                    all.add(variant(scheme, "two signatures", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.put(sig, new ArrayList<>(List.of(signature + "," + signature)));
                        return h;
                    }));
                }
                if (WITH_TIMESTAMP.contains(scheme)) {
                    for (String t : List.of("01700000000", "+1700000000", "1700000000.5", "-1", "0", "17e8",
                            "99999999999999999999")) {
                        all.add(variant(scheme, "timestamp " + t, Rejection.MALFORMED_HEADER, Vectors.headersAt(scheme, t, v.mac()),
                                h -> h));
                    }
                }
                String timestampHeader = scheme.equals("slack") ? "X-Slack-Request-Timestamp"
                        : scheme.equals("svix") ? "svix-timestamp" : "webhook-timestamp";
                if (Set.of("slack", "svix", "standard-webhooks").contains(scheme)) {
                    all.add(variant(scheme, "timestamp header missing", Rejection.MISSING_HEADER, valid, h -> {
                        h.remove(timestampHeader);
                        return h;
                    }));
                    all.add(variant(scheme, "timestamp header as a list holding null", Rejection.MISSING_HEADER, valid,
                            h -> {
                                h.put(timestampHeader, Collections.singletonList(null));
                                return h;
                            }));
                    all.add(variant(scheme, "timestamp header twice", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.get(timestampHeader).add(Long.toString(T));
                        return h;
                    }));
                    all.add(variant(scheme, "a timestamp header longer than 8192 characters", Rejection.MALFORMED_HEADER,
                            valid, h -> {
                                h.put(timestampHeader, new ArrayList<>(List.of(" ".repeat(8193) + T)));
                                return h;
                            }));
                }
                String idHeader = scheme.equals("svix") ? "svix-id" : "webhook-id";
                if (Set.of("svix", "standard-webhooks").contains(scheme)) {
                    all.add(variant(scheme, "id header missing", Rejection.MISSING_HEADER, valid, h -> {
                        h.remove(idHeader);
                        return h;
                    }));
                    all.add(variant(scheme, "id header as a list holding null", Rejection.MISSING_HEADER, valid, h -> {
                        h.put(idHeader, Collections.singletonList(null));
                        return h;
                    }));
                    all.add(variant(scheme, "id header twice", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.get(idHeader).add(ID);
                        return h;
                    }));
                    all.add(variant(scheme, "id with a dot", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.put(idHeader, new ArrayList<>(List.of("msg.1")));
                        return h;
                    }));
                    all.add(variant(scheme, "id of 257 characters", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.put(idHeader, new ArrayList<>(List.of("m".repeat(257))));
                        return h;
                    }));
                    all.add(variant(scheme, "an id header longer than 8192 characters", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.put(idHeader, new ArrayList<>(List.of(ID + "\t".repeat(8193))));
                        return h;
                    }));
                    all.add(variant(scheme, "element without a comma", Rejection.MALFORMED_HEADER, valid, h -> {
                        h.put(sig, new ArrayList<>(List.of(signature + " v1")));
                        return h;
                    }));
                }
            });
            return all.stream();
        }

        private static Arguments variant(String scheme, String name, Rejection expected, Map<String, String> base,
                                         UnaryOperator<Map<String, List<String>>> change) {
            return Arguments.of(scheme + ": " + name, scheme, expected, change.apply(lists(base)));
        }

        /** A base64 MAC whose last character before '=' carries non-zero padding bits: the same bytes, spelled otherwise. */
        private static String nonCanonical(String mac) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            int last = alphabet.indexOf(mac.charAt(42));
            return mac.substring(0, 42) + alphabet.charAt(last | 1) + "=";
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("variants")
        void isRefusedBeforeAnyMac(String name, String scheme, Rejection expected, Map<String, List<String>> request) {
            HeaderCheck result = verifier(scheme, at(T), "secret").checkHeader(lookup(request));
            assertEquals(expected, result.rejection(), () -> name + ": " + result);
        }
    }

    @Nested
    class Grammar {

        /** Verifies {@code headers} under {@code svix} with the Standard Webhooks vectors' secret A. */
        private Verification svix(Map<String, String> headers) {
            return verifier("svix", at(T), Vectors.StandardWebhooks.SECRET_A).verify(HeaderLookup.of(headers), SIMPLE_BODY);
        }

        @Test
        void standardWebhooksIgnoresOtherVersions() {
            Map<String, String> request = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            request.put("webhook-signature", "v1a,bm9wZQ== " + request.get("webhook-signature") + " v2,xyz");
            assertTrue(verifier("standard-webhooks", at(T), Vectors.StandardWebhooks.SECRET_A)
                    .verify(HeaderLookup.of(request), SIMPLE_BODY).isVerified());
        }

        /** Elements part at spaces: a tab beside a MAC is a blank around it, anything else spoils it. */
        @Test
        void standardWebhooksSignaturesArePartedBySpacesWithBlanksAround() {
            Map<String, String> request = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            String genuine = request.get("webhook-signature");
            String other = "v1," + Vectors.StandardWebhooks.SIMPLE_B;
            WebhookVerifier verifier = verifier("standard-webhooks", at(T), Vectors.StandardWebhooks.SECRET_A);
            for (String header : List.of(other + "\t " + genuine + "\t", "  " + other + " \t\t" + genuine, genuine + "\t")) {
                request.put("webhook-signature", header);
                assertTrue(verifier.verify(HeaderLookup.of(request), SIMPLE_BODY).isVerified(), header);
            }
            for (String header : List.of(genuine + "x", genuine + "\tx " + other, other + "," + genuine, genuine + "=")) {
                request.put("webhook-signature", header);
                Verification result = verifier.verify(HeaderLookup.of(request), SIMPLE_BODY);
                assertEquals(Rejection.MALFORMED_HEADER, result.rejection(), header);
                assertEquals("a v1 value is not the padded base64 of a 32-byte HMAC-SHA256", result.detail(), header);
            }
        }

        @Test
        void timestampAndIdHeadersAreReadUpTo8192CharactersBlanksIncluded() {
            Map<String, List<String>> request = lists(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            String t = Long.toString(T);
            request.put("webhook-timestamp", new ArrayList<>(List.of(" ".repeat(8192 - t.length()) + t)));
            request.put("webhook-id", new ArrayList<>(List.of(ID + "\t".repeat(8192 - ID.length()))));
            WebhookVerifier verifier = verifier("standard-webhooks", at(T), Vectors.StandardWebhooks.SECRET_A);
            Verification result = verifier.verify(lookup(request), SIMPLE_BODY);
            assertTrue(result.isVerified(), result.toString());

            request.get("webhook-id").set(0, request.get("webhook-id").get(0) + "\t");
            assertEquals("the message id header is longer than 8192 characters",
                    verifier.verify(lookup(request), SIMPLE_BODY).detail());
            request.get("webhook-timestamp").set(0, " " + request.get("webhook-timestamp").get(0));
            assertEquals("the timestamp header is longer than 8192 characters",
                    verifier.verify(lookup(request), SIMPLE_BODY).detail());
        }

        @Test
        void stripeIgnoresV0() {
            Map<String, String> request = Map.of("Stripe-Signature", "t=" + T + ",v0=" + "0".repeat(64) + ",v1="
                    + Vectors.Stripe.SIMPLE_A);
            assertTrue(verifier("stripe", at(T), Vectors.Stripe.SECRET_A).verify(HeaderLookup.of(request), SIMPLE_BODY)
                    .isVerified());
        }

        /**
         * Headers as the senders' own code writes them. Stripe's documented example is {@code t=..,v1=..,v0=..}
         * (docs.stripe.com, "Verify signatures manually"). Svix's server joins with single spaces one signature per
         * key it still signs with, {@code v1} for HMAC and {@code v1a} for ed25519: the current key and up to
         * {@code ExpiringSigningKeys.MAX_OLD_KEYS} = 5 old ones (svix/svix-webhooks, server/svix-server/src/worker.rs
         * {@code sign_msg}, core/types.rs); the {@code v1a} value is the Standard Webhooks spec's example.
         */
        @Test
        void headersShapedAsTheSendersWriteThem() {
            Map<String, String> stripe = Map.of("Stripe-Signature", "t=" + T + ",v1=" + Vectors.Stripe.SIMPLE_A
                    + ",v0=" + Vectors.Stripe.SIMPLE_B);
            assertTrue(verifier("stripe", at(T), Vectors.Stripe.SECRET_A).verify(HeaderLookup.of(stripe), SIMPLE_BODY)
                    .isVerified());

            String old = "v1," + Vectors.StandardWebhooks.SIMPLE_B + " ";
            Map<String, String> svix = new LinkedHashMap<>(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            svix.put("svix-signature", old.repeat(5) + "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdp"
                    + "XwVLPo3mNl8EM+m7TBAg== " + svix.get("svix-signature"));
            Verification result = svix(svix);
            assertTrue(result.isVerified(), result.toString());
        }

        /** The legacy header, where there is one, is the one read; the newer one is held to the same rules. */
        @Test
        void shopifyReadsItsLegacyHeaderFirst_andTheNewerOneByTheSameRules() {
            WebhookVerifier verifier = verifier("shopify", at(T), Vectors.SHOPIFY_SDK_SECRET);
            String genuine = Vectors.SHOPIFY_SDK_HEADER;
            Map<String, List<String>> both = new LinkedHashMap<>();
            both.put("X-Shopify-Hmac-Sha256", List.of(Vectors.Shopify.SIMPLE_A));
            both.put("shopify-hmac-sha256", List.of(genuine));
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, verifier.verify(lookup(both), Vectors.SHOPIFY_SDK_BODY).rejection());
            for (List<String> newer : List.of(List.of(genuine.replace("=", "")), List.of(genuine, genuine),
                    List.of("sha256=" + genuine))) {
                Verification result = verifier.verify(lookup(Map.of("shopify-hmac-sha256", newer)), Vectors.SHOPIFY_SDK_BODY);
                assertEquals(Rejection.MALFORMED_HEADER, result.rejection(), newer.toString());
            }
            Verification neither = verifier.verify(lookup(Map.of("X-Shopify-Topic", List.of("orders/create"))),
                    Vectors.SHOPIFY_SDK_BODY);
            assertEquals(Rejection.MISSING_HEADER, neither.rejection());
        }

        @Test
        void svixFallsBackToTheUnbrandedHeaders() {
            Map<String, String> request = headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A);
            assertTrue(svix(request).isVerified());
        }

        /**
         * A lookup as {@code singletonList(request.getHeader(name))} gives a list holding null for an absent header, which
         * is a missing header: the next header set is read, as for an empty list (a genuine Svix delivery with the
         * webhook-* headers alone, Shopify's with shopify-hmac-sha256 alone), not reported missing.
         */
        @Test
        void aListHoldingNullAlone_isAMissingHeader_soTheNextHeaderSetIsRead() {
            Map<String, String> unbranded = headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A);
            Verification svix = verifier("svix", at(T), Vectors.StandardWebhooks.SECRET_A)
                    .verify(singletonLookup(unbranded), SIMPLE_BODY);
            assertTrue(svix.isVerified(), svix.toString());
            Verification shopify = verifier("shopify", at(T), Vectors.SHOPIFY_SDK_SECRET).verify(
                    singletonLookup(Map.of("shopify-hmac-sha256", Vectors.SHOPIFY_SDK_HEADER)), Vectors.SHOPIFY_SDK_BODY);
            assertTrue(shopify.isVerified(), shopify.toString());
        }

        /** As {@code name -> Collections.singletonList(request.getHeader(name))}: a list holding null for an absent header. */
        private HeaderLookup singletonLookup(Map<String, String> headers) {
            Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            byName.putAll(headers);
            return name -> Collections.singletonList(byName.get(name));
        }

        @Test
        void svixFallsBackToTheUnbrandedHeadersAsAWholeSetAsItsLibrariesDo() {
            // svix's webhooks.py: svix-id, svix-signature and svix-timestamp; unless one is missing, then all
            // three webhook-* ("Missing required headers" unless those are all present); never some of each.
            Map<String, String> mixed = new LinkedHashMap<>(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            mixed.put("webhook-timestamp", mixed.remove("svix-timestamp"));
            Verification result = svix(mixed);
            assertEquals(Rejection.MISSING_HEADER, result.rejection(), result.toString());
        }

        @Test
        void svixWithItsOwnSetIncompleteVerifiesTheWholeUnbrandedSet() {
            // webhooks.py: svix-timestamp missing, so webhook-id, webhook-timestamp and webhook-signature are read.
            Map<String, String> unbranded = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            unbranded.put("svix-id", "msg_someOtherId");
            unbranded.put("svix-signature", "v1," + Vectors.StandardWebhooks.SIMPLE_B);
            Verification fallback = svix(unbranded);
            assertTrue(fallback.isVerified(), fallback.toString());
        }

        @Test
        void theMessageIdIsTheOneSignedInTheSetThatWasRead() {
            WebhookVerifier svix = verifier("svix", at(T), Vectors.StandardWebhooks.SECRET_A);
            Map<String, String> unbranded = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            unbranded.put("svix-id", "msg_someOtherId");
            assertEquals(Optional.of(ID), svix.checkHeader(HeaderLookup.of(unbranded)).messageId());
            Map<String, String> branded = new LinkedHashMap<>(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            branded.put("svix-id", " " + ID + "\t");
            branded.put("webhook-id", "msg_someOtherId");
            assertEquals(Optional.of(ID), svix.checkHeader(HeaderLookup.of(branded)).messageId());
            assertEquals(List.of("svix-id", "webhook-id"), Scheme.named("svix").messageIdHeaders());

            assertEquals(Optional.empty(), verifier("stripe", at(T), Vectors.Stripe.SECRET_A)
                    .checkHeader(HeaderLookup.of(headers("stripe", Vectors.Stripe.SIMPLE_A))).messageId());
            assertEquals(List.of(), Scheme.named("stripe").messageIdHeaders());
            branded.remove("svix-timestamp");
            unbranded.remove("webhook-timestamp");
            branded.putAll(unbranded);
            assertEquals(Optional.empty(), svix.checkHeader(HeaderLookup.of(branded)).messageId());
        }

        @Test
        void svixWithNoSetWholeReportsOnTheFirstSetWithASignature() {
            // svix-id and svix-timestamp, but only webhook-signature: the unbranded set is the one signed, and
            // lacks its timestamp.
            Map<String, String> mixed = new LinkedHashMap<>(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            mixed.put("webhook-signature", mixed.remove("svix-signature"));
            Verification result = svix(mixed);
            assertEquals(Rejection.MISSING_HEADER, result.rejection(), result.toString());
            assertEquals("the timestamp header is missing", result.detail());
            // Both sets have one, and neither is whole: the first set is reported on.
            Map<String, String> both = new LinkedHashMap<>(Map.of("svix-signature", "v1," + Vectors.StandardWebhooks.SIMPLE_A,
                    "svix-id", ID, "webhook-signature", "v1," + Vectors.StandardWebhooks.SIMPLE_A,
                    "webhook-timestamp", Long.toString(T)));
            assertEquals("the timestamp header is missing", svix(both).detail());
            // Neither set has a signature header: the first set's is reported missing.
            mixed.remove("webhook-signature");
            assertEquals("the signature header is missing", svix(mixed).detail());
        }

        @Test
        void svixReadsItsOwnWholeSetEvenWhenAHeaderOfItIsRepeated() {
            // Present is what picks the set, as in Svix's libraries: a repeated svix-signature is refused, not
            // passed over for the unbranded set; an incomplete set's repeated header does not stop the fallback.
            Map<String, List<String>> request = lists(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            request.putAll(lists(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A)));
            request.get("svix-signature").add("v1," + Vectors.StandardWebhooks.SIMPLE_A);
            WebhookVerifier verifier = verifier("svix", at(T), Vectors.StandardWebhooks.SECRET_A);
            Verification repeated = verifier.verify(lookup(request), SIMPLE_BODY);
            assertEquals(Rejection.MALFORMED_HEADER, repeated.rejection(), repeated.toString());
            request.remove("svix-timestamp");
            Verification fallback = verifier.verify(lookup(request), SIMPLE_BODY);
            assertTrue(fallback.isVerified(), fallback.toString());
        }

        @Test
        void aWholeFirstSetIsReadWithOneLookupPerHeader() {
            Vectors.simplePairs().map(pair -> pair[0]).forEach(v -> {
                HeaderLookup headers = HeaderLookup.of(headers(v.scheme(), v.mac()));
                List<String> looked = new ArrayList<>();
                HeaderCheck checked = verifier(v.scheme(), at(T), v.secret()).checkHeader(name -> {
                    looked.add(name);
                    return headers.values(name);
                });
                assertTrue(checked.isAccepted(), v + ": " + checked);
                assertEquals(v.scheme().equals("svix") ? List.of("svix-signature", "svix-timestamp", "svix-id")
                        : v.scheme().equals("shopify") ? List.of("X-Shopify-Hmac-Sha256")
                        : Scheme.named(v.scheme()).headerNames(), looked, v.toString());
            });
        }

        @Test
        void svixPrefersItsOwnHeaders() {
            Map<String, String> request = new LinkedHashMap<>(headers("svix", Vectors.StandardWebhooks.SIMPLE_A));
            request.put("webhook-signature", "v1," + Vectors.StandardWebhooks.SIMPLE_B);
            assertTrue(svix(request).isVerified());
        }

        @Test
        void aSchemeWithSeveralHeadersNeedsAHeaderLookup() {
            WebhookVerifier slack = verifier("slack", at(T), "s");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> slack.verify("v0=x", SIMPLE_BODY));
            assertEquals("scheme slack reads the headers X-Slack-Signature, X-Slack-Request-Timestamp;"
                    + " pass them all with verify(HeaderLookup, byte[])", e.getMessage());
            assertEquals("scheme slack reads the headers X-Slack-Signature, X-Slack-Request-Timestamp;"
                    + " pass them all with checkHeader(HeaderLookup)",
                    assertThrows(IllegalStateException.class, () -> slack.checkHeader("v0=x")).getMessage());
            assertThrows(IllegalStateException.class,
                    () -> WebhookSigner.of(Scheme.named("standard-webhooks"), Vectors.StandardWebhooks.SECRET_A).sign(SIMPLE_BODY));
        }

        @Test
        void aRenamedSignatureHeaderIsReadInstead() {
            Scheme renamed = Scheme.named("github").withSignatureHeader("X-Proxy-Signature");
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(renamed).secret(Vectors.GITHUB_DOC_SECRET).build();
            assertTrue(verifier.verify(HeaderLookup.of(Map.of("X-Proxy-Signature", Vectors.GITHUB_DOC_HEADER)),
                    Vectors.GITHUB_DOC_BODY).isVerified());
            assertEquals(Rejection.MISSING_HEADER, verifier.verify(HeaderLookup.of(Map.of("X-Hub-Signature-256",
                    Vectors.GITHUB_DOC_HEADER)), Vectors.GITHUB_DOC_BODY).rejection());
            assertEquals("github", renamed.name());
            assertThrows(IllegalArgumentException.class, () -> renamed.withSignatureHeader("a b"));
        }

        @Test
        void aRenamedSvixSignatureHeaderServesBothSets() {
            Scheme renamed = Scheme.named("svix").withSignatureHeader("X-Proxy-Signature");
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(renamed).secret(Vectors.StandardWebhooks.SECRET_A)
                    .clock(at(T)).build();
            Map<String, String> unbranded = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            unbranded.put("X-Proxy-Signature", unbranded.remove("webhook-signature"));
            assertTrue(verifier.verify(HeaderLookup.of(unbranded), SIMPLE_BODY).isVerified());
            unbranded.put("svix-id", unbranded.remove("webhook-id"));
            assertEquals(Rejection.MISSING_HEADER, verifier.verify(HeaderLookup.of(unbranded), SIMPLE_BODY).rejection());
        }

        @Test
        void noMatchSaysWhatWasSigned() {
            Verification result = verifier("standard-webhooks", at(T), Vectors.StandardWebhooks.SECRET_B)
                    .verify(HeaderLookup.of(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A)), SIMPLE_BODY);
            assertEquals("none of the 1 v1 values matches the id, t and body under the 1 configured secret",
                    result.detail());
            Verification github = verifier("github", at(T), "other")
                    .verify(Vectors.GITHUB_DOC_HEADER, Vectors.GITHUB_DOC_BODY);
            assertEquals("none of the 1 signatures matches the body under the 1 configured secret", github.detail());
        }
    }

    @Nested
    class Names {

        @Test
        void listsTheSchemesOfTheIssueDefaultFirst() {
            assertEquals(List.of("wealthkernel-2022", "wealthkernel", "standard-webhooks", "svix", "stripe", "github",
                    "slack", "shopify", "paddle"), Scheme.names());
            assertEquals(Scheme.defaultScheme(), WebhookVerifier.builder().secret("s").build().scheme());
        }

        @Test
        void theDefaultSchemeIsWealthkernel2022InXWebhookSignatureWithinFiveMinutes() {
            // Written out: the filter's, the starter's and the CLI's defaults are read from here.
            Scheme scheme = Scheme.defaultScheme();
            assertEquals("wealthkernel-2022", scheme.name());
            assertEquals("X-Webhook-Signature", scheme.signatureHeader());
            assertEquals(Duration.ofSeconds(300), scheme.defaultTolerance());
        }

        @ParameterizedTest
        @ValueSource(strings = {"stripe", "Stripe", " STRIPE "})
        void findsASchemeByName(String name) {
            assertEquals("stripe", Scheme.named(name).name());
            assertEquals("Stripe-Signature", Scheme.named(name).signatureHeader());
        }

        @Test
        void anUnknownNameListsTheNames() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scheme.named("strpie"));
            assertEquals("unknown webhook scheme 'strpie' (did you mean 'stripe'?); the schemes are wealthkernel-2022, wealthkernel,"
                    + " standard-webhooks, svix, stripe, github, slack, shopify, paddle", e.getMessage());
            IllegalArgumentException pasted = assertThrows(IllegalArgumentException.class,
                    () -> Scheme.named("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+"));
            assertFalse(pasted.getMessage().contains("MfKQ"), pasted.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Scheme.named(null));
        }

        @Test
        void aSecretPastedAsTheNameIsNotQuoted() {
            // The README's own standard-webhooks/svix example secret, and Slack's documented signing secret.
            for (String secret : List.of(Vectors.STANDARD_DOC_SECRET, Vectors.SLACK_DOC_SECRET)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scheme.named(secret));
                assertFalse(e.getMessage().contains(secret), e.getMessage());
            }
        }

        @Test
        void describesItsHeaders() {
            Scheme svix = Scheme.named("svix");
            assertEquals(List.of("svix-signature", "webhook-signature", "svix-timestamp", "webhook-timestamp", "svix-id",
                    "webhook-id"), svix.headerNames());
            assertEquals(List.of("svix-signature", "webhook-signature"), svix.signatureHeaders());
            assertEquals(List.of("X-Shopify-Hmac-Sha256", "shopify-hmac-sha256"), Scheme.named("shopify").headerNames());
            assertTrue(svix.allowsSeveralSignatures());
            assertFalse(Scheme.named("github").allowsSeveralSignatures());
            assertEquals("Scheme[github, X-Hub-Signature-256]", Scheme.named("github").toString());
        }

        /**
         * README's parameter table, idHeader: the header each sender's delivery id comes in, by default, and where it
         * has another name: svix's unbranded set, and Shopify's newer {@code shopify-webhook-id} (Shopify/shopify-app-js
         * #3129, the events webhooks' idempotency key).
         */
        @Test
        void namesTheHeaderOfEachSendersDeliveryId() {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            for (String name : Scheme.names()) {
                expected.put(name, List.of());
            }
            expected.put("standard-webhooks", List.of("webhook-id"));
            expected.put("svix", List.of("svix-id", "webhook-id"));
            expected.put("github", List.of("X-GitHub-Delivery"));
            expected.put("shopify", List.of("X-Shopify-Webhook-Id", "shopify-webhook-id"));
            Map<String, List<String>> actual = new LinkedHashMap<>();
            for (String name : Scheme.names()) {
                Scheme scheme = Scheme.named(name);
                actual.put(name, scheme.deliveryIdHeaders());
                assertEquals(scheme.deliveryIdHeaders().stream().findFirst(), scheme.deliveryIdHeader(), name);
            }
            assertEquals(expected, actual);
        }
    }
}
