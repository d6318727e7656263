package dev.webhookfilter.cli;

import java.nio.charset.StandardCharsets;

/**
 * Signature vectors computed with OpenSSL 3.0 (not with this library), each with its command line.
 * The signed message is the body bytes followed by the ASCII of t.
 */
final class CliVectors {

    static final String DEV_SECRET = "whsec_example_development_only";
    static final long T = 1_700_000_000L;

    /** A body, the secret, t, and the expected v1. */
    record Vector(String name, byte[] body, String secret, long t, String v1) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String TEST_EVENT =
            "{\"eventId\":\"whevt-1\",\"eventType\":{\"name\":\"webhooks.test\",\"version\":1},\"payload\":{}}";

    // printf '%s%s' '{"eventId":"whevt-1","eventType":{"name":"webhooks.test","version":1},"payload":{}}' 1700000000 \
    //   | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
    static final Vector TEST_EVENT_VECTOR = new Vector("test event", utf8(TEST_EVENT), DEV_SECRET, T,
            "PMF19dqKqjVGg7mkrl6a+bNPJV9lbw/Dpb76z/xmrZM=");

    // printf '%s' 1 | openssl dgst -sha256 -hmac s3cret -binary | base64
    static final Vector EMPTY_BODY = new Vector("empty body, t=1", new byte[0], "s3cret", 1,
            "xKtCi0GWfrOnH5i5zj1XdFmd0wSqK+S4gmaK3+SG/eo=");

    // printf 'hello\n1700000000' | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
    static final Vector HELLO_NEWLINE = new Vector("body ending in a newline", utf8("hello\n"), DEV_SECRET, T,
            "OYLjroJ/2C3vspzrcLk6f91l2nP+TTFSl0UocQVnOv4=");

    // printf 'hello1700000000' | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
    static final String HELLO_WITHOUT_NEWLINE_V1 = "/C0B7bejbvll9ZDO4wgRglooTeNkhpdDkRia60e7GN8=";

    // printf 'é1700000000' | openssl dgst -sha256 -hmac 'clé-secrète' -binary | base64   (UTF-8 shell)
    static final Vector UNICODE = new Vector("UTF-8 body and secret", utf8("é"), "clé-secrète", T,
            "VBoq0kTPpCk+oQRO6ios4NGMBjNVZyG5iX9FGU4/nUQ=");

    // printf '\x00\xff\x80\r\n1700000000' | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64
    static final Vector BINARY = new Vector("binary body with CRLF",
            new byte[] {0x00, (byte) 0xff, (byte) 0x80, '\r', '\n'}, DEV_SECRET, T,
            "TZTuQ6lVIlg9jTtypH5JotbKUKWIZXG/6U5kgEYFl94=");

    // A body whose CR LF end straddles the first two arrays a pipe is read into (8 KiB, then more): 8191 'a', CR, LF.
    // { head -c 8191 /dev/zero | tr '\0' a; printf '\r\n1700000000'; } \
    //   | openssl dgst -sha256 -hmac whsec_example_development_only -binary | base64            (OpenSSL 3.0.19)
    // python3: hmac.new(key, b"a" * 8191 + b"\r\n1700000000", hashlib.sha256) gives the same
    static final Vector CRLF_ACROSS_ARRAYS = new Vector("CR LF across the first two arrays of a pipe",
            crlfAcrossArrays(), DEV_SECRET, T, "stKuVBtiXSIi4cWz59guqEQDZ6kiL9I/6bD+gxHNxKY=");
    // The same body without its CR LF: { head -c 8191 /dev/zero | tr '\0' a; printf '1700000000'; } | openssl ...
    static final String CRLF_ACROSS_ARRAYS_WITHOUT_V1 = "HN8pbPwKTrWp45Ntq/Cfz5DK6s+2cP0oy280r3K7Dms=";
    // { head -c 8191 /dev/zero | tr '\0' a; printf '\r\n'; } | sha256sum
    static final String CRLF_ACROSS_ARRAYS_SHA256 = "7b847caebc01a279459fcc181b8791100b0504e5acf6d44a68931757ae644a89";

    // Rotation: one body, two secrets, t=1700000300.
    // printf '{}1700000300' | openssl dgst -sha256 -hmac old_secret -binary | base64
    static final String ROTATION_OLD_V1 = "BG528D/4tCIPrlgH9IDCWZGnUZiwy55vpZ07DH3s5cQ=";
    // printf '{}1700000300' | openssl dgst -sha256 -hmac new_secret -binary | base64
    static final String ROTATION_NEW_V1 = "75r1zmSZXbYfOuvATtXm5AUIsHZYuiBpLtkElOhFhjk=";
    static final long ROTATION_T = 1_700_000_300L;

    static Vector[] all() {
        return new Vector[] {TEST_EVENT_VECTOR, EMPTY_BODY, HELLO_NEWLINE, UNICODE, BINARY};
    }

    private static byte[] crlfAcrossArrays() {
        byte[] body = new byte[8193];
        java.util.Arrays.fill(body, (byte) 'a');
        body[8191] = '\r';
        body[8192] = '\n';
        return body;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private CliVectors() {
    }
}
