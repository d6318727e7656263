package dev.webhookfilter.internal;

/**
 * Finds what a misspelled name in a configuration error was meant to be: a scheme, a command-line option,
 * a property. For the library's own modules (the core, the CLI, the Spring Boot starter), which is why it is
 * public: not part of the API, and free to change in any release. Verification never uses it. Stateless and
 * thread-safe.
 */
public final class Spelling {

    private Spelling() {
    }

    /**
     * The candidate nearest {@code word}, at most {@code maxEdits} edits away, the first of those equally
     * near; null if none is that near.
     *
     * @param word the name as given
     * @param candidates the names it may have been meant to be
     * @param maxEdits the most edits (insertions, deletions, substitutions) taken for a misspelling
     * @return the nearest candidate, or null
     */
    public static String nearest(String word, Iterable<String> candidates, int maxEdits) {
        String nearest = null;
        int fewest = maxEdits + 1;
        for (String candidate : candidates) {
            int edits = distance(word, candidate, maxEdits);
            if (edits < fewest) {
                nearest = candidate;
                fewest = edits;
            }
        }
        return nearest;
    }

    /**
     * The Levenshtein distance between {@code a} and {@code b}: the fewest insertions, deletions and
     * substitutions of one character that turn one into the other; {@code maxEdits + 1} whenever it is
     * more than {@code maxEdits}, which strings whose lengths differ by more are without being compared.
     *
     * @param a a string
     * @param b another
     * @param maxEdits the largest distance of interest, at least 0
     * @return the distance, or {@code maxEdits + 1} if it is larger
     */
    public static int distance(String a, String b, int maxEdits) {
        if (Math.abs(a.length() - b.length()) > maxEdits) {
            return maxEdits + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], maxEdits + 1);
    }
}
