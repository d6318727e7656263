package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.TEST_EVENT_VECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import dev.webhookfilter.testing.RequiredCommands;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretOptionsTest {

    @TempDir
    Path dir;

    /** A secrets file is read as the filter's file: entry reads it: a line starting with # is a comment, and the help says so. */
    @Test
    void secretFile_skipsCommentLines_andTheHelpSaysSo() throws IOException {
        Path secrets = Files.writeString(dir.resolve("secrets.txt"), "# the endpoint's secret, rotated 2026-11\n\n"
                + TEST_EVENT_VECTOR.secret() + "\n");

        Result result = cli().stdin(TEST_EVENT_VECTOR.body())
                .run("sign", "--secret-file", secrets.toString(), "--timestamp", String.valueOf(TEST_EVENT_VECTOR.t()));

        assertEquals(0, result.exitCode(), result.all());
        assertEquals("t=" + TEST_EVENT_VECTOR.t() + ",v1=" + TEST_EVENT_VECTOR.v1() + "\n", result.out());
        assertTrue(SecretOptions.HELP.contains("each line of the UTF-8 file PATH is a secret, but blank lines\n"
                + "                        and comments (lines starting with #)"), SecretOptions.HELP);
    }

    /**
     * A pipe keeps the secret off the disk and out of the process list: {@code --secret-file <(pass show x)}
     * gives a /dev/fd/N path, a FIFO. It was refused as "not a regular file".
     */
    @Test
    void secretFile_thatIsAPipe_isRead() throws Exception {
        RequiredCommands.onPath("coreutils (mkfifo)", "mkfifo");
        Path fifo = dir.resolve("secret.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, TEST_EVENT_VECTOR.secret() + "\n");
            } catch (IOException e) {
                // The reader went away; the assertions below say what happened.
            }
        }, "secret-writer");
        writer.setDaemon(true);
        writer.start();
        try {
            Result result = cli().stdin(TEST_EVENT_VECTOR.body()).run("sign", "--secret-file", fifo.toString(),
                    "--timestamp", String.valueOf(TEST_EVENT_VECTOR.t()));

            assertEquals(0, result.exitCode(), result.all());
            assertEquals("t=" + TEST_EVENT_VECTOR.t() + ",v1=" + TEST_EVENT_VECTOR.v1() + "\n", result.out());
        } finally {
            if (writer.isAlive()) {
                // Nobody read the pipe, or the writer is just ending: open it to release a writer still waiting
                // for a reader. For reading and writing, which never waits on Linux; for reading alone it waited
                // for ever where the writer had ended meanwhile (seen under load).
                try (FileChannel release = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    writer.join(5_000);
                }
            }
            writer.join(5_000);
        }
    }

    /**
     * {@code pass show x | sign --secret-file /dev/stdin} with no FILE: the body would be what the secret left
     * of standard input, nothing, and sign would print a valid signature of an empty body. Refused before
     * either is read.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
    void secretFileOnStandardInput_withTheBodyThereToo_isUsageError(String stdin) {
        Result result = cli().stdin(TEST_EVENT_VECTOR.body()).run("sign", "--secret-file", stdin);

        assertEquals(2, result.exitCode(), result.all());
        assertTrue(result.err().contains("error: --secret-file " + stdin + " and the body both read standard input;"
                + " give the body in a FILE of its own"), result.err());
        assertEquals("", result.out());
    }

    /**
     * {@code pass show x | sign --secret-file - event.json}: {@code -} is standard input as a body FILE, not as a
     * secret file. It was an I/O error (exit 3) that took {@code -} for what "may be the secret itself" and
     * suggested {@code ./secret.txt}; it is a usage error that names standard input's path.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "verify", "send"})
    void secretFileDash_isUsageErrorNamingStandardInputsPath(String command) throws IOException {
        Path body = Files.write(dir.resolve("event.json"), TEST_EVENT_VECTOR.body());
        String[] args = command.equals("send")
                // Nothing listens on port 9 of this machine (discard); the refusal comes before any connection.
                ? new String[] {"send", "--secret-file", "-", "http://127.0.0.1:9/webhooks/", body.toString()}
                : command.equals("verify")
                ? new String[] {"verify", "--secret-file", "-", "--signature", "t=1,v1=AA==", body.toString()}
                : new String[] {"sign", "--secret-file", "-", body.toString()};

        Result result = cli().stdin((TEST_EVENT_VECTOR.secret() + "\n").getBytes(StandardCharsets.UTF_8)).run(args);

        assertEquals(2, result.exitCode(), result.all());
        assertTrue(result.err().contains("error: --secret-file takes a PATH, and - names none; for a secret on"
                + " standard input give --secret-file /dev/stdin, with the body in a FILE"), result.err());
        assertEquals("", result.out());
    }

    /**
     * {@code send --secret-file s.txt URL s.txt}, a slip of the hand: the secret would be the body, signed as the
     * event and posted to the endpoint. Refused by any name of the same file, before a byte is read or sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "verify", "send"})
    void secretFile_thatIsTheBodyFileToo_isUsageError(String command) throws IOException {
        Path secrets = Files.writeString(dir.resolve("secrets.txt"), TEST_EVENT_VECTOR.secret() + "\n");
        Path link = Files.createSymbolicLink(dir.resolve("event.json"), secrets);
        String[] args = command.equals("send")
                // Nothing listens on port 9 of this machine (discard); the refusal comes before any connection.
                ? new String[] {"send", "--secret-file", secrets.toString(), "http://127.0.0.1:9/webhooks/", link.toString()}
                : command.equals("verify")
                ? new String[] {"verify", "--secret-file", secrets.toString(), "--signature", "t=1,v1=AA==", link.toString()}
                : new String[] {"sign", "--secret-file", secrets.toString(), link.toString()};

        Result result = cli().run(args);

        assertEquals(2, result.exitCode(), result.all());
        assertTrue(result.err().contains("error: --secret-file " + secrets + " is the body FILE too;"
                + " give the body in a FILE of its own"), result.err());
        assertFalse(result.all().contains(TEST_EVENT_VECTOR.secret()), result.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/run/secrets/webhook", "secret.txt", "./secret", "C:\\secrets\\webhook", "~/.webhook"})
    void looksLikePath_forPaths(String path) {
        assertTrue(SecretOptions.looksLikePath(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"whsec_example_development_only", "0123456789abcdef", "secrets",
            // openssl rand -base64 32, and one with / but the padding
            "q7bN8ZbEd8v+e3yR0xkN6G2yZ0m1b9P2s4rQYh5Y6xA=", "ab/cd/ef==", "a/b+c",
            // a Svix / Standard Webhooks secret: whsec_ and base64 of 24 bytes, no padding; base64 of 3 bytes
            "whsec_9fk4I/K3iXnIIYXGUAggwWg7fEVJ9Hth", "ab/c"})
    void looksLikePath_notForSecrets(String secret) {
        assertFalse(SecretOptions.looksLikePath(secret));
    }
}
