package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Deduplicator.Claim;
import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every database the store supports must do, on a real database: the replay and
 * de-duplication transitions, expiry, clean-up. Each test has its own prefix, so tests share the table
 * as applications do. Time passes for real (a few tens of milliseconds) where a lease must lapse by
 * the database's clock.
 */
abstract class StoreContract {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration TTL = Duration.ofDays(3);

    /** Opens a store without the clean-up timer. */
    abstract JdbcStore open(String prefix, Clock clock);

    /** A connection of the test's own, to look at and age rows as time would. */
    abstract Connection admin() throws SQLException;

    /** The database's dialect: its DDL is the README's. */
    abstract Dialect dialect();

    /** The URL of a new, empty database on the same server, with the owner's credentials. */
    abstract String newDatabase() throws SQLException;

    String prefix;
    JdbcStore store;

    @BeforeEach
    void openStore() {
        prefix = "test-" + UUID.randomUUID();
        store = open(prefix, Clock.systemUTC());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A key as the core makes them: 32 bytes of SHA-256. */
    static byte[] key(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] token(int n) {
        byte[] t = new byte[16];
        t[0] = (byte) n;
        t[15] = (byte) (n >> 8);
        return t;
    }

    static long inAMinute() {
        return Instant.now().getEpochSecond() + 60;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- replay ----

    @Test
    void record_newKey_isFirstSeen_thenReplayed() {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig-1"), inAMinute()));
        assertEquals(Decision.REPLAYED, store.record(key("sig-1"), inAMinute()));
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig-2"), inAMinute()));
    }

    /** A verifier given a tolerance of centuries saturates expiresAt at Long.MAX_VALUE (WebhookVerifier). */
    @Test
    void record_theLatestExpiry_isKept() {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig-forever"), Long.MAX_VALUE));
        assertEquals(Decision.REPLAYED, store.record(key("sig-forever"), Long.MAX_VALUE));
    }

    @Test
    void record_sameKeyUnderAnotherPrefix_isFirstSeen() {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        try (JdbcStore other = open(prefix + "-other", Clock.systemUTC())) {
            assertEquals(Decision.FIRST_SEEN, other.record(key("sig"), inAMinute()));
            assertEquals(Decision.REPLAYED, other.record(key("sig"), inAMinute()));
        }
    }

    @Test
    void forget_letsTheSameKeyThroughAgain() {
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        store.forget(key("sig"));
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    @Test
    void record_rowExpiredBeyondTheGrace_isTakenOver() {
        long stale = Instant.now().getEpochSecond() - JdbcStore.CLEANUP_GRACE.toSeconds() - 10;
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), stale));
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), stale), "expired by both clocks, grace and all: taken over");
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), inAMinute()));
    }

    /**
     * A record outlives its message's last fresh second by five minutes, as on Redis: an instance whose
     * {@code toleranceSeconds} is longer than the recording instance's (600 s against 300 s) still takes the message for
     * fresh after that second, and must find the record. It was taken over at once, and such a replay accepted.
     */
    @Test
    void record_rowExpiredWithinTheGrace_isReplayed() {
        long tenSecondsAgo = Instant.now().getEpochSecond() - 10;
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), tenSecondsAgo));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), tenSecondsAgo));
        store.forget(key("sig")); // before clean-up may take it, which would upset another test's count
    }

    /**
     * A scheme that signs no timestamp ({@code github}): the verifier records the message for {@code toleranceSeconds}
     * from its acceptance, and the store keeps the record its grace longer, as Redis does. So the same request 301 s
     * after it was accepted under a tolerance of 300 s is refused, where the README and the filter's INFO line said
     * "refused again for 300 s after it was accepted, and not after".
     */
    @Test
    void verify_untimedMessageJustPastItsTolerance_isStillRefused() {
        byte[] body = "{\"zen\":\"untimed\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSigner.of(Scheme.named("github"), "It's a Secret to Everybody").sign(body);
        long now = Instant.now().getEpochSecond();
        Verification accepted = verifierAt(now - 301).verify(header, body);
        assertTrue(accepted.isVerified(), accepted::detail);
        assertEquals(Rejection.REPLAYED, verifierAt(now).verify(header, body).rejection(),
                "301 s after it was accepted, within the store's grace");
        verifierAt(now).release(accepted); // before clean-up may take it, which would upset another test's count
    }

    /** A {@code github} verifier with a tolerance of 300 s, at {@code second}, recording in this test's store. */
    private WebhookVerifier verifierAt(long second) {
        return WebhookVerifier.builder().scheme(Scheme.named("github")).secret("It's a Secret to Everybody")
                .tolerance(Duration.ofSeconds(300)).clock(Clock.fixed(Instant.ofEpochSecond(second), ZoneOffset.UTC))
                .replayGuard(store).build();
    }

    @Test
    void record_throughItsLastFreshSecondAndTheGrace_isReplayed() {
        // expiresAt is the last second at which the message is fresh: remembered throughout it, and for the five
        // minutes of the grace after it. Start early in a second, so that the calls fall within it.
        if (Instant.now().getNano() > 500_000_000) {
            pause(1000 - Instant.now().getNano() / 1_000_000 + 10);
        }
        long thisSecond = Instant.now().getEpochSecond();
        long grace = JdbcStore.CLEANUP_GRACE.toSeconds();
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), thisSecond));
        assertEquals(Decision.REPLAYED, store.record(key("sig"), thisSecond));
        assertEquals(Decision.FIRST_SEEN, store.record(key("graced"), thisSecond - grace));
        assertEquals(Decision.REPLAYED, store.record(key("graced"), thisSecond - grace), "the grace's last second");
        assertEquals(Decision.FIRST_SEEN, store.record(key("older"), thisSecond - grace - 1));
        assertEquals(Decision.FIRST_SEEN, store.record(key("older"), thisSecond - grace - 1), "the grace has passed");
        // Before clean-up may take them, which would upset another test's count: "graced" within a second.
        store.forget(key("graced"));
        store.forget(key("older"));
        store.forget(key("sig"));
    }

    @Test
    void record_rowExpiredByTheDatabaseButFreshByThisJvm_isReplayed() {
        // This JVM's clock runs an hour behind the database's: it still takes the signature for fresh.
        try (JdbcStore behind = open(prefix + "-behind", Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))) {
            long expiredForTheDatabase = Instant.now().getEpochSecond() - 10;
            assertEquals(Decision.FIRST_SEEN, behind.record(key("sig"), expiredForTheDatabase));
            assertEquals(Decision.REPLAYED, behind.record(key("sig"), expiredForTheDatabase));
        }
    }

    @Test
    void record_keyNot32Bytes_isUnavailable() {
        assertEquals(Decision.UNAVAILABLE, store.record(new byte[31], inAMinute()));
        assertEquals(Decision.UNAVAILABLE, store.record(null, inAMinute()));
        assertEquals(Claim.UNAVAILABLE, store.claim(new byte[33], token(1), LEASE));
    }

    // ---- de-duplication ----

    @Test
    void claim_newKey_isFirst_thenInProgress() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(2), LEASE));
        assertEquals(Claim.FIRST, store.claim(key("evt-2"), token(3), LEASE));
    }

    @Test
    void claimAndComplete_forDurationsBeyondAnyClock_holdInsteadOfFailing() {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
        assertEquals(Claim.FIRST, store.claim(key("evt-forever"), token(1), forever));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt-forever"), token(2), LEASE));
        assertTrue(store.complete(key("evt-forever"), token(1), forever));
        assertEquals(Claim.DONE, store.claim(key("evt-forever"), token(2), LEASE));
    }

    @Test
    void complete_byTheOwner_makesLaterClaimsDone() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        assertTrue(store.complete(key("evt"), token(1), TTL));
        assertEquals(Claim.DONE, store.claim(key("evt"), token(2), LEASE));
        assertFalse(store.complete(key("evt"), token(1), TTL), "completed once");
        assertFalse(store.release(key("evt"), token(1)), "a completion is not released");
        assertEquals(Claim.DONE, store.claim(key("evt"), token(3), LEASE));
    }

    @Test
    void completeAndRelease_withAnotherToken_doNothing() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        assertFalse(store.complete(key("evt"), token(2), TTL));
        assertFalse(store.release(key("evt"), token(2)));
        assertFalse(store.complete(key("other"), token(1), TTL), "never claimed");
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), LEASE));
    }

    @Test
    void release_byTheOwner_letsTheRetryClaim() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        assertTrue(store.release(key("evt"), token(1)));
        assertFalse(store.release(key("evt"), token(1)), "released once");
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(2), LEASE));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("evt"), token(3), LEASE));
    }

    @Test
    void expiredLease_letsTheRetryClaim_andTheFirstOwnerLosesIt() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), Duration.ofMillis(1)));
        pause(50);
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(2), LEASE), "the lease lapsed by the database's clock");
        assertFalse(store.complete(key("evt"), token(1), TTL), "the first owner no longer owns it");
        assertFalse(store.release(key("evt"), token(1)));
        assertTrue(store.complete(key("evt"), token(2), TTL));
        assertEquals(Claim.DONE, store.claim(key("evt"), token(3), LEASE));
    }

    @Test
    void owner_completesAfterItsLeaseLapsed_whenNobodyTookOver() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), Duration.ofMillis(1)));
        pause(50);
        assertTrue(store.complete(key("evt"), token(1), TTL));
        assertEquals(Claim.DONE, store.claim(key("evt"), token(2), LEASE));
    }

    @Test
    void completion_expiresAfterItsTtl() {
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(1), LEASE));
        assertTrue(store.complete(key("evt"), token(1), Duration.ofMillis(1)));
        pause(50);
        assertEquals(Claim.FIRST, store.claim(key("evt"), token(2), LEASE));
    }

    @Test
    void replayAndDedup_sameBytes_doNotCollide() {
        assertEquals(Claim.FIRST, store.claim(key("same"), token(1), LEASE));
        assertEquals(Decision.FIRST_SEEN, store.record(key("same"), inAMinute()));
        store.forget(key("same"));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("same"), token(2), LEASE), "forget touches replay rows only");
    }

    @Test
    void table_holdsTheDigestsAndTokens_andNothingElse() throws SQLException {
        store.record(key("sig"), inAMinute());
        store.claim(key("evt_2Nx1"), token(7), LEASE);
        try (Connection c = admin();
                PreparedStatement s = c.prepareStatement("SELECT * FROM webhook_filter_keys WHERE prefix = ? ORDER BY kind")) {
            s.setString(1, prefix);
            try (ResultSet r = s.executeQuery()) {
                ResultSetMetaData m = r.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    columns.add(m.getColumnName(i).toLowerCase(Locale.ROOT));
                }
                assertEquals(List.of("prefix", "kind", "key_digest", "owner_token", "state", "expires_at"), columns);
                assertTrue(r.next());
                assertEquals("dedup", r.getString("kind"));
                assertArrayEquals(key("evt_2Nx1"), r.getBytes("key_digest"));
                assertArrayEquals(token(7), r.getBytes("owner_token"));
                assertEquals("claimed", r.getString("state"));
                assertTrue(r.next());
                assertEquals("replay", r.getString("kind"));
                assertArrayEquals(key("sig"), r.getBytes("key_digest"));
                assertEquals(16, r.getBytes("owner_token").length, "the record call's random mark");
                assertEquals("seen", r.getString("state"));
                assertFalse(r.next());
            }
        }
    }

    // ---- clean-up ----

    @Test
    void cleanUp_deletesRowsExpiredPastTheGrace_inBoundedBatches() throws SQLException {
        deleteWhatOtherTestsLeft();
        long longAgo = Instant.now().getEpochSecond() - 3600;
        long withinTheGrace = Instant.now().getEpochSecond() - JdbcStore.CLEANUP_GRACE.toSeconds() + 60;
        for (int i = 0; i < 24; i++) {
            assertEquals(Decision.FIRST_SEEN, store.record(key("old-" + i), longAgo));
        }
        store.record(key("just-expired"), withinTheGrace);
        store.record(key("fresh"), inAMinute());
        store.claim(key("old-claim"), token(1), LEASE);
        store.claim(key("live-claim"), token(2), LEASE);
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
                "UPDATE webhook_filter_keys SET expires_at = ? WHERE prefix = ? AND kind = 'dedup' AND key_digest = ?")) {
            s.setObject(1, Instant.now().minusSeconds(3600).atOffset(ZoneOffset.UTC));
            s.setString(2, prefix);
            s.setBytes(3, key("old-claim"));
            assertEquals(1, s.executeUpdate());
        }
        assertEquals(28, rows());

        assertEquals(10, store.cleanUp(10));
        assertEquals(10, store.cleanUp(10));
        assertEquals(5, store.cleanUp(10), "24 replay rows and one claim, long expired");
        assertEquals(0, store.cleanUp(10));
        assertEquals(3, rows(), "the fresh rows, and the one expired within the grace");
        assertEquals(Decision.REPLAYED, store.record(key("fresh"), inAMinute()));
        assertEquals(Claim.IN_PROGRESS, store.claim(key("live-claim"), token(3), LEASE));
        assertEquals(Claim.FIRST, store.claim(key("old-claim"), token(3), LEASE));
    }

    @Test
    void cleanUp_byAnInstanceWhoseClockIsRight_keepsARowThatASlowerInstanceStillHoldsFresh() {
        // Instance "behind" runs two minutes slow (within the five-minute grace, and within the default
        // 300 s tolerance, so it still accepts fresh events): it takes the signature for fresh for 30 s
        // more. The takeover refuses it; the clean-up must not delete the row from under it either.
        try (JdbcStore behind = open(prefix, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)))) {
            long expiresAt = Instant.now().getEpochSecond() - 90;
            assertEquals(Decision.FIRST_SEEN, behind.record(key("sig"), expiresAt));
            assertEquals(Decision.REPLAYED, behind.record(key("sig"), expiresAt), "the takeover refuses it");
            store.cleanUp(1000); // the timer of an instance whose clock agrees with the database's
            assertEquals(Decision.REPLAYED, behind.record(key("sig"), expiresAt), "still fresh for the slower instance");
        }
    }

    @Test
    void timerRun_keepsDeletingWhileBatchesComeBackFull() throws SQLException {
        deleteWhatOtherTestsLeft();
        // More than the ten batches a run once stopped at.
        int expired = JdbcStore.CLEANUP_BATCH * 12 + 500;
        insertExpired("old-", expired);
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName())) {
            assertTrue(store.cleanUpExpired() >= expired);
            assertEquals(List.of(), log.messages(Level.WARNING), "the run ended with a short batch: nothing left");
        }
        assertEquals(0, rows(), "one run deleted all " + expired);
    }

    @Test
    void timerRun_outOfTime_stopsAfterTheBatchInHand_andWarnsThatExpiredRowsAreLeft() throws SQLException {
        deleteWhatOtherTestsLeft();
        insertExpired("old-", JdbcStore.CLEANUP_BATCH * 2 + 500);
        try (LogCapture log = LogCapture.of(JdbcStore.class.getName())) {
            assertEquals(JdbcStore.CLEANUP_BATCH, store.cleanUpExpired(Duration.ZERO), "one batch, then out of time");
            assertEquals(JdbcStore.CLEANUP_BATCH + 500, rows());
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("ran out of time with expired rows left: a clean-up run deleted "
                    + JdbcStore.CLEANUP_BATCH + " in "), warnings.get(0));
            assertEquals(JdbcStore.CLEANUP_BATCH, store.cleanUpExpired(Duration.ZERO));
            assertEquals(500, store.cleanUpExpired(Duration.ZERO), "a short batch ends the run");
            assertEquals(2, log.messages(Level.WARNING).size(), "no warning once nothing is left");
        }
        assertEquals(0, rows());
    }

    @Test
    void cleanUp_skipsRowsAnotherTransactionHolds_soInstancesCleaningAtOnceTakeDifferentBatches() throws SQLException {
        deleteWhatOtherTestsLeft();
        insertExpired("old-", 3);
        try (Connection other = admin()) {
            other.setAutoCommit(false);
            try (PreparedStatement s = other.prepareStatement(
                    "SELECT 1 FROM webhook_filter_keys WHERE prefix = ? AND kind = 'replay' AND key_digest = ? FOR UPDATE")) {
                s.setString(1, prefix);
                s.setBytes(2, key("old-0"));
                assertTrue(s.executeQuery().next());
            }
            assertEquals(2, store.cleanUp(JdbcStore.CLEANUP_BATCH), "the two rows nobody holds, without waiting");
            other.rollback();
        }
        assertEquals(1, store.cleanUp(JdbcStore.CLEANUP_BATCH), "released, it is deleted by the next batch");
        assertEquals(0, rows());
    }

    /** Deletes every row expired past the grace, whoever left it, so that a test counts only its own. */
    void deleteWhatOtherTestsLeft() {
        while (store.cleanUp(JdbcStore.CLEANUP_BATCH) > 0) {
            // Rows other tests left behind.
        }
    }

    /** Inserts {@code count} replay rows under this test's prefix, expired an hour ago, in one transaction. */
    void insertExpired(String name, int count) throws SQLException {
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement("INSERT INTO webhook_filter_keys"
                + " (prefix, kind, key_digest, state, expires_at) VALUES (?, 'replay', ?, 'seen', ?)")) {
            c.setAutoCommit(false);
            OffsetDateTime anHourAgo = Instant.now().minusSeconds(3600).atOffset(ZoneOffset.UTC);
            for (int i = 0; i < count; i++) {
                s.setString(1, prefix);
                s.setBytes(2, key(name + i));
                s.setObject(3, anHourAgo);
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        }
    }

    int rows() throws SQLException {
        try (Connection c = admin();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM webhook_filter_keys WHERE prefix = ?")) {
            s.setString(1, prefix);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    // ---- the table a DBA made ----

    /** The README's primary key, which a DBA's table may replace. */
    static final String PRIMARY_KEY = ",\n    PRIMARY KEY (prefix, kind, key_digest)";

    /**
     * A table a DBA made from the README's, with its primary key replaced by {@code key} (blank: none) and then
     * {@code index} run, if any. Without a unique key on exactly (prefix, kind, key_digest), PostgreSQL's
     * {@code ON CONFLICT (prefix, kind, key_digest)} fails every request, and two of H2's concurrent {@code MERGE}s
     * can both insert, both first: {@code open} refuses it, naming the table. Any unique key on those three columns
     * serves.
     */
    @ParameterizedTest(name = "{0}: opens {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            the README's                  | PRIMARY KEY (prefix, kind, key_digest) | NULL                                                                          | true
            its columns in another order  | PRIMARY KEY (key_digest, prefix, kind) | NULL                                                                          | true
            UNIQUE in place of the key    | UNIQUE (prefix, kind, key_digest)      | NULL                                                                          | true
            a unique index made after     | NULL                                   | CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (kind, key_digest, prefix) | true
            no key                        | NULL                                   | NULL                                                                          | false
            a plain index                 | NULL                                   | CREATE INDEX wfk_key ON webhook_filter_keys (prefix, kind, key_digest)        | false
            a key without kind            | PRIMARY KEY (prefix, key_digest)       | NULL                                                                          | false
            a unique key with owner_token | UNIQUE (prefix, kind, key_digest, owner_token) | NULL                                                                  | false
            a unique index that INCLUDEs another column | NULL                     | CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (prefix, kind, key_digest) INCLUDE (state) | true
            a unique index on two that INCLUDEs the third | NULL                   | CREATE UNIQUE INDEX wfk_key ON webhook_filter_keys (prefix, kind) INCLUDE (key_digest) | false
            """)
    void open_onATableADbaMade_needsAUniqueKeyOnPrefixKindAndDigest(String what, String key, String index, boolean opens)
            throws SQLException {
        opensOnlyWithAUniqueKey(key, index, opens);
    }

    /**
     * The README's table with its primary key replaced by {@code key} (null: none), then {@code index} run, if any:
     * {@code opens} says whether the store opens on it, and then records and claims, or refuses it as having no unique
     * key on (prefix, kind, key_digest).
     */
    void opensOnlyWithAUniqueKey(String key, String index, boolean opens) throws SQLException {
        String url = newDatabaseWithTable(ddl -> {
            assertTrue(ddl.contains(PRIMARY_KEY), ddl);
            return ddl.replace(PRIMARY_KEY, key == null ? "" : ",\n    " + key);
        });
        if (index != null) {
            try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute(index);
            }
        }
        if (opens) {
            try (dev.webhookfilter.WebhookStore dba = new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
                assertEquals(Decision.FIRST_SEEN, dba.record(key("sig"), inAMinute()));
                assertEquals(Decision.REPLAYED, dba.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, dba.claim(key("evt"), token(1), LEASE));
                assertEquals(Claim.IN_PROGRESS, dba.claim(key("evt"), token(2), LEASE));
            }
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
            assertTrue(e.getMessage().contains("The table webhook_filter_keys in the webhook store at "), e.getMessage());
            assertTrue(e.getMessage().contains("no primary key or unique constraint on (prefix, kind, key_digest)"), e.getMessage());
            assertTrue(e.getMessage().contains("as the README shows"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains(PostgresServer.PASSWORD), e.getMessage());
        }
    }

    /** A new database with the README's table, {@code change} made to its DDL first; its URL. */
    String newDatabaseWithTable(java.util.function.UnaryOperator<String> change) throws SQLException {
        String url = newDatabase();
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(change.apply(dialect().createTable));
        }
        return url;
    }

    /**
     * A table whose column cannot hold what the store writes fails every request, or mixes keys up: a digest as
     * text, a token that does not fit, a prefix, kind or state cut short, a state padded ({@code CHAR}: "done   " is
     * not "done"). {@code open} refuses it, naming the column; a longer {@code VARCHAR} serves.
     */
    @ParameterizedTest(name = "{0} {1}: opens {2}")
    @CsvSource(delimiter = '|', textBlock = """
            key_digest  | VARCHAR(64)   | false
            owner_token | VARCHAR(64)   | false
            prefix      | VARCHAR(2)    | false
            kind        | VARCHAR(5)    | false
            state       | VARCHAR(6)    | false
            state       | CHAR(7)       | false
            prefix      | VARCHAR(1000) | true
            state       | VARCHAR(20)   | true
            """)
    void open_onATableADbaMade_needsColumnsThatHoldWhatTheStoreWrites(String column, String type, boolean opens)
            throws SQLException {
        String url = newDatabaseWithTable(ddl -> {
            String changed = ddl.replaceFirst("(?m)^(\\s+" + column + "\\s+)[A-Za-z0-9()]+", "$1" + type);
            assertFalse(changed.equals(ddl), ddl);
            return changed;
        });
        if (opens) {
            try (dev.webhookfilter.WebhookStore dba = new JdbcStoreProvider().open(url, TIMEOUT, "app")) {
                assertEquals(Decision.FIRST_SEEN, dba.record(key("sig"), inAMinute()));
                assertEquals(Claim.FIRST, dba.claim(key("evt"), token(1), LEASE));
                assertTrue(dba.complete(key("evt"), token(1), TTL));
                assertEquals(Claim.DONE, dba.claim(key("evt"), token(2), LEASE));
            }
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
            assertTrue(e.getMessage().contains(" has " + column + " of type "), e.getMessage());
            assertTrue(e.getMessage().contains("Create it as the README shows"), e.getMessage());
        }
    }

    @Test
    void open_onATableADbaMadeWithoutAColumn_isRefused() throws SQLException {
        String url = newDatabaseWithTable(ddl -> {
            String changed = ddl.replaceFirst("(?m)^\\s+owner_token [^\\n]*\\n", "");
            assertFalse(changed.equals(ddl), ddl);
            return changed;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JdbcStoreProvider().open(url, TIMEOUT, "app"));
        assertTrue(e.getMessage().contains("lacks a column the store uses"), e.getMessage());
        assertTrue(e.getMessage().contains("create it as the README shows"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains(PostgresServer.PASSWORD), e.getMessage());
    }

    // ---- availability ----

    @Test
    void isAvailable_whileOpen_andNotAfterClose() {
        assertTrue(store.isAvailable());
        store.close();
        assertFalse(store.isAvailable());
        assertEquals(Decision.UNAVAILABLE, store.record(key("sig"), inAMinute()));
        assertEquals(Claim.UNAVAILABLE, store.claim(key("evt"), token(1), LEASE));
        assertFalse(store.complete(key("evt"), token(1), TTL));
        assertFalse(store.release(key("evt"), token(1)));
        store.forget(key("sig"));
    }

    /**
     * The health check changes nothing (on PostgreSQL it writes a row, in a transaction it rolls back), and gives its
     * connection back committing each statement: the pool lends the connection it got back last, and the record that
     * runs on it next is seen from another session.
     */
    @Test
    void isAvailable_leavesNoRow_andTheNextCallOnItsConnectionCommits() throws SQLException {
        for (int i = 0; i < 3; i++) {
            assertTrue(store.isAvailable());
        }
        assertEquals(0, rows(), "no row of the health checks'");
        assertEquals(Decision.FIRST_SEEN, store.record(key("sig"), inAMinute()));
        assertEquals(1, rows(), "the record, committed");
        assertTrue(store.isAvailable());
        assertEquals(1, rows(), "the record, and nothing else");
    }

    @Test
    void tableExists_openingAgain_keepsTheRows() throws SQLException {
        store.record(key("sig"), inAMinute());
        try (JdbcStore again = open(prefix, Clock.systemUTC())) {
            assertEquals(Decision.REPLAYED, again.record(key("sig"), inAMinute()));
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            assertTrue(s.executeQuery("SELECT COUNT(*) FROM webhook_filter_keys").next());
        }
    }
}
