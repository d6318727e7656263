package dev.webhookfilter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksEveryOccurrence() {
        assertEquals("a *** b *** c", new Redactor(List.of("s3cret")).apply("a s3cret b s3cret c"));
    }

    @Test
    void masksTheLongerValueWhole_whenOneContainsAnother() {
        Redactor redactor = new Redactor(List.of("user", "user:pass"));

        assertEquals("[***] [***]", redactor.apply("[user:pass] [user]"));
    }

    @Test
    void ignoresEmptyValues() {
        assertEquals("abc", new Redactor(List.of("", "x")).apply("abc"));
    }

    @Test
    void withNothingToHide_changesNothing() {
        assertEquals("abc", new Redactor(List.of()).apply("abc"));
    }
}
