package dev.webhookfilter.store.redis;

import dev.webhookfilter.servlet.SharedStoreLoad;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances sharing one redis-server under {@value SharedStoreLoad#CLIENTS} clients of mixed traffic
 * (see {@link SharedStoreLoad#measure}): every id that got a 2xx ran the handler exactly once. Prints
 * throughput, latency and heap against the same mix on {@code store=memory} in the same JVM; asserts no
 * time. Alone (after installing webhook-filter): {@code mvn -B verify -pl webhook-store-redis
 * -Dtest=RedisLoadTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedisLoadTest {

    /** Requests per measured run; sized for a few seconds each on a loaded 2-core machine. */
    static final int REQUESTS = Integer.getInteger("webhookfilter.load.requests", 6000);

    @TempDir
    Path dir;

    @Test
    void twoInstancesUnderMixedLoad_runTheHandlerOncePerAcceptedId() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            Map<String, String> shared = Map.of("store", "redis://" + redis.hostPort(), "storeTimeoutMillis", "5000");
            SharedStoreLoad.measure("redis", shared, REQUESTS);
        }
    }
}
