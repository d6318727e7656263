package dev.webhookfilter.store.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What may be said about a JDBC URL or a JNDI name: its scheme, host, port and database, never a
 * user's password or any other parameter. Stateless.
 */
final class JdbcUrls {

    /** The JNDI names a WAR is given by its container. */
    static final String JNDI_PREFIX = "java:";

    private JdbcUrls() {
    }

    /**
     * The URL without user info and without parameters: {@code jdbc:postgresql://db:5432/app} from
     * {@code jdbc:postgresql://u:pw@db:5432/app?password=pw}, {@code jdbc:h2:mem:x} from
     * {@code jdbc:h2:mem:x;PASSWORD=pw}. A JNDI name is returned as it is.
     *
     * @param url a JDBC URL or a JNDI name
     * @return the part that is safe to log
     */
    static String describe(String url) {
        if (url == null) {
            return "null";
        }
        if (url.startsWith(JNDI_PREFIX)) {
            return url;
        }
        int slashes = url.indexOf("//");
        int end = firstOf(url, 0, '?', ';');
        if (slashes < 0 || slashes > end) {
            return url.substring(0, end);
        }
        int authorityStart = slashes + 2;
        int authorityEnd = firstOf(url, authorityStart, '/', '?', ';');
        String authority = url.substring(authorityStart, authorityEnd);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        return url.substring(0, authorityStart) + authority + url.substring(authorityEnd, Math.max(authorityEnd, end));
    }

    /**
     * A driver's message with the URL and every secret it carries replaced, so that it can be logged.
     *
     * @param message the message, possibly null
     * @param url the URL the message may repeat
     * @return the message, safe to log
     */
    static String scrub(String message, String url) {
        if (message == null) {
            return "";
        }
        String scrubbed = message;
        if (url != null && !url.isEmpty()) {
            scrubbed = scrubbed.replace(url, describe(url));
            for (String secret : secrets(url)) {
                scrubbed = scrubbed.replace(secret, "***");
            }
        }
        return scrubbed;
    }

    /** A driver's message, scrubbed of the URL's secrets ({@link #scrub}), and its SQLState: for messages. */
    static String why(SQLException e, String url) {
        return scrub(e.getMessage(), url) + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }

    /** The values in a URL that must never be logged: a user info's password and password-like parameters. */
    static List<String> secrets(String url) {
        List<String> secrets = new ArrayList<>();
        int slashes = url.indexOf("//");
        if (slashes >= 0) {
            int authorityStart = slashes + 2;
            int authorityEnd = firstOf(url, authorityStart, '/', '?', ';');
            String authority = url.substring(authorityStart, authorityEnd);
            int at = authority.lastIndexOf('@');
            int colon = authority.indexOf(':');
            if (at >= 0 && colon >= 0 && colon < at) {
                addSecret(secrets, authority.substring(colon + 1, at));
            }
        }
        for (String part : url.split("[?;&]")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq).toLowerCase(Locale.ROOT);
                if (name.contains("pass") || name.contains("pwd") || name.contains("secret") || name.contains("token")) {
                    addSecret(secrets, part.substring(eq + 1));
                }
            }
        }
        return secrets;
    }

    private static void addSecret(List<String> secrets, String value) {
        if (!value.isEmpty()) {
            secrets.add(value);
        }
    }

    private static int firstOf(String s, int from, char... stops) {
        int first = s.length();
        for (char c : stops) {
            int i = s.indexOf(c, from);
            if (i >= 0 && i < first) {
                first = i;
            }
        }
        return first;
    }
}
