package dev.webhookfilter.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's contract on H2 in memory, the quick start's database. */
class H2StoreTest extends StoreContract {

    @RegisterExtension
    static final H2Database H2 = new H2Database("webhook-store-test");

    @Override
    JdbcStore open(String prefix, Clock clock) {
        return JdbcStoreProvider.open(H2.pool(), H2.url, TIMEOUT, prefix, clock, false);
    }

    @Override
    Connection admin() throws SQLException {
        return H2.connect();
    }

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    /** A database of its own in memory, with a password the messages must not show; gone when the JVM ends. */
    @Override
    String newDatabase() {
        return "jdbc:h2:mem:dba-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;USER=sa;PASSWORD=h2-s3cret";
    }
}
