package dev.webhookfilter;

/**
 * Remembers which signatures were accepted, so that a captured request cannot be delivered a
 * second time while its timestamp is still fresh.
 *
 * <p>The verifier calls {@link #record} once a signature has matched, with the 32 MAC bytes (one
 * spelling per MAC, however the header wrote it) and the Unix second after which the signature
 * fails the freshness check anyway; nothing need be kept past that. {@link InMemoryReplayGuard}
 * serves one server; a cluster needs a shared store (for example Redis {@code SET key NX EXAT}),
 * which this interface lets you plug in.
 *
 * <p>Implementations must be thread-safe and must not throw: a store that cannot decide (full,
 * unreachable) answers {@link Decision#UNAVAILABLE}, and the request is refused for now.
 */
public interface ReplayGuard {

    /** What {@link #record} found. */
    enum Decision {
        /** Not seen before: recorded, and the request may proceed. */
        FIRST_SEEN,
        /** Seen before within its lifetime: a replay. */
        REPLAYED,
        /** Could not be recorded (no capacity left, store unreachable): refuse for now, fail closed. */
        UNAVAILABLE
    }

    /**
     * Records a verified signature.
     *
     * @param signature the 32 MAC bytes; the guard may keep the array, the caller does not reuse it
     * @param expiresAt the Unix second after which the signature is stale and need not be remembered
     * @return whether it was seen before, or could not be recorded
     */
    Decision record(byte[] signature, long expiresAt);

    /**
     * Forgets a recorded signature, because the application failed to process its request: the
     * sender may then retry the very same request, and it must not be refused as a replay.
     *
     * @param signature the 32 MAC bytes that {@link #record} was given
     */
    void forget(byte[] signature);
}
