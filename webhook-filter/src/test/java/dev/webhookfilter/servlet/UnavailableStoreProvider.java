package dev.webhookfilter.servlet;

import dev.webhookfilter.StubStore;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import java.time.Duration;

/**
 * A store that never decides, for the filter's fail-closed path ({@code store=test-unavailable:}).
 * The real stores' failures are proven against real servers in their own modules.
 */
public final class UnavailableStoreProvider implements WebhookStoreProvider {

    /** The store this provider opened last, for tests here and in the Spring Boot starter's. */
    public static volatile StubStore opened;
    /** The timeout and key prefix of the last {@code test-unavailable:} store opened. */
    public static volatile Duration openedTimeout;
    public static volatile String openedKeyPrefix;

    @Override
    public boolean supports(String uri) {
        return uri.startsWith("test-unavailable:") || uri.startsWith("test-unopenable:");
    }

    @Override
    public WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        if (uri.startsWith("test-unopenable:")) {
            throw new IllegalStateException("cannot reach the test store at 127.0.0.1:1");
        }
        openedTimeout = timeout;
        openedKeyPrefix = keyPrefix;
        opened = new StubStore(false);
        return opened;
    }
}
