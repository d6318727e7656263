package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Signature vectors computed once with OpenSSL 3.0 and Python 3.11's {@code hmac} (never with this
 * library), each beside the command that made it. The signed message is the body bytes followed by
 * the ASCII of t; every vector here has t = {@value #T}.
 */
public final class Vectors {

    public static final String SECRET_A = "whsec_unit_test_secret_A_0001";
    public static final String SECRET_B = "whsec_unit_test_secret_B_0002";
    /** Keyed as its UTF-8 bytes: Latin-1, Cyrillic and a character outside the BMP. */
    public static final String NON_ASCII_SECRET = "sécret-ключ-🔑";
    public static final long T = 1_700_000_000L;

    public static final byte[] SIMPLE_BODY = ascii("{\"a\":1}");
    // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    public static final String SIMPLE_A = "OWkmshDsv7dsLrDPUDuRtbQXLvjV/PGFDR6hiOB0XZ0=";
    // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_B_0002' -binary | base64
    public static final String SIMPLE_B = "vZ/OhXHOCL5tGAjeLYi7PWiw3KIeHbTAAyfMnOGKUV0=";
    // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -hmac 'sécret-ключ-🔑' -binary | base64   (UTF-8 terminal)
    public static final String SIMPLE_NON_ASCII_SECRET = "pWoEluxh1hF0qPQ1GWzbBcVHPhbBiNVBq2WqXQRrp5M=";
    // The wrong order, t then body:
    // printf '%s' '1700000000{"a":1}' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    public static final String SIMPLE_A_TIMESTAMP_FIRST = "sBp+lpDSNM1ZwMw3FfDlHiMeTCG2zuvfwSdHAL0Wyfw=";

    // The replay key of SIMPLE_BODY at T: SHA-256 of len(scheme) as 4 bytes big-endian, the scheme's
    // name, len(t), t, then the body.
    // { printf '\x00\x00\x00\x11wealthkernel-2022'; printf '\x00\x00\x00\x0a'; printf '%s' '1700000000{"a":1}'; } | openssl dgst -sha256
    public static final String SIMPLE_REPLAY_KEY_HEX = "1f5471bb67fe8bd69f1893138bd238af8db00fca413d0d615630e4a56257c14a";

    public static final byte[] EMPTY_BODY = new byte[0];
    // printf '%s' '1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    public static final String EMPTY_A = "YYiAvfCBt2K+yRXuvKMeTmcp4jBUOx4A1MFIdi2tr0g=";

    public static final byte[] UTF8_BODY = "{\"name\":\"Zoë ✓ 日本\"}".getBytes(StandardCharsets.UTF_8);
    // printf '%s' '{"name":"Zoë ✓ 日本"}1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    // python3: hmac.new(A, '{"name":"Zoë ✓ 日本"}'.encode() + b"1700000000", hashlib.sha256) gives the same
    public static final String UTF8_A = "413a3tv2U/VbHH+weg7/P6e1THk9fzMLm6D+sXM5E24=";

    public static final byte[] CRLF_BODY = ascii("{\"a\":1}\r\n{\"b\":2}\r\n");
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"whsec_unit_test_secret_A_0001",
    //   b"{\"a\":1}\r\n{\"b\":2}\r\n1700000000", hashlib.sha256).digest()).decode())'
    public static final String CRLF_A = "VhITYUCm8kKw8ZWQFUV1if3D0t1zAv+iPUv1nJY0QDw=";

    public static final byte[] NON_UTF8_BODY = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01};
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"whsec_unit_test_secret_A_0001",
    //   b"\xff\xfe\x00\x01" b"1700000000", hashlib.sha256).digest()).decode())'
    public static final String NON_UTF8_A = "1VrESMGsnpuc0mPg1SvKEVfLCydt/QHT8Ep5ljzIp5w=";

    /*
     * The boundary shift: body "x0" with t=1700000000 and body "x" with t=01700000000 are the same
     * message, "x01700000000", so they carry the same MAC:
     * printf '%s' 'x01700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
     */
    public static final String X0_A = "R5rQavvjROggXJ49Oh4qVwvibs3SUVB67tp1ypRGDvg=";
    // printf '%s' 'x1700000000' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    public static final String X_A = "ZYG2rxwmfCjTdhHCd/GLWq0b71GkrKVpJxcHnG8BJPs=";

    private Vectors() {
    }

    /** Name, body and v1 under {@link #SECRET_A} of each body vector, for parameterised tests. */
    public static Stream<Arguments> bodiesUnderSecretA() {
        return Stream.of(
                Arguments.of("simple JSON", SIMPLE_BODY, SIMPLE_A),
                Arguments.of("empty body", EMPTY_BODY, EMPTY_A),
                Arguments.of("UTF-8 body", UTF8_BODY, UTF8_A),
                Arguments.of("CRLF body", CRLF_BODY, CRLF_A),
                Arguments.of("bytes that are not UTF-8", NON_UTF8_BODY, NON_UTF8_A));
    }

    /** {@code t=1700000000,v1=...} for each given v1, in order. */
    public static String header(String... v1) {
        StringBuilder header = new StringBuilder("t=").append(T);
        for (String v : v1) {
            header.append(",v1=").append(v);
        }
        return header.toString();
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
