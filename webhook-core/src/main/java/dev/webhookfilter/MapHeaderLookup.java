package dev.webhookfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link HeaderLookup#of}: the map's names and values copied into two arrays, searched in order, names
 * compared as HTTP compares them (ASCII letters without regard to case). Made per request by callers
 * that hold headers in a map, so the copy is all that building costs; a lookup compares lengths first
 * and allocates nothing, unless the map spells one name in two cases (its values are then joined, in
 * the map's order).
 */
final class MapHeaderLookup implements HeaderLookup {

    private final String[] names;
    private final List<?>[] values;

    MapHeaderLookup(Map<String, String> headers) {
        List<String> names = new ArrayList<>(headers.size());
        List<List<String>> values = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                names.add(name);
                values.add(List.of(value));
            }
        });
        this.names = names.toArray(new String[0]);
        this.values = values.toArray(new List<?>[0]);
    }

    @Override
    @SuppressWarnings("unchecked") // every element was made from the map's String values
    public List<String> values(String name) {
        List<String> found = List.of();
        for (int i = 0; i < names.length; i++) {
            if (sameName(names[i], name)) {
                found = found.isEmpty() ? (List<String>) values[i] : joined(found, (List<String>) values[i]);
            }
        }
        return found;
    }

    /**
     * Whether two header names are equal but for the case of ASCII letters, as HTTP compares them.
     * {@link String#equalsIgnoreCase} also folds other letters (it equates {@code ſ} with {@code s},
     * and the Kelvin sign with {@code k}), which no server does for a header name, and costs a
     * lookup in Unicode's tables at the first difference.
     */
    private static boolean sameName(String a, String b) {
        if (a == b) {
            return true;
        }
        int length = a.length();
        if (length != b.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                int folded = x | 0x20;
                if (folded != (y | 0x20) || folded < 'a' || folded > 'z') {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> joined(List<String> before, List<String> added) {
        List<String> both = new ArrayList<>(before);
        both.addAll(added);
        return List.copyOf(both);
    }
}
