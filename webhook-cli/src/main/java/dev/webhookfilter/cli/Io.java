package dev.webhookfilter.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What a command may touch: its streams, the environment and the clock, so tests can supply their own. */
final class Io {

    /** The file name that stands for standard input. */
    static final String STDIN = "-";
    /** The largest body read: the largest {@code maxBodyBytes} a filter accepts, 1 GiB. */
    static final int MAX_BODY_BYTES = 1 << 30;
    /** The first array a body of unknown length is read into; each next one is twice as large, up to the last. */
    private static final int FIRST_CHUNK_BYTES = 8 << 10;
    /**
     * The largest array a body of unknown length is read into: at most this much is held beyond the body. Under
     * half of G1's smallest region (1 MiB), so that no array takes a region of its own and leaves most of it
     * empty, as a 1 MiB array (its header makes it two regions) would.
     */
    static final int MAX_CHUNK_BYTES = 256 << 10;

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Function<String, String> environment;
    final Clock clock;
    /** True when a person at a terminal types the input, who should be told that it is awaited. */
    final boolean interactive;

    Io(InputStream in, PrintStream out, PrintStream err, Function<String, String> environment, Clock clock,
       boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.clock = clock;
        this.interactive = interactive;
    }

    /** The process's own streams, environment and clock. */
    static Io system() {
        return new Io(System.in, System.out, System.err, System::getenv, Clock.systemUTC(), isTerminal());
    }

    /**
     * Whether standard input and output are a terminal. Up to Java 21 that is what a non-null
     * {@code System.console()} means; from Java 22 the console exists even when redirected, and
     * {@code Console.isTerminal()}, called reflectively as the library targets Java 11, says.
     */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a body FILE is read from standard input: {@code -}, or a path to it ({@code /dev/stdin} and the like,
     * {@link SecretOptions#isStandardInput}), which a secret file then may not be too.
     */
    static boolean readsStandardInput(String file) {
        return STDIN.equals(file) || SecretOptions.isStandardInput(file);
    }

    /** Now, in Unix seconds. */
    long now() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /**
     * Reads the body in {@code file}, or on standard input when it is {@code -}, as bytes: a body is
     * signed exactly as read, with no decoding and no newline added or removed.
     *
     * @throws CliException (I/O) naming the file and the cause
     */
    ReadBody readBody(String file) throws CliException {
        if (STDIN.equals(file)) {
            if (interactive) {
                err.println("Reading the body from standard input; end it with Ctrl-D (Ctrl-Z, Enter on Windows),"
                        + " or give a FILE.");
            }
            String what = "the body on standard input";
            try {
                int hint = sizeHint(in);
                if (hint == 0) {
                    return bounded(in, what);
                }
                // A hint may be false: a directory given as standard input (< /tmp) says 2^31-1 and fails its
                // first read. Nothing is made for the hint until a first byte has come.
                int first = in.read();
                if (first < 0) {
                    return ReadBody.of(new byte[0]);
                }
                if (sizeHint(in) == MAX_BODY_BYTES) {
                    // A file redirected in (< huge.bin) that has the bound or more left after its first byte: refused
                    // now, as a body FILE over the bound is, not read up to the bound first.
                    throw tooLarge(what);
                }
                return sized(new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}), in), hint,
                        what);
            } catch (IOException e) {
                throw CliException.io("cannot read the body from standard input: " + e.getMessage());
            }
        }
        // A URL given where FILE goes (sign typed for send) is quoted as send quotes one, without what may be a
        // password or a token; the exception's message, which quotes it whole, is not shown.
        boolean url = file.contains("://");
        boolean shown = !url && mayQuoteFile(file);
        String what = url ? "body file " + SendCommand.quotable(file) : shown ? "body file " + file
                : "the body FILE given (not shown: it does not look like a file name, and may be a secret given in its"
                + " place; the secret goes in --secret-env or --secret-file)";
        Path path = path(file, what);
        try {
            long size = Files.isRegularFile(path) ? Files.size(path) : -1;
            if (size > MAX_BODY_BYTES) {
                throw tooLarge(what);
            }
            try (InputStream body = Files.newInputStream(path)) {
                return size < 0 ? bounded(body, what) : sized(body, (int) size, what);
            }
        } catch (IOException | SecurityException e) {
            throw CliException.io("cannot read " + what + ": " + describe(e, path, shown));
        }
    }

    /**
     * How many bytes {@code in} says it holds, at most {@link #MAX_BODY_BYTES}, or 0 if it cannot say. Standard
     * input redirected from a file ({@code < event.json}) gives what is left of the file; a pipe gives what it
     * holds now, often nothing; a directory ({@code < /tmp}) says {@link Integer#MAX_VALUE} and fails its first
     * read. Only a hint: {@link #sized} reads on past it, and copes with less. Once a first byte has come, a hint
     * of the bound is believed: what is left with that byte is over the bound, and is refused unread.
     */
    private static int sizeHint(InputStream in) {
        try {
            return Math.min(Math.max(in.available(), 0), MAX_BODY_BYTES);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * All of {@code in}, of unknown length (a pipe that holds nothing yet), if it holds at most
     * {@link #MAX_BODY_BYTES} bytes and they fit in memory: read into arrays ({@link #chunked}), not copied into one.
     */
    private static ReadBody bounded(InputStream in, String what) throws IOException, CliException {
        try {
            return chunked(in, new ArrayList<>(), 0, what);
        } catch (OutOfMemoryError e) {
            // Only the body's arrays were being made: nothing else is left half done.
            throw noMemory(what);
        }
    }

    /**
     * A regular file said to hold {@code size} bytes, or standard input that says so ({@link #sizeHint}), read
     * into one array of that size: the body once in memory, not in buffers and then in a copy of them. A file
     * whose size is not its content's ({@code /proc} says 0, {@code /sys} a page), or a pipe that holds more than
     * it had when asked, is read on into more arrays ({@link #chunked}), within {@link #MAX_BODY_BYTES}.
     */
    private static ReadBody sized(InputStream in, int size, String what) throws IOException, CliException {
        try {
            byte[] body = new byte[size];
            int read = in.readNBytes(body, 0, size);
            if (read < size) {
                return new ReadBody(new byte[][] {body}, read);
            }
            return chunked(in, new ArrayList<>(List.of(body)), size, what);
        } catch (OutOfMemoryError e) {
            // Only the body's arrays were being made: nothing else is left half done.
            throw noMemory(what);
        }
    }

    /**
     * {@code chunks}, holding the body's first {@code length} bytes, and the rest of {@code in} after them in
     * arrays of {@value #FIRST_CHUNK_BYTES} bytes, then twice as many each, up to {@value #MAX_CHUNK_BYTES}: the
     * body and at most one array more, never a copy of it.
     *
     * @throws CliException (I/O) if the body is over {@link #MAX_BODY_BYTES}
     */
    private static ReadBody chunked(InputStream in, List<byte[]> chunks, long length, String what)
            throws IOException, CliException {
        long read = length;
        int size = FIRST_CHUNK_BYTES;
        while (read <= MAX_BODY_BYTES) {
            // One byte past the bound at most: enough to tell that the body is over it.
            byte[] chunk = new byte[(int) Math.min(size, MAX_BODY_BYTES + 1L - read)];
            int n = in.readNBytes(chunk, 0, chunk.length);
            if (n > 0 || chunks.isEmpty()) {
                chunks.add(chunk);
            }
            read += n;
            if (n < chunk.length) {
                break;
            }
            size = Math.min(size * 2, MAX_CHUNK_BYTES);
        }
        if (read > MAX_BODY_BYTES) {
            throw tooLarge(what);
        }
        return new ReadBody(chunks.toArray(new byte[0][]), (int) read);
    }

    private static CliException noMemory(String what) {
        return CliException.io("cannot read " + what + ": it does not fit in this JVM's memory; give it more with"
                + " java -Xmx...");
    }

    private static CliException tooLarge(String what) {
        return CliException.io("cannot read " + what + ": it is larger than " + MAX_BODY_BYTES
                + " bytes, the most the filter's maxBodyBytes can accept");
    }

    /**
     * Checks that {@code file} exists, is not a directory and is readable, before a reader that hides why it
     * is not. A pipe or a device is fine: {@code --secret-file <(pass show webhook)} names a pipe, which keeps
     * the secret off the disk and out of the process list; the reader bounds what it takes.
     *
     * @param what how to name the file in the message, e.g. "secret file ./s.txt"
     */
    static void checkReadable(String file, String what) throws CliException {
        Path path = path(file, what);
        if (!Files.exists(path)) {
            throw CliException.io("cannot read " + what + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw CliException.io("cannot read " + what + ": it is a directory");
        }
        if (!Files.isReadable(path)) {
            throw CliException.io("cannot read " + what + ": permission denied");
        }
    }

    /**
     * {@code file} as a path, or a message naming it as {@code what} does: the exception's own message quotes
     * the text, which may be a secret given where a path goes. The usual cause is a name outside ASCII in a
     * locale whose file names are ASCII ({@code LANG=C}, as in many containers): Java then cannot encode it.
     */
    private static Path path(String file, String what) throws CliException {
        try {
            return Paths.get(file);
        } catch (InvalidPathException e) {
            boolean ascii = file.chars().allMatch(c -> c < 0x80);
            throw CliException.io("cannot read " + what + ": it is not a valid path here"
                    + (ascii ? "" : " (it is not ASCII, and this system's file names are "
                    + System.getProperty("sun.jnu.encoding", "of another encoding")
                    + "; run in a UTF-8 locale, e.g. LC_ALL=C.UTF-8)"));
        }
    }

    /**
     * Whether a FILE operand may be quoted in an error: it looks like a path ({@link SecretOptions#looksLikePath}),
     * or not like a secret ({@link SecretOptions#mayBeSecret}), as {@code body}, {@code --help} or
     * {@code événement.json} do not. A secret may be given where FILE goes ({@code sign "$WEBHOOK_SECRET"}).
     */
    static boolean mayQuoteFile(String file) {
        return SecretOptions.looksLikePath(file) || !SecretOptions.mayBeSecret(file);
    }

    /** Why {@code path} could not be read; with {@code shown} false, without the exception's message, which quotes it. */
    private static String describe(Exception e, Path path, boolean shown) {
        if (!shown && !(e instanceof NoSuchFileException) && !(e instanceof AccessDeniedException)
                && !Files.isDirectory(path)) {
            String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : null;
            return reason != null ? reason : e.getClass().getSimpleName();
        }
        return describe(e, path);
    }

    private static String describe(Exception e, Path path) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(path)) {
            return "it is a directory";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
