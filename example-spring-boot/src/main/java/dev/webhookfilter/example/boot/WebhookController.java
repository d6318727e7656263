package dev.webhookfilter.example.boot;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives the verified webhooks of both endpoints. Only requests whose signature verified reach
 * it, with the body exactly as it was signed.
 */
@RestController
class WebhookController {

    /**
     * The two paths the endpoints' filters guard (application.yml): nothing else is mapped here. Reads the
     * body from the request rather than as a {@code @RequestBody}, which Spring rebuilds from the parameters
     * for a form post: that would not be the bytes that were signed.
     */
    @PostMapping({"/webhooks/payments", "/webhooks/orders"})
    String receive(HttpServletRequest request,
                   @RequestAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE) long timestamp,
                   @RequestAttribute(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE) int secretIndex) throws IOException {
        byte[] bytes = request.getInputStream().readAllBytes();
        return "verified " + bytes.length + " bytes, sha256 " + sha256(bytes) + ", signed at t=" + timestamp
                + " with secret #" + secretIndex + "\n";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
