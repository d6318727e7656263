package dev.webhookfilter;

import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MacPool's HMAC-SHA256, composed from SHA-256 states that absorbed the key once: RFC 4231's vectors and
 * keys either side of the block size (from {@link Vectors}), agreement with the JDK's own {@code Mac}
 * over random keys and messages, the compare against several signatures, and sharing between threads.
 */
class MacPoolTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = SECRET_A.getBytes(StandardCharsets.UTF_8);
    private static final byte[] T_TEXT = Long.toString(T).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIMPLE_MAC = Base64.getDecoder().decode(SIMPLE_A);

    /** The MAC of {@code signed[0, bodyAt) || body || signed[bodyAt, end)}. */
    private static byte[] mac(MacPool pool, byte[] signed, int bodyAt, byte[] body) {
        return pool.compute(signed, bodyAt, Body.of(body, 0, body.length));
    }

    /** Each row: processors, then the power of two at or above four per processor, worked out by hand. */
    @ParameterizedTest(name = "{0} processors: {1} slots")
    @CsvSource({"1, 4", "2, 8", "3, 16", "4, 16", "5, 32", "64, 256"})
    void aPoolHasAPowerOfTwoSlots_atLeastFourPerProcessor(int processors, int slots) {
        assertEquals(slots, MacPool.slotCount(processors));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.webhookfilter.Vectors#hmacSha256")
    void matchesThePublishedVectors(String name, String key, String message, String mac) {
        MacPool pool = new MacPool(HEX.parseHex(key));
        byte[] bytes = HEX.parseHex(message);
        assertEquals(mac, HEX.formatHex(mac(pool, new byte[0], 0, bytes)), "the message as the body");
        // The same message split into signed bytes before the body, the body, and signed bytes after it.
        int third = bytes.length / 3;
        byte[] around = new byte[bytes.length - third];
        System.arraycopy(bytes, 0, around, 0, third);
        System.arraycopy(bytes, 2 * third, around, third, bytes.length - 2 * third);
        byte[] body = Arrays.copyOfRange(bytes, third, 2 * third);
        assertEquals(mac, HEX.formatHex(mac(pool, around, third, body)), "the message around a body");
    }

    /** The JDK's {@code Mac}, which shares no code with the pool's composition, over random keys and messages. */
    @Test
    void agreesWithTheJdksMacOverRandomKeysAndMessages() throws Exception {
        Random random = new Random(4231);
        Mac jdk = Mac.getInstance("HmacSHA256");
        for (int i = 0; i < 2000; i++) {
            byte[] key = new byte[1 + random.nextInt(200)];
            random.nextBytes(key);
            byte[] signed = new byte[random.nextInt(80)];
            random.nextBytes(signed);
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            int bodyAt = random.nextInt(signed.length + 1);
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            jdk.update(signed, 0, bodyAt);
            jdk.update(body);
            jdk.update(signed, bodyAt, signed.length - bodyAt);
            byte[] expected = jdk.doFinal();
            assertArrayEquals(expected, mac(new MacPool(key), signed, bodyAt, body),
                    () -> "key of " + key.length + " bytes, " + signed.length + " signed, body of " + body.length);
        }
    }

    /** Either side of the length past which the outer state is rebuilt from the outer key block, not cloned. */
    @Test
    void agreesWithTheJdksMacEitherSideOfTheLongMessage() throws Exception {
        Random random = new Random(2104);
        Mac jdk = Mac.getInstance("HmacSHA256");
        for (int keyLength : new int[] {16, 64, 100}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            MacPool pool = new MacPool(key);
            byte[] signed = Vectors.ascii("1700000000.");
            for (int length : new int[] {MacPool.CLONE_OUTER_MAX - signed.length, MacPool.CLONE_OUTER_MAX - signed.length + 1,
                    65_536}) {
                byte[] body = new byte[length];
                random.nextBytes(body);
                for (int round = 0; round < 2; round++) { // the slot's digest, used again
                    jdk.update(signed);
                    byte[] expected = jdk.doFinal(body);
                    assertArrayEquals(expected, mac(pool, signed, signed.length, body), keyLength + "-byte key, " + length);
                }
            }
        }
    }

    @Test
    void aPoolGivesTheSameMacCallAfterCall() {
        MacPool pool = new MacPool(KEY);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(SIMPLE_MAC, mac(pool, T_TEXT, 0, SIMPLE_BODY));
        }
    }

    @Test
    void anEmptyKeyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MacPool(new byte[0]));
        assertEquals("an HMAC key must not be empty", e.getMessage());
    }

    @Nested
    class MatchesAny {

        private final MacPool pool = new MacPool(KEY);

        /** {@code count} signatures end to end, each the right MAC with its last byte changed, but for {@code at}. */
        private byte[] signatures(int count, int at) {
            byte[] all = new byte[32 * count];
            for (int i = 0; i < count; i++) {
                System.arraycopy(SIMPLE_MAC, 0, all, 32 * i, 32);
                if (i != at) {
                    all[32 * i + 31] ^= 1;
                }
            }
            return all;
        }

        private boolean matches(byte[] signatures) {
            return pool.matchesAny(T_TEXT, 0, Body.of(SIMPLE_BODY, 0, SIMPLE_BODY.length), signatures);
        }

        @Test
        void theMatchingSignatureMayBeAnyOfEight() {
            for (int at = 0; at < 8; at++) {
                assertTrue(matches(signatures(8, at)), "the match at " + at);
            }
        }

        @Test
        void noneMatching() {
            assertFalse(matches(signatures(8, -1)));
            assertFalse(matches(signatures(1, -1)));
        }

        @Test
        void everyByteCounts() {
            for (int i = 0; i < 32; i++) {
                byte[] one = SIMPLE_MAC.clone();
                one[i] ^= (byte) 0x80;
                assertFalse(matches(one), "byte " + i);
            }
            assertTrue(matches(SIMPLE_MAC.clone()));
        }
    }

    /** Many threads at once on one pool: each clone starts from the key's states, which no thread changes. */
    @Test
    void threadsShareAPool() throws Exception {
        MacPool pool = new MacPool(KEY);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Integer> task = () -> {
                    int matched = 0;
                    for (int n = 0; n < 2000; n++) {
                        matched += pool.matchesAny(T_TEXT, 0, Body.of(SIMPLE_BODY, 0, SIMPLE_BODY.length),
                                SIMPLE_MAC) ? 1 : 0;
                    }
                    return matched;
                };
                results.add(threads.submit(task));
            }
            for (Future<Integer> result : results) {
                assertEquals(2000, result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** A provider installed first whose SHA-256 is the JDK's, counting clones, or refusing them. */
    @Nested
    class Providers {

        @AfterEach
        void removeCountingProvider() {
            Security.removeProvider(COUNTING.getName());
        }

        @Test
        void thePreferredProvidersSha256IsCloned_twicePerMessage() {
            Security.insertProviderAt(COUNTING, 1);
            cloneable = true;
            MacPool pool = new MacPool(KEY);
            int afterConstruction = CLONES.get();
            assertArrayEquals(SIMPLE_MAC, mac(pool, T_TEXT, 0, SIMPLE_BODY));
            assertEquals(2, CLONES.get() - afterConstruction, "the inner and the outer state");
        }

        /**
         * SECURITY.md: the inner padded block is zeroed once absorbed; the outer one is kept, to rebuild the
         * outer state of a long message. The provider sees the very arrays the pool absorbs.
         */
        @Test
        void theInnerPaddedKeyBlockIsZeroedOnceAbsorbed_theOuterKept() {
            Security.insertProviderAt(COUNTING, 1);
            cloneable = true;
            ABSORBED.clear();
            recording = true;
            MacPool pool;
            try {
                pool = new MacPool(KEY);
            } finally {
                recording = false;
            }
            assertEquals(2, ABSORBED.size(), "the inner and the outer padded key block, each absorbed once");
            assertArrayEquals(new byte[64], ABSORBED.get(0), "K ^ ipad, after it was absorbed");
            byte[] outerBlock = new byte[64]; // RFC 2104: the key padded with zeros to 64 bytes, XORed with 0x5c
            for (int i = 0; i < 64; i++) {
                outerBlock[i] = (byte) ((i < KEY.length ? KEY[i] : 0) ^ 0x5c);
            }
            assertArrayEquals(outerBlock, ABSORBED.get(1), "K ^ opad, kept");
            assertArrayEquals(SIMPLE_MAC, mac(pool, T_TEXT, 0, SIMPLE_BODY), "zeroed only after it was absorbed");
        }

        @Test
        void aProviderThatCannotCloneFailsAtConstruction() {
            Security.insertProviderAt(COUNTING, 1);
            cloneable = false;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MacPool(KEY));
            assertEquals("the SHA-256 provider cannot clone a digest", e.getMessage());
        }
    }

    static final AtomicInteger CLONES = new AtomicInteger();
    static volatile boolean cloneable = true;
    /** While {@link #recording}, the arrays given to the counting SHA-256, as given (not copied). */
    static final List<byte[]> ABSORBED = Collections.synchronizedList(new ArrayList<>());
    static volatile boolean recording;

    /** SHA-256 from the JDK's own provider, counting clones and, while asked, recording what it absorbs. */
    public static final class CountingSha256 extends MessageDigestSpi implements Cloneable {
        private MessageDigest delegate;

        public CountingSha256() throws NoSuchAlgorithmException, NoSuchProviderException {
            delegate = MessageDigest.getInstance("SHA-256", "SUN");
        }

        @Override
        protected void engineUpdate(byte input) {
            delegate.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            if (recording) {
                ABSORBED.add(input);
            }
            delegate.update(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            return delegate.digest();
        }

        @Override
        protected int engineDigest(byte[] out, int offset, int length) throws DigestException {
            return delegate.digest(out, offset, length);
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
            CountingSha256 copy = (CountingSha256) super.clone();
            copy.delegate = (MessageDigest) delegate.clone();
            return copy;
        }
    }

    private static final Provider COUNTING = new Provider("MacPoolTestCounting", "1", "counts SHA-256 clones") {
        private static final long serialVersionUID = 1L;

        {
            put("MessageDigest.SHA-256", CountingSha256.class.getName());
        }
    };
}
