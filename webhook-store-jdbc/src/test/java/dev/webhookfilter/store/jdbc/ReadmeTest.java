package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.Readme;
import org.junit.jupiter.api.Test;

/** The README's JDBC section says what the code does: its DDL is the one the store runs, its numbers are the code's. */
class ReadmeTest {

    private static String readme() {
        return Readme.text();
    }

    @Test
    void readme_showsThePostgresqlDdlTheStoreRuns() {
        String ddl = Dialect.POSTGRESQL.createTable + ";\n" + Dialect.POSTGRESQL.createIndex + ";\n";
        assertTrue(readme().contains(ddl), "README.md must show, verbatim:\n" + ddl);
    }

    @Test
    void readme_statesThePoolSizeAndTheCleanUp() {
        String readme = readme();
        assertTrue(readme.contains("pool of at most " + JdbcStoreProvider.POOL_SIZE + " connections"));
        assertTrue(readme.contains("batches of " + JdbcStore.CLEANUP_BATCH + " rows while they come back full, for at most\n"
                + JdbcStore.CLEANUP_RUN_TIME.toSeconds() + " s"));
        assertTrue(readme.contains("LIMIT " + JdbcStore.CLEANUP_BATCH + " FOR UPDATE SKIP LOCKED)"));
        assertTrue(readme.contains("FETCH FIRST " + JdbcStore.CLEANUP_BATCH + " ROWS ONLY FOR UPDATE SKIP LOCKED`"));
        assertTrue(readme.contains("at most " + JdbcStore.MAX_PENDING_DROPS + " wait at once"));
        assertTrue(JdbcStore.CLEANUP_INTERVAL.toMinutes() == 1 && JdbcStore.CLEANUP_GRACE.toMinutes() == 5,
                "the README says: rows that expired more than five minutes ago, a run every minute");
    }

    /** The timeout bounds each statement, not the call: README says how many statements a call may run. */
    @Test
    void readme_saysTheTimeoutIsPerStatement_andHowManyACallRuns() {
        String readme = readme();
        String perStatement = "The store's timeout (`storeTimeoutMillis`) bounds each step of a call, not the call as a whole";
        assertTrue(readme.contains(perStatement), "README.md must say: " + perStatement);
        assertTrue(readme.contains("up to " + JdbcStore.CLAIM_ATTEMPTS + " statements"), "a record's attempts");
        assertTrue(readme.contains("up to " + 2 * JdbcStore.CLAIM_ATTEMPTS + " statements"), "a claim's attempts, two statements each");
        assertTrue(readme.contains("up to " + JdbcStore.STATEMENT_ATTEMPTS + " times, each time with that query timeout"),
                "the runs of a complete, a release, a forget or a clean-up batch");
        assertTrue(readme.contains("Connecting with URL\"): the store's pool hands PgJDBC the URL's `password`"),
                "PgJDBC's FINE line that prints the URL, and why it holds no password");
    }
}
