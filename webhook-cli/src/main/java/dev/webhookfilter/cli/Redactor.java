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
 *
 * <p>A value shorter than {@value #MIN_LENGTH} characters is not masked: it stands in ordinary text, and
 * masking it wherever it stood garbled what was printed (a secret {@code 1} turned {@code HTTP/1.1 200} into
 * {@code HTTP/***.*** 200}). Where such a value is printed as itself, in the request shown, its caller masks
 * that line. A credential the endpoint received ({@link #Redactor(Collection, Collection)}) is masked whatever
 * its length: the endpoint has it, and may quote it alone.
 */
final class Redactor {

    static final String MASK = "***";
    /** The fewest characters a value must have to be masked wherever it stands. */
    static final int MIN_LENGTH = 8;
    /** The fewest characters of a hidden value's beginning that {@link #applyToCut} masks at a text's end. */
    static final int MIN_CUT = 4;
    /** What UTF-8's decoder puts in place of the bytes of a character cut short: U+FFFD, one for them all. */
    static final String SPLIT_CHARACTER = "\uFFFD";

    private final List<String> hidden = new ArrayList<>();

    Redactor(Collection<String> values) {
        this(values, List.of());
    }

    /**
     * Masks {@code values} of {@value #MIN_LENGTH} characters or more, and {@code credentials} of any length but
     * empty: what the endpoint received as a credential, which it may quote alone, where a short one would leak
     * (an Authorization token or a password of 5 characters is weak, but still a credential).
     */
    Redactor(Collection<String> values, Collection<String> credentials) {
        for (String value : values) {
            if (value.length() >= MIN_LENGTH) {
                hidden.add(value);
            }
        }
        for (String credential : credentials) {
            if (!credential.isEmpty()) {
                hidden.add(credential);
            }
        }
        hidden.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** {@code text} with every occurrence of a hidden value (see the constructors) replaced by {@value #MASK}. */
    String apply(String text) {
        String masked = text;
        for (String value : hidden) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }

    /**
     * As {@link #apply}, for a text cut short (the first bytes of a longer body, or those that came before a
     * timeout): its end is masked too where it is the beginning of a hidden value, at least {@value #MIN_CUT}
     * characters of it, which the cut split from the rest. A cut of the bytes inside a character leaves one
     * U+FFFD at the end ({@link #SPLIT_CHARACTER}): the value's
     * beginning is looked for before it, and masked with it.
     */
    String applyToCut(String text) {
        String masked = apply(text);
        int split = masked.endsWith(SPLIT_CHARACTER) ? 1 : 0;
        String before = masked.substring(0, masked.length() - split);
        int longest = 0;
        for (String value : hidden) {
            for (int length = Math.min(value.length() - 1, before.length()); length > longest; length--) {
                if (length >= MIN_CUT && before.endsWith(value.substring(0, length))) {
                    longest = length;
                }
            }
        }
        return longest == 0 ? masked : before.substring(0, before.length() - longest) + MASK;
    }
}
