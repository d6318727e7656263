package dev.webhookfilter.cli;

import java.nio.charset.StandardCharsets;

/**
 * Makes text that came from an endpoint safe to print on a terminal: a hostile endpoint must not
 * clear the screen, retitle the window, move the cursor to overwrite a line, or reorder a line with
 * a bidirectional override. Such characters are printed as a visible {@code \}{@code u001b}-style escape.
 */
final class Printable {

    private Printable() {
    }

    /**
     * {@code text} with every character a terminal acts on replaced by its {@code \}{@code uXXXX}
     * escape: C0 controls but newline and tab (a carriage return only where a newline follows it),
     * DEL, C1 controls and the bidirectional embedding, override and isolate characters.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineEnd = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (isActive(c) && !lineEnd) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** {@code bytes} decoded as UTF-8, a malformed sequence becoming U+FFFD, then {@link #escape escaped}. */
    static String text(byte[] bytes) {
        return escape(new String(bytes, StandardCharsets.UTF_8));
    }

    private static boolean isActive(char c) {
        return c < 0x20 && c != '\n' && c != '\t'
                || c >= 0x7f && c <= 0x9f
                || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069;
    }
}
