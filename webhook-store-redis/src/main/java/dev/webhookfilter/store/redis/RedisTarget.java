package dev.webhookfilter.store.redis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a {@code store} URI points, parsed without Lettuce so that every error message is ours and
 * none repeats the credentials: {@code redis://}, {@code rediss://} (TLS), {@code redis-cluster://}
 * and {@code rediss-cluster://} (Redis Cluster, seed nodes separated by commas).
 *
 * <p>Forms: {@code redis[s]://[[user]:password@]host[:port][/db]} and
 * {@code redis[s]-cluster://[[user]:password@]host[:port],host[:port]...}. A password alone may also
 * be written {@code password@host}, as Lettuce reads it. User and password are percent-decoded.
 */
final class RedisTarget {

    static final int DEFAULT_PORT = 6379;

    /** One host and port. */
    static final class Node {
        final String host;
        final int port;

        Node(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    final boolean cluster;
    final boolean tls;
    final List<Node> nodes;
    final int database;
    final String user;
    final char[] password;

    private RedisTarget(boolean cluster, boolean tls, List<Node> nodes, int database, String user, char[] password) {
        this.cluster = cluster;
        this.tls = tls;
        this.nodes = List.copyOf(nodes);
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Whether {@code uri} starts with one of the four schemes (case-insensitive). */
    static boolean supports(String uri) {
        return uri != null && scheme(uri.strip()) != null;
    }

    private static String scheme(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        for (String s : new String[] {"redis://", "rediss://", "redis-cluster://", "rediss-cluster://"}) {
            if (lower.startsWith(s)) {
                return s.substring(0, s.length() - 3);
            }
        }
        return null;
    }

    /**
     * Parses a store URI.
     *
     * @throws IllegalArgumentException saying what is wrong, never with the user or password
     */
    static RedisTarget parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("the Redis store URI is missing");
        }
        String s = uri.strip();
        String scheme = scheme(s);
        if (scheme == null) {
            throw new IllegalArgumentException(
                    "a Redis store URI starts with redis://, rediss://, redis-cluster:// or rediss-cluster://");
        }
        boolean cluster = scheme.endsWith("-cluster");
        boolean tls = scheme.startsWith("rediss");
        String rest = s.substring(scheme.length() + 3);
        String where = scheme + "://";

        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        if (hostPart.indexOf('?') >= 0 || hostPart.indexOf('#') >= 0) {
            throw new IllegalArgumentException("the " + where + " store URI takes no query or fragment");
        }
        int slash = hostPart.indexOf('/');
        String hosts = slash >= 0 ? hostPart.substring(0, slash) : hostPart;
        String path = slash >= 0 ? hostPart.substring(slash + 1) : "";

        List<Node> nodes = new ArrayList<>();
        for (String h : hosts.split(",", -1)) {
            nodes.add(node(h.strip(), where, at >= 0));
        }
        if (!cluster && nodes.size() != 1) {
            throw new IllegalArgumentException("the " + where + " store URI names one host; for Redis Cluster use "
                    + (tls ? "rediss-cluster://" : "redis-cluster://") + "host:port,host:port");
        }
        int database = 0;
        if (!path.isEmpty()) {
            if (cluster) {
                throw new IllegalArgumentException("the " + where + " store URI takes no database: Redis Cluster has only database 0");
            }
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0 || !path.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("the " + where + " store URI's database (after the host) must be a number from 0");
            }
        }

        String user = null;
        char[] password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon >= 0 ? userInfo.substring(0, colon) : "";
            String rawPassword = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            user = rawUser.isEmpty() ? null : decode(rawUser, where, "user");
            password = rawPassword.isEmpty() ? null : decode(rawPassword, where, "password").toCharArray();
            if (user != null && password == null) {
                throw new IllegalArgumentException("the " + where + " store URI names a user but no password");
            }
        }
        return new RedisTarget(cluster, tls, nodes, database, user, password);
    }

    /**
     * One {@code host[:port]}. Messages never repeat the port's text, and name the host only when it
     * follows an {@code @} and has passed {@link #plausibleHost}: a URI whose {@code @host} was left off
     * reads as {@code user:password}, so its "host" and "port" are the user and the password.
     */
    private static Node node(String h, String where, boolean afterAt) {
        if (h.isEmpty()) {
            throw new IllegalArgumentException("the " + where + " store URI lacks a host");
        }
        String noHostHint = afterAt ? "" : " (if user:password came first, @host must follow it)";
        String host;
        String port = null;
        boolean ipv6 = h.startsWith("[");
        if (ipv6) {
            int close = h.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("the " + where + " store URI has an unclosed [ in an IPv6 host");
            }
            host = h.substring(1, close);
            String after = h.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("the " + where
                            + " store URI has text after an IPv6 host: only :port may follow the ]");
                }
                port = after.substring(1);
            }
        } else {
            int colon = h.lastIndexOf(':');
            host = colon >= 0 ? h.substring(0, colon) : h;
            port = colon >= 0 ? h.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the " + where + " store URI lacks a host before the :port" + noHostHint);
        }
        if (!plausibleHost(host, ipv6)) {
            throw new IllegalArgumentException("the " + where + " store URI's host is not a host name or an IP address"
                    + " (letters, digits, '.', '-' and '_'; an IPv6 address in [ ])" + noHostHint);
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            p = -1;
            if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                p = Integer.parseInt(port);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("the " + where + " store URI's port"
                        + (afterAt ? " for " + host : "") + " must be a number from 1 to 65535" + noHostHint);
            }
        }
        return new Node(host, p);
    }

    /**
     * Whether {@code host} has only the characters of a host name, an IPv4 address or (in brackets) an
     * IPv6 address with an optional zone: text that cannot be a host is kept out of messages and logs.
     */
    private static boolean plausibleHost(String host, boolean ipv6) {
        return host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '-' || c == '_' || ipv6 && (c == ':' || c == '%'));
    }

    /**
     * Percent-decoding as in URIs (a {@code +} stays a plus), of UTF-8; the value itself never reaches a message.
     *
     * @throws IllegalArgumentException for a {@code %} without two hex digits, or bytes that are not UTF-8
     */
    private static String decode(String s, String where, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("the " + where + " store URI's " + what
                            + " has a % not followed by two hex digits (percent-encode it as %25)");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        try {
            // Reported, not replaced by U+FFFD: a password sent wrong would only be refused by Redis, as WRONGPASS.
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the " + where + " store URI's " + what + " is not UTF-8 once percent-decoded"
                    + " (percent-encode its UTF-8 bytes: U+00E9 is %C3%A9)");
        }
    }

    /** The URI without user and password: for messages, logs and toString. */
    String describe() {
        StringBuilder b = new StringBuilder(tls ? "rediss" : "redis").append(cluster ? "-cluster://" : "://");
        for (int i = 0; i < nodes.size(); i++) {
            b.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
        if (!cluster && database != 0) {
            b.append('/').append(database);
        }
        return b.toString();
    }

    /** The same hosts in the cluster form, {@code redis-cluster://} or {@code rediss-cluster://}, without the credentials. */
    String describeAsCluster() {
        return new RedisTarget(true, tls, nodes, 0, null, null).describe();
    }

    /** The first host as one server, {@code redis://} or {@code rediss://}, without the credentials. */
    String describeAsOneServer() {
        return new RedisTarget(false, tls, nodes.subList(0, 1), 0, null, null).describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
