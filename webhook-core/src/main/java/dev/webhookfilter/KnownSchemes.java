package dev.webhookfilter;

import static dev.webhookfilter.Scheme.Encoding.BASE64;
import static dev.webhookfilter.Scheme.Encoding.HEX;
import static dev.webhookfilter.Scheme.define;

import java.time.Duration;
import java.util.List;

/**
 * The senders' schemes, as data. A new sender is one more definition here and its vectors in the
 * tests' {@code Vectors}; the parser, the verifier and the signer need no change.
 */
final class KnownSchemes {

    /** The platform's webhook guide of 2022-03-30: what this library verified before schemes existed. */
    static final Scheme WEALTHKERNEL_2022 = define("wealthkernel-2022")
            .pairs("X-Webhook-Signature", ',', '=', "v1", SignatureHeader.MAX_SIGNATURES).timestampLabel("t")
            .message("{body}{t}").encoding(BASE64).build();

    /** The platform's scheme since 2022-04: another header, hex, and a base64 secret. */
    static final Scheme WEALTHKERNEL = define("wealthkernel")
            .pairs("Webhook-Signature", ',', '=', "v1", SignatureHeader.MAX_SIGNATURES).timestampLabel("t")
            .message("{body}{t}").encoding(HEX).key(Scheme.KeyDerivation.BASE64).build();

    /** https://www.standardwebhooks.com/ : space-separated {@code v1,<base64>}; other versions ignored. */
    static final Scheme STANDARD_WEBHOOKS = define("standard-webhooks")
            .pairs("webhook-signature", ' ', ',', "v1", SignatureHeader.MAX_SIGNATURES)
            .timestampHeader("webhook-timestamp").idHeader("webhook-id")
            .message("{id}.{t}.{body}").encoding(BASE64).key(Scheme.KeyDerivation.WHSEC_BASE64).build();

    /**
     * Svix: Standard Webhooks under its own header names; unless all three are present, the three unbranded
     * ones, as a whole set, as its SDKs do.
     */
    static final Scheme SVIX = define("svix")
            .pairs("svix-signature", ' ', ',', "v1", SignatureHeader.MAX_SIGNATURES)
            .signatureHeaderFallbacks("webhook-signature")
            .timestampHeader("svix-timestamp", "webhook-timestamp").idHeader("svix-id", "webhook-id")
            .message("{id}.{t}.{body}").encoding(BASE64).key(Scheme.KeyDerivation.WHSEC_BASE64).build();

    /** Stripe: {@code t=..,v1=..}; {@code v0} (test-mode legacy) is ignored; the whole {@code whsec_} secret is the key. */
    static final Scheme STRIPE = define("stripe")
            .pairs("Stripe-Signature", ',', '=', "v1", SignatureHeader.MAX_SIGNATURES).timestampLabel("t")
            .message("{t}.{body}").encoding(HEX).build();

    /** GitHub: no timestamp, so freshness cannot bound a replay. */
    static final Scheme GITHUB = define("github")
            .prefixed("X-Hub-Signature-256", "sha256=").deliveryIdHeader("X-GitHub-Delivery")
            .message("{body}").encoding(HEX).build();

    /** Slack: the timestamp in a header of its own. */
    static final Scheme SLACK = define("slack")
            .prefixed("X-Slack-Signature", "v0=").timestampHeader("X-Slack-Request-Timestamp")
            .message("v0:{t}:{body}").encoding(HEX).build();

    /**
     * Shopify: the bare base64 MAC; no timestamp. Without {@code X-Shopify-Hmac-Sha256}, the same MAC in the newer
     * {@code shopify-hmac-sha256}, and without {@code X-Shopify-Webhook-Id}, the delivery id in the newer
     * {@code shopify-webhook-id}, which Shopify's libraries read too.
     */
    static final Scheme SHOPIFY = define("shopify")
            .prefixed("X-Shopify-Hmac-Sha256", "").signatureHeaderFallbacks("shopify-hmac-sha256")
            .deliveryIdHeader("X-Shopify-Webhook-Id", "shopify-webhook-id").message("{body}").encoding(BASE64).build();

    /**
     * Paddle Billing: {@code ts=..;h1=..}; its SDKs refuse a {@code ts} more than 5 seconds old (and none ahead of
     * their clock); this default allows 5 seconds either way.
     */
    static final Scheme PADDLE = define("paddle")
            .pairs("Paddle-Signature", ';', '=', "h1", SignatureHeader.MAX_SIGNATURES).timestampLabel("ts")
            .message("{t}:{body}").encoding(HEX).defaultTolerance(Duration.ofSeconds(5)).build();

    /** Every scheme, the default first. */
    static final List<Scheme> ALL = List.of(WEALTHKERNEL_2022, WEALTHKERNEL, STANDARD_WEBHOOKS, SVIX, STRIPE,
            GITHUB, SLACK, SHOPIFY, PADDLE);

    private KnownSchemes() {
    }
}
