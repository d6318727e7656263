package dev.webhookfilter.it;

import java.nio.charset.StandardCharsets;

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

    private OpensslVectors() {
    }

    /** A body, its timestamp and the v1 that openssl computed for them under {@link #SECRET}. */
    public record Vector(byte[] body, long t, String v1) {

        /** The header a sender puts on this body. */
        public String header() {
            return "t=" + t + ",v1=" + v1;
        }
    }
}
