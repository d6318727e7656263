package dev.webhookfilter.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks the secrets and credentials a command was given in whatever it prints, including what an
 * endpoint echoes back: a secret in a header given with {@code --header}, a secrets file sent as the
 * body by mistake, the user-info of a URL. Longer values are masked first, so that a value that
 * contains another is masked whole.
 */
final class Redactor {

    static final String MASK = "***";

    private final List<String> hidden = new ArrayList<>();

    Redactor(Collection<String> values) {
        for (String value : values) {
            if (!value.isEmpty()) {
                hidden.add(value);
            }
        }
        hidden.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** {@code text} with every occurrence of a hidden value replaced by {@value #MASK}. */
    String apply(String text) {
        String masked = text;
        for (String value : hidden) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }
}
