package dev.webhookfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link HeaderLookup#of}: the map's names and values copied into two arrays, searched in order with
 * {@link String#equalsIgnoreCase}. Made per request by callers that hold headers in a map, so the copy is
 * all that building costs; a lookup compares lengths first and allocates nothing, unless the map spells
 * one name in two cases (its values are then joined, in the map's order).
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
            if (names[i].equalsIgnoreCase(name)) {
                found = found.isEmpty() ? (List<String>) values[i] : joined(found, (List<String>) values[i]);
            }
        }
        return found;
    }

    private static List<String> joined(List<String> before, List<String> added) {
        List<String> both = new ArrayList<>(before);
        both.addAll(added);
        return List.copyOf(both);
    }
}
