package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.TEST_EVENT_VECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
