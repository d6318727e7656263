package dev.webhookfilter;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.MacSpi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MacPool reuses initialised Macs instead of making one per call. A provider installed first for
 * the test counts how often a Mac is cloned, the pool's only way to make one.
 */
class MacPoolTest {

    private static final byte[] KEY = SECRET_A.getBytes(StandardCharsets.UTF_8);
    private static final byte[] T_TEXT = Long.toString(T).getBytes(StandardCharsets.US_ASCII);
    static final AtomicInteger CLONES = new AtomicInteger();
    static volatile boolean cloneable = true;

    /** HmacSHA256 from the JDK's own provider, counting clones. */
    public static final class CountingHmac extends MacSpi implements Cloneable {
        private Mac delegate;

        public CountingHmac() throws NoSuchAlgorithmException, java.security.NoSuchProviderException {
            delegate = Mac.getInstance("HmacSHA256", "SunJCE");
        }

        @Override
        protected int engineGetMacLength() {
            return delegate.getMacLength();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            delegate.init(key, params);
        }

        @Override
        protected void engineUpdate(byte input) {
            delegate.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            delegate.update(input, offset, length);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            delegate.update(input);
        }

        @Override
        protected byte[] engineDoFinal() {
            return delegate.doFinal();
        }

        @Override
        protected void engineReset() {
            delegate.reset();
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            if (!cloneable) {
                throw new CloneNotSupportedException();
            }
            CLONES.incrementAndGet();
            CountingHmac copy = (CountingHmac) super.clone();
            copy.delegate = (Mac) delegate.clone();
            return copy;
        }
    }

    private static final Provider COUNTING = new Provider("MacPoolTestCounting", "1", "counts HmacSHA256 clones") {
        private static final long serialVersionUID = 1L;

        {
            put("Mac.HmacSHA256", CountingHmac.class.getName());
        }
    };

    @BeforeEach
    void installCountingProvider() {
        Security.insertProviderAt(COUNTING, 1);
        CLONES.set(0);
        cloneable = true;
    }

    @AfterEach
    void removeCountingProvider() {
        Security.removeProvider(COUNTING.getName());
    }

    private static byte[] mac(MacPool pool) {
        return pool.compute(new byte[0], Body.of(SIMPLE_BODY, 0, SIMPLE_BODY.length), T_TEXT);
    }

    /** A thread whose id is not a multiple of 4, so it never uses slot 0 of a pool of 4 or more slots. */
    private static Thread threadOffSlotZero(Runnable task) {
        while (true) {
            Thread thread = new Thread(task);
            if ((thread.getId() & 3) != 0) {
                return thread;
            }
        }
    }

    /** A thread whose id is a multiple of 1024, so it uses slot 0 of any pool up to 1024 slots (256 processors). */
    private static Thread threadOnSlotZero(Runnable task) {
        while (true) {
            Thread thread = new Thread(task);
            if ((thread.getId() & 1023) == 0) {
                return thread;
            }
        }
    }

    @Test
    void aThreadOnSlotZeroUsesTheMacMadeAtConstruction() throws InterruptedException {
        MacPool pool = new MacPool(KEY);
        byte[][] result = new byte[1][];
        Thread thread = threadOnSlotZero(() -> result[0] = mac(pool));
        thread.start();
        thread.join();
        assertArrayEquals(Base64.getDecoder().decode(SIMPLE_A), result[0]);
        assertEquals(1, CLONES.get());
    }

    @Test
    void usesThePreferredProvider() {
        assertEquals(COUNTING.getName(), MacPool.newMac(KEY).getProvider().getName());
    }

    @Test
    void aThreadReusesItsMacCallAfterCall() {
        MacPool pool = new MacPool(KEY);
        int afterConstruction = CLONES.get();
        mac(pool);
        int afterFirst = CLONES.get();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(Base64.getDecoder().decode(SIMPLE_A), mac(pool));
        }
        assertEquals(afterFirst, CLONES.get(), "no clone after the first call");
        assertEquals(1, afterConstruction, "one ready in slot 0 at construction");
    }

    @Test
    void aThreadOffSlotZeroGetsItsOwnMac() throws InterruptedException {
        MacPool pool = new MacPool(KEY);
        byte[][] result = new byte[1][];
        Thread thread = threadOffSlotZero(() -> result[0] = mac(pool));
        thread.start();
        thread.join();
        assertArrayEquals(Base64.getDecoder().decode(SIMPLE_A), result[0]);
        assertEquals(2, CLONES.get(), "slot 0's Mac at construction, then one for the thread's own slot");
    }

    @Test
    void aProviderThatCannotCloneFailsAtConstruction() {
        cloneable = false;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MacPool(KEY));
        assertEquals("the HmacSHA256 provider cannot clone an initialised Mac", e.getMessage());
    }
}
