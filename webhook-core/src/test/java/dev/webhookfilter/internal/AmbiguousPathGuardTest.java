package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AmbiguousPathGuardTest {

    @Test
    void patternsAreReadBackAsTheyWereListed_theEmptyPatternIncluded() {
        List<String> patterns = List.of("/webhooks/payments", "", "*.json", "/webhooks/orders/*");

        assertEquals("/webhooks/payments\n\n*.json\n/webhooks/orders/*\n", AmbiguousPathGuard.join(patterns));
        assertEquals(patterns, AmbiguousPathGuard.split(AmbiguousPathGuard.join(patterns)));
        assertEquals(List.of(""), AmbiguousPathGuard.split("\n"), "the context root alone");
    }

    @Test
    void noValueOrAnEmptyOneListsNoPattern() {
        assertEquals(List.of(), AmbiguousPathGuard.split(null));
        assertEquals(List.of(), AmbiguousPathGuard.split(""));
        assertEquals("", AmbiguousPathGuard.join(List.of()));
    }

    @Test
    void aLastLineWithoutALineBreakCounts() {
        assertEquals(List.of("/a", "/b"), AmbiguousPathGuard.split("/a\n/b"));
    }

    @Test
    void aPatternWithALineBreakIsLeftOutRatherThanReadAsTwo() {
        assertEquals("/a\n", AmbiguousPathGuard.join(List.of("/b\n/c", "/a", "/d\r", "\n/e", "\r/f")));
    }
}
