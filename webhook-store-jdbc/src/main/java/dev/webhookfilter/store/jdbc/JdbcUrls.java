package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.internal.UriSecrets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
        int end = UriSecrets.firstOf(url, 0, '?', ';');
        if (slashes < 0 || slashes > end) {
            return url.substring(0, end);
        }
        int authorityStart = slashes + 2;
        int authorityEnd = UriSecrets.firstOf(url, authorityStart, '/', '?', ';');
        String authority = url.substring(authorityStart, authorityEnd);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        return url.substring(0, authorityStart) + authority + url.substring(authorityEnd, Math.max(authorityEnd, end));
    }

    /**
     * The names of a {@code jdbc:postgresql:} URL's parameters, in order, as PgJDBC reads them: after the first
     * {@code ?}, separated by {@code &}, each up to its first {@code =} (the whole of one without), empty ones skipped.
     *
     * @param url a PostgreSQL JDBC URL
     * @return the names; empty when it has none
     */
    static List<String> parameterNames(String url) {
        List<String> names = new ArrayList<>();
        int query = url.indexOf('?');
        if (query < 0) {
            return names;
        }
        for (String part : url.substring(query + 1).split("&")) {
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                names.add(eq < 0 ? part : part.substring(0, eq));
            }
        }
        return names;
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
            for (String secret : UriSecrets.in(url)) {
                scrubbed = scrubbed.replace(secret, "***");
            }
        }
        return scrubbed;
    }

    /** A driver's message, scrubbed of the URL's secrets ({@link #scrub}), and its SQLState: for messages. */
    static String why(SQLException e, String url) {
        return scrub(e.getMessage(), url) + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
