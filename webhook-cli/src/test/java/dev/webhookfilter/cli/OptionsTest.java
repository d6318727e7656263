package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {

    private static final Set<String> VALUED = Set.of("--secret-env", "--secret-file", "--header", "--timestamp");
    private static final Set<String> FLAGS = Set.of("--help");

    private static Options parse(String... args) throws CliException {
        return Options.parse(List.of(args), VALUED, FLAGS);
    }

    private static String usageError(String... args) {
        CliException e = assertThrows(CliException.class, () -> parse(args));
        assertEquals(Main.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Nested
    class Parses {

        @Test
        void spaceAndEqualsForms_keepCommandLineOrder() throws CliException {
            Options options = parse("--secret-env", "A", "--secret-file=f", "--secret-env=B=C");

            assertEquals(List.of("A", "B=C"), options.values("--secret-env"));
            assertEquals(List.of("--secret-env", "--secret-file", "--secret-env"),
                    options.all().stream().map(o -> o.name).toList());
        }

        @Test
        void shortHeaderOption_isTheLongOne() throws CliException {
            assertEquals(List.of("X: 1"), parse("-H", "X: 1").values("--header"));
        }

        @Test
        void operandsMayComeBetweenOptions() throws CliException {
            Options options = parse("url", "--timestamp", "5", "file");

            assertEquals(List.of("url", "file"), options.operands(2, "URL and FILE"));
        }

        @Test
        void afterDoubleDash_aTypographicDashIsAnOperand() throws CliException {
            assertEquals(List.of("\u2014notes.json"), parse("--", "\u2014notes.json").operands(1, "one FILE"));
        }

        @Test
        void dashIsAnOperand_andDoubleDashEndsOptions() throws CliException {
            Options options = parse("-", "--", "--timestamp", "-x");

            assertEquals(List.of("-", "--timestamp", "-x"), options.operands(3, "three"));
            assertTrue(options.values("--timestamp").isEmpty());
        }

        @Test
        void valueMayStartWithOneDash() throws CliException {
            assertEquals("-5", parse("--timestamp", "-5").single("--timestamp"));
        }
    }

    @Nested
    class Refuses {

        @Test
        void missingValueAtTheEnd() {
            assertEquals("--timestamp needs a value", usageError("--timestamp"));
        }

        @Test
        void nextOptionTakenForAValue() {
            assertEquals("--secret-env needs a value", usageError("--secret-env", "--timestamp", "5"));
        }

        @Test
        void valueForAFlag() {
            assertEquals("--help takes no value", usageError("--help=yes"));
        }

        @Test
        void unknownShortOption() {
            assertEquals("unknown option -x", usageError("-x"));
        }

        @Test
        void unknownOptionFarFromAnyKnown_suggestsNothing() {
            assertEquals("unknown option --verbose", usageError("--verbose"));
        }

        @ParameterizedTest
        @CsvSource({"--secret-evn, --secret-env", "--secret, --secret-env", "--heder, --header", "--timestmp, --timestamp"})
        void unknownOptionNearAKnownOne_suggestsIt(String typo, String suggestion) {
            assertEquals("unknown option " + typo + " (did you mean " + suggestion + "?)", usageError(typo));
        }

        /** {@code -secret=VALUE} for {@code --secret=VALUE}: the option is named, what it was given is not. */
        @Test
        void unknownOneDashOptionWithAValue_isNamedWithoutIt() {
            String message = usageError("-secret-env=hunter2");

            assertEquals("unknown option -secret-env (did you mean --secret-env?)", message);
        }

        /**
         * A base64url secret may begin with {@code -} (one in 64 do): given where an operand goes ({@code sign "$S"}),
         * it was an unknown option, quoted up to its first {@code _}. An argument not written as option names are
         * (lower-case words joined by dashes) is not quoted; a near miss of a known option is still suggested.
         */
        @ParameterizedTest
        @CsvSource({"-Zm9vYmFyYmF6cXV4cXV1eHF1dXg9PQ, ''", "-q7Zr2mW9xK4_tok, ''",
            "--Secret-env, ' (did you mean --secret-env?)'"})
        void unknownOptionNotWrittenAsOptionNamesAre_isNotQuoted(String arg, String suggestion) {
            String message = usageError(arg);

            assertEquals("unknown option (not shown: it is not written as option names are, and may be a secret given"
                    + " in the wrong place)" + suggestion, message);
        }

        @Test
        void unknownGluedShortOption_isNamedWithoutWhatFollowsTheName() {
            String message = usageError("-HAuthorization: Bearer hunter2");

            assertFalse(message.contains("hunter2"), message);
        }

        /**
         * A word processor or chat turns {@code --secret=x} into {@code —secret=x} (an em dash), which is no
         * option: taken as a FILE or URL, it was quoted whole in "cannot read body file". The dash is named,
         * what it was given is not.
         */
        @ParameterizedTest
        @CsvSource({"\u2014secret=hunter2, \u2014 (U+2014)", "\u2013secret-env=hunter2, \u2013 (U+2013)",
            "\u2212\u2212secret=hunter2, \u2212 (U+2212)"})
        void optionWithATypographicDash_isUsageErrorNamingTheDash(String arg, String dash) {
            String message = usageError("--timestamp", "5", arg, "body.json");

            assertTrue(message.startsWith("an argument begins with " + dash + ", not '-'"), message);
            assertFalse(message.contains("hunter2"), message);
        }

        @Test
        void singleValuedOptionGivenTwice() throws CliException {
            Options options = parse("--timestamp", "1", "--timestamp", "2");

            CliException e = assertThrows(CliException.class, () -> options.single("--timestamp"));
            assertEquals("--timestamp is given 2 times; give it once", e.getMessage());
        }

        @Test
        void tooManyOperands() throws CliException {
            Options options = parse("a", "b");

            CliException e = assertThrows(CliException.class, () -> options.operands(1, "at most one FILE"));
            assertEquals("too many arguments: a b; expected at most one FILE", e.getMessage());
        }

        @Test
        void secondsOutOfRange_saysTheRange() throws CliException {
            Options options = parse("--timestamp", "3601");

            CliException e = assertThrows(CliException.class, () -> options.seconds("--timestamp", 1, 3600, 10));
            assertEquals("--timestamp must be a whole number of seconds from 1 to 3600, not '3601'", e.getMessage());
        }

        /** A secret typed where a number goes ({@code --timestamp "$WEBHOOK_SECRET"}) is refused without being quoted. */
        @Test
        void secondsThatMayBeASecret_areNotQuoted() throws CliException {
            String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            Options options = parse("--timestamp", secret);

            CliException e = assertThrows(CliException.class, () -> options.seconds("--timestamp", 1, 3600, 10));
            assertEquals(Main.USAGE, e.exitCode());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertTrue(e.getMessage().startsWith("--timestamp must be a whole number of seconds from 1 to 3600"),
                    e.getMessage());
        }
    }
}
