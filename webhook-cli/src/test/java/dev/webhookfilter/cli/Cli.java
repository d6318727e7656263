package dev.webhookfilter.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Runs the tool in-process with captured streams, a given environment and a fixed clock. */
final class Cli {

    private final Map<String, String> environment = new HashMap<>();
    private Function<String, String> lookup = environment::get;
    private byte[] stdin = new byte[0];
    private long now = CliVectors.T;
    private boolean interactive;
    private boolean outFails;
    private boolean pipe;

    static Cli cli() {
        return new Cli();
    }

    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Looks variables up with {@code lookup} instead: one that throws stands for a fault of the tool's own. */
    Cli environment(Function<String, String> lookup) {
        this.lookup = lookup;
        return this;
    }

    Cli stdin(byte[] bytes) {
        stdin = bytes.clone();
        return this;
    }

    /** Standard input as a pipe gives it: {@code bytes}, of a length it does not tell ({@code available()} is 0). */
    Cli pipe(byte[] bytes) {
        stdin = bytes.clone();
        pipe = true;
        return this;
    }

    Cli now(long seconds) {
        now = seconds;
        return this;
    }

    /** As if standard input and output were a terminal. */
    Cli interactive() {
        interactive = true;
        return this;
    }

    /** As if standard output were a full disk: every write fails, and nothing is kept. */
    Cli outFails() {
        outFails = true;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream stdout = !outFails ? out : new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        InputStream in = !pipe ? new ByteArrayInputStream(stdin) : new FilterInputStream(new ByteArrayInputStream(stdin)) {
            @Override
            public int available() {
                return 0;
            }
        };
        int exitCode = Main.run(args, new Io(in,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                lookup, Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC), interactive));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a run printed and returned. */
    record Result(int exitCode, String out, String err) {
        /** Both streams, for asserting that something appears nowhere. */
        String all() {
            return out + err;
        }
    }
}
