package dev.webhookfilter.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Webhook bodies made from a seeded {@link Random}, so that every run sends the same ones: the empty
 * body, printable ASCII, text with CRLF and lone CR or LF, multibyte UTF-8 (two-, three- and four-byte
 * characters, combining marks, a BOM, a literal U+FFFD, NUL), UTF-8 with invalid sequences spliced in
 * (lone continuation bytes, overlong forms, encoded surrogates, truncated characters, 0xF5 to 0xFF), and
 * uniformly random bytes.
 */
final class Bodies {

    /** How many bodies each direction of each SDK is tried with. */
    static final int COUNT = 4000;
    /**
     * The fewest bodies a String SDK can carry that each check must cover, both ways: issue 10 asks for
     * thousands, and about two in five bodies here (the ones that are not UTF-8) no String SDK can carry.
     */
    static final int AT_LEAST = 2000;
    /** The seed: change it and the bodies change, the expectations do not. */
    static final long SEED = 0x1F0_2026_1201L;

    enum Kind { EMPTY, ASCII, CRLF, MULTIBYTE_UTF8, INVALID_UTF8, RANDOM_BYTES }

    record Body(int index, Kind kind, byte[] bytes) {

        /** {@return whether a {@code String} API can carry these bytes: they are well-formed UTF-8} */
        boolean expressibleAsString() {
            return Bodies.isUtf8(bytes);
        }

        /** {@return the body as a String SDK receives it: the bytes decoded as UTF-8, as a framework would} */
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "body #" + index + " (" + kind + ", " + bytes.length + " bytes)";
        }
    }

    private Bodies() {
    }

    /** {@return the same {@link #COUNT} bodies on every call; the first is empty} */
    static List<Body> all() {
        return Holder.ALL;
    }

    /** {@return those of {@link #all()} that a {@code String} API can carry, in the same order} */
    static List<Body> expressibleAsStrings() {
        return Holder.STRINGS;
    }

    /** {@return those of {@link #all()} that are not UTF-8, which no {@code String} API can carry, in the same order} */
    static List<Body> notUtf8() {
        return Holder.NOT_UTF8;
    }

    /** Made on first use, after the tables below are initialised. */
    private static final class Holder {
        static final List<Body> ALL = generate(new Random(SEED), COUNT);
        static final List<Body> STRINGS = ALL.stream().filter(Body::expressibleAsString).toList();
        static final List<Body> NOT_UTF8 = ALL.stream().filter(body -> !body.expressibleAsString()).toList();
    }

    /** {@return whether {@code bytes} decode as UTF-8 and encode back to themselves} */
    static boolean isUtf8(byte[] bytes) {
        return Arrays.equals(bytes, new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    /** {@return whether two byte strings decode to the same text, so a String API cannot tell them apart} */
    static boolean sameText(byte[] a, byte[] b) {
        return new String(a, StandardCharsets.UTF_8).equals(new String(b, StandardCharsets.UTF_8));
    }

    /**
     * One byte of {@code body} changed (XOR with a non-zero mask at a random position); the empty body
     * gets one byte instead, since it has none to change.
     */
    static byte[] tamper(byte[] body, Random random) {
        if (body.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] tampered = body.clone();
        tampered[random.nextInt(body.length)] ^= (byte) (1 + random.nextInt(255));
        return tampered;
    }

    private static List<Body> generate(Random random, int count) {
        List<Body> bodies = new ArrayList<>(count);
        bodies.add(new Body(0, Kind.EMPTY, new byte[0]));
        Kind[] kinds = {Kind.ASCII, Kind.CRLF, Kind.MULTIBYTE_UTF8, Kind.INVALID_UTF8, Kind.RANDOM_BYTES};
        for (int i = 1; i < count; i++) {
            Kind kind = kinds[i % kinds.length];
            // Mostly small, as webhooks are; some up to 8 KiB.
            int length = random.nextInt(8) == 0 ? random.nextInt(8192) : random.nextInt(512);
            bodies.add(new Body(i, kind, make(kind, length, random)));
        }
        return Collections.unmodifiableList(bodies);
    }

    private static byte[] make(Kind kind, int length, Random random) {
        switch (kind) {
            case ASCII:
                return ascii(length, random).getBytes(StandardCharsets.US_ASCII);
            case CRLF:
                return crlf(length, random).getBytes(StandardCharsets.US_ASCII);
            case MULTIBYTE_UTF8:
                return multibyte(length, random).getBytes(StandardCharsets.UTF_8);
            case INVALID_UTF8:
                return invalid(length, random);
            default:
                byte[] bytes = new byte[Math.max(1, length)];
                random.nextBytes(bytes);
                return bytes;
        }
    }

    private static String ascii(int length, Random random) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return s.toString();
    }

    private static String crlf(int length, Random random) {
        String[] breaks = {"\r\n", "\r\n", "\r\n", "\n", "\r", "\r\n\r\n"};
        StringBuilder s = new StringBuilder(length + 8);
        while (s.length() < length) {
            s.append(ascii(random.nextInt(40), random)).append(breaks[random.nextInt(breaks.length)]);
        }
        return s.toString();
    }

    /** Code points from every UTF-8 length, and the ones that trip String handling. */
    private static final int[][] RANGES = {
        {0x20, 0x7e}, {0xa0, 0xff}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x600, 0x6ff}, {0x4e00, 0x9fff},
        {0xac00, 0xd7a3}, {0x300, 0x36f}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff}, {0x10000, 0x1007f},
    };
    private static final int[] SPECIAL = {0xfeff, 0xfffd, 0x0, 0x2028, 0x200d, 0x10ffff, 0xe000};

    private static String multibyte(int length, Random random) {
        StringBuilder s = new StringBuilder(length);
        if (random.nextInt(10) == 0) {
            s.appendCodePoint(0xfeff);
        }
        // At least one character of more than one byte.
        s.appendCodePoint(0xe9);
        while (s.length() < length) {
            if (random.nextInt(20) == 0) {
                s.appendCodePoint(SPECIAL[random.nextInt(SPECIAL.length)]);
            } else {
                int[] range = RANGES[random.nextInt(RANGES.length)];
                s.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
            }
        }
        return s.toString();
    }

    /** Byte sequences that are not UTF-8, each of a kind a decoder must refuse. */
    private static final byte[][] INVALID = {
        {(byte) 0x80}, {(byte) 0xbf}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xc1, (byte) 0xbf},
        {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xed, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xf5}, {(byte) 0xfe}, {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82},
        {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
    };

    private static byte[] invalid(int length, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 8);
        byte[] text = multibyte(Math.max(1, length), random).getBytes(StandardCharsets.UTF_8);
        int splices = 1 + random.nextInt(3);
        int from = 0;
        for (int i = 0; i < splices; i++) {
            int to = from + random.nextInt(text.length - from + 1);
            out.write(text, from, to - from);
            out.writeBytes(INVALID[random.nextInt(INVALID.length)]);
            from = to;
        }
        out.write(text, from, text.length - from);
        return out.toByteArray();
    }
}
