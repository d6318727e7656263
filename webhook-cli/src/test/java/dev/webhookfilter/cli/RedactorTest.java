package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    @Test
    void masksEveryOccurrence() {
        assertEquals("a *** b *** c", new Redactor(List.of("s3cret_value")).apply("a s3cret_value b s3cret_value c"));
    }

    @Test
    void masksTheLongerValueWhole_whenOneContainsAnother() {
        Redactor redactor = new Redactor(List.of("username", "username:password"));

        assertEquals("[***] [***]", redactor.apply("[username:password] [username]"));
    }

    @Test
    void ignoresEmptyValues() {
        assertEquals("abc", new Redactor(List.of("", "x")).apply("abc"));
    }

    @Test
    void withNothingToHide_changesNothing() {
        assertEquals("abc", new Redactor(List.of()).apply("abc"));
    }

    /**
     * A value shorter than {@link Redactor#MIN_LENGTH} stands in ordinary text: masked wherever it stood, a secret
     * of {@code x} printed a header as {@code Pro***y-Authorization}, one of {@code 1} a status line as
     * {@code HTTP/***.*** 200}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"x", "1", "1.1", "Proxy-A"})
    void aValueShorterThanTheBound_isNotMaskedInOtherText(String value) {
        String text = "HTTP/1.1 200, --header Proxy-Authorization: x";

        assertEquals(text, new Redactor(List.of(value)).apply(text));
    }

    @Test
    void aValueOfTheBound_isMaskedWhereverItStands() {
        assertEquals("a***b", new Redactor(List.of("12345678")).apply("a12345678b"));
    }

    /** A credential the endpoint received may be quoted alone: masked whatever its length, but never when empty. */
    @Test
    void aCredential_isMaskedWhateverItsLength() {
        Redactor redactor = new Redactor(List.of("pw123"), List.of("pw123", ""));

        assertEquals("wrong password *** for webhooks", redactor.apply("wrong password pw123 for webhooks"));
    }

    /** A text cut short may end in the beginning of a hidden value: masked from 4 characters of it on. */
    @ParameterizedTest
    @CsvSource({"'abc tok-9f3a', 'abc ***'", "'abc tok-', 'abc ***'", "'abc tok', 'abc tok'",
            "'abc tok-9f3a1c77e2 x', 'abc *** x'"})
    void aTextCutShort_isMaskedAtItsEndWhereItBeginsAHiddenValue(String cut, String shown) {
        assertEquals(shown, new Redactor(List.of("tok-9f3a1c77e2")).applyToCut(cut));
    }

    /**
     * A cut of the body's bytes that splits a character of a hidden value leaves U+FFFD where that character began:
     * what comes before it is the value's beginning, masked as any other.
     */
    @ParameterizedTest
    @CsvSource({"'abc tok-9f3a1c77\uFFFD', 'abc ***'", "'abc t\uFFFD', 'abc t\uFFFD'",
            "'abc \uFFFD', 'abc \uFFFD'"})
    void aTextCutInsideACharacter_isMaskedAtItsEndWhereItBeginsAHiddenValue(String cut, String shown) {
        assertEquals(shown, new Redactor(List.of("tok-9f3a1c77\u00e42")).applyToCut(cut));
    }
}
