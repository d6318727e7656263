package dev.webhookfilter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpellingTest {

    /** Distances counted by hand: the edits are written beside each. */
    @ParameterizedTest
    @CsvSource({
        "stripe, stripe, 0",            // none
        "strpie, stripe, 2",            // two substitutions (p->i, i->p)
        "svixx, svix, 1",               // one deletion
        "githb, github, 1",             // one insertion
        "kitten, sitting, 3",           // k->s, e->i, insert g
        "'', abc, 3",                   // three insertions
        "endponts, endpoints, 1"})      // one insertion
    void countsTheFewestEdits(String a, String b, int edits) {
        assertEquals(edits, Spelling.distance(a, b, 5));
        assertEquals(edits, Spelling.distance(b, a, 5), "either way round");
    }

    @Test
    void aDistanceOverTheMostOfInterestIsOneMore() {
        assertEquals(3, Spelling.distance("kitten", "sitting", 2));
        assertEquals(2, Spelling.distance("a", "abcdefgh", 1), "lengths seven apart, not compared");
    }

    @Test
    void nearestIsTheFirstOfTheClosestWithinTheMost() {
        List<String> names = List.of("github", "slack", "shopify", "stripe");
        assertEquals("stripe", Spelling.nearest("strpe", names, 2));
        assertEquals("slack", Spelling.nearest("slak", names, 2));
        assertEquals("github", Spelling.nearest("gxthxb", List.of("github", "gothub"), 2), "both two away: the first");
        assertNull(Spelling.nearest("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", names, 2));
        assertNull(Spelling.nearest("paddle", names, 2));
    }
}
