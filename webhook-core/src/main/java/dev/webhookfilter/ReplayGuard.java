package dev.webhookfilter;

/**
 * Remembers which signed messages were accepted, so that a captured request cannot be delivered a
 * second time while its timestamp is still fresh.
 *
 * <p>The verifier calls {@link #record} once a signature has matched and the timestamp is fresh,
 * with a 32-byte key: a SHA-256 digest of the scheme's name and the signed parts (message id,
 * timestamp and body, those the scheme signs). It does not depend on which secret or which signature
 * matched, so a replay that keeps only the signature made with another secret is still refused. The second passed with it is the last at which the timestamp
 * passes the freshness check; nothing need be kept past that. {@link InMemoryReplayGuard}
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
     * Records a verified signed message.
     *
     * @param key the 32-byte digest of the signed message; the guard may keep the array, the caller
     *        does not reuse it
     * @param expiresAt the last Unix second at which the message is fresh, {@code Long.MAX_VALUE} when that
     *        lies past it (a tolerance of about forever); remember it at least until then
     * @return whether it was seen before, or could not be recorded
     */
    Decision record(byte[] key, long expiresAt);

    /**
     * Forgets a recorded message, because the application failed to process its request: the
     * sender may then retry the very same request, and it must not be refused as a replay.
     *
     * @param key the key that {@link #record} was given
     */
    void forget(byte[] key);
}
