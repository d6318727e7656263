package dev.webhookfilter;

import static dev.webhookfilter.Vectors.ID;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a scheme is defined, and the edges of the rules every scheme shares. */
class SchemeDefinitionTest {

    private static Clock at(long seconds) {
        return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    }

    @Nested
    class Definitions {

        @Test
        void aDefinitionHoldsWhatItWasGiven() {
            Scheme scheme = Scheme.define("ninth").pairs("X-Ninth", ';', ':', "s1", 3)
                    .signatureHeaderFallbacks("X-Ninth-Old").timestampHeader("X-Ninth-Time", "X-Time")
                    .idHeader("X-Ninth-Id").message("{id}/{t}/{body}!").encoding(Scheme.Encoding.HEX)
                    .key(Scheme.KeyDerivation.BASE64).defaultTolerance(Duration.ofSeconds(42)).build();
            assertEquals("ninth", scheme.name());
            assertEquals(List.of("X-Ninth", "X-Ninth-Old"), scheme.signatureHeaders());
            assertEquals(List.of("X-Ninth-Time", "X-Time"), scheme.timestampHeaders);
            assertEquals(List.of("X-Ninth-Id"), scheme.idHeaders);
            assertEquals(Optional.of("X-Ninth-Id"), scheme.deliveryIdHeader(), "without one of its own, the signed id's");
            assertEquals(2, scheme.headerSets, "X-Ninth-Id serves both");
            assertEquals(Scheme.Layout.PAIRS, scheme.layout);
            assertEquals(';', scheme.elementSeparator);
            assertEquals(':', scheme.pairSeparator);
            assertEquals("s1", scheme.signatureLabel);
            assertNull(scheme.timestampLabel);
            assertEquals(3, scheme.maxSignatures);
            assertEquals(Scheme.Encoding.HEX, scheme.encoding);
            assertEquals(Scheme.KeyDerivation.BASE64, scheme.keyDerivation);
            assertEquals(Duration.ofSeconds(42), scheme.defaultTolerance());
            assertTrue(scheme.hasTimestamp());
            assertEquals(6, scheme.message.length);
            assertEquals("id", scheme.message[0].variable);
            assertArrayEquals("/".getBytes(StandardCharsets.US_ASCII), scheme.message[1].literal);
            assertEquals("t", scheme.message[2].variable);
            assertEquals("body", scheme.message[4].variable);
            assertArrayEquals("!".getBytes(StandardCharsets.US_ASCII), scheme.message[5].literal);

            HeaderCheck message = HeaderCheck.accepted(scheme, 9, "t=9", 2, 3, " m ", 1, 2, new byte[0]);
            assertArrayEquals("m/9/!".getBytes(StandardCharsets.US_ASCII), message.signed);
            assertEquals(4, message.bodyAt, "the body goes before the !");
            assertEquals(0, message.idAt);
            assertEquals(1, message.idLength);
            assertEquals(2, message.tAt);
            assertEquals(1, message.tLength);
        }

        @Test
        void aListOfOneNameServesEveryHeaderSet() {
            Scheme oneSignature = Scheme.define("x").prefixed("X", "").timestampHeader("T", "T2").idHeader("I", "I2")
                    .message("{id}{t}{body}").encoding(Scheme.Encoding.HEX).build();
            assertEquals(2, oneSignature.headerSets);
            Scheme oneTimestamp = Scheme.define("x").prefixed("X", "").signatureHeaderFallbacks("X2")
                    .timestampHeader("T").idHeader("I", "I2").message("{id}{t}{body}").encoding(Scheme.Encoding.HEX).build();
            assertEquals(2, oneTimestamp.headerSets);
        }

        @Test
        void aPrefixedDefinitionCarriesOneSignature() {
            Scheme scheme = Scheme.define("tenth").prefixed("X-Tenth", "v9=").deliveryIdHeader("X-Tenth-Delivery")
                    .message("{body}").encoding(Scheme.Encoding.BASE64).build();
            assertEquals(Scheme.Layout.PREFIXED, scheme.layout);
            assertEquals("v9=", scheme.signatureLabel);
            assertEquals(1, scheme.maxSignatures);
            assertFalse(scheme.hasTimestamp());
            assertEquals(Scheme.KeyDerivation.UTF8, scheme.keyDerivation);
            assertEquals(Duration.ofSeconds(300), scheme.defaultTolerance());
            assertEquals(List.of("X-Tenth"), scheme.headerNames());
            assertEquals(Optional.of("X-Tenth-Delivery"), scheme.deliveryIdHeader());
            assertEquals(List.of("X-Tenth-Delivery"), scheme.deliveryIdHeaders());
            Scheme none = Scheme.define("x").prefixed("X", "").message("{body}").encoding(Scheme.Encoding.HEX).build();
            assertEquals(Optional.empty(), none.deliveryIdHeader(), "no id header, none of its own");
            assertEquals(List.of(), none.deliveryIdHeaders());
            Scheme renamed = Scheme.define("y").prefixed("X", "").deliveryIdHeader("X-Y-Delivery", "y-delivery")
                    .message("{body}").encoding(Scheme.Encoding.HEX).build();
            assertEquals(Optional.of("X-Y-Delivery"), renamed.deliveryIdHeader());
            assertEquals(List.of("X-Y-Delivery", "y-delivery"), renamed.deliveryIdHeaders());
            assertEquals(List.of("X"), renamed.headerNames(), "an unsigned id is not a header the verifier reads");
        }

        /**
         * A space and {@code ~}, the ends of the range an element separator is taken from (visible ASCII or a
         * space), can part elements, as {@code !} can: none is in a MAC's alphabet.
         */
        @ParameterizedTest
        @ValueSource(chars = {' ', '~', '!'})
        void anElementSeparatorMayBeAnyVisibleAsciiOutsideTheMacAlphabets(char separator) {
            Scheme scheme = Scheme.define("x").pairs("X", separator, ':', "v1", 2).message("{body}")
                    .encoding(Scheme.Encoding.BASE64).build();
            assertEquals(separator, scheme.elementSeparator);
        }

        @Test
        void aTimestampLabelMakesATimestamp() {
            Scheme scheme = Scheme.define("eleventh").pairs("X-E", ',', '=', "v1", 2).timestampLabel("ts")
                    .message("{t}{body}").encoding(Scheme.Encoding.HEX).build();
            assertEquals("ts", scheme.timestampLabel);
            assertTrue(scheme.hasTimestamp());
        }

        static List<Supplier<Scheme>> incoherent() {
            return List.of(
                    () -> Scheme.define("x").prefixed("X", "").message("no body").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").message("{body}{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").message("{t}{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").timestampHeader("T").message("{body}")
                            .encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").message("{id}{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").idHeader("I").message("{body}")
                            .encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").message("{body}").build(),
                    () -> Scheme.define("x").message("{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").timestampLabel("t").message("{t}{body}")
                            .encoding(Scheme.Encoding.HEX).build(),
                    // An element separator a MAC can contain, or not visible ASCII.
                    () -> Scheme.define("x").pairs("X", '=', ':', "v1", 1).message("{body}")
                            .encoding(Scheme.Encoding.BASE64).build(),
                    () -> Scheme.define("x").pairs("X", '+', ':', "v1", 1).message("{body}")
                            .encoding(Scheme.Encoding.BASE64).build(),
                    () -> Scheme.define("x").pairs("X", '/', ':', "v1", 1).message("{body}")
                            .encoding(Scheme.Encoding.BASE64).build(),
                    () -> Scheme.define("x").pairs("X", 'a', ':', "v1", 1).message("{body}")
                            .encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").pairs("X", '\t', ':', "v1", 1).message("{body}")
                            .encoding(Scheme.Encoding.HEX).build(),
                    // Header sets of different lengths: which timestamp goes with the second signature header?
                    () -> Scheme.define("x").prefixed("X", "").signatureHeaderFallbacks("X2")
                            .timestampHeader("T", "T2", "T3").message("{t}{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").timestampHeader("T", "T2").idHeader("I", "I2", "I3")
                            .message("{id}{t}{body}").encoding(Scheme.Encoding.HEX).build(),
                    () -> Scheme.define("x").prefixed("X", "").signatureHeaderFallbacks("X2", "X3")
                            .idHeader("I", "I2").message("{id}{body}").encoding(Scheme.Encoding.HEX).build());
        }

        @Test
        void anIncoherentDefinitionIsRefused() {
            for (Supplier<Scheme> definition : incoherent()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, definition::get);
                assertEquals("scheme x is not coherent", e.getMessage());
            }
        }

        @Test
        void aMessageNamesOnlyTheIdTheTimestampAndTheBody() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Scheme.define("x").message("{ts}.{body}"));
            assertEquals("a signed message has {id}, {t} and {body}, not {ts}", e.getMessage());
        }
    }

    @Nested
    class Edges {

        @Test
        void prefixedHeadersSayWhatTheyExpect() {
            assertEquals("the header is not the padded base64 of a 32-byte HMAC-SHA256",
                    WebhookVerifier.builder().scheme(Scheme.named("shopify")).secret("s").build().checkHeader("x").detail());
            WebhookVerifier github = WebhookVerifier.builder().scheme(Scheme.named("github")).secret("s").build();
            assertEquals("the header is not sha256= followed by 64 lowercase hex digits of a 32-byte HMAC-SHA256",
                    github.checkHeader("sha256").detail());
            assertEquals(Rejection.MALFORMED_HEADER, github.checkHeader("sha256=").rejection());
        }

        @ParameterizedTest
        @ValueSource(strings = {"!", "~", "msg_x", "a-b_c~d!e"})
        void anIdOfVisibleAsciiIsAccepted(String id) {
            assertTrue(checkId(id).isAccepted(), () -> checkId(id).toString());
        }

        @ParameterizedTest
        @ValueSource(strings = {"a b", "a.b", "\u007f", "", " "})
        void anIdWithSpaceDotOrControlIsRefused(String id) {
            assertEquals(Rejection.MALFORMED_HEADER, checkId(id).rejection());
        }

        @Test
        void anIdOf256CharactersIsTheLongest() {
            assertTrue(checkId("m".repeat(256)).isAccepted());
            assertEquals(Rejection.MALFORMED_HEADER, checkId("m".repeat(257)).rejection());
        }

        /** Blanks around the id header's value are not part of the id, nor of its length. */
        @Test
        void anIdOf256CharactersBetweenBlanksIsTheLongestToo() {
            HeaderCheck between = checkId(" \t" + "m".repeat(256) + " ");
            assertTrue(between.isAccepted(), between::toString);
            assertEquals(Optional.of("m".repeat(256)), between.messageId());
            assertEquals(Rejection.MALFORMED_HEADER, checkId(" " + "m".repeat(257)).rejection());
        }

        private HeaderCheck checkId(String id) {
            Map<String, String> request = new LinkedHashMap<>(headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            request.put("webhook-id", id);
            return WebhookVerifier.builder().scheme(Scheme.named("standard-webhooks")).secret(Vectors.StandardWebhooks.SECRET_A)
                    .clock(at(T)).build().checkHeader(HeaderLookup.of(request));
        }

        @Test
        void theReplayKeyOfALongIdCarriesItsLength() {
            // { printf '\x00\x00\x00\x11standard-webhooks\x00\x00\x01\x00%s\x00\x00\x00\x0a1700000000' \
            //     "$(printf 'm%.0s' $(seq 256))"; printf '%s' '{"a":1}'; } | openssl dgst -sha256
            String expected = "0b680165052db039eb97f4383f6459fa4f52bccc3602545da7f78e941ac73dd5";
            String id = "m".repeat(256);
            ScriptedReplayGuard capturing = ScriptedReplayGuard.answering(ReplayGuard.Decision.FIRST_SEEN);
            WebhookSigner signer = WebhookSigner.of(Scheme.named("standard-webhooks"), Vectors.StandardWebhooks.SECRET_A);
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("standard-webhooks"))
                    .secret(Vectors.StandardWebhooks.SECRET_A).clock(at(T)).replayGuard(capturing).build();
            assertTrue(verifier.verify(HeaderLookup.of(signer.headers(SIMPLE_BODY, T, id)), SIMPLE_BODY).isVerified());
            assertEquals(expected, HexFormat.of().formatHex(capturing.keys.get(0)));
        }

        @Test
        void millisecondsAreNamedUpToTheToleranceEitherSide() {
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("stripe")).secret("s")
                    .clock(at(T)).build();
            String hint = "t looks like milliseconds; senders send seconds";
            assertTrue(verifier.checkHeader("t=" + (T + 300) + "000,v1=" + "0".repeat(64)).detail().contains(hint));
            assertTrue(verifier.checkHeader("t=" + (T - 300) + "000,v1=" + "0".repeat(64)).detail().contains(hint));
            assertFalse(verifier.checkHeader("t=" + (T + 301) + "000,v1=" + "0".repeat(64)).detail().contains(hint));
        }
    }

    @Nested
    class Signer {

        @ParameterizedTest
        @ValueSource(strings = {"", "a b", "a.b", "\u007f"})
        void refusesAnIdTheVerifierWouldRefuse(String id) {
            WebhookSigner signer = WebhookSigner.of(Scheme.named("svix"), Vectors.StandardWebhooks.SECRET_A);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> signer.headers(SIMPLE_BODY, T, id));
            assertEquals("a message id is 1 to 256 visible ASCII characters other than '.'", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> signer.headers(SIMPLE_BODY, T, null));
            assertThrows(IllegalArgumentException.class, () -> signer.headers(SIMPLE_BODY, T, "m".repeat(257)));
            assertEquals(3, signer.headers(SIMPLE_BODY, T, "~".repeat(256)).size());
        }

        @Test
        void makesUpAFreshIdWhenNoneIsGiven() {
            WebhookSigner signer = WebhookSigner.of(Scheme.named("standard-webhooks"), Vectors.StandardWebhooks.SECRET_A)
                    .withClock(at(T));
            Map<String, String> first = signer.headers(SIMPLE_BODY);
            Map<String, String> second = signer.headers(SIMPLE_BODY);
            assertTrue(first.get("webhook-id").matches("msg_[0-9a-f]{24}"), first.toString());
            assertFalse(first.get("webhook-id").equals(second.get("webhook-id")));
            assertEquals(Long.toString(T), first.get("webhook-timestamp"));
            assertTrue(WebhookVerifier.builder().scheme(Scheme.named("standard-webhooks"))
                    .secret(Vectors.StandardWebhooks.SECRET_A).clock(at(T)).build()
                    .verify(HeaderLookup.of(first), SIMPLE_BODY).isVerified());
            assertEquals(Map.of("Stripe-Signature", "t=" + T + ",v1=" + Vectors.Stripe.SIMPLE_A),
                    WebhookSigner.of(Scheme.named("stripe"), Vectors.Stripe.SECRET_A).withClock(at(T)).headers(SIMPLE_BODY));
            assertEquals("stripe", WebhookSigner.of(Scheme.named("stripe"), "s").scheme().name());
            assertEquals("WebhookSigner[stripe, 1 secret]", WebhookSigner.of(Scheme.named("stripe"), "s").toString());
        }

        /**
         * A made-up id is {@code msg_} and 24 hex digits of 12 random bytes: every digit varies, high nibbles as
         * well as low. Across 64 ids a digit that is random keeps one value with probability 16^-63.
         */
        @Test
        void everyDigitOfAMadeUpIdIsRandom() {
            WebhookSigner signer = WebhookSigner.of(Scheme.named("standard-webhooks"), Vectors.StandardWebhooks.SECRET_A)
                    .withClock(at(T));
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                ids.add(signer.headers(SIMPLE_BODY).get("webhook-id"));
            }
            for (int digit = 0; digit < 24; digit++) {
                int at = "msg_".length() + digit;
                assertTrue(ids.stream().map(id -> id.charAt(at)).distinct().count() > 1,
                        "digit " + digit + " of every id is " + ids.get(0).charAt(at));
            }
        }

        @Test
        void saysHowManySignaturesAHeaderCarries() {
            IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSigner.of(Scheme.named("github"), "a", "b"));
            assertEquals("scheme github carries at most 1 signature per request; give fewer secrets", one.getMessage());
            String[] nine = new String[9];
            java.util.Arrays.fill(nine, "s");
            IllegalArgumentException eight = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSigner.of(Scheme.named("stripe"), nine));
            assertEquals("scheme stripe carries at most 8 signatures per request; give fewer secrets", eight.getMessage());
        }
    }

    @Nested
    class Names {

        @ParameterizedTest
        @CsvSource({"strpie, stripe", "' Githbu ', github", "SVIX2, svix", "wealthkernel-2023, wealthkernel-2022",
                "wealthkernel_, wealthkernel", "paddl, paddle", "standard_webhook, standard-webhooks", "stripe-2, stripe",
                "Zlack, slack", "stripz, stripe", "pAdle, paddle", "wealthkernel-2029, wealthkernel-2022"})
        void aNameWithinTwoEditsOfOneIsQuotedWithIt(String given, String meant) {
            assertTrue(message(given).startsWith("unknown webhook scheme '" + given.strip() + "' (did you mean '"
                    + meant + "'?); the schemes are wealthkernel-2022,"), message(given));
        }

        @ParameterizedTest
        @ValueSource(strings = {"my_scheme-2", "aaaa", "strippers", "slack-v0", "sl\u00e4ck", "sl ck", "slac\nk",
                "\u212Aslack", "x", "ab", "thubxx"})
        void anyOtherNameIsNotQuoted(String given) {
            assertEquals("unknown webhook scheme (the name given is not shown: it could be a secret); the schemes are"
                    + " wealthkernel-2022, wealthkernel, standard-webhooks, svix, stripe, github, slack, shopify, paddle",
                    message(given));
        }

        @Test
        void aLongNameIsNotQuotedWhateverItStartsWith() {
            assertTrue(message("stripe" + "a".repeat(3)).startsWith("unknown webhook scheme (the name given is not shown"));
            assertTrue(message("stripe" + "a".repeat(100_000)).startsWith("unknown webhook scheme (the name given is not shown"));
        }

        private String message(String name) {
            return assertThrows(IllegalArgumentException.class, () -> Scheme.named(name)).getMessage();
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "z", "A", "Z", "0", "9", "X-Sig_1.2~", "!", "#$%&'*+^`|"})
        void aHeaderNameIsAToken(String name) {
            assertEquals(name, Scheme.named("github").withSignatureHeader(name).signatureHeader());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a b", "a:b", "@", "[", "{", "/", "\u00e9"})
        void aHeaderNameThatIsNotATokenIsRefused(String name) {
            assertThrows(IllegalArgumentException.class, () -> Scheme.named("github").withSignatureHeader(name));
        }

        @Test
        void equalSchemesHaveEqualHashes() {
            assertEquals(Scheme.named("slack"), Scheme.named("SLACK"));
            assertEquals(Scheme.named("slack").hashCode(), Scheme.named("slack").hashCode());
            assertFalse(Scheme.named("slack").equals(Scheme.named("slack").withSignatureHeader("X")));
            assertEquals(Scheme.named("slack").withSignatureHeader("X"), Scheme.named("slack").withSignatureHeader("X"));
            assertFalse(Scheme.named("slack").equals("slack"));
        }
    }
}
