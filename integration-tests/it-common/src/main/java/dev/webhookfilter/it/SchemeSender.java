package dev.webhookfilter.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a sender of each scheme other than the default signs, written from the README's table of
 * schemes and not from the library's definitions: the key it takes from the secret, the exact
 * message it MACs and the headers it sends. The MAC comes from openssl ({@link OpenSsl#hmacSha256}),
 * so a request these make is signed by an implementation other than the library's. The container
 * fixtures deploy the example WAR once per sender, configured for its scheme, with the secret in
 * the environment variable {@link #secretVariable()} (set by failsafe).
 */
public enum SchemeSender {
    /** {@code Webhook-Signature: t=..,v1=<hex>} over {@code body t}; the key is the base64-decoded secret. */
    WEALTHKERNEL("wealthkernel", "WEALTHKERNEL_WEBHOOK_SECRET", KeyFormat.BASE64, true, true, "Webhook-Signature") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return concat(body, ascii(Long.toString(t)));
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            return Map.of("Webhook-Signature", "t=" + t + ",v1=" + mac);
        }
    },
    /** {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} over {@code id.t.body}. */
    STANDARD_WEBHOOKS("standard-webhooks", "STANDARD_WEBHOOKS_SECRET", KeyFormat.WHSEC_BASE64, false, true,
            "webhook-id", "webhook-timestamp", "webhook-signature") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return concat(ascii(id + "." + t + "."), body);
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", Long.toString(t));
            headers.put("webhook-signature", "v1," + mac);
            return headers;
        }
    },
    /**
     * Svix: Standard Webhooks under {@code svix-id}, {@code svix-timestamp}, {@code svix-signature}. The filter
     * falls back to the whole {@code webhook-*} set, as Svix's libraries do ({@link #unbranded}).
     */
    SVIX("svix", "SVIX_WEBHOOK_SECRET", KeyFormat.WHSEC_BASE64, false, true,
            "svix-id", "svix-timestamp", "svix-signature") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return STANDARD_WEBHOOKS.message(id, t, body);
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            Map<String, String> headers = new LinkedHashMap<>();
            STANDARD_WEBHOOKS.headers(mac, id, t).forEach((name, value) ->
                    headers.put(name.replaceFirst("^webhook-", "svix-"), value));
            return headers;
        }
    },
    /** {@code Stripe-Signature: t=..,v1=<hex>} over {@code t.body}; the key is the whole secret with {@code whsec_}. */
    STRIPE("stripe", "STRIPE_WEBHOOK_SECRET", KeyFormat.TEXT, true, true, "Stripe-Signature") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return concat(ascii(t + "."), body);
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            return Map.of("Stripe-Signature", "t=" + t + ",v1=" + mac);
        }
    },
    /** {@code X-Hub-Signature-256: sha256=<hex>} over the body alone: no timestamp. */
    GITHUB("github", "GITHUB_WEBHOOK_SECRET", KeyFormat.TEXT, true, false, "X-Hub-Signature-256") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return body.clone();
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            return Map.of("X-Hub-Signature-256", "sha256=" + mac);
        }
    },
    /** {@code X-Slack-Signature: v0=<hex>} over {@code v0:t:body}, the timestamp in {@code X-Slack-Request-Timestamp}. */
    SLACK("slack", "SLACK_SIGNING_SECRET", KeyFormat.TEXT, true, true, "X-Slack-Signature",
            "X-Slack-Request-Timestamp") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return concat(ascii("v0:" + t + ":"), body);
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Slack-Signature", "v0=" + mac);
            headers.put("X-Slack-Request-Timestamp", Long.toString(t));
            return headers;
        }
    },
    /** {@code X-Shopify-Hmac-Sha256: <base64>} over the body alone: no timestamp. */
    SHOPIFY("shopify", "SHOPIFY_WEBHOOK_SECRET", KeyFormat.TEXT, false, false, "X-Shopify-Hmac-Sha256") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return body.clone();
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            return Map.of("X-Shopify-Hmac-Sha256", mac);
        }
    },
    /** {@code Paddle-Signature: ts=..;h1=<hex>} over {@code ts:body}. */
    PADDLE("paddle", "PADDLE_WEBHOOK_SECRET", KeyFormat.TEXT, true, true, "Paddle-Signature") {
        @Override
        byte[] message(String id, long t, byte[] body) {
            return concat(ascii(t + ":"), body);
        }

        @Override
        Map<String, String> headers(String mac, String id, long t) {
            return Map.of("Paddle-Signature", "ts=" + t + ";h1=" + mac);
        }
    };

    private final String scheme;
    private final String secretVariable;
    private final KeyFormat keyFormat;
    private final boolean hex;
    private final boolean timestamped;
    private final List<String> headerNames;

    SchemeSender(String scheme, String secretVariable, KeyFormat keyFormat, boolean hex, boolean timestamped,
                 String... headerNames) {
        this.scheme = scheme;
        this.secretVariable = secretVariable;
        this.keyFormat = keyFormat;
        this.hex = hex;
        this.timestamped = timestamped;
        this.headerNames = List.of(headerNames);
    }

    /** The {@code scheme} init-param's value. */
    public String scheme() {
        return scheme;
    }

    /** The environment variable that holds the secret: the filter reads {@code env:} it. */
    public String secretVariable() {
        return secretVariable;
    }

    /** Whether the scheme signs a timestamp, so that a stale message can be refused. */
    public boolean timestamped() {
        return timestamped;
    }

    /** Every header the scheme needs, each exactly once. */
    public List<String> headerNames() {
        return headerNames;
    }

    /** The secret the deployed filter has, from the environment. */
    public String secret() {
        String secret = System.getenv(secretVariable);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(secretVariable + " is not set: run the ITs through Maven"
                    + " (mvn -B verify), whose failsafe configuration sets it");
        }
        return secret;
    }

    /** A well-formed secret for this scheme that the deployed filter does not have. */
    public String unknownSecret() {
        return keyFormat.secretOf("not-the-servers-secret-5a1f9e3b7c2d");
    }

    /** The MAC, encoded as the scheme sends it, that openssl computes for this message under {@code secret}. */
    public String mac(String secret, String id, long t, byte[] body) throws IOException, InterruptedException {
        return OpenSsl.hmacSha256(keyFormat.key(secret), message(id, t, body), hex);
    }

    /**
     * The headers a sender puts on {@code body}, in {@link #headerNames()} order, signed by openssl
     * under {@code secret}; {@code id} and {@code t} are ignored where the scheme has none.
     */
    public Map<String, String> sign(String secret, String id, long t, byte[] body)
            throws IOException, InterruptedException {
        return headers(mac(secret, id, t, body), id, t);
    }

    /**
     * {@code headers} with each {@code svix-} name written {@code webhook-} instead: what a Svix sender of the
     * unbranded names sends, which {@code svix} accepts too.
     */
    public static Map<String, String> unbranded(Map<String, String> headers) {
        Map<String, String> renamed = new LinkedHashMap<>();
        headers.forEach((name, value) -> renamed.put(name.replaceFirst("^svix-", "webhook-"), value));
        return renamed;
    }

    /** The bytes the scheme MACs: the README's "Signed message" column. */
    abstract byte[] message(String id, long t, byte[] body);

    /** The headers that carry {@code mac}, in {@link #headerNames()} order. */
    abstract Map<String, String> headers(String mac, String id, long t);

    @Override
    public String toString() {
        return scheme;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    /** The README's "Key from the secret" column. */
    private enum KeyFormat {
        /** Its UTF-8 bytes. */
        TEXT {
            @Override
            byte[] key(String secret) {
                return secret.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            String secretOf(String key) {
                return key;
            }
        },
        /** Standard base64, decoded. */
        BASE64 {
            @Override
            byte[] key(String secret) {
                return Base64.getDecoder().decode(secret);
            }

            @Override
            String secretOf(String key) {
                return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
            }
        },
        /** {@code whsec_} dropped, then base64, decoded. */
        WHSEC_BASE64 {
            @Override
            byte[] key(String secret) {
                return Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
            }

            @Override
            String secretOf(String key) {
                return "whsec_" + BASE64.secretOf(key);
            }
        };

        abstract byte[] key(String secret);

        /** A secret, in this format, whose key is {@code key}'s UTF-8 bytes. */
        abstract String secretOf(String key);
    }
}
