package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderLookupTest {

    @Test
    void of_findsANameInAnyCase() {
        HeaderLookup headers = HeaderLookup.of(Map.of("Webhook-Id", "msg_1"));
        assertEquals(List.of("msg_1"), headers.values("webhook-id"));
        assertEquals(List.of("msg_1"), headers.values("WEBHOOK-ID"));
    }

    /**
     * HTTP compares names without regard to the case of ASCII letters, and nothing else: not the other
     * letters {@code String.equalsIgnoreCase} folds (the long s U+017F is upper-cased to S, the Kelvin
     * sign U+212A lower-cased to k), nor the other characters that differ from one another by the same
     * bit as a letter's cases ({@code -} and carriage return, {@code [} and <code>{</code>, {@code @} and
     * {@code `}).
     */
    @Test
    void of_foldsTheCaseOfAsciiLettersOnly() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("\u017Fvix-id", "long s");
        map.put("\u212Aey", "kelvin");
        map.put("svix\rid", "carriage return");
        map.put("a{b", "brace");
        map.put("za`x", "edges");
        HeaderLookup headers = HeaderLookup.of(map);
        for (String name : List.of("svix-id", "SVIX-ID", "key", "KEY", "a[b", "A[B", "za@x")) {
            assertEquals(List.of(), headers.values(name), name);
        }
        assertEquals(List.of("brace"), headers.values("A{B"));
        assertEquals(List.of("edges"), headers.values("ZA`X"), "a and z, the first and last letters, fold");
    }

    @Test
    void of_givesNoValuesForAnAbsentName() {
        assertEquals(List.of(), HeaderLookup.of(Map.of("a", "1")).values("b"));
    }

    @Test
    void of_keepsBothValuesOfNamesThatDifferOnlyInCase() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("svix-id", "msg_1");
        map.put("Svix-Id", "msg_2");
        HeaderLookup headers = HeaderLookup.of(map);
        for (String name : List.of("SVIX-ID", "svix-id", "Svix-Id", "sViX-iD")) {
            assertEquals(List.of("msg_1", "msg_2"), headers.values(name), name);
        }
    }

    @Test
    void of_copiesTheMapAndSkipsNulls() {
        Map<String, String> map = new HashMap<>();
        map.put("a", "1");
        map.put("b", null);
        HeaderLookup headers = HeaderLookup.of(map);
        map.put("a", "changed");
        assertEquals(List.of("1"), headers.values("a"));
        assertEquals(List.of(), headers.values("b"));
    }

    @Test
    void of_answersWithTheSameListEachTime() {
        HeaderLookup headers = HeaderLookup.of(Map.of("a", "1"));
        assertSame(headers.values("a"), headers.values("A"), "built once, not per lookup");
        assertThrows(UnsupportedOperationException.class, () -> headers.values("a").add("2"));
    }
}
