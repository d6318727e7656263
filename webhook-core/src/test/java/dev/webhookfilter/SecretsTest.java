package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    private static final String SECRET = "whsec_secrets_test_value_9f2c";
    private static final Function<String, String> ENVIRONMENT = Map.of(
            "WEBHOOK_SECRET", "  " + SECRET + "\n",
            "OLD_SECRET", "whsec_old",
            "BLANK", " \t ")::get;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String failure(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Secrets.resolve(spec, ENVIRONMENT)).getMessage();
    }

    /** A list of secrets that reaches a log line, a debugger's view or an exception message shows none of them. */
    @Test
    void theResolvedListShowsHowManyNeverWhat() throws IOException {
        List<String> resolved = Secrets.resolve("env:WEBHOOK_SECRET, literal-secret-1", ENVIRONMENT);
        assertEquals("[2 secrets, not shown]", resolved.toString());
        assertEquals("[1 secret, not shown]", Secrets.fromFile(file("one", SECRET + "\n")).toString());
        assertEquals(List.of(SECRET, "literal-secret-1"), resolved);
        assertThrows(UnsupportedOperationException.class, () -> resolved.add("another"));
    }

    @Nested
    class Literals {

        @Test
        void aLiteralIsItself() {
            assertEquals(List.of(SECRET), Secrets.resolve(SECRET, ENVIRONMENT));
        }

        @Test
        void aCommaListWithSpacesAndTabs() {
            assertEquals(List.of("one", "two", "three"), Secrets.resolve(" one ,\ttwo\t, three", ENVIRONMENT));
        }

        @Test
        void keepsInnerSpaces() {
            assertEquals(List.of("pass phrase"), Secrets.resolve("pass phrase", ENVIRONMENT));
        }

        @ParameterizedTest
        @ValueSource(strings = {",", "a,", ",a", "a,,b", "a, ,b"})
        void refusesAnEmptyEntry(String spec) {
            assertTrue(failure(spec).contains("is empty (a stray comma?)"), failure(spec));
        }

        @Test
        void namesThePositionOfTheEmptyEntry() {
            assertEquals("entry 2 of 3 is empty (a stray comma?)", failure(SECRET + ",," + SECRET));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void refusesNoSpecification(String spec) {
            assertEquals("no secret is configured", failure(spec));
        }

        @Test
        void refusesNull() {
            assertEquals("no secret is configured", failure(null));
        }

        @Test
        void resolveWithoutEnvironmentUsesTheProcessEnvironment() {
            assertEquals(List.of(SECRET), Secrets.resolve(SECRET));
            assertThrows(IllegalArgumentException.class,
                    () -> Secrets.resolve("env:WEBHOOK_FILTER_TEST_VARIABLE_THAT_IS_NOT_SET"));
        }
    }

    @Nested
    class Environment {

        @Test
        void readsAndTrimsAVariable() {
            assertEquals(List.of(SECRET), Secrets.resolve("env:WEBHOOK_SECRET", ENVIRONMENT));
            assertEquals(List.of(SECRET), Secrets.resolve("env: WEBHOOK_SECRET ", ENVIRONMENT));
        }

        @Test
        void mixesWithLiteralsInOrder() {
            assertEquals(List.of(SECRET, "lit", "whsec_old"),
                    Secrets.resolve("env:WEBHOOK_SECRET, lit ,env:OLD_SECRET", ENVIRONMENT));
        }

        @Test
        void refusesAnUnsetVariable() {
            assertEquals("entry 2 of 2: environment variable MISSING is not set"
                + "; set it in the server's environment, or give the secret as file:PATH", failure("x,env:MISSING"));
        }

        @Test
        void refusesABlankVariable() {
            assertEquals("entry 1 of 1: environment variable BLANK is empty"
                + "; set it to the secret, or give the secret as file:PATH", failure("env:BLANK"));
        }

        @Test
        void refusesANamelessEntry() {
            assertEquals("entry 1 of 1 is 'env:' without a variable name", failure("env:"));
            assertEquals("entry 1 of 1 is 'env:' without a variable name", failure("env:  "));
        }

        @Test
        void fromEnvironmentLooksUpOneName() {
            assertEquals(SECRET, Secrets.fromEnvironment("WEBHOOK_SECRET", ENVIRONMENT));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Secrets.fromEnvironment("MISSING", ENVIRONMENT));
            assertEquals("the secret: environment variable MISSING is not set"
                + "; set it in the server's environment, or give the secret as file:PATH", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Secrets.fromEnvironment("WEBHOOK_FILTER_TEST_VARIABLE_THAT_IS_NOT_SET"));
        }

        @Test
        void fromEnvironmentReadsTheProcessEnvironment() {
            String path = System.getenv("PATH");
            if (path != null && !path.isBlank()) {
                assertEquals(path.strip(), Secrets.fromEnvironment("PATH"));
            }
        }
    }

    @Nested
    class FromFiles {

        @Test
        void readsEveryNonBlankLineTrimmed() throws IOException {
            Path path = file("secrets", "\n  first \r\n\t\n second\t\nthird");
            assertEquals(List.of("first", "second", "third"), Secrets.resolve("file:" + path, ENVIRONMENT));
            assertEquals(List.of("first", "second", "third"), Secrets.fromFile(path));
        }

        @Test
        void aPathWithSpacesAroundIt() throws IOException {
            Path path = file("one", SECRET + "\n");
            assertEquals(List.of("lit", SECRET), Secrets.resolve("lit, file: " + path + " ", ENVIRONMENT));
        }

        @Test
        void linesStartingWithAHashAreComments() throws IOException {
            Path path = file("commented", "# rotated 2026-11-30\n" + SECRET + "\n  # old: retired\n");
            assertEquals(List.of(SECRET), Secrets.resolve("file:" + path, ENVIRONMENT));
            Path onlyComments = file("only-comments", "# the secret goes here\n");
            assertTrue(failure("file:" + onlyComments).endsWith("holds no secret (blank lines and lines starting"
                    + " with # do not count)"));
        }

        @Test
        void refusesAPathlessEntry() {
            assertEquals("entry 1 of 1 is 'file:' without a path", failure("file:"));
        }

        @Test
        void refusesAMissingFile() {
            Path missing = dir.resolve("missing");
            assertEquals("entry 1 of 1: cannot read file " + missing + " (NoSuchFileException)", failure("file:" + missing));
        }

        @Test
        void refusesAnUnreadablePath() {
            // A directory: root (who runs these tests in CI containers) can read any file, not a directory's bytes.
            String message = failure("file:" + dir);
            assertTrue(message.startsWith("entry 1 of 1: cannot read file " + dir + " ("), message);
        }

        @Test
        void refusesAnEmptyOrBlankFile() throws IOException {
            Path empty = file("empty", "");
            assertEquals("entry 1 of 1: file " + empty + " holds no secret (blank lines and lines starting with #"
                    + " do not count)", failure("file:" + empty));
            Path blank = file("blank", "\n \t\r\n\n");
            assertEquals("entry 1 of 1: file " + blank + " holds no secret (blank lines and lines starting with #"
                    + " do not count)", failure("file:" + blank));
            assertThrows(IllegalArgumentException.class, () -> Secrets.fromFile(blank));
        }

        /**
         * PowerShell 5's Set-Content/Out-File -Encoding UTF8 (and older Notepad) start the file with a byte
         * order mark, which strip() keeps: the key silently becomes EF BB BF + the secret and every request is 401.
         */
        @Test
        void aByteOrderMarkIsNotPartOfTheFirstSecret() throws IOException {
            Path path = file("bom", "\uFEFF" + SECRET + "\r\n");
            assertEquals(List.of(SECRET), Secrets.resolve("file:" + path, ENVIRONMENT));
            Path inside = file("inner", "#\r\n\uFEFF" + SECRET + "\n");
            assertEquals(List.of("\uFEFF" + SECRET), Secrets.resolve("file:" + inside, ENVIRONMENT),
                    "only at the file's start is it a byte order mark");
        }

        @Test
        void refusesAFileThatIsNotUtf8() throws IOException {
            Path path = Files.write(dir.resolve("latin1"), new byte[] {'a', (byte) 0xe9, 'b'});
            assertEquals("entry 1 of 1: file " + path + " is not UTF-8 text", failure("file:" + path));
        }

        @Test
        void readsAFileOfExactly64KiB() throws IOException {
            char[] filler = new char[Secrets.MAX_FILE_BYTES - SECRET.length() - 1];
            Arrays.fill(filler, ' ');
            Path path = file("large", SECRET + "\n" + new String(filler));
            assertEquals(65_536, Files.size(path));
            assertEquals(List.of(SECRET), Secrets.resolve("file:" + path, ENVIRONMENT));
        }

        @Test
        void refusesAFileOverTheCap() throws IOException {
            char[] filler = new char[Secrets.MAX_FILE_BYTES - SECRET.length()];
            Arrays.fill(filler, ' ');
            Path path = file("too-large", SECRET + "\n" + new String(filler));
            assertEquals(65_537, Files.size(path));
            assertEquals("entry 1 of 1: file " + path + " is larger than 65536 bytes; is it really a secrets file?",
                    failure("file:" + path));
        }
    }

    /** Issue 9, finding 4: a misspelled reference must stop the application, not become a literal secret. */
    @Nested
    class MisspelledReferences {

        @ParameterizedTest
        @ValueSource(strings = {"ENV:WEBHOOK_SECRET", "Env:WEBHOOK_SECRET", "eNv:WEBHOOK_SECRET", "env :WEBHOOK_SECRET",
                "env\t:WEBHOOK_SECRET", "FILE:/run/secrets/webhook", "File:/run/secrets/webhook", "file :/run/secrets/webhook"})
        void aCaseVariantOrABlankBeforeTheColonIsRefused(String entry) {
            assertEquals("entry 2 of 2 looks like a misspelled reference: write env:NAME or file:PATH in lower case"
                    + " with no blank before the colon; a literal secret that starts like this belongs in a file:PATH",
                    failure(SECRET + ", " + entry));
        }

        @ParameterizedTest
        @ValueSource(strings = {"${WEBHOOK_SECRET}", "${webhook.secret:}", "$WEBHOOK_SECRET", "%WEBHOOK_SECRET%"})
        void anUnexpandedPlaceholderIsRefused(String entry) {
            assertEquals("entry 1 of 1 looks like a placeholder (${NAME}, $NAME or %NAME%), which is not expanded"
                    + " here: write env:NAME to read an environment variable", failure(entry));
        }

        @ParameterizedTest
        @ValueSource(strings = {"environment-secret", "envelope:x", "profile:x", "a%b", "$", "pa$$word", "whsec_$x"})
        void literalsThatOnlyResembleAReferenceAreKept(String entry) {
            assertEquals(List.of(entry), Secrets.resolve(entry, ENVIRONMENT));
        }
    }

    /** Issue 9, finding 5: a secret pasted where the name or path goes is never repeated in the error. */
    @Nested
    class SecretsInTheWrongPlace {

        @ParameterizedTest
        @ValueSource(strings = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
        void aMixedCaseNameIsLookedUpButNotQuoted(String pasted) {
            assertEquals("entry 1 of 1: the environment variable it names is not set; set it in the server's"
                    + " environment, or give the secret as file:PATH", failure("env:" + pasted));
            assertEquals(List.of("found"), Secrets.resolve("env:" + pasted, Map.of(pasted, "found")::get));
        }

        @ParameterizedTest
        @ValueSource(strings = {"whsec-with-dash", "1leadingdigit", "a b", "MfKQ9r8G+KYqrTwjUPD8ILPZIo2La="})
        void aSecretWrittenAsAVariableNameIsNotQuoted(String pasted) {
            String message = failure("env:" + pasted);
            assertEquals("entry 1 of 1: what follows 'env:' is not an environment variable name (letters, digits and"
                    + " _, not starting with a digit); to give the secret itself, write it without 'env:'", message);
        }

        @Test
        void aValidButUnsetVariableNameIsQuoted() {
            assertTrue(failure("env:MISSING").contains("environment variable MISSING is not set"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "/MfKQ9r8G+KYqrTwjUPD8ILPZIo2La=", "secret\u0000nul"})
        void aSecretWrittenAsAPathIsNotQuoted(String pasted) {
            String message = failure("file:" + pasted);
            assertFalse(message.contains(pasted), message);
            assertFalse(message.contains("MfKQ9r8G"), message);
            assertTrue(message.startsWith("entry 1 of 1: "), message);
        }

        @Test
        void aPathThatLooksLikeOneIsQuoted() {
            assertEquals("entry 1 of 1: cannot read file /run/secrets/none (NoSuchFileException)",
                    failure("file:/run/secrets/none"));
            assertEquals("entry 1 of 1: cannot read file ./none.txt (NoSuchFileException)", failure("file:./none.txt"));
        }
    }

    @Test
    void errorMessagesNeverContainTheSecret() throws IOException {
        Path latin1 = Files.write(dir.resolve("bad"), (SECRET + "\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        for (String spec : new String[] {SECRET + ",", SECRET + ",,", "env:WEBHOOK_SECRET,env:MISSING",
                SECRET + ",file:" + dir.resolve("none"), SECRET + ",file:" + latin1, "env:BLANK," + SECRET}) {
            assertFalse(failure(spec).contains(SECRET), spec);
        }
    }

    @Test
    void isShort_countsUtf8Bytes_notCharacters() {
        // 16 bytes is the line: 15 ASCII characters are short, 16 are not; 8 two-byte letters are 16 bytes.
        assertTrue(Secrets.isShort("0123456789abcde"));
        assertFalse(Secrets.isShort("0123456789abcdef"));
        assertTrue(Secrets.isShort("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"));
        assertFalse(Secrets.isShort("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"));
    }

    /**
     * The key a scheme takes from the secret is what is measured: for the schemes that decode base64, 18 characters
     * can hold 8 bytes. The base64 was made with Python: {@code base64.b64encode(b'shortkey')} is
     * {@code c2hvcnRrZXk=}, of {@code b'0123456789abcde'} (15 bytes) {@code MDEyMzQ1Njc4OWFiY2Rl}, of
     * {@code b'0123456789abcdef'} (16 bytes) {@code MDEyMzQ1Njc4OWFiY2RlZg==}.
     */
    @ParameterizedTest(name = "{0} {1}: short {2}")
    @CsvSource({
            "standard-webhooks, whsec_c2hvcnRrZXk=, true",
            "svix, whsec_c2hvcnRrZXk=, true",
            "standard-webhooks, whsec_MDEyMzQ1Njc4OWFiY2Rl, true",
            "standard-webhooks, whsec_MDEyMzQ1Njc4OWFiY2RlZg==, false",
            "wealthkernel, MDEyMzQ1Njc4OWFiY2Rl, true",
            "wealthkernel, MDEyMzQ1Njc4OWFiY2RlZg==, false",
            "stripe, whsec_c2hvcnRrZXk=, false",
            "wealthkernel-2022, 0123456789abcde, true",
            "github, 0123456789abcdef, false",
    })
    void isShort_measuresTheKeyTheSchemeTakes(String scheme, String secret, boolean isShort) {
        assertEquals(isShort, Secrets.isShort(Scheme.named(scheme), secret));
    }

    @Test
    void isShort_ofASecretTheSchemeCannotDecode_throwsWithoutQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Secrets.isShort(Scheme.named("wealthkernel"), "not*base64*at*all"));
        assertFalse(e.getMessage().contains("not*base64"), e.getMessage());
    }
}
