package dev.webhookfilter.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the parts of a store's URI that must never be shown: the password in its user-info, and the values of
 * its password-like parameters. For the library's own modules (a store that scrubs a driver's message, the Spring
 * Boot starter that masks what Actuator shows), which is why it is public: not part of the API, and free to change
 * in any release. Stateless and thread-safe.
 */
public final class UriSecrets {

    private UriSecrets() {
    }

    /**
     * The secrets in {@code uri}, as they are written in it (not percent-decoded): the user-info's password
     * ({@code pw} of {@code redis://user:pw@host} and of {@code redis://:pw@host}), a user-info without a
     * {@code :} whole, which Lettuce reads as a password alone ({@code redis://pw@host}), and the value of every
     * parameter whose name holds {@code pass}, {@code pwd}, {@code secret} or {@code token}, in any case
     * ({@code password=pw}, {@code PASSWORD=pw}). Each is read as the store that takes the URI reads it: a Redis
     * URI's user-info runs to its last {@code @}, as the Redis store reads it (a password may hold {@code /},
     * {@code ?} or {@code ;}); a {@code jdbc:postgresql:} URL's parameters follow its first {@code ?} and are
     * separated by {@code &} alone, as PgJDBC reads them ({@code ;} is part of a value); a {@code jdbc:h2:} URL's
     * settings are separated by {@code ;}. Any other URI is read both ways, parameters after a {@code ?},
     * {@code ;} or {@code &} as well, so that a value is found whole wherever its store ends it. Its scheme is read
     * with blanks around the URI left out, as the stores strip a URI before they open it. Empty values are left out.
     *
     * @param uri a store's URI or a JDBC URL
     * @return the secrets it carries, in the order they appear, a longer reading of a value before a shorter one;
     *         empty when it carries none
     */
    public static List<String> in(String uri) {
        List<String> secrets = new ArrayList<>();
        // Told apart as the stores take them, stripped: a store given as " redis://..." opens as redis://...
        String lower = uri.strip().toLowerCase(Locale.ROOT);
        boolean redis = lower.startsWith("redis");
        boolean h2 = lower.startsWith("jdbc:h2:");
        boolean postgresql = lower.startsWith("jdbc:postgresql:");
        int slashes = uri.indexOf("//");
        if (slashes >= 0) {
            int authorityStart = slashes + 2;
            int authorityEnd = redis ? uri.length()
                    : h2 ? firstOf(uri, authorityStart, '/', '?', ';') : firstOf(uri, authorityStart, '/', '?');
            String authority = uri.substring(authorityStart, authorityEnd);
            // Empty without an '@'; a password alone without a ':'.
            String userInfo = authority.substring(0, Math.max(authority.lastIndexOf('@'), 0));
            addSecret(secrets, userInfo.substring(userInfo.indexOf(':') + 1));
        }
        int parameters = uri.indexOf('?') + 1; // 0 without a '?'
        if (!h2 && parameters > 0) {
            addParameters(secrets, uri.substring(parameters).split("&"));
        }
        if (!redis && !postgresql) {
            addParameters(secrets, uri.split("[?;&]"));
        }
        return secrets;
    }

    private static void addParameters(List<String> secrets, String[] parts) {
        for (String part : parts) {
            int eq = part.indexOf('=');
            String name = part.substring(0, Math.max(eq, 0)).toLowerCase(Locale.ROOT); // empty without an '='
            if (name.contains("pass") || name.contains("pwd") || name.contains("secret") || name.contains("token")) {
                addSecret(secrets, part.substring(eq + 1));
            }
        }
    }

    private static void addSecret(List<String> secrets, String value) {
        if (!value.isEmpty() && !secrets.contains(value)) {
            secrets.add(value);
        }
    }

    /**
     * The index of the first of {@code stops} in {@code s} from {@code from}; the length of {@code s} if none.
     *
     * @param s the text to look in
     * @param from the index to look from
     * @param stops the characters to look for
     * @return the index of the first of them, or the length of {@code s}
     */
    public static int firstOf(String s, int from, char... stops) {
        int first = s.length();
        for (char c : stops) {
            int i = s.indexOf(c, from);
            if (i >= 0) {
                first = Math.min(first, i);
            }
        }
        return first;
    }
}
