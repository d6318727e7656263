package dev.webhookfilter;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HMAC-SHA256 (RFC 2104) under one key, shared safely between threads, over SHA-256 states that
 * have already absorbed the key.
 *
 * <p>HMAC is {@code H((K ^ opad) || H((K ^ ipad) || message))}, where each padded key fills one
 * 64-byte block. The JDK's {@code Mac} compresses both key blocks again for every message: two of the
 * ~20 compressions of a 1 KiB webhook. Here each is compressed once, at construction, into a
 * {@link MessageDigest} that is never updated again, and every message starts from clones of those two
 * states. Cloning only reads the prototypes, so threads share them without a lock. The SHA-256 is the
 * preferred provider's, as {@code Mac.getInstance("HmacSHA256")} would pick; with the JDK's own, its
 * compression runs as the CPU's SHA instructions, as the {@code Mac}'s does.
 *
 * <p>The 32 bytes each message needs to hold its inner hash and its MAC come from slots chosen by the
 * thread's id and are put back afterwards, so a request allocates only the two clones. Slots, not
 * {@code ThreadLocal}s: they stay few with virtual threads, and leave nothing behind in a container's
 * threads when the application is undeployed.
 */
final class MacPool {

    static final int MAC_BYTES = 32;
    private static final int BLOCK_BYTES = 64;

    /** SHA-256 after {@code K ^ ipad}, and after {@code K ^ opad}: only ever cloned. */
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final AtomicReferenceArray<byte[]> slots;
    private final int mask;

    MacPool(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("an HMAC key must not be empty");
        }
        byte[] block = Arrays.copyOf(key.length > BLOCK_BYTES ? sha256().digest(key) : key, BLOCK_BYTES);
        this.inner = primed(block, (byte) 0x36);
        this.outer = primed(block, (byte) 0x5c);
        Arrays.fill(block, (byte) 0);
        clone(inner); // fails here, at configuration time, if the provider cannot clone a digest
        int size = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 4) - 1) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** SHA-256 that has absorbed {@code block ^ pad}; the XORed copy is cleared afterwards. */
    private static MessageDigest primed(byte[] block, byte pad) {
        byte[] padded = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            padded[i] = (byte) (block[i] ^ pad);
        }
        MessageDigest digest = sha256();
        digest.update(padded);
        Arrays.fill(padded, (byte) 0);
        return digest;
    }

    /**
     * {@return whether HMAC-SHA256(key, {@code signed[0, bodyAt) || body || signed[bodyAt, end)})} equals
     * one of the 32-byte MACs laid end to end in {@code signatures}, every byte of every one compared
     * whatever the first difference} The body is fed from the caller's memory, never copied.
     */
    boolean matchesAny(byte[] signed, int bodyAt, Body body, byte[] signatures) {
        byte[] mac = acquire();
        compute(signed, bodyAt, body, mac);
        int difference = 1; // becomes 0 if one matches
        for (int at = 0; at < signatures.length; at += MAC_BYTES) {
            int d = 0;
            for (int i = 0; i < MAC_BYTES; i++) {
                d |= mac[i] ^ signatures[at + i];
            }
            difference &= (d | -d) >>> 31; // 0 when d is, else 1
        }
        release(mac);
        return difference == 0;
    }

    /** {@return HMAC-SHA256(key, {@code signed[0, bodyAt) || body || signed[bodyAt, end)}), in a new array} */
    byte[] compute(byte[] signed, int bodyAt, Body body) {
        byte[] mac = new byte[MAC_BYTES];
        compute(signed, bodyAt, body, mac);
        return mac;
    }

    /** Writes the MAC into {@code out}, which holds the inner hash on the way. */
    private void compute(byte[] signed, int bodyAt, Body body, byte[] out) {
        MessageDigest digest = clone(inner);
        digest.update(signed, 0, bodyAt);
        body.feedTo(digest);
        digest.update(signed, bodyAt, signed.length - bodyAt);
        finish(digest, out);
        digest = clone(outer);
        digest.update(out, 0, MAC_BYTES);
        finish(digest, out);
    }

    private static void finish(MessageDigest digest, byte[] out) {
        try {
            digest.digest(out, 0, MAC_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 gave no 32-byte digest", e); // not with any SHA-256
        }
    }

    /** Takes a 32-byte array to work in; give it back with {@link #release}. */
    private byte[] acquire() {
        byte[] mac = slots.getAndSet(slot(), null);
        return mac != null ? mac : new byte[MAC_BYTES];
    }

    /**
     * Returns an array taken with {@link #acquire}. A release store rather than a compare-and-set:
     * should another thread have filled the slot meanwhile, overwriting its array only leaves one more to
     * the garbage collector, and the plain store spares a locked instruction on every request.
     */
    private void release(byte[] mac) {
        slots.setRelease(slot(), mac);
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19; the library targets 11.
    private int slot() {
        return (int) Thread.currentThread().getId() & mask;
    }

    private static MessageDigest clone(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 provider cannot clone a digest", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no SHA-256", e);
        }
    }
}
