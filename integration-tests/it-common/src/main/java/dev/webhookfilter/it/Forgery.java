package dev.webhookfilter.it;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ways a request to the WAR can fail to be genuine; each must get 401 and never reach the handler. The
 * container scenarios and the standalone distributions' contract both send these.
 */
public enum Forgery {
    /** Signed correctly, but with a secret the server does not have. */
    WRONG_SECRET {
        @Override
        public String header(String secret, byte[] body, long now) {
            return WebhookSigner.of(FORGERS_SECRET).sign(body, now);
        }
    },
    /** Signed correctly; then one byte of the body changed on the way. */
    CHANGED_BODY_BYTE {
        @Override
        public String header(String secret, byte[] body, long now) {
            return WebhookSigner.of(secret).sign(body, now);
        }

        @Override
        public byte[] sentBody(byte[] body) {
            byte[] changed = body.clone();
            changed[changed.length / 2] ^= 0x01;
            return changed;
        }
    },
    /** Signed correctly at t; the header claims t + 1. */
    CHANGED_TIMESTAMP {
        @Override
        public String header(String secret, byte[] body, long now) {
            return WebhookSigner.of(secret).sign(body, now).replace("t=" + now, "t=" + (now + 1));
        }
    },
    /** Signed correctly an hour ago: past the 300 s tolerance. */
    STALE {
        @Override
        public String header(String secret, byte[] body, long now) {
            return WebhookSigner.of(secret).sign(body, now - 3600);
        }
    },
    /** Signed correctly for an hour from now. */
    FUTURE {
        @Override
        public String header(String secret, byte[] body, long now) {
            return WebhookSigner.of(secret).sign(body, now + 3600);
        }
    },
    /** No signature header at all. */
    MISSING_HEADER {
        @Override
        public String header(String secret, byte[] body, long now) {
            return null;
        }
    },
    /** A timestamp but no v1. */
    NO_SIGNATURE {
        @Override
        public String header(String secret, byte[] body, long now) {
            return "t=" + now;
        }
    },
    /** A v1 that is not the base64 of 32 bytes. */
    NOT_BASE64 {
        @Override
        public String header(String secret, byte[] body, long now) {
            return "t=" + now + ",v1=not*base64";
        }
    },
    /** The MAC is right for the t sent, but t has a leading zero: not canonical, so refused. */
    LEADING_ZERO_TIMESTAMP {
        @Override
        public String header(String secret, byte[] body, long now) {
            String t = "0" + now;
            return "t=" + t + ",v1=" + hmacBase64(secret, body, t);
        }
    },
    /** Not the header's grammar at all. */
    GARBAGE {
        @Override
        public String header(String secret, byte[] body, long now) {
            return "sha256=" + Webhooks.sha256(body);
        }
    };

    /** What {@link #WRONG_SECRET} signs with: no server has it, and no log may show it. */
    public static final String FORGERS_SECRET = "whsec_not_the_servers_secret_5a1f9e3b7c2d";

    /** The request for {@code body}, forged this way against the WAR's secret, now. */
    public RawRequest request(String path, byte[] body) {
        RawRequest request = RawRequest.post(path).header("Content-Type", "application/json");
        String header = header(Webhooks.secret(), body, Webhooks.now());
        if (header != null) {
            request.header(Webhooks.HEADER, header);
        }
        return request.body(sentBody(body));
    }

    /** Whether the filter reads the body before refusing: only then can the connection stay open for any size. */
    public boolean refusedAfterReadingBody() {
        return this == WRONG_SECRET || this == CHANGED_BODY_BYTE || this == CHANGED_TIMESTAMP;
    }

    /**
     * The signature header for {@code body}, forged this way against a server whose secret is
     * {@code secret}, at {@code now} (epoch seconds); null for no header.
     */
    public abstract String header(String secret, byte[] body, long now);

    /** The body that goes on the wire: {@code body} itself unless this forgery changes it after signing. */
    public byte[] sentBody(byte[] body) {
        return body;
    }

    /** HMAC-SHA256 over {@code body || t}, base64; with the JDK, not the library, so that t can be non-canonical. */
    static String hmacBase64(String secret, byte[] body, String t) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            return Base64.getEncoder().encodeToString(mac.doFinal(t.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
