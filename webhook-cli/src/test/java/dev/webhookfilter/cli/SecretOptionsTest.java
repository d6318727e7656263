package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretOptionsTest {

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
