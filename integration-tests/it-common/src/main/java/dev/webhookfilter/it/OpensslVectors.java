package dev.webhookfilter.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Signatures computed once with openssl, not with the library, so that the signer the scenarios
 * use is pinned to an independent implementation. Each was checked with python3's {@code hmac} too.
 * The timestamps are long past: these vectors pin the signer, they are not sent as fresh requests
 * ({@link OpenSsl} signs a fresh one live).
 */
public final class OpensslVectors {

    /** The test secret of the integration-tests pom ({@code it.webhookSecret}). */
    public static final String SECRET = "whsec_integration_tests_only_3f9c2a7e5b1d4c8a";

    /**
     * <pre>
     * printf '%s' '{"eventId":"evt_openssl_1","eventType":{"name":"invoice.paid"}}1700000000' \
     *   | openssl dgst -sha256 -hmac 'whsec_integration_tests_only_3f9c2a7e5b1d4c8a' -binary | openssl base64 -A
     * </pre>
     */
    public static final Vector JSON = new Vector(
            "{\"eventId\":\"evt_openssl_1\",\"eventType\":{\"name\":\"invoice.paid\"}}".getBytes(StandardCharsets.UTF_8),
            1700000000L, "Wj9bdxhlbL6p9D0B0aqbRSbD549crSzcW+MmPoDh1fI=");

    /**
     * Not UTF-8, with CRLF, NUL and a broken two-byte sequence:
     * <pre>
     * printf 'line one\r\nline two\r\n\x00\xff\xfe\xc3\x28\r\n1700000001' \
     *   | openssl dgst -sha256 -hmac 'whsec_integration_tests_only_3f9c2a7e5b1d4c8a' -binary | openssl base64 -A
     * </pre>
     */
    public static final Vector BINARY = new Vector(new byte[] {
            'l', 'i', 'n', 'e', ' ', 'o', 'n', 'e', '\r', '\n', 'l', 'i', 'n', 'e', ' ', 't', 'w', 'o', '\r', '\n',
            0x00, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, '\r', '\n'},
            1700000001L, "sqsz8wXK5cax7W0XR2BAYAqaqTOOZgbLAZ0KbEKIcaE=");

    /**
     * One vector per {@link SchemeSender}, over the {@link #JSON} body, id {@code msg_openssl_1} and
     * t 1700000000, under that scheme's test secret (the integration-tests pom gives the same
     * strings to the WAR). Each was checked with python3's {@code hmac} too.
     */
    public static final List<SchemeVector> SCHEMES = List.of(
            /*
             * KEY=$(printf '%s' 'aW50ZWdyYXRpb24tdGVzdHMtb25seS13ZWFsdGhrZXJuZWwtOWI0ZQ==' | base64 -d | od -An -v -tx1 | tr -d ' \n')
             * printf '%s%s' "$BODY" 1700000000 | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -r
             */
            new SchemeVector(SchemeSender.WEALTHKERNEL, "aW50ZWdyYXRpb24tdGVzdHMtb25seS13ZWFsdGhrZXJuZWwtOWI0ZQ==",
                    "27687c84285f38655b8718c72b16d6d67c5eea5f260714896866703e388ea6fe"),
            /*
             * KEY=$(printf '%s' 'aW50ZWdyYXRpb24tdGVzdHMtb25seS1zdGFuZGFyZC01YzdkMWE=' | base64 -d | od -An -v -tx1 | tr -d ' \n')
             * printf '%s.%s.%s' msg_openssl_1 1700000000 "$BODY" \
             *   | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | openssl base64 -A
             */
            new SchemeVector(SchemeSender.STANDARD_WEBHOOKS,
                    "whsec_aW50ZWdyYXRpb24tdGVzdHMtb25seS1zdGFuZGFyZC01YzdkMWE=",
                    "y1Me0XWterTGhUsRzk234ObAXfkZHsIpyJl3kn3SsBc="),
            /*
             * KEY=$(printf '%s' 'aW50ZWdyYXRpb24tdGVzdHMtb25seS1zdml4LThkMmU2Zg==' | base64 -d | od -An -v -tx1 | tr -d ' \n')
             * printf '%s.%s.%s' msg_openssl_1 1700000000 "$BODY" \
             *   | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | openssl base64 -A
             */
            new SchemeVector(SchemeSender.SVIX, "whsec_aW50ZWdyYXRpb24tdGVzdHMtb25seS1zdml4LThkMmU2Zg==",
                    "OPZD6tuDcmp+9hMpeNQKuWB3MVvNlSxE2J1q2uqQFP8="),
            /* printf '%s.%s' 1700000000 "$BODY" | openssl dgst -sha256 -hmac 'whsec_integration_tests_only_stripe_2d8f6b' -r */
            new SchemeVector(SchemeSender.STRIPE, "whsec_integration_tests_only_stripe_2d8f6b",
                    "0977ca816ad1bac888b26793b2cdc86754f55aa080583a285d8e10895a5ae222"),
            /* printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'github_integration_tests_only_7e3a9c41' -r */
            new SchemeVector(SchemeSender.GITHUB, "github_integration_tests_only_7e3a9c41",
                    "79e88b2fe4ad807801bb88b76fdfb14370cbff426ffa1c4dac717894d05f79a0"),
            /* printf 'v0:%s:%s' 1700000000 "$BODY" | openssl dgst -sha256 -hmac 'slack_integration_tests_only_4b8e1f' -r */
            new SchemeVector(SchemeSender.SLACK, "slack_integration_tests_only_4b8e1f",
                    "7f2290bb92bd80eb29080a1d1b27aa975a00dff48d53b7f07cafd3f5430237ca"),
            /* printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'shopify_integration_tests_only_6c2d9a' -binary | openssl base64 -A */
            new SchemeVector(SchemeSender.SHOPIFY, "shopify_integration_tests_only_6c2d9a",
                    "5vUc8ewmDbmyyop/uI3f9mFVowdNCq9XUM5YCZ831YY="),
            /* printf '%s:%s' 1700000000 "$BODY" | openssl dgst -sha256 -hmac 'pdl_ntfset_integration_tests_only_8f3e' -r */
            new SchemeVector(SchemeSender.PADDLE, "pdl_ntfset_integration_tests_only_8f3e",
                    "1e9d0967ec55eaf079945200c0ac2ecddb7466bc91fa73df0df359cce7df1362"));

    private OpensslVectors() {
    }

    /** A body, its timestamp and the v1 that openssl computed for them under {@link #SECRET}. */
    public record Vector(byte[] body, long t, String v1) {

        /** The header a sender puts on this body. */
        public String header() {
            return "t=" + t + ",v1=" + v1;
        }
    }

    /**
     * A MAC openssl computed for {@code sender}'s message over the {@link #JSON} body, id
     * {@value SchemeVector#ID} and t {@value SchemeVector#T}, under {@code secret}; with
     * {@code BODY='{"eventId":"evt_openssl_1","eventType":{"name":"invoice.paid"}}'}.
     */
    public record SchemeVector(SchemeSender sender, String secret, String mac) {

        public static final String ID = "msg_openssl_1";
        public static final long T = 1700000000L;

        /** The body that was signed. */
        public byte[] body() {
            return JSON.body();
        }

        /** The headers a sender puts on the body. */
        public Map<String, String> headers() {
            return sender.headers(mac, ID, T);
        }

        @Override
        public String toString() {
            return sender.scheme();
        }
    }
}
