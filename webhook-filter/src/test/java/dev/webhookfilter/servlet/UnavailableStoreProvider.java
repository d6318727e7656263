package dev.webhookfilter.servlet;

import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import java.time.Duration;

/**
 * A store that never decides, for the filter's fail-closed path ({@code store=test-unavailable:}).
 * The real stores' failures are proven against real servers in their own modules.
 */
public final class UnavailableStoreProvider implements WebhookStoreProvider {

    /** How many stores this provider opened were closed. */
    static final java.util.concurrent.atomic.AtomicInteger CLOSED = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public boolean supports(String uri) {
        return uri.startsWith("test-unavailable:") || uri.startsWith("test-unopenable:");
    }

    @Override
    public WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        if (uri.startsWith("test-unopenable:")) {
            throw new IllegalStateException("cannot reach the test store at 127.0.0.1:1");
        }
        return new WebhookStore() {
            @Override
            public boolean isAvailable() {
                return false;
            }

            @Override
            public void close() {
                CLOSED.incrementAndGet();
            }

            @Override
            public Decision record(byte[] key, long expiresAt) {
                return Decision.UNAVAILABLE;
            }

            @Override
            public void forget(byte[] key) {
            }

            @Override
            public Claim claim(byte[] key, byte[] token, Duration lease) {
                return Claim.UNAVAILABLE;
            }

            @Override
            public boolean complete(byte[] key, byte[] token, Duration ttl) {
                return false;
            }

            @Override
            public boolean release(byte[] key, byte[] token) {
                return false;
            }

            @Override
            public String toString() {
                return "UnavailableStore";
            }
        };
    }
}
