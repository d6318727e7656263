package dev.webhookfilter.spring;

import dev.webhookfilter.internal.UriSecrets;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.Ordered;

/**
 * Masks the endpoints' secrets and store URIs wherever Actuator would show them; see
 * {@link WebhookSanitizingAutoConfiguration}. Thread-safe: it keeps nothing but where to find the properties.
 */
final class WebhookSecretsSanitizingFunction implements SanitizingFunction, Ordered {

    private final Supplier<WebhookProperties> properties;

    /** Reads the endpoints from {@code properties}, which gives null where the starter bound none. */
    WebhookSecretsSanitizingFunction(Supplier<WebhookProperties> properties) {
        this.properties = properties;
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        return isSecretKey(data.getKey()) || carriesASecret(data.getValue()) ? data.withSanitizedValue() : data;
    }

    /** First: Actuator stops at the first function that changes a value, so none of the application's comes before. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * Whether {@code key} is an endpoint's {@code secrets} or {@code store}, or an element of them, in any form
     * Spring reads: {@code webhooks.endpoints.payments.secrets[0]}, {@code webhooks.endpoints[a.b].store},
     * {@code WEBHOOKS_ENDPOINTS_PAYMENTS_SECRETS_0}.
     */
    static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String[] segments = key.toLowerCase(Locale.ROOT).replace('[', '.').replace('_', '.').replace("]", "")
                .replace("-", "").split("\\.+");
        int last = segments.length - 1;
        while (last > 0 && !segments[last].isEmpty() && segments[last].chars().allMatch(c -> c >= '0' && c <= '9')) {
            last--; // a list's index
        }
        // webhooks, endpoints, the name (a dotted one spans several segments), then the property.
        return last >= 3 && segments[0].equals("webhooks") && segments[1].equals("endpoints")
                && (segments[last].equals("secrets") || segments[last].equals("store"));
    }

    /**
     * Whether {@code value} contains a secret, a store URI (not {@code memory} or {@code bean}) or a password in a
     * store URI ({@link UriSecrets#in}) of an endpoint, as it is or, if it holds a {@code \}, with its JSON escapes
     * decoded, or with each backslash dropped and the character after it kept: {@code SPRING_APPLICATION_JSON} and
     * {@code spring.application.json} may spell a secret <code>&#92;u0077hsec...</code>, and must escape a {@code "} or
     * {@code \} in one, and Actuator shows their value as it was given. Spring Boot reads them with Jackson, or
     * without it with Gson, which takes <code>&#92;'</code> for {@code '} too, or else with its own parser, which
     * drops a backslash and keeps the character after it (<code>&#92;_</code> is {@code _}, <code>&#92;u0077</code>
     * is {@code u0077}).
     */
    private boolean carriesASecret(Object value) {
        WebhookProperties webhooks = properties.get();
        if (!(value instanceof CharSequence) || webhooks == null) {
            return false;
        }
        String text = value.toString();
        if (carriesASecret(webhooks, text)) {
            return true;
        }
        return text.indexOf('\\') >= 0 && (carriesASecret(webhooks, jsonUnescaped(text))
                || carriesASecret(webhooks, withoutBackslashes(text)));
    }

    private static boolean carriesASecret(WebhookProperties webhooks, String text) {
        for (WebhookProperties.Endpoint endpoint : webhooks.getEndpoints().values()) {
            for (String secret : endpoint.getSecrets()) {
                if (secret != null && !secret.isEmpty() && text.contains(secret)) {
                    return true;
                }
            }
            String store = endpoint.getStore();
            if (store != null && store.indexOf(':') > 0) {
                if (text.contains(store)) {
                    return true;
                }
                // A placeholder in the URI (redis://:${REDIS_PASSWORD}@host) took its password from a variable.
                for (String password : UriSecrets.in(store)) {
                    if (text.contains(password)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * {@code text} with each JSON escape ({@code \"}, {@code \\}, {@code \/}, {@code \b}, {@code \f}, {@code \n},
     * {@code \r}, {@code \t}, <code>&#92;u</code> and four hex digits) replaced by the character it stands for; any other
     * backslash is kept. A JSON string's value is then a part of the text as it is.
     */
    static String jsonUnescaped(String text) {
        StringBuilder decoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                decoded.append(c);
                continue;
            }
            char escaped = text.charAt(i + 1);
            if (escaped == 'u') {
                int unicode = i + 6 <= text.length() ? hex4(text, i + 2) : -1;
                if (unicode >= 0) {
                    decoded.append((char) unicode);
                    i += 5;
                } else {
                    decoded.append(c); // not an escape: the backslash stays, and what follows is read on its own
                }
                continue;
            }
            int plain = switch (escaped) {
                case '"', '\\', '/' -> escaped;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> -1;
            };
            if (plain < 0) {
                decoded.append(c);
            } else {
                decoded.append((char) plain);
                i++;
            }
        }
        return decoded.toString();
    }

    /**
     * {@code text} with each backslash dropped and the character after it kept, as Spring Boot's
     * {@code BasicJsonParser} reads a JSON string; a backslash at the end is kept.
     */
    static String withoutBackslashes(String text) {
        StringBuilder read = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            read.append(c);
        }
        return read.toString();
    }

    /** The value of the four hex digits at {@code from}; -1 if they are not four hex digits. */
    private static int hex4(String text, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
