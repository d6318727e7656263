package dev.webhookfilter.store.redis;

import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.WebhookStoreProvider;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.ThreadFactoryProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens a Redis {@link WebhookStore} from the filter's {@code store} init-param:
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/db]}: one Redis server (port 6379, database 0
 *       by default);</li>
 *   <li>{@code rediss://...}: the same over TLS, the server's certificate checked against the JVM's
 *       trust store (host name included);</li>
 *   <li>{@code redis-cluster://[[user]:password@]host:port,host:port...}: Redis Cluster, from one or
 *       more seed nodes (the client learns the others); {@code rediss-cluster://} over TLS.</li>
 * </ul>
 *
 * <p>User and password are percent-decoded and never appear in a message, a log line or
 * {@code toString}. Every command is bounded by the timeout given to {@link #open}; the connection
 * reconnects by itself (backing off from 50 ms to 1 s) and refuses commands while disconnected, so
 * calls fail fast instead of queueing. Found by {@link java.util.ServiceLoader}.
 *
 * <p>{@link #open} refuses a replica and a Redis older than 6.2 (no {@code SET ... EXAT}), on either of which
 * every request would be refused, a Redis Cluster node given as {@code redis://}, which answers MOVED for the keys
 * of other nodes' slots, and an ACL user that may not run the store's scripts on its keys (it runs the release script
 * once, writing nothing); it logs a WARNING when a server's {@code maxmemory-policy} evicts. A server that refuses the
 * connection's setup (a wrong password, a database it lacks, protected mode) is named with Redis's error code.
 *
 * <p>The store's health check ({@link WebhookStore#isAvailable}) runs one script on each server that serves the store's
 * keys, on a key no digest gives: a {@code SET} that never writes, which Redis refuses where it refuses a record or a
 * claim (OOM when full, READONLY on a replica, NOPERM for a user's lost permission).
 */
public final class RedisStoreProvider implements WebhookStoreProvider {

    private static final System.Logger LOG = System.getLogger(RedisStoreProvider.class.getName());

    /** The longest timeout {@link #open} takes: Netty takes its connect timeout in int milliseconds. */
    static final Duration LONGEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** The most commands one connection holds unanswered; past it, calls fail at once. */
    static final int REQUEST_QUEUE_SIZE = 2048;

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public RedisStoreProvider() {
        // stateless
    }

    @Override
    public boolean supports(String uri) {
        return RedisTarget.supports(uri);
    }

    @Override
    public WebhookStore open(String uri, Duration timeout, String keyPrefix) {
        // Connecting builds Netty's channel pipeline on this thread, which leaves Netty's thread-local map on it: on a
        // container's thread, which outlives the application, Tomcat finds it at undeploy and reports a probable leak of
        // the application's class loader. A thread that held Netty thread-locals before keeps them.
        boolean hadNettyThreadLocals = FastThreadLocal.size() > 0;
        try {
            return openStore(uri, timeout, keyPrefix);
        } finally {
            if (!hadNettyThreadLocals) {
                FastThreadLocal.removeAll();
            }
        }
    }

    private static WebhookStore openStore(String uri, Duration timeout, String keyPrefix) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Redis store's timeout must be positive, not " + timeout);
        }
        if (timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            // Before any thread starts: Netty would refuse it only once the client is made, as an ArithmeticException.
            throw new IllegalArgumentException("the Redis store's timeout must be at most " + LONGEST_TIMEOUT.toMillis()
                    + " ms (24.8 days), not " + timeout);
        }
        RedisTarget target = RedisTarget.parse(uri);
        LettuceThreads threads = new LettuceThreads();
        ClientResources resources = DefaultClientResources.builder()
                .threadFactoryProvider(threads)
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        Opened opened;
        try {
            opened = target.cluster ? cluster(target, resources, threads, timeout, keyPrefix)
                    : standalone(target, resources, threads, timeout, keyPrefix);
        } catch (RuntimeException e) {
            threads.shutdown(resources, timeout);
            if (target.cluster && clusterSupportDisabled(e)) {
                throw new IllegalStateException("the Redis store " + target.describe() + " is not a Redis Cluster: its"
                        + " server answers that cluster support is disabled; for one server, use " + target.describeAsOneServer());
            }
            String refused = refusal(e, target, keyPrefix);
            if (refused != null) {
                throw new IllegalStateException("the Redis store " + target.describe() + " " + refused);
            }
            // Lettuce's message names the host, never the password; keep only the classes to be sure.
            throw new IllegalStateException("the Redis store " + target.describe()
                    + " cannot be reached, or does not answer as Redis does (" + causes(e) + ")"
                    + (timedOut(e) ? "; nothing came back within " + timeout.toMillis() + " ms, the store's timeout:"
                            + " a server that is up but slow to answer a first connection (a cold or busy machine) needs"
                            + " a longer one" : ""));
        }
        RedisStore store = opened.store;
        boolean available;
        try {
            available = store.awaitAvailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            available = false;
        }
        if (!available) {
            String refused = store.refusedWhileOpening();
            store.close();
            throw new IllegalStateException("the Redis store " + target.describe() + (refused != null ? " " + refused
                    : " does not answer the health check's script as Redis does (1) within " + timeout));
        }
        String warning;
        try {
            // A replica, a Redis without SET ... EXAT, or a cluster node as one server would refuse requests: refuse it now.
            warning = ServerChecks.check(opened.servers, target.cluster ? null : target.describeAsCluster(), timeout,
                    target.describe());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        if (warning != null) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
        // The health check's script (GET and SET) ran: run the release script once too, as a release does.
        String refused;
        try {
            refused = store.trial();
        } catch (RuntimeException e) {
            refused = "does not take the store's scripts (" + causes(e) + ")";
        }
        if (refused != null) {
            store.close();
            throw new IllegalStateException("the Redis store " + target.describe() + " " + refused);
        }
        return store;
    }

    /** A store just made, and the servers that serve its keys, for {@link ServerChecks} to ask. */
    private static final class Opened {
        final RedisStore store;
        final Supplier<List<ServerChecks.Server>> servers;

        Opened(RedisStore store, Supplier<List<ServerChecks.Server>> servers) {
            this.store = store;
            this.servers = servers;
        }
    }

    private static Opened standalone(RedisTarget t, ClientResources resources, LettuceThreads threads, Duration timeout,
            String prefix) {
        RedisClient client = RedisClient.create(resources, uri(t, t.nodes.get(0), timeout));
        client.setOptions(options(ClientOptions.builder(), timeout).build());
        StatefulRedisConnection<byte[], byte[]> connection =
                connect(client, () -> client.connect(ByteArrayCodec.INSTANCE), timeout);
        List<byte[]> probeKeys = List.of(RedisStore.key(prefix, "d:", trialDigest(0)));
        RedisStore store = new RedisStore(connection.async(), () -> probeKeys,
                key -> disconnect(connection), () -> shutdown(connection, client, resources, threads, timeout),
                timeout, prefix, t.describe());
        return new Opened(store, () -> List.of(new ServerChecks.Server(null, connection.async())));
    }

    /**
     * Closes the connection's socket but not the connection, as a network failure would: Lettuce fails the
     * commands that wait for a reply and reconnects on a new socket, where no reply can be another command's.
     */
    static void disconnect(StatefulConnection<?, ?> connection) {
        if (connection instanceof RedisChannelHandler) {
            RedisChannelWriter writer = ((RedisChannelHandler<?, ?>) connection).getChannelWriter();
            // The command expiry writer wraps the endpoint that owns the socket (getDelegate, as Lettuce 6 has no
            // Delegating interface).
            Object endpoint = writer instanceof CommandExpiryWriter ? ((CommandExpiryWriter) writer).getDelegate()
                    : writer;
            if (endpoint instanceof DefaultEndpoint) {
                ((DefaultEndpoint) endpoint).disconnect();
            }
        }
    }

    private static Opened cluster(RedisTarget t, ClientResources resources, LettuceThreads threads, Duration timeout,
            String prefix) {
        List<RedisURI> seeds = new ArrayList<>();
        for (RedisTarget.Node n : t.nodes) {
            seeds.add(uri(t, n, timeout));
        }
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(options(ClusterClientOptions.builder(), timeout)
                // Learn of failovers and moved slots from MOVED/ASK and failed reconnects, and every 30 s.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        StatefulRedisClusterConnection<byte[], byte[]> connection =
                connect(client, () -> client.connect(ByteArrayCodec.INSTANCE), timeout);
        // Available when every master that serves the store's keys answers, each through the very
        // connection that commands for its slots take: one probe key in a slot of each, found anew at each health
        // check, as slots move. Lettuce opens those connections lazily and, refusing
        // commands while disconnected, would refuse the first command for a node that is still being
        // connected; open() calls this, so every such master's connection is up before the first request.
        // A prefix with a hash tag keeps every key, probes included, in one slot: only its master serves them.
        int pinned = pinnedSlot(prefix);
        RedisStore store = new RedisStore(connection.async(), () -> {
            List<byte[]> keys = new ArrayList<>();
            for (RedisClusterNode node : serving(connection, pinned)) {
                for (int n = 0;; n++) {
                    byte[] key = RedisStore.key(prefix, "d:", trialDigest(n));
                    if (node.hasSlot(SlotHash.getSlot(key))) {
                        keys.add(key);
                        break;
                    }
                }
            }
            return keys;
        }, key -> {
            // The connection that carries writes for the key's slot: Lettuce's, keyed by its master's host and port.
            RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (master != null && master.getUri() != null) {
                connection.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort())
                        .thenAccept(RedisStoreProvider::disconnect);
            }
        }, () -> shutdown(connection, client, resources, threads, timeout), timeout, prefix, t.describe());
        // Each master that serves the store's keys, through the connection that carries its writes. Replicas are
        // not asked: the client sends every command to a master, whichever node the URI named.
        return new Opened(store, () -> {
            List<ServerChecks.Server> servers = new ArrayList<>();
            for (RedisClusterNode node : serving(connection, pinned)) {
                if (node.getUri() != null) {
                    String host = node.getUri().getHost();
                    int port = node.getUri().getPort();
                    servers.add(new ServerChecks.Server(new RedisTarget.Node(host, port).toString(),
                            connection.getConnection(host, port).async()));
                }
            }
            return servers;
        });
    }

    /** 32 bytes that no SHA-256 gives in practice: zeros, then {@code n}; the probe keys are made of them. */
    private static byte[] trialDigest(int n) {
        byte[] digest = new byte[32];
        digest[28] = (byte) (n >>> 24);
        digest[29] = (byte) (n >>> 16);
        digest[30] = (byte) (n >>> 8);
        digest[31] = (byte) n;
        return digest;
    }

    /** The masters that serve the store's keys: every master with slots, or only that of the prefix's pinned slot. */
    private static List<RedisClusterNode> serving(StatefulRedisClusterConnection<?, ?> connection, int pinned) {
        List<RedisClusterNode> serving = new ArrayList<>();
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
                    && (pinned < 0 || node.hasSlot(pinned))) {
                serving.add(node);
            }
        }
        return serving;
    }

    /**
     * The one slot of every key made with {@code prefix} when the prefix holds a hash tag, as Redis Cluster reads
     * it (the text between the first <code>{</code> and the first <code>}</code> after it, if not empty); -1
     * when keys spread over every slot. The rest of a key (kind, hex digest) holds no brace.
     */
    static int pinnedSlot(String prefix) {
        int open = prefix.indexOf('{');
        int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
        return close > open + 1 ? SlotHash.getSlot(prefix.getBytes(StandardCharsets.UTF_8)) : -1;
    }

    private static RedisURI uri(RedisTarget t, RedisTarget.Node node, Duration timeout) {
        RedisURI.Builder b = RedisURI.builder()
                .withHost(node.host)
                .withPort(node.port)
                .withSsl(t.tls)
                .withTimeout(timeout)
                .withClientName("webhook-filter");
        if (!t.cluster) {
            b.withDatabase(t.database);
        }
        if (t.password != null) {
            if (t.user != null) {
                b.withAuthentication(t.user, t.password);
            } else {
                b.withPassword(t.password);
            }
        }
        return b.build();
    }

    /** Whether a seed answered the cluster client's first command as a server outside a cluster does. */
    private static boolean clusterSupportDisabled(Throwable e) {
        int depth = 0;
        for (Throwable c = e; c != null && depth < 5; c = c.getCause(), depth++) {
            for (Throwable s : c.getSuppressed()) {
                if (s instanceof RedisCommandExecutionException && s.getMessage() != null
                        && s.getMessage().startsWith("ERR This instance has cluster support disabled")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What the server answered to the connection's setup (HELLO, AUTH, SELECT), when it refused it in one of the
     * ways an operator can fix; null otherwise. Our own words: Redis's may name the user.
     */
    static String refusal(Throwable e, RedisTarget t, String prefix) {
        String reply = redisError(e, 0);
        if (reply == null) {
            return null;
        }
        if (reply.startsWith("WRONGPASS ")) {
            return "refuses the URI's user and password (WRONGPASS)";
        }
        if (reply.startsWith("NOAUTH ") && t.password == null) {
            return "asks for a password, and the URI gives none (NOAUTH)";
        }
        if (reply.startsWith("NOPERM ")) {
            return RedisStore.noPermission(prefix);
        }
        if (reply.startsWith("ERR DB index is out of range")) {
            return "has no database " + t.database + " (ERR DB index is out of range; its databases setting says how many"
                    + " it has)";
        }
        if (reply.startsWith("DENIED ")) {
            return "refuses clients from other hosts: it runs in protected mode (DENIED); give its default user a password";
        }
        return null;
    }

    /** The message of the first error reply among {@code e}'s causes and suppressed exceptions (not {@code e}'s own). */
    private static String redisError(Throwable e, int depth) {
        if (e == null || depth > 5) {
            return null;
        }
        if (depth > 0 && e instanceof RedisException && e.getMessage() != null
                && e.getMessage().matches("(?s)[A-Z]{2,32} .*")) {
            return e.getMessage();
        }
        for (Throwable s : e.getSuppressed()) {
            String found = redisError(s, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return e.getCause() == e ? null : redisError(e.getCause(), depth + 1);
    }

    /** The classes of {@code e} and its causes, outermost first: what went wrong, without a message that might say too much. */
    /** Whether {@code e} or one of its causes is a timeout: of the connect (Netty's), or of a command of the handshake. */
    private static boolean timedOut(Throwable e) {
        int depth = 0;
        for (Throwable c = e; c != null && depth <= 5; c = c.getCause(), depth++) {
            if (c instanceof RedisCommandTimeoutException || c instanceof io.netty.channel.ConnectTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getName());
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != e && depth < 5; c = c.getCause(), depth++) {
            b.append(", caused by ").append(c.getClass().getName());
        }
        return b.toString();
    }

    private static SocketOptions socket(Duration timeout) {
        return SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
    }

    /**
     * The options a server's client and a cluster's share: reconnect, refuse commands while disconnected rather
     * than queue them, a bounded queue, and the timeout on connecting and on every command.
     */
    private static <B extends ClientOptions.Builder> B options(B options, Duration timeout) {
        options.autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .socketOptions(socket(timeout))
                .timeoutOptions(TimeoutOptions.enabled(timeout));
        return options;
    }

    /** Connects, with the command timeout set; a client that cannot connect is shut down before the error goes on. */
    private static <C extends StatefulConnection<?, ?>> C connect(AbstractRedisClient client, Supplier<C> connect,
            Duration timeout) {
        C connection;
        try {
            connection = connect.get();
        } catch (RuntimeException e) {
            awaitAtMost(client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, "the client");
            throw e;
        }
        connection.setTimeout(timeout);
        return connection;
    }

    /**
     * Closes the connection, then the client, each waited for at most the timeout, then shuts the resources down and
     * waits for their threads ({@link LettuceThreads#shutdown}). Lettuce's own {@code close()} and {@code shutdown()} wait
     * for its event loop with no bound, and a loop can be stuck for good: Lettuce's topology refresh closes a connection
     * that came late with a blocking call on the loop it runs on (seen once under load). A close, an undeploy, or open's
     * refusal then never returned.
     */
    private static void shutdown(StatefulConnection<?, ?> connection, AbstractRedisClient client, ClientResources resources,
            LettuceThreads threads, Duration timeout) {
        awaitAtMost(connection.closeAsync(), timeout, "the connection");
        awaitAtMost(client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, "the client");
        threads.shutdown(resources, timeout);
    }

    /**
     * Makes one store's Lettuce threads (its event loops and timer), as Lettuce's default does, and keeps them, so that
     * closing can wait for them to end: shutting the resources down only asks them to, and Tomcat, stopping a web
     * application right after its filters' {@code destroy}, warned that it "appears to have started a thread named
     * [lettuce-eventExecutorLoop-1-1] but has failed to stop it" (a thread that outlives its application holds the
     * application's class loader).
     */
    static final class LettuceThreads implements ThreadFactoryProvider {

        private final Set<Thread> made = ConcurrentHashMap.newKeySet();

        @Override
        public ThreadFactory getThreadFactory(String poolName) {
            ThreadFactory netty = new DefaultThreadFactory(poolName, true);
            return task -> {
                Thread t = netty.newThread(task);
                made.add(t);
                return t;
            };
        }

        /**
         * Shuts {@code resources} down and waits at most {@code timeout} for every thread they made to end; past it, a
         * thread still running (a stuck loop) is left to end on its own, with a WARNING.
         */
        void shutdown(ClientResources resources, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                for (Thread t : made) {
                    long left = deadline - System.nanoTime();
                    if (left > 0 && t != Thread.currentThread()) {
                        TimeUnit.NANOSECONDS.timedJoin(t, left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Thread t : made) {
                if (t.isAlive() && t != Thread.currentThread()) {
                    LOG.log(System.Logger.Level.WARNING, "Closing the Redis store: Lettuce's thread " + t.getName()
                            + " did not end within " + timeout.toMillis() + " ms; it is left to end on its own");
                }
            }
        }
    }

    /** Waits for {@code closing} at most {@code timeout}; past it, what it waits for is left to end on its own. */
    private static void awaitAtMost(CompletableFuture<?> closing, Duration timeout, String what) {
        try {
            closing.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "Closing the Redis store: " + what + " did not close within " + timeout.toMillis()
                    + " ms (Lettuce's event loop did not answer); its threads are left to end on their own");
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            // closing anyway
        }
    }
}
