package dev.webhookfilter.testing.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP response as it came off the wire.
 *
 * @param status the status code
 * @param headers header names in lower case, each with its values in the order received
 * @param body the body after removing any chunked framing
 */
public record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether the server said it will close the connection after this response. */
    public boolean announcesClose() {
        List<String> values = headers.getOrDefault("connection", List.of());
        return values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers + " " + body.length + " bytes";
    }
}
