package dev.webhookfilter.example;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Host} headers {@link HostCheckFilter} lets through to the page, {@code /events} and
 * {@code /send-test-event}. A DNS-rebinding attack makes a name of the attacker's resolve to 127.0.0.1,
 * so that a page of theirs can call this application as its own origin; the browser then still sends
 * the attacker's name as {@code Host}. So the header must be the loopback address the application was
 * reached on ({@code localhost}, {@code 127.0.0.1} or {@code [::1]} with that port), or a name listed in
 * {@value #PARAM}: {@code name} (any port) or {@code name:port}, comma-separated, e.g.
 * {@code abc123.ngrok.app, dev.example.org:8443}. Immutable.
 */
final class AllowedHosts {

    /** The filter init-param that lists further names, for a tunnel or a development host name. */
    static final String PARAM = "allowedHosts";

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    /** A DNS name or IPv4 address, or a bracketed IPv6 address, then an optional port. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

    private final List<String[]> names;

    private AllowedHosts(List<String[]> names) {
        this.names = names;
    }

    /**
     * The names in {@code param}, which may be null or blank for none.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code name} or {@code name:port}
     */
    static AllowedHosts parse(String param) {
        List<String[]> names = new ArrayList<>();
        if (param != null && !param.isBlank()) {
            String[] entries = param.split(",", -1);
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].strip();
                String[] authority = authority(entry);
                if (authority == null) {
                    throw new IllegalArgumentException(PARAM + " entry " + (i + 1) + " of " + entries.length + " '"
                            + entry + "' is not a host name or host:port, e.g. abc123.ngrok.app or dev.example.org:8443");
                }
                names.add(authority);
            }
        }
        return new AllowedHosts(List.copyOf(names));
    }

    /**
     * Whether {@code host}, a request's {@code Host} header, may use the page, the events and the button.
     *
     * @param host the header, or null if there is none
     * @param reachedOnLoopback whether the request came in on a loopback address
     * @param localPort the port it came in on
     * @param defaultPort the port a {@code Host} without one means: 80, or 443 for HTTPS
     */
    boolean allows(String host, boolean reachedOnLoopback, int localPort, int defaultPort) {
        String[] authority = host == null ? null : authority(host.strip());
        if (authority == null) {
            return false;
        }
        int port = authority[1] == null ? defaultPort : Integer.parseInt(authority[1]);
        if (reachedOnLoopback && LOOPBACK.contains(authority[0]) && port == localPort) {
            return true;
        }
        for (String[] name : names) {
            if (name[0].equals(authority[0]) && (name[1] == null || Integer.parseInt(name[1]) == port)) {
                return true;
            }
        }
        return false;
    }

    /** {name in lower case, port or null}, or null if {@code text} is not a host with an optional port. */
    private static String[] authority(String text) {
        Matcher matcher = AUTHORITY.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        String port = matcher.group(2);
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            return null;
        }
        return new String[] {matcher.group(1).toLowerCase(Locale.ROOT), port};
    }
}
