package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Io#readBody} on standard input: whatever its stream says it holds, the body is read byte for byte. */
class IoTest {

    /** {@code length} bytes: every byte value, CR LF pairs, a lone CR and a lone LF, in a repeating pattern. */
    static byte[] binaryWithCrLf(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            int position = i % 300;
            body[i] = position < 256 ? (byte) position : (byte) "\r\n\r\nx\rx\n".charAt((position - 256) % 8);
        }
        return body;
    }

    /**
     * Standard input as a redirected file gives its size as {@code available()}, a pipe what it holds now (or
     * nothing), a stream may say more than it holds, or throw: none of it changes the body read.
     */
    @ParameterizedTest(name = "available() {0}")
    @ValueSource(strings = {"exact", "less", "none", "more", "throws"})
    void standardInput_isReadByteForByteWhateverItsSizeHintSays(String hint) throws CliException {
        byte[] body = binaryWithCrLf((1 << 20) + 12_345);
        InputStream in = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int available() throws IOException {
                int left = super.available();
                switch (hint) {
                    case "exact": return left;
                    case "less": return Math.min(left, 65_536);
                    case "none": return 0;
                    case "more": return left + 4_096;
                    default: throw new IOException("Bad file descriptor");
                }
            }
        };

        ReadBody read = io(in).readBody(Io.STDIN);

        assertEquals(body.length, read.length);
        assertArrayEquals(body, bytes(read));
        long held = Arrays.stream(read.chunks).mapToLong(chunk -> chunk.length).sum();
        assertTrue(held - body.length <= 256 << 10, () -> "held in arrays: " + held + " for " + body.length);
    }

    /** The body's bytes in one array, from the arrays it is held in. */
    static byte[] bytes(ReadBody body) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        body.forEach(joined::write);
        return joined.toByteArray();
    }

    /**
     * A directory given as standard input ({@code sign < /tmp}) says {@link Integer#MAX_VALUE} bytes are available
     * (ext4 answers {@code lseek(SEEK_END)} on one so) and fails its first read. A buffer of the hint's size, 1 GiB,
     * was made before that read: under {@code -Xmx64m} the error said "it does not fit in this JVM's memory",
     * with the default heap the JVM took 1.1 GB to say "Is a directory".
     */
    @Test
    void standardInputThatFailsItsFirstRead_isNotGivenABufferOfItsHintFirst() {
        List<Integer> buffers = new ArrayList<>();
        InputStream directory = new InputStream() {
            @Override
            public int available() {
                return Integer.MAX_VALUE;
            }

            @Override
            public int read() throws IOException {
                throw new IOException("Is a directory");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                buffers.add(buffer.length);
                throw new IOException("Is a directory");
            }
        };

        CliException e = assertThrows(CliException.class, () -> io(directory).readBody(Io.STDIN));

        assertEquals("cannot read the body from standard input: Is a directory", e.getMessage());
        assertTrue(buffers.stream().allMatch(length -> length <= 1 << 16), () -> "buffers given to read: " + buffers);
    }

    /**
     * Standard input redirected from a file over the bound ({@code sign < huge.bin}, 1 GiB and a byte) was given
     * an array of 1 GiB and read into it before it was refused; under a small heap the refusal said to give the
     * JVM more memory. Once its first byte has come, its size is believed, and it is refused as a body FILE over
     * the bound is. The file is sparse: nothing is written. Read as {@code System.in} reads it, through a buffer.
     */
    @Test
    void standardInputRedirectedFromAFileOverTheBound_isRefusedAfterItsFirstByte(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.bin");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength((1L << 30) + 1);
        }
        long[] read = {0};
        try (InputStream in = new FilterInputStream(new BufferedInputStream(new FileInputStream(huge.toFile()))) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                read[0] += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                read[0] += Math.max(n, 0);
                return n;
            }
        }) {
            CliException e = assertThrows(CliException.class, () -> io(in).readBody(Io.STDIN));

            assertEquals("cannot read the body on standard input: it is larger than 1073741824 bytes, the most the"
                    + " filter's maxBodyBytes can accept", e.getMessage());
            assertEquals(1, read[0], "bytes read before the refusal");
        }
    }

    private static Io io(InputStream in) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Io(in, sink, sink, name -> null, Clock.systemUTC(), false);
    }
}
