package dev.webhookfilter.store.jdbc;

import static dev.webhookfilter.store.jdbc.StoreContract.inAMinute;
import static dev.webhookfilter.store.jdbc.StoreContract.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.webhookfilter.ReplayGuard.Decision;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lost answer on H2 in memory, and the bound on drops waiting at once, which is the store's alone: on
 * PostgreSQL its thousand failed calls would each open a connection (the pool closes the one that failed), a
 * minute of connecting that tests nothing the other tests do not.
 */
class H2LostAnswerTest extends LostAnswerContract {

    @RegisterExtension
    static final H2Database H2 = new H2Database("webhook-store-lost-answer");

    @Override
    Pool pool() {
        return H2.pool();
    }

    @Override
    String url() {
        return H2.url;
    }

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    Connection admin() throws SQLException {
        return H2.connect();
    }

    /**
     * Tomcat, stopping a web application right after its filters' {@code destroy}, warned "appears to have started a
     * thread named [webhook-store-jdbc] but has failed to stop it", as close only interrupted the thread; a thread
     * that outlives its application holds the application's class loader.
     */
    @Test
    void close_returnsOnceTheStoresThreadHasEnded() throws InterruptedException {
        faults.failOnceAfterRunning(dialect().recordReplay);
        faults.holdDrops();
        faults.outlastInterrupt(Duration.ofMillis(300));
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));
        Thread storeThread = faults.awaitHeldDrop();

        store.close();
        assertFalse(storeThread.isAlive(), "close returned while the store's thread " + storeThread.getName() + " ran");
    }

    @Test
    void drops_pendingAtOnce_areBounded() {
        faults.failAlways(dialect().recordReplay);
        faults.holdDrops();
        int calls = JdbcStore.MAX_PENDING_DROPS + 5;
        for (int i = 0; i < calls; i++) {
            assertEquals(Decision.UNAVAILABLE, store.record(key("sig-" + i), inAMinute()));
        }
        assertEquals(JdbcStore.MAX_PENDING_DROPS, store.pendingDrops());

        faults.releaseDrops();
        await(() -> store.pendingDrops() == 0);
    }
}
