package dev.webhookfilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request's headers, as a verifier reads them: every value of a header, in the order received.
 * A servlet filter backs it with {@code request.getHeaders(name)}; other frameworks with their own
 * header map. Header names are case-insensitive, as in HTTP.
 *
 * <p>How many values there are matters: a header the scheme needs must be present exactly once, so
 * an implementation must not join repeated headers into one value nor keep only the first.
 */
@FunctionalInterface
public interface HeaderLookup {

    /**
     * Every value of the header {@code name}, in the order received.
     *
     * @param name the header's name, in any case
     * @return its values, empty when the request has no such header; never null
     */
    List<String> values(String name);

    /**
     * Headers held in a map of one value each, names compared without regard to case: for tests and
     * for callers whose framework keeps one value per name (a repeated header then cannot be seen).
     * Names are folded to lower case with {@link Locale#ROOT}, as suits HTTP's ASCII field names.
     *
     * @param headers header names and values; copied
     * @return the lookup
     */
    static HeaderLookup of(Map<String, String> headers) {
        // Built once. Each spelling given, and each name's lower case, maps to all the values of that
        // name: a lookup is one probe when the name is spelled as the map spells it (as a sender's
        // canonical names usually are), else one more for its lower case; it allocates nothing.
        Map<String, List<String>> byName = new HashMap<>();
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                byName.merge(name.toLowerCase(Locale.ROOT), List.of(value), (before, added) -> {
                    List<String> both = new ArrayList<>(before);
                    both.addAll(added);
                    return List.copyOf(both);
                });
            }
        });
        Map<String, List<String>> spellings = new HashMap<>(byName);
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                spellings.put(name, byName.get(name.toLowerCase(Locale.ROOT)));
            }
        });
        return name -> {
            List<String> values = spellings.get(name);
            return values != null ? values : spellings.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        };
    }
}
