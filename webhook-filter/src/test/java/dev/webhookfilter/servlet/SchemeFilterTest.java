package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.webhookfilter.MutableClock;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilterTest.Exchange;
import dev.webhookfilter.testing.LogCapture;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter's {@code scheme} init-param and the headers it reads for each scheme. */
class SchemeFilterTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);

    /** A request carrying these headers (every other header absent) and body. */
    private static Exchange exchange(Map<String, List<String>> headers, byte[] body) throws Exception {
        Exchange exchange = new Exchange(headers.getOrDefault("X-Webhook-Signature", List.of()), body, body.length);
        headers.forEach((name, values) ->
                when(exchange.request.getHeaders(name)).thenAnswer(i -> Collections.enumeration(values)));
        return exchange;
    }

    private static Map<String, List<String>> single(Map<String, String> headers) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        headers.forEach((name, value) -> lists.put(name, List.of(value)));
        return lists;
    }

    private static WebhookSignatureFilter filter(String scheme, String secret) {
        return WebhookSignatureFilter.builder().verifier(WebhookVerifier.builder().scheme(Scheme.named(scheme))
                .secret(secret).clock(AT_T).build()).build();
    }

    private static FilterConfig config(Map<String, String> params) {
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("webhooks");
        when(config.getInitParameterNames()).thenAnswer(i -> Collections.enumeration(params.keySet()));
        when(config.getInitParameter(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));
        return config;
    }

    @Nested
    class Requests {

        @Test
        void aSlackRequestReadsBothHeaders() throws Exception {
            Exchange exchange = exchange(single(Vectors.headers("slack", Vectors.Slack.SIMPLE_A)), SIMPLE_BODY)
                    .run(filter("slack", Vectors.Slack.SECRET_A));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
            assertEquals(T, exchange.attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
        }

        @Test
        void aRepeatedTimestampHeaderIsMalformed() throws Exception {
            Map<String, List<String>> headers = single(Vectors.headers("slack", Vectors.Slack.SIMPLE_A));
            headers.put("X-Slack-Request-Timestamp", List.of(Long.toString(T), Long.toString(T)));
            exchange(headers, SIMPLE_BODY).run(filter("slack", Vectors.Slack.SECRET_A))
                    .assertRejected(401, Rejection.MALFORMED_HEADER);
        }

        @Test
        void aRepeatedStandardWebhooksIdIsMalformed() throws Exception {
            Map<String, List<String>> headers = single(Vectors.headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A));
            headers.put("webhook-id", List.of(Vectors.ID, "msg_other"));
            exchange(headers, SIMPLE_BODY).run(filter("standard-webhooks", Vectors.StandardWebhooks.SECRET_A))
                    .assertRejected(401, Rejection.MALFORMED_HEADER);
        }

        /**
         * Svix sends the {@code webhook-*} headers in place of {@code svix-*} to customers who white-label them
         * (docs.svix.com, "Verifying Webhooks Manually"); the verifier reads that set, and de-duplication must
         * claim the id that was signed in it, not look for a {@code svix-id} the request does not carry.
         */
        @Test
        void aSvixRequestInWebhookHeadersIsDeduplicatedOnItsSignedId() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(WebhookVerifier.builder()
                    .scheme(Scheme.named("svix")).secret(Vectors.StandardWebhooks.SECRET_A).clock(AT_T).build())
                    .deduplicate().build();
            Map<String, List<String>> unbranded = new LinkedHashMap<>();
            single(Vectors.headers("svix", Vectors.StandardWebhooks.SIMPLE_A))
                    .forEach((name, values) -> unbranded.put(name.replace("svix-", "webhook-"), values));
            Exchange first = exchange(unbranded, SIMPLE_BODY);
            when(first.response.getStatus()).thenReturn(200);
            first.run(filter);
            verify(first.chain).doFilter(any(VerifiedRequest.class), eq(first.response));

            // The same message again, with a svix-id of the sender's choosing beside the set that was signed.
            unbranded.put("svix-id", List.of("msg_not_signed"));
            Exchange again = exchange(unbranded, SIMPLE_BODY).run(filter);
            verify(again.chain, never()).doFilter(any(), any());
            verify(again.response).setHeader("Webhook-Duplicate", "true");
        }

        /**
         * Replay protection keeps a message only once its handler ran or it was answered as a duplicate: one that
         * de-duplication turned away with 409 is forgotten, so that the sender's retry of it is not refused as a replay.
         * A captured copy of such a retry is therefore refused by de-duplication alone while it is fresh, and a shorter
         * dedupTtlSeconds stops the start with replay protection on too. On main, with dedupTtlSeconds=1, a copy of a
         * retry answered 200 duplicate, sent 60 s later, ran the handler.
         */
        @Test
        void aCopyOfARetryTurnedAway_runsNoHandlerWhileItIsFresh() throws Exception {
            MutableClock clock = new MutableClock(T);
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("standard-webhooks"))
                    .secret(Vectors.StandardWebhooks.SECRET_A).clock(clock).build();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().verifier(verifier).replayProtection().deduplicate().dedupTtlSeconds(599).build());
            assertTrue(refused.getMessage().startsWith("dedupTtlSeconds: 599 is shorter than twice toleranceSeconds (600)"),
                    refused.getMessage());
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).replayProtection()
                    .deduplicate().dedupTtlSeconds(600).build();
            WebhookSigner signer = WebhookSigner.of(Scheme.named("standard-webhooks"), Vectors.StandardWebhooks.SECRET_A);
            clock.advanceSeconds(30);
            Exchange first = exchange(single(signer.headers(SIMPLE_BODY, T, "msg_1")), SIMPLE_BODY);
            when(first.response.getStatus()).thenReturn(200);
            // The sender, not told in time, retries signed anew while the first is still being processed.
            Map<String, List<String>> retry = single(signer.headers(SIMPLE_BODY, T + 30, "msg_1"));
            first.runWhileHeld(filter, exchange(retry, SIMPLE_BODY)).assertRejected(409, FilterRejection.IN_PROGRESS);
            verify(first.chain).doFilter(any(VerifiedRequest.class), eq(first.response));

            clock.advanceSeconds(300); // someone who captured the retry sends it again, in its last fresh second
            Exchange copy = exchange(retry, SIMPLE_BODY);
            when(copy.response.getStatus()).thenReturn(200);
            copy.run(filter);
            verify(copy.chain, never()).doFilter(any(), any());
            verify(copy.response).setHeader("Webhook-Duplicate", "true");
        }

        @Test
        void aGithubRequestWithoutTimestampIsVerifiedAtAnyTime() throws Exception {
            Exchange exchange = exchange(single(Map.of("X-Hub-Signature-256", Vectors.GITHUB_DOC_HEADER)),
                    Vectors.GITHUB_DOC_BODY).run(filter("github", Vectors.GITHUB_DOC_SECRET));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
            assertEquals(0L, exchange.attributes.get(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE));
        }

        /**
         * Shopify's newer {@code shopify-hmac-sha256} alone, as Shopify/shopify_app #2052's controller test sends it, is
         * read where {@code X-Shopify-Hmac-Sha256} is absent; once renamed by headerName, neither name is read.
         */
        @Test
        void aShopifyRequestWithTheNewerHmacHeaderAloneIsVerified() throws Exception {
            Map<String, List<String>> newer = single(Map.of("shopify-hmac-sha256", Vectors.SHOPIFY_SDK_HEADER));
            Exchange exchange = exchange(newer, Vectors.SHOPIFY_SDK_BODY).run(filter("shopify", Vectors.SHOPIFY_SDK_SECRET));
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));

            exchange(single(Map.of("X-Shopify-Topic", "orders/create")), Vectors.SHOPIFY_SDK_BODY)
                    .run(filter("shopify", Vectors.SHOPIFY_SDK_SECRET)).assertRejected(401, Rejection.MISSING_HEADER);
            WebhookSignatureFilter renamed = WebhookSignatureFilter.builder().verifier(WebhookVerifier.builder()
                    .scheme(Scheme.named("shopify")).secret(Vectors.SHOPIFY_SDK_SECRET).clock(AT_T).build())
                    .headerName("X-Proxy-Signature").build();
            exchange(newer, Vectors.SHOPIFY_SDK_BODY).run(renamed).assertRejected(401, Rejection.MISSING_HEADER);
        }

        /**
         * Shopify's newer headers carry the delivery id in {@code shopify-webhook-id} (Shopify/shopify-app-js #3129 makes
         * it the events webhooks' idempotency key): without an idHeader of the user's, de-duplication claims it where
         * {@code X-Shopify-Webhook-Id} is absent, by the same rules. Where {@code X-Shopify-Webhook-Id} is present, it is
         * the one claimed and the only one looked up. An idHeader the user names is read alone.
         */
        @Test
        void aShopifyRequestWithTheNewerHeadersAloneIsDeduplicatedOnShopifyWebhookId() throws Exception {
            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named("shopify"))
                    .secret(Vectors.SHOPIFY_SDK_SECRET).clock(AT_T).build();
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).deduplicate().build();
            String delivery = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
            Map<String, List<String>> newer = single(Map.of("shopify-hmac-sha256", Vectors.SHOPIFY_SDK_HEADER,
                    "shopify-webhook-id", delivery));
            Exchange first = exchange(newer, Vectors.SHOPIFY_SDK_BODY);
            when(first.response.getStatus()).thenReturn(200);
            first.run(filter);
            verify(first.chain).doFilter(any(VerifiedRequest.class), eq(first.response));

            // The same delivery under the legacy names: one id, one run of the handler.
            Exchange legacy = exchange(single(Map.of("X-Shopify-Hmac-Sha256", Vectors.SHOPIFY_SDK_HEADER,
                    "X-Shopify-Webhook-Id", delivery)), Vectors.SHOPIFY_SDK_BODY).run(filter);
            verify(legacy.chain, never()).doFilter(any(), any());
            verify(legacy.response).setHeader("Webhook-Duplicate", "true");
            verify(legacy.request, never()).getHeaders("shopify-webhook-id");

            // Both names: X-Shopify-Webhook-Id's id is claimed (a new one here), and shopify-webhook-id is not read.
            Map<String, List<String>> both = new LinkedHashMap<>(newer);
            both.put("X-Shopify-Webhook-Id", List.of("c0ffee00-0000-4000-8000-000000000001"));
            Exchange second = exchange(both, Vectors.SHOPIFY_SDK_BODY);
            when(second.response.getStatus()).thenReturn(200);
            second.run(filter);
            verify(second.chain).doFilter(any(VerifiedRequest.class), eq(second.response));
            verify(second.request, never()).getHeaders("shopify-webhook-id");

            // Present twice, either is refused as before; a repeated X-Shopify-Webhook-Id is not passed over.
            Map<String, List<String>> legacyTwice = new LinkedHashMap<>(newer);
            legacyTwice.put("X-Shopify-Webhook-Id", List.of("d-3", "d-3"));
            exchange(legacyTwice, Vectors.SHOPIFY_SDK_BODY).run(filter).assertRejected(400, FilterRejection.MISSING_ID);
            Map<String, List<String>> newerTwice = new LinkedHashMap<>(newer);
            newerTwice.put("shopify-webhook-id", List.of("d-4", "d-4"));
            exchange(newerTwice, Vectors.SHOPIFY_SDK_BODY).run(filter).assertRejected(400, FilterRejection.MISSING_ID);
            Map<String, List<String>> neither = new LinkedHashMap<>(newer);
            neither.remove("shopify-webhook-id");
            WebhookSignatureFilter named = WebhookSignatureFilter.builder().verifier(verifier)
                    .deduplicate("X-Shopify-Webhook-Id").build();
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.ALL)) {
                exchange(neither, Vectors.SHOPIFY_SDK_BODY).run(filter).assertRejected(400, FilterRejection.MISSING_ID);
                exchange(newer, Vectors.SHOPIFY_SDK_BODY).run(named).assertRejected(400, FilterRejection.MISSING_ID);
                String limits = " header of 1 to 256 visible ASCII characters)";
                assertEquals(List.of("rejected POST /webhooks/: MISSING_ID (de-duplication needs exactly one"
                        + " X-Shopify-Webhook-Id (or, without it, shopify-webhook-id)" + limits, "rejected POST /webhooks/:"
                        + " MISSING_ID (de-duplication needs exactly one X-Shopify-Webhook-Id" + limits),
                        logs.messages(Level.FINE));
            }
        }

        @Test
        void headerNameRenamesOnlyTheSignatureHeader() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(WebhookVerifier.builder()
                    .scheme(Scheme.named("slack")).secret(Vectors.Slack.SECRET_A).clock(AT_T).build())
                    .headerName("X-Proxy-Signature").build();
            Map<String, List<String>> headers = single(Vectors.headers("slack", Vectors.Slack.SIMPLE_A));
            headers.put("X-Proxy-Signature", headers.remove("X-Slack-Signature"));
            Exchange exchange = exchange(headers, SIMPLE_BODY).run(filter);
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));

            Exchange unrenamed = exchange(single(Vectors.headers("slack", Vectors.Slack.SIMPLE_A)), SIMPLE_BODY).run(filter);
            unrenamed.assertRejected(401, Rejection.MISSING_HEADER);
            verify(unrenamed.response).setHeader("WWW-Authenticate", "Webhook-Signature header=\"X-Proxy-Signature\"");
        }

        @Test
        void theChallengeNamesTheSchemesHeader() throws Exception {
            Exchange exchange = exchange(Map.of(), SIMPLE_BODY).run(filter("stripe", Vectors.Stripe.SECRET_A));
            exchange.assertRejected(401, Rejection.MISSING_HEADER);
            verify(exchange.response).setHeader("WWW-Authenticate", "Webhook-Signature header=\"Stripe-Signature\"");
        }
    }

    @Nested
    class InitParams {

        @Test
        void theSchemeParamPicksTheScheme() throws Exception {
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            filter.init(config(Map.of("scheme", "stripe", "secrets", Vectors.Stripe.SECRET_A)));
            Map<String, String> signed = WebhookSigner.of(Scheme.named("stripe"), Vectors.Stripe.SECRET_A).headers(SIMPLE_BODY);
            Exchange exchange = exchange(single(signed), SIMPLE_BODY).run(filter);
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
        }

        @Test
        void theBuilderTakesASchemeByName() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().scheme("paddle")
                    .secrets(Vectors.Paddle.SECRET_A).build();
            Map<String, String> signed = WebhookSigner.of(Scheme.named("paddle"), Vectors.Paddle.SECRET_A).headers(SIMPLE_BODY);
            Exchange exchange = exchange(single(signed), SIMPLE_BODY).run(filter);
            verify(exchange.chain).doFilter(any(VerifiedRequest.class), eq(exchange.response));
            assertTrue(filter.toString().contains("WebhookVerifier[paddle, 1 secret, tolerance 5 s]"), filter.toString());
        }

        @Test
        void anUnknownSchemeStopsTheStartListingTheNames() {
            ServletException e = assertThrows(ServletException.class, () -> new WebhookSignatureFilter()
                    .init(config(Map.of("scheme", "stirpe", "secrets", "s"))));
            assertTrue(e.getMessage().endsWith("\nscheme: unknown webhook scheme 'stirpe' (did you mean 'stripe'?); the schemes are wealthkernel-2022,"
                    + " wealthkernel, standard-webhooks, svix, stripe, github, slack, shopify, paddle; remove it for the"
                    + " default wealthkernel-2022"), e.getMessage());
        }

        @Test
        void aSecretThatIsNotBase64StopsTheStartOfWealthkernel() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookSignatureFilter
                    .builder().scheme("wealthkernel").secrets("whsec_plain_text_secret").build());
            assertEquals("secrets: secret #1: a secret is not valid base64; scheme wealthkernel takes the secret as the"
                    + " platform shows it, in base64", e.getMessage());
        }

        @Test
        void aVerifierAlreadyHoldsTheScheme() {
            WebhookVerifier verifier = WebhookVerifier.builder().secret("s").build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WebhookSignatureFilter.builder().verifier(verifier).scheme("github").build());
            assertTrue(e.getMessage().startsWith("scheme: the filter was given a WebhookVerifier"), e.getMessage());
        }

        @Test
        void paddleDefaultsToFiveSecondsUnlessToleranceIsSet() {
            assertEquals(5, FilterSettings.parse(List.of("scheme", "secrets"),
                    Map.of("scheme", "paddle", "secrets", "s")::get, n -> null).verifier.tolerance().getSeconds());
            assertEquals(60, FilterSettings.parse(List.of("scheme", "secrets", "toleranceSeconds"),
                    Map.of("scheme", "paddle", "secrets", "s", "toleranceSeconds", "60")::get, n -> null)
                    .verifier.tolerance().getSeconds());
        }
    }

    @Nested
    class Logging {

        @ParameterizedTest
        @ValueSource(strings = {"github", "shopify"})
        void aSchemeWithoutTimestampSaysReplayIsNotBoundedByFreshness(String scheme) throws ServletException {
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.INFO)) {
                new WebhookSignatureFilter().init(config(Map.of("scheme", scheme, "secrets",
                        "a_long_enough_secret_0001", "replayProtection", "true")));
                List<String> info = logs.messages(Level.INFO);
                assertEquals(2, info.size(), info.toString());
                assertTrue(info.get(0).startsWith("WebhookSignatureFilter 'webhooks' verifies scheme " + scheme + " ("),
                        info.get(0));
                assertEquals("WebhookSignatureFilter 'webhooks': scheme " + scheme + " signs no timestamp, so freshness"
                        + " cannot bound a replay; with replayProtection=true an accepted message is refused again for"
                        + " 300 s after it was accepted (five minutes more on the Redis or JDBC store), and not after; for"
                        + " longer, de-duplicate by the sender's"
                        + " delivery id (deduplicate, idHeader)", info.get(1));
                assertFalse(String.join("\n", info).contains("a_long_enough_secret_0001"));
            }
        }

        /** With de-duplication already on, the line says so instead of advising it (rev37j: it advised what was on). */
        @ParameterizedTest
        @ValueSource(strings = {"github", "shopify"})
        void aSchemeWithoutTimestamp_withDeduplicationOn_saysItIsOn(String scheme) throws ServletException {
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.INFO)) {
                new WebhookSignatureFilter().init(config(Map.of("scheme", scheme, "secrets",
                        "a_long_enough_secret_0001", "deduplicate", "true")));
                String idHeader = scheme.equals("github") ? "X-GitHub-Delivery" : "X-Shopify-Webhook-Id";
                assertTrue(logs.messages(Level.INFO).contains("WebhookSignatureFilter 'webhooks': scheme " + scheme
                        + " signs no timestamp, so freshness cannot bound a replay; with replayProtection=true an accepted"
                        + " message is refused again for 300 s after it was accepted (five minutes more on the Redis or"
                        + " JDBC store), and not after; de-duplication by the sender's delivery id (" + idHeader
                        + ") is on"), logs.messages(Level.INFO).toString());
            }
        }

        @Test
        void aSchemeWithTimestampSaysNothingMore() throws ServletException {
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName()).level(Level.INFO)) {
                new WebhookSignatureFilter().init(config(Map.of("scheme", "stripe", "secrets", Vectors.Stripe.SECRET_A)));
                assertEquals(List.of("WebhookSignatureFilter 'webhooks' verifies scheme stripe (Stripe-Signature) with"
                        + " 1 secret, tolerance 300 s, bodies up to 1048576 bytes (" + Runtime.getRuntime().maxMemory() / 4
                        + " bytes in flight), query strings allowed, replay protection off"), logs.messages(Level.INFO));
            }
        }
    }
}
