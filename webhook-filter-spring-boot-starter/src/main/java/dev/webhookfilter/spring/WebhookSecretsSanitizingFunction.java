package dev.webhookfilter.spring;

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

    /** Whether {@code value} contains a secret or a store URI (not {@code memory} or {@code bean}) of an endpoint. */
    private boolean carriesASecret(Object value) {
        WebhookProperties webhooks = properties.get();
        if (!(value instanceof CharSequence) || webhooks == null) {
            return false;
        }
        String text = value.toString();
        for (WebhookProperties.Endpoint endpoint : webhooks.getEndpoints().values()) {
            for (String secret : endpoint.getSecrets()) {
                if (secret != null && !secret.isEmpty() && text.contains(secret)) {
                    return true;
                }
            }
            String store = endpoint.getStore();
            if (store != null && store.indexOf(':') > 0 && text.contains(store)) {
                return true;
            }
        }
        return false;
    }
}
