package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code secrets} grammar: literals, {@code env:NAME}, {@code file:PATH}, and every way to get it wrong. */
class SecretsTest {

    private static final String HIDDEN = "whsec_never_in_a_message_9c1d";
    private static final Map<String, String> ENV = Map.of("NEW", "  whsec_from_env_new \n", "BLANK", "  ",
            "HIDDEN", HIDDEN);

    @TempDir
    Path dir;

    private static List<String> resolve(String spec) {
        return Secrets.resolve(spec, ENV::get);
    }

    private static IllegalArgumentException failure(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(spec));
        assertFalse(e.getMessage().contains(HIDDEN), e::getMessage);
        return e;
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsLiteralsEnvironmentVariablesAndFilesInOrder() throws IOException {
        Path file = file("secrets", "\n  whsec_file_one  \r\n\n\twhsec_file_two\n   \n");

        assertEquals(List.of("whsec_literal", "whsec_from_env_new", "whsec_file_one", "whsec_file_two", "x"),
                resolve(" whsec_literal ,env:NEW,\tfile:" + file + " , x"));
    }

    @Test
    void keepsEverythingButCommasAndOuterBlanksInALiteral() {
        assertEquals(List.of("a b=c:d;\u00e9"), resolve("a b=c:d;\u00e9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ",", "a,", ",a", "a,,b", "a, ,b"})
    void refusesNoSecretOrAnEmptyEntry(String spec) {
        failure(spec);
    }

    @Test
    void refusesAnUnsetOrBlankVariableNamingItAndTheFix() {
        IllegalArgumentException unset = failure("whsec_x,env:MISSING");
        assertEquals("entry 2 of 2: environment variable MISSING is not set; set it in the server's environment,"
                + " or give the secret as file:PATH", unset.getMessage());
        assertTrue(failure("env:BLANK").getMessage().contains("environment variable BLANK is empty"));
        assertTrue(failure("env:").getMessage().contains("without a variable name"));
    }

    @Test
    void refusesAMissingEmptyOversizedOrNonUtf8File() throws IOException {
        assertTrue(failure("file:" + dir.resolve("absent")).getMessage().contains("cannot read file"));
        assertTrue(failure("file:" + file("blank", " \n\t\n")).getMessage().contains("holds no secret"));
        assertTrue(failure("file:").getMessage().contains("without a path"));
        Path big = file("big", "x".repeat(Secrets.MAX_FILE_BYTES + 1));
        assertTrue(failure("file:" + big).getMessage().contains("larger than 65536 bytes"));
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'a', (byte) 0xe9, '\n'});
        assertTrue(failure("file:" + latin1).getMessage().contains("not UTF-8"));
        assertTrue(failure("file:" + dir).getMessage().contains("cannot read file"), "a directory");
    }

    @Test
    void acceptsAFileOfExactlyTheLimit() throws IOException {
        Path full = file("full", "y".repeat(Secrets.MAX_FILE_BYTES));

        assertEquals(Secrets.MAX_FILE_BYTES, resolve("file:" + full).get(0).length());
        assertEquals(List.of("y".repeat(Secrets.MAX_FILE_BYTES)), Secrets.fromFile(full));
    }

    @Test
    void neverQuotesAFilesContents() throws IOException {
        Path oversized = file("oversized", HIDDEN + "\n" + "z".repeat(Secrets.MAX_FILE_BYTES));

        failure("file:" + oversized);
    }

    @Test
    void looksVariablesUpInTheGivenEnvironment() {
        assertEquals(HIDDEN, Secrets.fromEnvironment("HIDDEN", ENV::get));
        assertThrows(IllegalArgumentException.class, () -> Secrets.fromEnvironment("MISSING", ENV::get));
    }
}
