package dev.webhookfilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Lets a handler run once per sender's message id, across every instance that shares the store.
 *
 * <p>Keys are 32 opaque bytes: the core hashes the endpoint and the sender's message id into them,
 * so a store never sees a raw id. A claim is a lease owned by a random {@code token}: only the owner
 * can {@linkplain #complete complete} or {@linkplain #release release} it, and a claim whose owner died
 * expires after its lease, so that the sender's retry gets through.
 *
 * <p>Implementations must be thread-safe and must not throw: a store that cannot decide (unreachable,
 * slow past its timeout, full) answers {@link Claim#UNAVAILABLE} or {@code false}, and the request is
 * refused for now (fail closed).
 */
public interface Deduplicator {

    /** What {@link #claim} found. */
    enum Claim {
        /** No claim and no completion for this key: claimed now; run the handler. */
        FIRST,
        /** Another request holds an unexpired claim: it is being processed now. */
        IN_PROGRESS,
        /** Processed successfully before, within the de-duplication window. */
        DONE,
        /** The store could not decide: refuse for now. */
        UNAVAILABLE
    }

    /**
     * The key under which a sender's message id is claimed: SHA-256 of the namespace (the endpoint's
     * name, so that two endpoints' ids never collide), a 0 byte, and the id's UTF-8 bytes. A store never
     * sees the raw id.
     *
     * @param namespace the endpoint's name
     * @param id the sender's message id, as its header carries it
     * @return 32 bytes
     */
    static byte[] key(String namespace, String id) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(namespace.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(id.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no SHA-256", e);
        }
    }

    /**
     * Claims {@code key} for {@code lease}, unless it is claimed or done already. Atomic.
     *
     * @param key 32 bytes; the store may keep the array
     * @param token 16 random bytes that identify this claim's owner
     * @param lease how long the claim holds if never completed nor released
     * @return the outcome
     */
    Claim claim(byte[] key, byte[] token, Duration lease);

    /**
     * Marks a claim done for {@code ttl}: later claims of {@code key} get {@link Claim#DONE}.
     * Does nothing unless {@code token} still owns the claim: a claim whose lease lapsed is still its owner's while
     * nobody has claimed the key since, so that a handler that outlasts its lease and succeeds is remembered. A store
     * that keeps nothing of a lapsed or released claim (Redis) may complete any key that holds no claim or completion
     * now: a handler that succeeded is worth remembering either way.
     *
     * @param key the claimed key
     * @param token the owner's token given to {@link #claim}
     * @param ttl how long the completion is remembered
     * @return whether the completion was recorded
     */
    boolean complete(byte[] key, byte[] token, Duration ttl);

    /**
     * Drops a claim, because the handler failed: the sender's retry runs the handler again.
     * Does nothing unless {@code token} still owns the claim.
     *
     * @param key the claimed key
     * @param token the owner's token given to {@link #claim}
     * @return whether a claim was dropped
     */
    boolean release(byte[] key, byte[] token);
}
