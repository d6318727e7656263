package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.internal.UriSecrets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What may be said about a JDBC URL or a JNDI name: its scheme, host, port and database, never its user, a
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
        int authorityStart = authorityStart(url);
        if (authorityStart < 0) {
            return url.substring(0, parametersFrom(url, 0));
        }
        int at = userInfoEnd(url, authorityStart);
        int hostStart = at < 0 ? authorityStart : at + 1;
        int hostEnd = authorityEnd(url, hostStart);
        int stop = parametersFrom(url, hostStart);
        return url.substring(0, authorityStart) + url.substring(hostStart, hostEnd) + url.substring(hostEnd, Math.max(hostEnd, stop));
    }

    /**
     * Where the authority that follows a URL's {@code //} begins; -1 without a {@code //} before its parameters
     * ({@link UriSecrets#authorityStart}), which begin as {@link #parametersFrom} says.
     */
    private static int authorityStart(String url) {
        return UriSecrets.authorityStart(url, postgresql(url));
    }

    /**
     * The index of the {@code @} that ends the user-info of the authority at {@code authorityStart}: the last before
     * its first {@code /} or {@code ?}, whatever comes between, as a password may hold a {@code ;}; -1 without one.
     */
    private static int userInfoEnd(String url, int authorityStart) {
        int at = url.lastIndexOf('@', UriSecrets.firstOf(url, authorityStart, '/', '?') - 1);
        return at < authorityStart ? -1 : at;
    }

    /**
     * Whether a URL writes a user or a password before its host ({@code //user:password@host}), which neither PgJDBC nor
     * H2 reads: they take the text as a host, or end the host at a {@code /}, {@code ?} or {@code ;} in the password
     * (a base64 one holds {@code /}), and repeat it. Looked for where a host or a database name stands, never in a
     * parameter's value: after a {@code //} that comes before the parameters, up to the first {@code /}, {@code ?} or {@code ;}, an {@code @}; then up to the
     * first {@code ?} or {@code ;}, an {@code @} (a database's name takes one as {@code %40}); a parameter's name that
     * holds an {@code @} or a {@code /}; and a host whose port is not a number, as {@code hooks:pa} of
     * {@code //hooks:pa/ss?x=y@db/app} is (PgJDBC logs that port, a piece of the password, at WARNING). In a
     * {@code jdbc:postgresql:} URL a {@code ;} is an ordinary character, as PgJDBC reads it: it ends neither the host
     * nor a parameter ({@code //hooks:5432;k=v@db/app} has a user-info, {@code ?password=pa;ss@word} has none). Hosts
     * that end at a {@code ?} (or H2's {@code ;}) rather than the {@code /} both drivers need after them, with an
     * {@code @} after that a host follows, are a user-info too, whose password held that {@code ?}:
     * {@code //s3cret?a=b@db/app}; but not where no host stands before a PostgreSQL URL's {@code ?}, which PgJDBC takes
     * for localhost ({@code //?user=hooks@server}).
     *
     * @param url a JDBC URL
     * @return true if a user-info may stand in it
     */
    static boolean hasUserInfo(String url) {
        int hostStart = authorityStart(url);
        if (hostStart < 0) {
            return false;
        }
        int hostEnd = authorityEnd(url, hostStart);
        int parameters = parametersFrom(url, hostEnd);
        if (url.substring(hostStart, parameters).indexOf('@') >= 0) {
            return true;
        }
        int at = url.indexOf('@', hostEnd);
        if ((hostEnd > hostStart || !postgresql(url)) && hostEnd < url.length() && url.charAt(hostEnd) != '/' && at >= 0) {
            // The hosts end at a ? (or H2's ;), where both drivers need a / after them: that ? may be a password's, and
            // what the drivers quote as the host (s3cret of //s3cret?a=b@db/app) the rest of the user-info, when what
            // follows the @ reads as a host, not as the rest of a parameter (?user=hooks@server&password=...). Not where
            // no host stands before a PostgreSQL URL's ?: PgJDBC takes jdbc:postgresql://?user=hooks@server for localhost
            // (H2 has no default server).
            String after = url.substring(at + 1, UriSecrets.firstOf(url, at + 1, '/', '?', ';'));
            if (after.indexOf('&') < 0 && after.indexOf('=') < 0) {
                return true;
            }
        }
        for (String host : url.substring(hostStart, hostEnd).split(",")) {
            int colon = host.lastIndexOf(':');
            if (colon > host.lastIndexOf(']') && !host.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
                return true;
            }
        }
        String parameterText = url.substring(Math.min(parameters + 1, url.length()));
        for (String part : postgresql(url) ? List.of(parameterText.split("&")) : h2Settings(parameterText)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (name.indexOf('@') >= 0 || name.indexOf('/') >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The settings of an H2 URL, split at each {@code ;} or {@code &} that no backslash escapes: H2 takes {@code \;} as a
     * {@code ;} in a value, as in {@code INIT=CREATE SCHEMA S\;RUNSCRIPT FROM '~/s.sql'}, and a backslash escapes the
     * character after it, a backslash too.
     */
    private static List<String> h2Settings(String text) {
        List<String> settings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ';' || c == '&') {
                settings.add(text.substring(start, i));
                start = i + 1;
            }
        }
        settings.add(text.substring(start));
        return settings;
    }

    /** Whether {@code url} is PgJDBC's, where a {@code ;} is an ordinary character, in a password too; H2's separates settings by it. */
    private static boolean postgresql(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Where a URL's parameters begin, looking from {@code from}: at a {@code ?}, or in an H2 URL a {@code ;}. */
    private static int parametersFrom(String url, int from) {
        return postgresql(url) ? UriSecrets.firstOf(url, from, '?') : UriSecrets.firstOf(url, from, '?', ';');
    }

    /** Where the authority that begins at {@code start} ends: at a {@code /} or {@code ?}, or in an H2 URL a {@code ;}. */
    private static int authorityEnd(String url, int start) {
        return postgresql(url) ? UriSecrets.firstOf(url, start, '/', '?') : UriSecrets.firstOf(url, start, '/', '?', ';');
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

    /** PgJDBC's parameters that hold a password: the user's, and that of the key of a client certificate. */
    private static final List<String> PASSWORDS = List.of("password", "sslpassword");

    /**
     * A {@code jdbc:postgresql:} URL without its {@code password} and {@code sslpassword} parameters, which go to
     * {@code into} as PgJDBC reads them (percent-decoded, as by {@link URLDecoder}; a name without {@code =} as empty; the
     * last of a name wins). PgJDBC logs the URL it connects with at FINE ("Connecting with URL"), and reads a password
     * from its properties as from its URL. A URL with a value PgJDBC could not decode either is returned as it is, and nothing is put.
     *
     * @param url a PostgreSQL JDBC URL
     * @param into the connection properties, where the passwords go
     * @return the URL to connect with
     */
    static String withoutPasswords(String url, java.util.Properties into) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        java.util.Properties found = new java.util.Properties();
        StringBuilder kept = new StringBuilder(url.length());
        for (String part : url.substring(query + 1).split("&", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (PASSWORDS.contains(name)) {
                // A name without a value sets it to nothing in PgJDBC, in the URL's order with the others of its name.
                try {
                    found.setProperty(name, eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return url; // PgJDBC fails on it too, and says so without the value
                }
            } else if (!part.isEmpty()) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        into.putAll(found);
        return url.substring(0, query) + (kept.length() == 0 ? "" : "?" + kept);
    }

    /**
     * A driver's message with the URL, every secret it carries and its user replaced, and any user PostgreSQL names in
     * quotes, so that it can be logged.
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
            // The URL stands aside while its parts are replaced, so that a user named as the database leaves it named.
            scrubbed = scrubbed.replace(url, "\u0000");
            for (String secret : UriSecrets.in(url)) {
                scrubbed = scrubbed.replace(secret, "***");
            }
            for (String user : users(url)) {
                scrubbed = replaceName(scrubbed, user);
            }
            scrubbed = scrubbed.replace("\u0000", describe(url));
        }
        // PostgreSQL names the user of a failed login in quotes: a DataSource's too, whose URL the store never sees.
        return QUOTED_USER.matcher(scrubbed).replaceAll("$1 \"***\"");
    }

    /** How PostgreSQL names a user or role in its messages: {@code user "hooks"}, {@code role "hooks"}. */
    private static final Pattern QUOTED_USER = Pattern.compile("\\b(user|role) \"[^\"]*\"");

    /**
     * The user names a URL gives, as written and percent-decoded: its user-info's user, and every parameter named
     * {@code user} in any case (PgJDBC's {@code user=}, H2's {@code USER=}).
     */
    private static List<String> users(String url) {
        List<String> users = new ArrayList<>();
        int authorityStart = authorityStart(url);
        if (authorityStart >= 0) {
            int at = userInfoEnd(url, authorityStart);
            if (at > authorityStart) {
                String userInfo = url.substring(authorityStart, at);
                int colon = userInfo.indexOf(':');
                addUser(users, colon >= 0 ? userInfo.substring(0, colon) : "");
            }
        }
        int query = url.indexOf('?');
        String[] parts = !postgresql(url) ? url.split("[?;&]") : query < 0 ? new String[0] : url.substring(query + 1).split("&");
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equalsIgnoreCase("user")) {
                addUser(users, part.substring(eq + 1));
            }
        }
        return users;
    }

    private static void addUser(List<String> users, String raw) {
        if (raw.isEmpty()) {
            return;
        }
        users.add(raw);
        try {
            String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            if (!decoded.equals(raw) && !decoded.isEmpty()) {
                users.add(decoded);
            }
        } catch (IllegalArgumentException e) {
            // not percent-encoded: the name as written is enough
        }
    }

    /**
     * {@code text} with each occurrence of {@code name} that is not part of a longer word replaced by {@code ***}: a user
     * {@code postgres} leaves {@code jdbc:postgresql} as it is.
     */
    private static String replaceName(String text, String name) {
        StringBuilder b = new StringBuilder(text.length());
        int from = 0;
        for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length())) {
            int end = i + name.length();
            boolean partOfWord = i > 0 && isWordChar(text.charAt(i - 1)) || end < text.length() && isWordChar(text.charAt(end));
            if (!partOfWord) {
                b.append(text, from, i).append("***");
                from = end;
            }
        }
        return b.append(text, from, text.length()).toString();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** A driver's message, scrubbed of the URL's secrets ({@link #scrub}), and its SQLState: for messages. */
    static String why(SQLException e, String url) {
        return scrub(e.getMessage(), url) + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
