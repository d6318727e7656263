package dev.webhookfilter.example;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Receives webhook events. {@code WebhookSignatureFilter} runs first, so this servlet only ever
 * sees genuine, fresh events, and reads their body as usual.
 */
public class WebhookHandlerServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(WebhookHandlerServlet.class.getName());

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        long signedAt = (Long) request.getAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE);

        String eventId = null;
        String eventType = null;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            JsonObject event = reader.readObject();
            eventId = event.getString("eventId", null);
            JsonObject type = event.getJsonObject("eventType");
            eventType = type == null ? null : type.getString("name", null);
        } catch (RuntimeException e) {
            // Not the platform's JSON: still a genuine delivery, so it is recorded by size and hash only.
            // Not just JsonException: Parsson refuses nesting past its depth limit with a bare RuntimeException.
        }
        String sha256 = sha256(body);
        EventLog.of(getServletContext()).add(
                new EventLog.Event(Instant.now(), eventId, eventType, body.length, sha256, signedAt));
        LOG.log(Level.INFO, "webhook event {0} of type {1} received ({2} bytes)",
                printable(eventId), printable(eventType), body.length);

        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.createObjectBuilder()
                .add("received", true)
                .add("bytes", body.length)
                .add("sha256", sha256)
                .build()
                .toString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keeps a value from a request body from forging log lines: control characters, line and paragraph
     * separators (U+2028, U+2029, which some viewers break lines at), format characters (the bidirectional
     * overrides and isolates, which make a line read in another order than it is written; zero-width ones) and
     * unpaired surrogates each become {@code ?}.
     */
    static String printable(String value) {
        if (value == null) {
            return "-";
        }
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return shown.codePoints()
                .map(c -> isShownAsIs(c) ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static boolean isShownAsIs(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.FORMAT:
            case Character.SURROGATE:
                return false;
            default:
                return true;
        }
    }
}
