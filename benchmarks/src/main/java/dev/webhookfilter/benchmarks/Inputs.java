package dev.webhookfilter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * What every benchmark signs and verifies: bodies of a given size, the secrets, the tolerance.
 *
 * <p>Bodies are printable ASCII, so a peer that takes the body as a {@code String} sees exactly
 * the same bytes once UTF-8 encoded.
 */
final class Inputs {

    /** The secret a valid request is signed with. */
    static final String SECRET = "whsec_benchmark_secret_0123456789";
    /** A second configured secret that matches nothing, for the rotation case. */
    static final String NEXT_SECRET = "whsec_benchmark_next_secret_abcdef";
    /** A secret the sender still signs with but the receiver no longer holds. */
    static final String RETIRED_SECRET = "whsec_benchmark_retired_secret_xyz";

    /**
     * Wider than the default 300 s so that a long run never measures a stale rejection; the width
     * costs nothing per request.
     */
    static final Duration TOLERANCE = Duration.ofHours(1);

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 {}[]:,\"".getBytes(StandardCharsets.US_ASCII);

    private Inputs() {
    }

    /** A repeatable body of exactly {@code size} printable ASCII bytes. */
    static byte[] body(int size) {
        SplittableRandom random = new SplittableRandom(size);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return body;
    }

    /** Now, in Unix seconds. */
    static long now() {
        return Math.floorDiv(System.currentTimeMillis(), 1000L);
    }

    /** Throws unless {@code condition}: a benchmark whose input does not verify measures nothing useful. */
    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up is wrong: " + what);
        }
    }
}
