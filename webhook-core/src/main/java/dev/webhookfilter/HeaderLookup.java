package dev.webhookfilter;

import java.util.List;
import java.util.Map;

/**
 * The request's headers, as a verifier reads them: every value of a header, in the order received.
 * A servlet filter backs it with {@code request.getHeaders(name)}; other frameworks with their own
 * header map. Header names are case-insensitive, as in HTTP.
 *
 * <p>How many values there are matters: a header the scheme needs must be present exactly once, so
 * an implementation must not join repeated headers into one value nor keep only the first. An absent
 * header is an empty list; a list holding null alone, as {@code Collections.singletonList(getHeader(name))}
 * makes one, is taken for a missing header too. What it throws, the verifier passes on.
 */
@FunctionalInterface
public interface HeaderLookup {

    /**
     * Every value of the header {@code name}, in the order received.
     *
     * @param name the header's name, in any case
     * @return its values, none of them null; empty when the request has no such header; never null
     */
    List<String> values(String name);

    /**
     * Headers held in a map of one value each, names compared as HTTP compares them (ASCII letters
     * without regard to case): for tests and for callers whose framework keeps one value per name (a
     * repeated header then cannot be seen).
     * Cheap to make per request: building copies the map, and a lookup allocates nothing.
     *
     * @param headers header names and values; copied, a null name or value left out
     * @return the lookup
     */
    static HeaderLookup of(Map<String, String> headers) {
        return new MapHeaderLookup(headers);
    }
}
