package dev.webhookfilter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What people write by hand, as blog posts and answers show it: the body as a {@code String},
 * the header split with {@code String.split}, a new {@code Mac} per request, the message built by
 * string concatenation, the expected signature as a base64 {@code String} compared with
 * {@code equals}. Same scheme as ours ({@code body || t}, one {@code v1}), so it is the row that
 * shows what the design choices buy. It is not safe code (its compare is not constant-time); it is
 * here only to be measured.
 */
final class TutorialVerifier {

    private TutorialVerifier() {
    }

    static boolean verify(String payload, String header, String secret, long toleranceSeconds) {
        String timestamp = null;
        String signature = null;
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair[0].equals("t")) {
                timestamp = pair[1];
            } else if (pair[0].equals("v1")) {
                signature = pair[1];
            }
        }
        if (timestamp == null || signature == null) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        if (Math.abs(now - Long.parseLong(timestamp)) > toleranceSeconds) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((payload + timestamp).getBytes(StandardCharsets.UTF_8)));
            return expected.equals(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
