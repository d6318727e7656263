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
 * first installed provider's, as {@code MessageDigest.getInstance} picks it; with the JDK's own, its
 * compression runs as the CPU's SHA instructions, as the {@code Mac}'s does.
 *
 * <p>A clone allocates about 225 B. For a message over {@link #CLONE_OUTER_MAX} bytes, the outer state is
 * not cloned but rebuilt in a digest of the pool's own from the outer key block, which is kept for that:
 * one compression more among hundreds, and 225 B less where the body's own buffers already take room.
 *
 * <p>The 32 bytes each message needs to hold its inner hash and its MAC, and that digest, come from slots
 * chosen by the thread's id and are put back afterwards, so a request allocates only its clones. Slots, not
 * {@code ThreadLocal}s: they stay few with virtual threads, and leave nothing behind in a container's
 * threads when the application is undeployed.
 */
final class MacPool {

    static final int MAC_BYTES = 32;
    /**
     * The longest message whose outer state is cloned: at 4 KiB the compression it saves is under 1 % of
     * the MAC, and a longer body is held in more buffers, which leave less room per request.
     */
    static final int CLONE_OUTER_MAX = 4096;
    private static final int BLOCK_BYTES = 64;

    /** SHA-256 after {@code K ^ ipad}, and after {@code K ^ opad}: only ever cloned. */
    private final MessageDigest inner;
    private final MessageDigest outer;
    /** {@code K ^ opad}, from which a long message's outer state is rebuilt. */
    private final byte[] outerBlock;
    private final AtomicReferenceArray<Slot> slots;
    private final int mask;

    MacPool(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("an HMAC key must not be empty");
        }
        byte[] block = Arrays.copyOf(key.length > BLOCK_BYTES ? sha256().digest(key) : key, BLOCK_BYTES);
        this.inner = primed(block, (byte) 0x36);
        this.outerBlock = padded(block, (byte) 0x5c);
        this.outer = sha256();
        outer.update(outerBlock);
        Arrays.fill(block, (byte) 0);
        clone(inner); // fails here, at configuration time, if the provider cannot clone a digest
        int size = slotCount(Runtime.getRuntime().availableProcessors());
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /**
     * {@return how many slots a pool has on {@code processors} processors: the power of two at or above four per
     * processor} A thread's slot is its id's low bits, so a power of two; four per processor leaves few threads
     * sharing a slot.
     */
    static int slotCount(int processors) {
        return Integer.highestOneBit(processors * 4 - 1) << 1;
    }

    /** SHA-256 that has absorbed {@code block ^ pad}; the XORed copy is cleared afterwards. */
    private static MessageDigest primed(byte[] block, byte pad) {
        byte[] padded = padded(block, pad);
        MessageDigest digest = sha256();
        digest.update(padded);
        Arrays.fill(padded, (byte) 0);
        return digest;
    }

    private static byte[] padded(byte[] block, byte pad) {
        byte[] padded = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            padded[i] = (byte) (block[i] ^ pad);
        }
        return padded;
    }

    /**
     * {@return whether HMAC-SHA256(key, {@code signed[0, bodyAt) || body || signed[bodyAt, end)})} equals
     * one of the 32-byte MACs laid end to end in {@code signatures}, every byte of every one compared
     * whatever the first difference} The body is fed from the caller's memory, never copied.
     */
    boolean matchesAny(byte[] signed, int bodyAt, Body body, byte[] signatures) {
        Slot slot = acquire();
        byte[] mac = slot.mac;
        compute(signed, bodyAt, body, slot);
        int difference = 1; // becomes 0 if one matches
        for (int at = 0; at < signatures.length; at += MAC_BYTES) {
            int d = 0;
            for (int i = 0; i < MAC_BYTES; i++) {
                d |= mac[i] ^ signatures[at + i];
            }
            difference &= (d | -d) >>> 31; // 0 when d is, else 1
        }
        release(slot);
        return difference == 0;
    }

    /** {@return HMAC-SHA256(key, {@code signed[0, bodyAt) || body || signed[bodyAt, end)}), in a new array} */
    byte[] compute(byte[] signed, int bodyAt, Body body) {
        Slot slot = acquire();
        compute(signed, bodyAt, body, slot);
        byte[] mac = slot.mac.clone();
        release(slot);
        return mac;
    }

    /** Writes the MAC into the slot's array, which holds the inner hash on the way. */
    private void compute(byte[] signed, int bodyAt, Body body, Slot slot) {
        byte[] out = slot.mac;
        MessageDigest digest = clone(inner);
        digest.update(signed, 0, bodyAt);
        body.feedTo(digest);
        digest.update(signed, bodyAt, signed.length - bodyAt);
        finish(digest, out);
        if (signed.length + body.length() <= CLONE_OUTER_MAX) {
            digest = clone(outer);
        } else {
            digest = slot.digest; // reset by its last digest
            digest.update(outerBlock);
        }
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

    /** Takes a slot to work in; give it back with {@link #release}. */
    private Slot acquire() {
        Slot slot = slots.getAndSet(slot(), null);
        return slot != null ? slot : new Slot();
    }

    /**
     * Returns an array taken with {@link #acquire}. A release store rather than a compare-and-set:
     * should another thread have filled the slot meanwhile, overwriting its array only leaves one more to
     * the garbage collector, and the plain store spares a locked instruction on every request.
     */
    private void release(Slot slot) {
        slots.setRelease(slot(), slot);
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19; the library targets 11.
    private int slot() {
        return (int) Thread.currentThread().getId() & mask;
    }

    /** What one message is computed in: its MAC's 32 bytes, and a SHA-256 for a long message's outer hash. */
    private static final class Slot {
        final byte[] mac = new byte[MAC_BYTES];
        final MessageDigest digest = sha256();
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
