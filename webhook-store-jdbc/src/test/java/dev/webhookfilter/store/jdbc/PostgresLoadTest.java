package dev.webhookfilter.store.jdbc;

import dev.webhookfilter.servlet.SharedStoreLoad;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two instances sharing one PostgreSQL under {@value SharedStoreLoad#CLIENTS} clients of mixed traffic
 * (see {@link SharedStoreLoad#measure}): every id that got a 2xx ran the handler exactly once. Prints
 * throughput, latency and heap against the same mix on {@code store=memory} in the same JVM; asserts no
 * time. Alone (after installing webhook-filter): {@code mvn -B verify -pl webhook-store-jdbc
 * -Dtest=PostgresLoadTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PostgresLoadTest {

    /** Requests per measured run; sized for a few seconds each on a loaded 2-core machine. */
    static final int REQUESTS = Integer.getInteger("webhookfilter.load.requests", 6000);

    @Test
    void twoInstancesUnderMixedLoad_runTheHandlerOncePerAcceptedId() throws Exception {
        try (PostgresServer postgres = PostgresServer.startOrSkip()) {
            Map<String, String> shared = Map.of("store", postgres.url(), "storeTimeoutMillis", "5000");
            SharedStoreLoad.measure("postgresql", shared, REQUESTS);
        }
    }
}
