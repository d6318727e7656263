package dev.webhookfilter.store.jdbc;

import java.util.Locale;

/**
 * The SQL that differs between the databases the store supports: PostgreSQL's
 * {@code INSERT ... ON CONFLICT} and H2's {@code MERGE}. Every transition is one statement, so it is
 * atomic in the database; each is written so that its update count says whether it took effect.
 */
enum Dialect {

    POSTGRESQL(
            "BYTEA", "BYTEA", "\n    CHECK (octet_length(key_digest) = 32),",
            // Replay: insert, or take over a row that has expired by both the database's and this JVM's clock, and
            // the grace after that (as clean-up may delete it). The row carries the call's random mark, so that a
            // record whose answer was lost can be dropped if it is still the call's.
            "INSERT INTO " + JdbcStore.TABLE + " AS t (prefix, kind, key_digest, owner_token, state, expires_at)"
                    + " VALUES (?, 'replay', ?, ?, 'seen', ?)"
                    + " ON CONFLICT (prefix, kind, key_digest) DO UPDATE"
                    + " SET owner_token = EXCLUDED.owner_token, state = 'seen', expires_at = EXCLUDED.expires_at"
                    + " WHERE t.expires_at <= " + JdbcStore.CLEANUP_CUTOFF,
            // Claim: insert, or take over a claim or completion that has expired by the database's clock.
            "INSERT INTO " + JdbcStore.TABLE + " AS t (prefix, kind, key_digest, owner_token, state, expires_at)"
                    + " VALUES (?, 'dedup', ?, ?, 'claimed', CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond')"
                    + " ON CONFLICT (prefix, kind, key_digest) DO UPDATE"
                    + " SET owner_token = EXCLUDED.owner_token, state = 'claimed', expires_at = EXCLUDED.expires_at"
                    + " WHERE t.expires_at < CURRENT_TIMESTAMP",
            "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond'",
            // PostgreSQL's DELETE has no LIMIT: the batch is picked by a sub-select on the expires_at index.
            // It locks the rows it picks and skips those another transaction holds, so that instances
            // cleaning up at once delete different batches instead of queueing on the same first one, and
            // a row in the middle of a takeover is left for later. The outer condition is checked again
            // on each row as it is when deleted.
            "DELETE FROM " + JdbcStore.TABLE + " WHERE expires_at < " + JdbcStore.CLEANUP_CUTOFF
                    + " AND (prefix, kind, key_digest) IN (SELECT prefix, kind, key_digest FROM " + JdbcStore.TABLE
                    + " WHERE expires_at < " + JdbcStore.CLEANUP_CUTOFF + " LIMIT ? FOR UPDATE SKIP LOCKED)", 2),

    H2(
            "BINARY(32)", "VARBINARY(64)", "",
            "MERGE INTO " + JdbcStore.TABLE + " t"
                    + " USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS BINARY(32)), CAST(? AS VARBINARY(64)),"
                    + " CAST(? AS TIMESTAMP WITH TIME ZONE)))"
                    + " s(prefix, key_digest, owner_token, expires_at)"
                    + " ON t.prefix = s.prefix AND t.kind = 'replay' AND t.key_digest = s.key_digest"
                    + " WHEN MATCHED AND t.expires_at <= " + JdbcStore.CLEANUP_CUTOFF
                    + " THEN UPDATE SET owner_token = s.owner_token, state = 'seen', expires_at = s.expires_at"
                    + " WHEN NOT MATCHED THEN INSERT (prefix, kind, key_digest, owner_token, state, expires_at)"
                    + " VALUES (s.prefix, 'replay', s.key_digest, s.owner_token, 'seen', s.expires_at)",
            "MERGE INTO " + JdbcStore.TABLE + " t"
                    + " USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS BINARY(32)), CAST(? AS VARBINARY(64)),"
                    + " DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)))"
                    + " s(prefix, key_digest, owner_token, expires_at)"
                    + " ON t.prefix = s.prefix AND t.kind = 'dedup' AND t.key_digest = s.key_digest"
                    + " WHEN MATCHED AND t.expires_at < CURRENT_TIMESTAMP"
                    + " THEN UPDATE SET owner_token = s.owner_token, state = 'claimed', expires_at = s.expires_at"
                    + " WHEN NOT MATCHED THEN INSERT (prefix, kind, key_digest, owner_token, state, expires_at)"
                    + " VALUES (s.prefix, 'dedup', s.key_digest, s.owner_token, 'claimed', s.expires_at)",
            "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)",
            // H2 runs PostgreSQL's DELETE ... IN (SELECT ... SKIP LOCKED) without looking the batch's keys up
            // (seconds a batch of 1000 in a table of 10,000), so its batch is picked and locked by this SELECT
            // and deleted by key, in one transaction (JdbcStore.cleanUp). Without SKIP LOCKED, an instance
            // whose batch met another's waited for it, and failed at H2's lock timeout.
            "SELECT prefix, kind, key_digest FROM " + JdbcStore.TABLE + " WHERE expires_at < " + JdbcStore.CLEANUP_CUTOFF
                    + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED", 1);


    /** The table, created if missing (the README repeats it for DBAs who create it themselves). */
    final String createTable;
    final String createIndex;
    final String recordReplay;
    final String claim;
    final String complete;
    /**
     * Deletes up to a batch of expired rows, or, where {@link #cleanUpSelects}, selects and locks them:
     * the cut-off {@link #cutoffs} times, then the batch size.
     */
    final String cleanUp;
    /** Whether {@link #cleanUp} selects the batch's keys, to be deleted by key in the same transaction. */
    final boolean cleanUpSelects;
    final int cutoffs;
    /** The types of {@code key_digest} and {@code owner_token} in {@link #createTable}. */
    final String keyType;
    final String tokenType;

    Dialect(String keyType, String tokenType, String keyCheck, String recordReplay, String claim, String inMillis,
            String cleanUp, int cutoffs) {
        this.keyType = keyType;
        this.tokenType = tokenType;
        this.cleanUp = cleanUp;
        this.cleanUpSelects = cleanUp.startsWith("SELECT");
        this.cutoffs = cutoffs;
        this.createTable = "CREATE TABLE " + JdbcStore.TABLE + " (\n"
                + "    prefix      VARCHAR(200) NOT NULL,\n"
                + "    kind        VARCHAR(6)   NOT NULL CHECK (kind IN ('replay', 'dedup')),\n"
                + "    key_digest  " + pad(keyType) + " NOT NULL,\n"
                + "    owner_token " + tokenType + ",\n"
                + "    state       VARCHAR(7)   NOT NULL CHECK (state IN ('seen', 'claimed', 'done')),\n"
                + "    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL," + keyCheck + "\n"
                + "    PRIMARY KEY (prefix, kind, key_digest)\n"
                + ")";
        this.createIndex = "CREATE INDEX " + JdbcStore.TABLE + "_expires_at ON " + JdbcStore.TABLE + " (expires_at)";
        this.recordReplay = recordReplay;
        this.claim = claim;
        this.complete = "UPDATE " + JdbcStore.TABLE + " SET state = 'done', expires_at = " + inMillis
                + " WHERE prefix = ? AND kind = 'dedup' AND key_digest = ? AND owner_token = ? AND state = 'claimed'";
    }

    private static String pad(String type) {
        return String.format(Locale.ROOT, "%-12s", type);
    }

    /**
     * The dialect of a database, by the product name its driver reports.
     *
     * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * @return the dialect, or null if the store does not support that database
     */
    static Dialect of(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        return null;
    }
}
