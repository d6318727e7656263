package dev.webhookfilter.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a property over many random cases, reproducibly: one fixed seed for the run
 * ({@code -Dproperties.seed=}, default {@link #DEFAULT_SEED}), {@code -Dproperties.cases=} cases
 * (default 10,000), each case drawing from its own generator derived from the seed and its number.
 * A failure names the property, the case, and the seed to pass back to reproduce it.
 */
final class Cases {

    static final long DEFAULT_SEED = 20_261_129L;
    static final long SEED = Long.getLong("properties.seed", DEFAULT_SEED);
    static final int COUNT = Integer.getInteger("properties.cases", 10_000);

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Cases() {
    }

    /** Checks {@code property} on {@link #COUNT} cases; rethrows the first failure with seed and case. */
    static void forEach(String property, Consumer<Case> check) {
        for (int i = 0; i < COUNT; i++) {
            Case c = new Case(new SplittableRandom(SEED + i * GOLDEN_GAMMA));
            try {
                check.accept(c);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property '" + property + "' failed at case " + i + " of " + COUNT
                        + " with seed " + SEED + " (reproduce with -Dproperties.seed=" + SEED + "): " + e, e);
            }
        }
    }

    /** One case's random inputs, all drawn from its own generator. */
    static final class Case {

        /** Realistic Unix seconds: 2001 to 2100. */
        static final long MIN_NOW = 1_000_000_000L;
        static final long MAX_NOW = 4_102_444_800L;

        final SplittableRandom random;

        Case(SplittableRandom random) {
            this.random = random;
        }

        int nextInt(int bound) {
            return random.nextInt(bound);
        }

        boolean nextBoolean() {
            return random.nextBoolean();
        }

        /** Uniform in {@code [from, to]}, both inclusive. */
        long between(long from, long to) {
            return to == Long.MAX_VALUE ? random.nextLong(from - 1, to) + 1 : random.nextLong(from, to + 1);
        }

        /** Any bytes, 0 to 2048 of them; short bodies (and the empty one) are drawn often. */
        byte[] body() {
            int shape = random.nextInt(20);
            int length = shape == 0 ? 0 : shape < 8 ? 1 + random.nextInt(64) : random.nextInt(2049);
            byte[] body = new byte[length];
            random.nextBytes(body);
            return body;
        }

        /** 1 to 40 code points from ASCII, Latin-1, Greek and Cyrillic, CJK and emoji (never a lone surrogate). */
        String secret() {
            int length = 1 + random.nextInt(40);
            StringBuilder secret = new StringBuilder(length * 2);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(6)) {
                    case 0, 1, 2 -> secret.append((char) (0x21 + random.nextInt(0x7e - 0x21 + 1)));
                    case 3 -> secret.append((char) (0xa0 + random.nextInt(0x60)));
                    case 4 -> secret.appendCodePoint(0x370 + random.nextInt(0x100) + (random.nextBoolean() ? 0x4e00 : 0));
                    default -> secret.appendCodePoint(0x1f300 + random.nextInt(0x300));
                }
            }
            return secret.toString();
        }

        /** {@code count} secrets that differ from one another. */
        List<String> secrets(int count) {
            List<String> secrets = new ArrayList<>(count);
            while (secrets.size() < count) {
                String secret = secret();
                if (!secrets.contains(secret)) {
                    secrets.add(secret);
                }
            }
            return secrets;
        }

        /** Seconds either side of now that a verifier accepts: mostly the default 300, else 1 to 86400. */
        long tolerance() {
            return random.nextBoolean() ? 300 : 1 + random.nextInt(86_400);
        }

        /** A clock reading in milliseconds, with a random fraction of a second. */
        long nowMillis() {
            return between(MIN_NOW, MAX_NOW) * 1000 + random.nextInt(1000);
        }
    }
}
