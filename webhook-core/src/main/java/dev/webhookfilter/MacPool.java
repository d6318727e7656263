package dev.webhookfilter;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Initialised HMAC-SHA256 instances for one key, shared safely between threads.
 *
 * <p>{@link Mac} is not thread-safe and {@code Mac.getInstance} plus {@code init} costs about as much
 * as MACing a kilobyte, so instances are reused. Each thread takes one from a slot chosen by its id
 * and puts it back afterwards; a miss clones a prototype that is never used itself. Slots, not
 * {@code ThreadLocal}s: they stay few with virtual threads, and leave nothing behind in a container's
 * threads when the application is undeployed.
 */
final class MacPool {

    static final String ALGORITHM = "HmacSHA256";

    private final Mac prototype;
    private final AtomicReferenceArray<Instance> slots;
    private final int mask;

    MacPool(byte[] key) {
        this.prototype = newMac(key);
        int size = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 4) - 1) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        slots.set(0, copyOfPrototype()); // fails here, at configuration time, if cloning is unsupported
    }

    /**
     * {@return HMAC-SHA256(key, {@code prefix || body || suffix})}, the parts fed straight from the
     * caller's memory: the body is never copied. The result is {@code doFinal()}'s own array: the JDK's
     * Mac makes a new one either way, and {@code doFinal(out, offset)} would only copy it.
     */
    byte[] compute(byte[] prefix, Body body, byte[] suffix) {
        Instance instance = acquire();
        Mac mac = instance.mac;
        if (prefix.length > 0) {
            mac.update(prefix);
        }
        body.feedTo(instance);
        if (suffix.length > 0) {
            mac.update(suffix);
        }
        byte[] result = mac.doFinal();
        release(instance);
        return result;
    }

    /** Takes an initialised, reset instance; give it back with {@link #release}. */
    private Instance acquire() {
        Instance instance = slots.getAndSet(slot(), null);
        return instance != null ? instance : copyOfPrototype();
    }

    /**
     * Returns an instance taken with {@link #acquire}. It must be reset (as {@code doFinal} leaves it).
     * A release store rather than a compare-and-set: should another thread have filled the slot
     * meanwhile, overwriting its instance only leaves one more to the garbage collector, and the
     * plain store spares a locked instruction on every request.
     */
    private void release(Instance instance) {
        slots.setRelease(slot(), instance);
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19; the library targets 11.
    private int slot() {
        return (int) Thread.currentThread().getId() & mask;
    }

    private Instance copyOfPrototype() {
        try {
            return new Instance((Mac) prototype.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot clone an initialised Mac", e);
        }
    }

    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no HmacSHA256", e);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the secret is not a usable HMAC key", e);
        }
    }

    /** A pooled {@link Mac}, which a {@link Body} is fed to directly. */
    private static final class Instance implements Body.Sink {
        final Mac mac;

        Instance(Mac mac) {
            this.mac = mac;
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            mac.update(bytes, offset, length);
        }
    }
}
