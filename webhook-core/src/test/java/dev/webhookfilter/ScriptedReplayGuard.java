package dev.webhookfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * A replay guard for tests: each {@link #record} gives the decision the test chose (or throws the exception it
 * chose) and keeps the key and the expiry it was given; {@link #forget} does nothing. Not thread-safe.
 */
final class ScriptedReplayGuard implements ReplayGuard {

    /** Every key {@link #record} was given, in order, as given (not copied). */
    final List<byte[]> keys = new ArrayList<>();
    /** Every expiry {@link #record} was given, in order. */
    final List<Long> expiries = new ArrayList<>();
    private final Decision decision;
    private final RuntimeException failure;

    private ScriptedReplayGuard(Decision decision, RuntimeException failure) {
        this.decision = decision;
        this.failure = failure;
    }

    /** {@return a guard whose every record answers {@code decision}, which may be {@code null}} */
    static ScriptedReplayGuard answering(Decision decision) {
        return new ScriptedReplayGuard(decision, null);
    }

    /** {@return a guard whose every record throws {@code failure}} */
    static ScriptedReplayGuard throwing(RuntimeException failure) {
        return new ScriptedReplayGuard(null, failure);
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        keys.add(key);
        expiries.add(expiresAt);
        if (failure != null) {
            throw failure;
        }
        return decision;
    }

    @Override
    public void forget(byte[] key) {
    }
}
