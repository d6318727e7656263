package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.testing.net.TcpProxy;
import dev.webhookfilter.testing.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-master Redis Cluster on loopback for tests: three cluster-enabled redis-server processes,
 * each with its own directory and config file, joined by {@code redis-cli --cluster create
 * ... --cluster-replicas 0 --cluster-yes}.
 */
final class RedisCluster implements AutoCloseable {

    final List<RedisServer> nodes = new ArrayList<>();
    /** With {@link #startBehindProxies}: the proxy in front of each node, in the same order; clients see only these. */
    final List<TcpProxy> proxies = new ArrayList<>();

    static RedisCluster start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    /**
     * A cluster whose nodes tell clients to reach them through a {@link TcpProxy} each (cluster-announce-port), so
     * that a test can make one node's link misbehave; the nodes talk to each other directly, on their bus ports.
     */
    static RedisCluster startBehindProxies(Path dir) throws IOException, InterruptedException {
        return start(dir, true);
    }

    private static RedisCluster start(Path dir, boolean behindProxies) throws IOException, InterruptedException {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                Path nodeDir = dir.resolve("node-" + i);
                if (behindProxies) {
                    int port = RedisServer.freePort(true);
                    TcpProxy proxy = TcpProxy.to(port);
                    cluster.proxies.add(proxy);
                    cluster.nodes.add(RedisServer.startClusterNode(nodeDir, port, proxy.port()));
                } else {
                    cluster.nodes.add(RedisServer.startClusterNode(nodeDir));
                }
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisServer n : cluster.nodes) {
                create.add(n.hostPort());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = RedisServer.run(create);
            if (!out.contains("[OK] All 16384 slots covered")) {
                fail("redis-cli --cluster create failed:\n" + out);
            }
            cluster.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Waits until every node reports cluster_state:ok and knows three masters. */
    void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (RedisServer n : nodes) {
            while (true) {
                String info = n.cli("CLUSTER", "INFO");
                if (info.contains("cluster_state:ok") && info.contains("cluster_size:3")
                        && info.contains("cluster_known_nodes:3")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the cluster did not become healthy:\n" + info);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The seed list for a redis-cluster:// URI. */
    String seeds() {
        StringBuilder b = new StringBuilder();
        for (RedisServer n : nodes) {
            b.append(b.length() == 0 ? "" : ",").append(n.hostPort());
        }
        return b.toString();
    }

    /** Whether {@code node} serves {@code slot}, from its own CLUSTER NODES line ("myself"). */
    static boolean serves(String clusterNodes, int port, int slot) {
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 9 || !f[1].startsWith("127.0.0.1:" + port + "@")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        for (TcpProxy p : proxies) {
            p.close();
        }
        for (RedisServer n : nodes) {
            n.close();
        }
    }
}
