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
     * {@code :} whole, which Lettuce reads as a password alone ({@code redis://pw@host}), the password of a URL in a
     * parameter's value ({@code pw} of H2's {@code ;INIT=RUNSCRIPT FROM 'http://u:pw@host/x.sql'}, whose {@code //} is
     * no authority of the URI's, so that its {@code u} is no secret), and the value of every
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
     * @return the secrets it carries: the user-infos' passwords, then the parameters' values, each in the order they
     *         appear, a longer reading of a value before a shorter one; empty when it carries none
     */
    public static List<String> in(String uri) {
        List<String> secrets = new ArrayList<>();
        // Told apart as the stores take them, stripped: a store given as " redis://..." opens as redis://...
        String lower = uri.strip().toLowerCase(Locale.ROOT);
        boolean redis = lower.startsWith("redis");
        boolean h2 = lower.startsWith("jdbc:h2:");
        boolean postgresql = lower.startsWith("jdbc:postgresql:");
        int authorityStart = authorityStart(uri, postgresql);
        for (int slashes = uri.indexOf("//"); slashes >= 0; slashes = uri.indexOf("//", slashes + 2)) {
            // Empty without an '@'. The URI's own user-info without a ':' is a password alone; that of a URL in a
            // parameter's value (H2's INIT=RUNSCRIPT FROM 'http://u:pw@host/x.sql') is a user's name.
            String userInfo = userInfo(uri, slashes + 2, redis, h2);
            int colon = userInfo.indexOf(':');
            if (colon >= 0 || slashes + 2 == authorityStart) {
                addSecret(secrets, userInfo.substring(colon + 1));
            }
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

    /**
     * Where the authority that follows a URI's {@code //} begins: -1 without a {@code //} before its parameters, as a
     * {@code //} in a parameter's value ({@code ?ApplicationName=svc://a@b}, H2's
     * {@code ;INIT=RUNSCRIPT FROM 'http://u@host/x.sql'}) is no authority. Parameters begin at the first {@code ?},
     * or at the first {@code ;} unless {@code semicolonIsOrdinary}, as it is in a {@code jdbc:postgresql:} URL (PgJDBC
     * ends neither a host nor a parameter at one). Each caller tells a PostgreSQL URL its own way: this class by its
     * scheme in any case and with blanks around it, to find more secrets; the JDBC store as PgJDBC does, to say less.
     *
     * @param uri a store's URI or a JDBC URL
     * @param semicolonIsOrdinary whether a {@code ;} is part of a value rather than the start of parameters
     * @return the index after the {@code //}, or -1
     */
    public static int authorityStart(String uri, boolean semicolonIsOrdinary) {
        int slashes = uri.substring(0, firstOf(uri, 0, '?', semicolonIsOrdinary ? '?' : ';')).indexOf("//");
        return slashes < 0 ? -1 : slashes + 2;
    }

    /**
     * The user-info of the authority at {@code start}, empty without an {@code @}: up to the last {@code @} of the
     * whole URI in a Redis URI, as the Redis store reads it; else of the authority, which ends at a {@code /} or
     * {@code ?}, or in an H2 URL a {@code ;}.
     */
    private static String userInfo(String uri, int start, boolean redis, boolean h2) {
        int end = redis ? uri.length() : h2 ? firstOf(uri, start, '/', '?', ';') : firstOf(uri, start, '/', '?');
        String authority = uri.substring(start, end);
        return authority.substring(0, Math.max(authority.lastIndexOf('@'), 0));
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
