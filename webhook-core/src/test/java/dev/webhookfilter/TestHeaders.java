package dev.webhookfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Request headers for tests whose requests repeat a header, which {@link HeaderLookup#of} cannot express. */
public final class TestHeaders {

    private TestHeaders() {
    }

    /** {@return headers given as lists, so that a test can repeat one; names compared without regard to case} */
    public static HeaderLookup lookup(Map<String, List<String>> headers) {
        return name -> {
            List<String> values = new ArrayList<>();
            headers.forEach((key, list) -> {
                if (key.equalsIgnoreCase(name)) {
                    values.addAll(list);
                }
            });
            return values;
        };
    }
}
