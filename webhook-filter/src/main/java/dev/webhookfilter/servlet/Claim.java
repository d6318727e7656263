package dev.webhookfilter.servlet;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's claim on its message id: finished once, as done (the handler succeeded) or released
 * (it failed, so the sender's retry runs the handler again).
 */
final class Claim {

    /** The handler must not run; the response has been given. */
    static final Claim REFUSED = new Claim(null, null, null, null);
    /**
     * The handler must not run: the id was processed before, and the request was answered 200 as a duplicate, which its
     * sender does not send again. Unlike a refusal, its signed message stays seen.
     */
    static final Claim DUPLICATE = new Claim(null, null, null, null);
    /** Message ids longer than this are refused: no sender sends one, and it bounds the work. */
    static final int MAX_ID_LENGTH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreAccess store;
    private final byte[] key;
    private final byte[] token;
    private final Duration ttl;
    private final AtomicBoolean finished = new AtomicBoolean();

    Claim(StoreAccess store, byte[] key, byte[] token, Duration ttl) {
        this.store = store;
        this.key = key;
        this.token = token;
        this.ttl = ttl;
    }

    static byte[] newToken() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return token;
    }

    /** Whether {@code id} is 1 to {@link #MAX_ID_LENGTH} visible ASCII characters. */
    static boolean isWellFormed(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Marks the id done, or releases it; later calls do nothing. A store that fails here is not retried. */
    void finish(boolean succeeded) {
        if (store == null || !finished.compareAndSet(false, true)) {
            return;
        }
        if (succeeded) {
            store.complete(key, token, ttl);
        } else {
            store.release(key, token);
        }
    }
}
