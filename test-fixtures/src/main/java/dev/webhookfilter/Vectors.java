package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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

    // The largest t the grammar takes, Long.MAX_VALUE:
    // printf '%s' '{"a":1}9223372036854775807' | openssl dgst -sha256 -hmac 'whsec_unit_test_secret_A_0001' -binary | base64
    // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"whsec_unit_test_secret_A_0001",
    //   b"{\"a\":1}9223372036854775807", hashlib.sha256).digest()).decode())' gives the same
    public static final String SIMPLE_A_AT_LONG_MAX = "z4huUBSr49w+rWGNIAsj7QvVamepkWwZT9kjzVAHRSk=";

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

    // ---------------------------------------------------------------------------------------------
    // The other schemes. Every vector below is at T = {@value #T} and, where the scheme signs a message
    // id, ID = {@value #ID}; the bodies are the ones above (SIMPLE_BODY, EMPTY_BODY, UTF8_BODY, CRLF_BODY,
    // NON_UTF8_BODY). Values are the MAC as the scheme spells it (hex or base64), without labels.
    // svix signs exactly as standard-webhooks: its vectors are StandardWebhooks'.
    // ---------------------------------------------------------------------------------------------

    public static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    /**
     * GitHub's documented vector (docs.github.com, "Validating webhook deliveries"), checked with
     * printf '%s' 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
     */
    public static final String GITHUB_DOC_SECRET = "It's a Secret to Everybody";
    public static final byte[] GITHUB_DOC_BODY = ascii("Hello, World!");
    public static final String GITHUB_DOC_HEADER = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    /**
     * The Standard Webhooks / Svix documented example (the reference libraries' tests), checked with
     * printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' | openssl dgst -sha256 -mac HMAC
     *   -macopt hexkey:$(printf '%s' MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256) -binary | base64
     * and with python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(base64.b64decode(
     *   'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}',
     *   hashlib.sha256).digest()).decode())"
     */
    public static final String STANDARD_DOC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static final String STANDARD_DOC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public static final long STANDARD_DOC_T = 1_614_265_330L;
    public static final byte[] STANDARD_DOC_BODY = ascii("{\"test\": 2432232314}");
    public static final String STANDARD_DOC_HEADER = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /**
     * Slack's documented example (api.slack.com, "Verifying requests from Slack"), checked with
     * printf '%s' "v0:1531420618:$SLACK_DOC_BODY" | openssl dgst -sha256 -hmac '8f742231b10e8888abcd99yyyzzz85a5'
     * and with python3 -c "import hmac,hashlib; print(hmac.new(b'8f742231b10e8888abcd99yyyzzz85a5',
     *   b'v0:1531420618:' + BODY, hashlib.sha256).hexdigest())"
     */
    public static final String SLACK_DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final long SLACK_DOC_T = 1_531_420_618L;
    public static final byte[] SLACK_DOC_BODY = ascii("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
    public static final String SLACK_DOC_HEADER = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    /**
     * Shopify's own library's vector (Shopify/shopify-app-js, packages/apps/shopify-api/lib/webhooks/__tests__/
     * validate.test.ts: this body under its test configuration's API secret), checked with
     * printf '%s' '{"foo": "bar"}' | openssl dgst -sha256 -hmac test_secret_key -binary | base64
     * and with python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"test_secret_key",
     *   b"{\"foo\": \"bar\"}", hashlib.sha256).digest()).decode())'
     */
    public static final String SHOPIFY_SDK_SECRET = "test_secret_key";
    public static final byte[] SHOPIFY_SDK_BODY = ascii("{\"foo\": \"bar\"}");
    public static final String SHOPIFY_SDK_HEADER = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=";

    /** Scheme wealthkernel: signed message {body}{t}, hex, key b64. */
    public static final class Wealthkernel {
        public static final String SECRET_A = "d2VhbHRoa2VybmVsLXRlc3Qta2V5LUEtMDAwMQ==";
        public static final String SECRET_B = "d2VhbHRoa2VybmVsLXRlc3Qta2V5LUItMDAwMg==";
        // Keys as hex, for openssl's -macopt hexkey: printf '%s' 'd2VhbHRoa2VybmVsLXRlc3Qta2V5LUEtMDAwMQ==' | base64 -d | xxd -p -c 256
        //   A: 7765616c74686b65726e656c2d746573742d6b65792d412d30303031   B: 7765616c74686b65726e656c2d746573742d6b65792d422d30303032
        // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:7765616c74686b65726e656c2d746573742d6b65792d412d30303031 -r
        public static final String SIMPLE_A = "3429b5db115766fa385625115a037035f45ee2ef7b0923a05a27b30366958285";
        // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:7765616c74686b65726e656c2d746573742d6b65792d422d30303032 -r
        public static final String SIMPLE_B = "9d783ece4eb7142867f326df050e3b96c0d3634365905d03bb4e13bfd9c1136b";
        // printf '%s' 1700000000 | openssl dgst -sha256 -mac HMAC -macopt hexkey:7765616c74686b65726e656c2d746573742d6b65792d412d30303031 -r
        public static final String EMPTY_A = "c6d54bff72a5af9aae22129216ede6dc2bd6ffc8286eb03dd6e9381f1040597e";
        // printf '%s' '{"name":"Zoë ✓ 日本"}1700000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:7765616c74686b65726e656c2d746573742d6b65792d412d30303031 -r
        public static final String UTF8_A = "ab02bc3b018386a04461b27a352e039281e2a2858dce8c8147f06350504ec541";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(base64.b64decode("d2VhbHRoa2VybmVsLXRlc3Qta2V5LUEtMDAwMQ=="), b"{\"a\":1}\r\n{\"b\":2}\r\n1700000000", hashlib.sha256); print(m.hexdigest())'
        public static final String CRLF_A = "e5ecebb35191ba6fdceef6cbb2659e7d1b9c9f98a5d6ad88dab664920ca783e2";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(base64.b64decode("d2VhbHRoa2VybmVsLXRlc3Qta2V5LUEtMDAwMQ=="), b"\xff\xfe\x00\x011700000000", hashlib.sha256); print(m.hexdigest())'
        public static final String NON_UTF8_A = "749b3c284cf537dc3ea0f21cdd7f4d6cbb46426d7acdb15dc08f914af4196816";

        private Wealthkernel() {
        }
    }

    /** Scheme standard-webhooks: signed message {id}.{t}.{body}, base64, key whsec. */
    public static final class StandardWebhooks {
        public static final String SECRET_A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        public static final String SECRET_B = "whsec_c3RhbmRhcmQtd2ViaG9va3Mta2V5LUIh";
        // Keys as hex, for openssl's -macopt hexkey: printf '%s' 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' | base64 -d | xxd -p -c 256
        //   A: 31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0   B: 7374616e646172642d776562686f6f6b732d6b65792d4221
        // printf '%s' 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.{"a":1}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64
        public static final String SIMPLE_A = "UdxxsK5KYQP8UGieeSYGNQRRskhyhjPfsuKdnUmpNE0=";
        // printf '%s' 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.{"a":1}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:7374616e646172642d776562686f6f6b732d6b65792d4221 -binary | base64
        public static final String SIMPLE_B = "XjtvQVYRucIklC21qLPT20LzGDgzBi2LDioAwQQdtyY=";
        // printf '%s' msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000. | openssl dgst -sha256 -mac HMAC -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64
        public static final String EMPTY_A = "GK7FPpBuUieGvrcTbY78+/3kXIhvUBqXNwpNSBOxkY4=";
        // printf '%s' 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64
        public static final String UTF8_A = "AYYPcWl32b19muROW/tMl1Uf7snAyk8NYLZjdHpxdqA=";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), b"msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(base64.b64encode(m.digest()).decode())'
        public static final String CRLF_A = "cegUp91MyKtDOKnBJfq6/ZRNn1sFY8b2oAMZfkMGaFc=";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), b"msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.\xff\xfe\x00\x01", hashlib.sha256); print(base64.b64encode(m.digest()).decode())'
        public static final String NON_UTF8_A = "cOSp5Hrxo4JI3fGSxZIJE3Yim81YEGVOjc3iDUr/vZ4=";

        private StandardWebhooks() {
        }
    }

    /** Scheme stripe: signed message {t}.{body}, hex, key utf8. */
    public static final class Stripe {
        public static final String SECRET_A = "whsec_stripe_test_secret_A_0001";
        public static final String SECRET_B = "whsec_stripe_test_secret_B_0002";
        // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_stripe_test_secret_A_0001 -r
        public static final String SIMPLE_A = "d764a989b29c36f784a211923e44358243b3ff333304d44c2f38845499aa43d7";
        // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_stripe_test_secret_B_0002 -r
        public static final String SIMPLE_B = "88a9e5830326036b7534ff708676226b71e55669f1047b9564d2e8f90ba08d78";
        // printf '%s' 1700000000. | openssl dgst -sha256 -hmac whsec_stripe_test_secret_A_0001 -r
        public static final String EMPTY_A = "e776109b1e33212b7b0443a63488c2fdd235e9a978c7d68c25962767bc5d70c5";
        // printf '%s' '1700000000.{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -hmac whsec_stripe_test_secret_A_0001 -r
        public static final String UTF8_A = "8e1b70b852363ed8eda66132a5203e9abc6ea4fb21eb7a235d0a653f9b034b47";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"whsec_stripe_test_secret_A_0001", b"1700000000.{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(m.hexdigest())'
        public static final String CRLF_A = "3e7d2ab6d33c174c8182431b43365b7b97467459de18bc2f57ab13d7ddedad7a";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"whsec_stripe_test_secret_A_0001", b"1700000000.\xff\xfe\x00\x01", hashlib.sha256); print(m.hexdigest())'
        public static final String NON_UTF8_A = "3c16541c0c5e3d2f8fc4f6efc26f75488b44420041670e5db95794fc21c5eff7";

        private Stripe() {
        }
    }

    /** Scheme github: signed message {body}, hex, key utf8. */
    public static final class Github {
        public static final String SECRET_A = "It's a Secret to Everybody";
        public static final String SECRET_B = "github_test_secret_B_0002";
        // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac 'It'"'"'s a Secret to Everybody' -r
        public static final String SIMPLE_A = "3aea7d9882012d69ea49b8443b94e755179f85ee830bfa901efb5dc673af63a3";
        // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac github_test_secret_B_0002 -r
        public static final String SIMPLE_B = "5eb3f39871e8806645de72e6f527ae05cf4f2de6e327b3c6c4af4da0f56a98dc";
        // printf '%s' '' | openssl dgst -sha256 -hmac 'It'"'"'s a Secret to Everybody' -r
        public static final String EMPTY_A = "66a0c074deaa0f489ead6537e0d32f9a344b90bbeda705b6ed45ecd3b413fb40";
        // printf '%s' '{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -hmac 'It'"'"'s a Secret to Everybody' -r
        public static final String UTF8_A = "8dc132bcc3b56d8571109987c04607d5703bb0a10e6f4d259694ec61bf52ec5f";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"It'"'"'s a Secret to Everybody", b"{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(m.hexdigest())'
        public static final String CRLF_A = "e8d06b27f935c58b335f40b4b8f7016aba3d351dc6e9e78df2457fe834484484";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"It'"'"'s a Secret to Everybody", b"\xff\xfe\x00\x01", hashlib.sha256); print(m.hexdigest())'
        public static final String NON_UTF8_A = "5702c8786d3caadc8970d05d0aa57897410676fa2766399b972b2d8a7beba176";

        private Github() {
        }
    }

    /** Scheme slack: signed message v0:{t}:{body}, hex, key utf8. */
    public static final class Slack {
        public static final String SECRET_A = "8f742231b10e8888abcd99yyyzzz85a5";
        public static final String SECRET_B = "slack_test_secret_B_0002";
        // printf '%s' 'v0:1700000000:{"a":1}' | openssl dgst -sha256 -hmac 8f742231b10e8888abcd99yyyzzz85a5 -r
        public static final String SIMPLE_A = "bf94e249dbe1c9dd84cfb82d4aefad8e69862c80f2e9f48c95022d18ad6a4b84";
        // printf '%s' 'v0:1700000000:{"a":1}' | openssl dgst -sha256 -hmac slack_test_secret_B_0002 -r
        public static final String SIMPLE_B = "93f26d6e4a0ec73aa0fe25d257e4425d2e1eed5b621f12a4859095c13b55e21a";
        // printf '%s' v0:1700000000: | openssl dgst -sha256 -hmac 8f742231b10e8888abcd99yyyzzz85a5 -r
        public static final String EMPTY_A = "e32114b39f9a22e4b8d8778478b39e6ed0677e5562e5474c3104b4074f1917e2";
        // printf '%s' 'v0:1700000000:{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -hmac 8f742231b10e8888abcd99yyyzzz85a5 -r
        public static final String UTF8_A = "c415de7403b93a6d3abbe4ca1afed999a1faa7b31aae477506ef8ac21889b621";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"8f742231b10e8888abcd99yyyzzz85a5", b"v0:1700000000:{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(m.hexdigest())'
        public static final String CRLF_A = "3d0a1154b64d5e4d99f274e6cc0c41e42ee3495e0b0c51d91798b836c5fbfcdc";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"8f742231b10e8888abcd99yyyzzz85a5", b"v0:1700000000:\xff\xfe\x00\x01", hashlib.sha256); print(m.hexdigest())'
        public static final String NON_UTF8_A = "c338feda1d4c0cd30fc3f16b9926eaa9604d2494c44e82472e318e8057ce5b8d";

        private Slack() {
        }
    }

    /** Scheme shopify: signed message {body}, base64, key utf8. */
    public static final class Shopify {
        public static final String SECRET_A = "shpss_shopify_test_secret_A_0001";
        public static final String SECRET_B = "shpss_shopify_test_secret_B_0002";
        // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac shpss_shopify_test_secret_A_0001 -binary | base64
        public static final String SIMPLE_A = "iTqLQQutRgk3NTrVRuKRrcQT5vZhBUcMAI1pI4kWNHo=";
        // printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac shpss_shopify_test_secret_B_0002 -binary | base64
        public static final String SIMPLE_B = "tETzpaIJCzFDaCnuyUH8QcTtAZLgWe4YaKyKZtDKjLI=";
        // printf '%s' '' | openssl dgst -sha256 -hmac shpss_shopify_test_secret_A_0001 -binary | base64
        public static final String EMPTY_A = "rhmTut4bcFhhzr1p0pRcwKNq544zQdEUta36XHf3js8=";
        // printf '%s' '{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -hmac shpss_shopify_test_secret_A_0001 -binary | base64
        public static final String UTF8_A = "l/m9KU2Kncq9V6QfrDaNIYS7ABIy8xf7D5fVrjgvEhc=";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"shpss_shopify_test_secret_A_0001", b"{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(base64.b64encode(m.digest()).decode())'
        public static final String CRLF_A = "AWECewZn5oTWHEW+cC6QlTTcoBLwYPxp0vk2sxEZ3iU=";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"shpss_shopify_test_secret_A_0001", b"\xff\xfe\x00\x01", hashlib.sha256); print(base64.b64encode(m.digest()).decode())'
        public static final String NON_UTF8_A = "KrnhH8oFrzCnU00pfFZrDB6zdCOlYXfpxJ+DgvAmse0=";

        private Shopify() {
        }
    }

    /** Scheme paddle: signed message {t}:{body}, hex, key utf8. */
    public static final class Paddle {
        public static final String SECRET_A = "pdl_ntfset_paddle_test_secret_A_0001";
        public static final String SECRET_B = "pdl_ntfset_paddle_test_secret_B_0002";
        // printf '%s' '1700000000:{"a":1}' | openssl dgst -sha256 -hmac pdl_ntfset_paddle_test_secret_A_0001 -r
        public static final String SIMPLE_A = "d16dfc4f9fe933c057c4d8579903c9f0c1e679c994c191623df6f4d6f80365d9";
        // printf '%s' '1700000000:{"a":1}' | openssl dgst -sha256 -hmac pdl_ntfset_paddle_test_secret_B_0002 -r
        public static final String SIMPLE_B = "1cd46d03239a23adbf4bbb2c5c7c356b80cd31b529625c74c666a5f9043a9163";
        // printf '%s' 1700000000: | openssl dgst -sha256 -hmac pdl_ntfset_paddle_test_secret_A_0001 -r
        public static final String EMPTY_A = "e6f15591176cfa15ac11b295474e38735f21fce6aaae57b22a35066d61891aa0";
        // printf '%s' '1700000000:{"name":"Zoë ✓ 日本"}' | openssl dgst -sha256 -hmac pdl_ntfset_paddle_test_secret_A_0001 -r
        public static final String UTF8_A = "873dbec51a20ad87a43e9b018e68affc4f5fb0a0546fcbb3f0f30a9580e32392";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"pdl_ntfset_paddle_test_secret_A_0001", b"1700000000:{\"a\":1}\r\n{\"b\":2}\r\n", hashlib.sha256); print(m.hexdigest())'
        public static final String CRLF_A = "59946b46ca31327ef7426d6181cc89c8314930279131c50113a08c0243bd013e";
        // python3 -c 'import hmac,hashlib,base64; m=hmac.new(b"pdl_ntfset_paddle_test_secret_A_0001", b"1700000000:\xff\xfe\x00\x01", hashlib.sha256); print(m.hexdigest())'
        public static final String NON_UTF8_A = "19702734a18de75a0dcf79586fb0fe187088f8d896990d9c0144cb534b190df4";

        private Paddle() {
        }
    }

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

    /** One vector of a scheme other than wealthkernel-2022: the MAC of {@code body} under {@code secret} at T (and ID). */
    public record SchemeVector(String scheme, String bodyName, byte[] body, String secret, String mac) {
        @Override
        public String toString() {
            return scheme + ", " + bodyName;
        }
    }

    /** Every body vector of every scheme but wealthkernel-2022, under that scheme's secret A. */
    public static Stream<SchemeVector> schemeVectors() {
        return Stream.of(
                bodies("wealthkernel", Wealthkernel.SECRET_A, Wealthkernel.SIMPLE_A, Wealthkernel.EMPTY_A,
                        Wealthkernel.UTF8_A, Wealthkernel.CRLF_A, Wealthkernel.NON_UTF8_A),
                bodies("standard-webhooks", StandardWebhooks.SECRET_A, StandardWebhooks.SIMPLE_A, StandardWebhooks.EMPTY_A,
                        StandardWebhooks.UTF8_A, StandardWebhooks.CRLF_A, StandardWebhooks.NON_UTF8_A),
                bodies("svix", StandardWebhooks.SECRET_A, StandardWebhooks.SIMPLE_A, StandardWebhooks.EMPTY_A,
                        StandardWebhooks.UTF8_A, StandardWebhooks.CRLF_A, StandardWebhooks.NON_UTF8_A),
                bodies("stripe", Stripe.SECRET_A, Stripe.SIMPLE_A, Stripe.EMPTY_A, Stripe.UTF8_A, Stripe.CRLF_A,
                        Stripe.NON_UTF8_A),
                bodies("github", Github.SECRET_A, Github.SIMPLE_A, Github.EMPTY_A, Github.UTF8_A, Github.CRLF_A,
                        Github.NON_UTF8_A),
                bodies("slack", Slack.SECRET_A, Slack.SIMPLE_A, Slack.EMPTY_A, Slack.UTF8_A, Slack.CRLF_A, Slack.NON_UTF8_A),
                bodies("shopify", Shopify.SECRET_A, Shopify.SIMPLE_A, Shopify.EMPTY_A, Shopify.UTF8_A, Shopify.CRLF_A,
                        Shopify.NON_UTF8_A),
                bodies("paddle", Paddle.SECRET_A, Paddle.SIMPLE_A, Paddle.EMPTY_A, Paddle.UTF8_A, Paddle.CRLF_A,
                        Paddle.NON_UTF8_A))
                .flatMap(s -> s);
    }

    /**
     * Every body vector of every scheme under that scheme's secret A, in {@code Scheme.names()} order (the default,
     * wealthkernel-2022, first): the bodies with CR LF, multibyte UTF-8 and bytes that are not UTF-8 beside the simple
     * and the empty one, for whatever signs or verifies in each scheme.
     */
    public static Stream<SchemeVector> everyBodyOfEveryScheme() {
        return Stream.concat(bodies("wealthkernel-2022", SECRET_A, SIMPLE_A, EMPTY_A, UTF8_A, CRLF_A, NON_UTF8_A),
                schemeVectors());
    }

    /** Secret A, secret B and the SIMPLE_BODY MACs under each, per scheme but wealthkernel-2022. */
    public static Stream<SchemeVector[]> simplePairs() {
        return Stream.of(
                pair("wealthkernel", Wealthkernel.SECRET_A, Wealthkernel.SIMPLE_A, Wealthkernel.SECRET_B, Wealthkernel.SIMPLE_B),
                pair("standard-webhooks", StandardWebhooks.SECRET_A, StandardWebhooks.SIMPLE_A, StandardWebhooks.SECRET_B,
                        StandardWebhooks.SIMPLE_B),
                pair("svix", StandardWebhooks.SECRET_A, StandardWebhooks.SIMPLE_A, StandardWebhooks.SECRET_B,
                        StandardWebhooks.SIMPLE_B),
                pair("stripe", Stripe.SECRET_A, Stripe.SIMPLE_A, Stripe.SECRET_B, Stripe.SIMPLE_B),
                pair("github", Github.SECRET_A, Github.SIMPLE_A, Github.SECRET_B, Github.SIMPLE_B),
                pair("slack", Slack.SECRET_A, Slack.SIMPLE_A, Slack.SECRET_B, Slack.SIMPLE_B),
                pair("shopify", Shopify.SECRET_A, Shopify.SIMPLE_A, Shopify.SECRET_B, Shopify.SIMPLE_B),
                pair("paddle", Paddle.SECRET_A, Paddle.SIMPLE_A, Paddle.SECRET_B, Paddle.SIMPLE_B));
    }

    /** SIMPLE_BODY under secret A, one vector per scheme, in {@code Scheme.names()} order (the default first). */
    public static Stream<SchemeVector> simpleOfEveryScheme() {
        return Stream.concat(Stream.of(new SchemeVector("wealthkernel-2022", "simple JSON", SIMPLE_BODY, SECRET_A, SIMPLE_A)),
                simplePairs().map(pair -> pair[0]));
    }

    private static SchemeVector[] pair(String scheme, String secretA, String macA, String secretB, String macB) {
        return new SchemeVector[] {new SchemeVector(scheme, "simple JSON", SIMPLE_BODY, secretA, macA),
            new SchemeVector(scheme, "simple JSON", SIMPLE_BODY, secretB, macB)};
    }

    private static Stream<SchemeVector> bodies(String scheme, String secret, String simple, String empty, String utf8,
                                               String crlf, String nonUtf8) {
        return Stream.of(new SchemeVector(scheme, "simple JSON", SIMPLE_BODY, secret, simple),
                new SchemeVector(scheme, "empty body", EMPTY_BODY, secret, empty),
                new SchemeVector(scheme, "UTF-8 body", UTF8_BODY, secret, utf8),
                new SchemeVector(scheme, "CRLF body", CRLF_BODY, secret, crlf),
                new SchemeVector(scheme, "bytes that are not UTF-8", NON_UTF8_BODY, secret, nonUtf8));
    }

    /**
     * The headers a sender of {@code scheme} writes for these MACs (already spelled), at timestamp
     * {@code t} and message id {@link #ID}: written out here from the senders' documentation, not by
     * the library's signer. A scheme with one signature per header takes exactly one MAC.
     */
    public static java.util.Map<String, String> headersAt(String scheme, String t, String... macs) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        switch (scheme) {
            case "wealthkernel-2022" -> headers.put("X-Webhook-Signature", "t=" + t + list(",v1=", macs));
            case "wealthkernel" -> headers.put("Webhook-Signature", "t=" + t + list(",v1=", macs));
            case "stripe" -> headers.put("Stripe-Signature", "t=" + t + list(",v1=", macs));
            case "paddle" -> headers.put("Paddle-Signature", "ts=" + t + list(";h1=", macs));
            case "standard-webhooks", "svix" -> {
                String prefix = scheme.equals("svix") ? "svix-" : "webhook-";
                headers.put(prefix + "id", ID);
                headers.put(prefix + "timestamp", t);
                headers.put(prefix + "signature", list(" v1,", macs).substring(1));
            }
            case "github" -> headers.put("X-Hub-Signature-256", "sha256=" + single(macs));
            case "slack" -> {
                headers.put("X-Slack-Request-Timestamp", t);
                headers.put("X-Slack-Signature", "v0=" + single(macs));
            }
            case "shopify" -> headers.put("X-Shopify-Hmac-Sha256", single(macs));
            default -> throw new IllegalArgumentException(scheme);
        }
        return headers;
    }

    /** {@link #headersAt(String, String, String...)} at {@link #T}. */
    public static java.util.Map<String, String> headers(String scheme, String... macs) {
        return headersAt(scheme, Long.toString(T), macs);
    }

    private static String list(String before, String... macs) {
        StringBuilder list = new StringBuilder();
        for (String mac : macs) {
            list.append(before).append(mac);
        }
        return list.toString();
    }

    private static String single(String... macs) {
        if (macs.length != 1) {
            throw new IllegalArgumentException("this scheme carries one signature");
        }
        return macs[0];
    }

    /**
     * HMAC-SHA256 itself, whatever the scheme: keys and messages in hex, the MAC in hex. The first seven
     * are RFC 4231's test cases 1 to 7 (section 4; case 5's MAC given whole, where the RFC truncates it
     * to 128 bits), keys shorter than a block and longer (131 bytes: hashed first). The last three are
     * keys of 63, 64 and 65 bytes, either side of the 64-byte block, over {@code {"a":1}1700000000}.
     * Every MAC checked with Python 3.11:
     * {@code python3 -c 'import hmac,hashlib; print(hmac.new(bytes.fromhex(K), bytes.fromhex(M), hashlib.sha256).hexdigest())'},
     * and the first with
     * {@code printf 'Hi There' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b}.
     */
    public static Stream<Arguments> hmacSha256() {
        String simple = hexOf(ascii("{\"a\":1}1700000000"));
        return Stream.of(
                Arguments.of("RFC 4231 case 1", "0b".repeat(20), hexOf(ascii("Hi There")),
                        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                Arguments.of("RFC 4231 case 2", hexOf(ascii("Jefe")), hexOf(ascii("what do ya want for nothing?")),
                        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                Arguments.of("RFC 4231 case 3", "aa".repeat(20), "dd".repeat(50),
                        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
                Arguments.of("RFC 4231 case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819", "cd".repeat(50),
                        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
                Arguments.of("RFC 4231 case 5", "0c".repeat(20), hexOf(ascii("Test With Truncation")),
                        "a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"),
                Arguments.of("RFC 4231 case 6", "aa".repeat(131),
                        hexOf(ascii("Test Using Larger Than Block-Size Key - Hash Key First")),
                        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                Arguments.of("RFC 4231 case 7", "aa".repeat(131), hexOf(ascii("This is a test using a larger than"
                        + " block-size key and a larger than block-size data. The key needs to be hashed before being"
                        + " used by the HMAC algorithm.")),
                        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
                // bytes(i * 7 % 256 for i in range(n)) for n = 63, 64, 65
                Arguments.of("a 63-byte key", "00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7ee"
                        + "f5fc030a11181f262d343b424950575e656c737a81888f969da4abb2", simple,
                        "27e7320cc6e7bcb13d7592dab3d153f1ba2642ef11b7227c0c82144ae2112083"),
                Arguments.of("a 64-byte key", "00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7ee"
                        + "f5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9", simple,
                        "c51b59040f78d5554d8001946b207de7e6212b654beb907c75bf473642a1e95b"),
                Arguments.of("a 65-byte key", "00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7ee"
                        + "f5fc030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0", simple,
                        "f77406cac9990ef22e61296dc61c7dbb6eb0287ff935b426b9aa123d6c3163d1"));
    }

    private static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
