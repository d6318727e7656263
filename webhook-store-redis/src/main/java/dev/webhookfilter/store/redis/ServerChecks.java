package dev.webhookfilter.store.redis;

import io.lettuce.core.api.async.RedisServerAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link RedisStoreProvider#open} asks each server that serves the store's keys, once they answer the health check:
 * {@code INFO}, and {@code CONFIG GET maxmemory-policy} where INFO lacks the policy.
 *
 * <p>A server older than Redis 6.2 has no {@code SET ... EXAT}, a replica refuses every write, and a Redis Cluster
 * node given as one server ({@code redis://}) answers MOVED for most keys: on any of them, requests would be refused,
 * so open fails and says why. An evicting {@code maxmemory-policy} drops the
 * store's records under memory pressure, every one of which has a TTL, and a replay is accepted once its record
 * is gone: one WARNING says so. What a server does not tell (INFO or CONFIG refused, as managed services may
 * refuse CONFIG; a field missing or unreadable) is not held against it. Neither INFO nor CONFIG ever carries the
 * URI's password.
 */
final class ServerChecks {

    private static final System.Logger LOG = System.getLogger(RedisStoreProvider.class.getName());

    /** The oldest Redis the store runs on: the first with {@code SET ... EXAT}. */
    static final int MIN_MAJOR = 6;
    static final int MIN_MINOR = 2;
    static final String NOEVICTION = "noeviction";

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.\\d{1,9})?(?:[-.+].*)?");

    /** One server to ask. */
    static final class Server {
        /** Its host and port, on Redis Cluster; null for the one server of a {@code redis://} URI. */
        final String node;
        final RedisServerAsyncCommands<byte[], byte[]> commands;

        Server(String node, RedisServerAsyncCommands<byte[], byte[]> commands) {
            this.node = node;
            this.commands = commands;
        }
    }

    private ServerChecks() {
    }

    /**
     * Asks every server in {@code servers}, each command waiting at most {@code timeout}.
     *
     * @param clusterForm null on Redis Cluster, where the client finds the masters itself; for one server, the URI
     *        to give instead when it is a cluster node ({@link RedisTarget#describeAsCluster()}), and a replica is refused
     * @param description the store, as {@link RedisTarget#describe()} names it
     * @return the WARNING to log when a server's policy evicts, or null
     * @throws IllegalStateException naming the store and the server, when one is older than 6.2, or, for one server,
     *         a replica or a cluster node
     */
    static String check(Supplier<List<Server>> servers, String clusterForm, Duration timeout, String description) {
        List<Server> all;
        try {
            all = servers.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Redis store " + description + ": the servers to ask were not found ("
                    + RedisStoreProvider.causes(e) + ")");
            return null;
        }
        List<CompletableFuture<String>> infos = new ArrayList<>();
        for (Server s : all) {
            infos.add(send(() -> s.commands.info().toCompletableFuture()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> evicting = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Server s = all.get(i);
            String where = "the Redis store " + description + (s.node == null ? "" : ": node " + s.node);
            String info = await(infos.get(i), deadline, description);
            String version = field(info, "redis_version");
            if (olderThanMinimum(version)) {
                throw new IllegalStateException(where + " runs Redis " + version + "; the store needs Redis "
                        + MIN_MAJOR + "." + MIN_MINOR + " or later (SET ... EXAT)");
            }
            String role = field(info, "role");
            if (clusterForm != null && ("slave".equals(role) || "replica".equals(role))) {
                throw new IllegalStateException(where + " is a replica (read-only); give the primary's address");
            }
            // One connection to a cluster node reaches only that node's slots: every other key gets MOVED.
            if (clusterForm != null && "cluster".equals(field(info, "redis_mode"))) {
                throw new IllegalStateException(where + " is a node of a Redis Cluster, which answers MOVED for the keys"
                        + " of other nodes' slots; use " + clusterForm);
            }
            String policy = field(info, "maxmemory_policy");
            if (policy == null) {
                policy = configGetPolicy(s, timeout, description);
            }
            if (policy != null && !NOEVICTION.equals(policy)) {
                evicting.put(s.node == null ? "" : "node " + s.node + " ", policy);
            }
        }
        if (evicting.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("Redis store ").append(description).append(evicting.containsKey("") ? " " : ": ");
        String sep = "";
        for (Map.Entry<String, String> e : evicting.entrySet()) {
            b.append(sep).append(e.getKey()).append("has maxmemory-policy ").append(e.getValue());
            sep = ", ";
        }
        return b.append(": under memory pressure Redis evicts the store's records, which all have a TTL, and a replay"
                + " can be accepted once its record is evicted; set maxmemory-policy noeviction").toString();
    }

    /** The policy from {@code CONFIG GET maxmemory-policy}; null if CONFIG is refused or says nothing. */
    private static String configGetPolicy(Server s, Duration timeout, String description) {
        CompletableFuture<Map<String, String>> reply = send(() -> s.commands.configGet("maxmemory-policy").toCompletableFuture());
        Map<String, String> config = await(reply, System.nanoTime() + timeout.toNanos(), description);
        return config == null ? null : config.get("maxmemory-policy");
    }

    private static <T> CompletableFuture<T> send(Supplier<CompletableFuture<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The reply, or null if the command failed or did not answer by {@code deadline}. */
    private static <T> T await(CompletableFuture<T> reply, long deadline, String description) {
        try {
            return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            // The class only: an error reply names the command, never the password, but keep to what is sure.
            LOG.log(System.Logger.Level.DEBUG, () -> "Redis store " + description + ": a check at open got no answer ("
                    + cause.getClass().getName() + ")");
        }
        reply.cancel(false);
        return null;
    }

    /** The value of {@code name} in an INFO reply ({@code name:value} lines), or null. */
    static String field(String info, String name) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name) && line.length() > name.length() && line.charAt(name.length()) == ':') {
                String value = line.substring(name.length() + 1).strip();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /**
     * Whether {@code version} ({@code redis_version}: major.minor, a patch and a suffix optional) is older than
     * 6.2; false when it is missing or unreadable, which says nothing of the server.
     */
    static boolean olderThanMinimum(String version) {
        if (version == null) {
            return false;
        }
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR);
    }
}
