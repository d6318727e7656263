package dev.webhookfilter.store.redis;

import dev.webhookfilter.WebhookStore;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link WebhookStore} on Redis or Redis Cluster, through one Lettuce connection (standalone or
 * cluster) that {@link RedisStoreProvider} opened.
 *
 * <p>Replay: {@code SET <prefix>r:<hex key> <8 random bytes> NX EXAT <expiresAt + 1 + 300>}; forget is
 * {@code GET}, then the release script with the value it read.
 * De-duplication: {@code <prefix>d:<hex key>} holds the owner's token while claimed (with the lease as
 * its TTL) and {@code done} once completed (with the de-duplication TTL); three Lua scripts make each
 * transition atomic, one key per call, so Redis Cluster never answers CROSSSLOT.
 *
 * <p>Each call waits at most the store's timeout and answers UNAVAILABLE (or {@code false}) on any
 * error; Lettuce reconnects in the background, so the store recovers by itself. A call whose reply did
 * not come in time, or came as a kind of reply its command never gets, leaves the connection out of step
 * (Lettuce matches replies to commands by their order, and a reply lost on the way would be taken for the
 * next command's, for good): the store then has the connection closed, and Lettuce opens a new one.
 * Thread-safe.
 */
final class RedisStore implements WebhookStore {

    private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

    /** The value of a completed key: four bytes, never equal to a 16-byte token. */
    static final String DONE = "done";

    /**
     * KEYS[1] the key, ARGV[1] the token, ARGV[2] the lease in ms → 0 claimed, 1 in progress, 2 done. A key
     * the same token holds is claimed: Lettuce sends an unanswered command again once its connection is back,
     * so one call's claim may run twice.
     */
    static final String CLAIM = "local v = redis.call('GET', KEYS[1])\n"
            + "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 0 end\n"
            + "if v == ARGV[1] then return 0 end\n"
            + "if v == '" + DONE + "' then return 2 end\n"
            + "return 1\n";

    /**
     * KEYS[1] the key, ARGV[1] the token, ARGV[2] the TTL in ms → 1 completed, 0 not the owner. A key that is not there
     * is completed too: the owner's claim lapsed and nobody has claimed it since (Redis cannot tell that from a key
     * never claimed, or lost with the server's data, where the handler's success is worth remembering all the same).
     */
    static final String COMPLETE = "local v = redis.call('GET', KEYS[1])\n"
            + "if v == ARGV[1] or not v then redis.call('SET', KEYS[1], '" + DONE + "', 'PX', ARGV[2]) return 1 end\n"
            + "return 0\n";

    /** KEYS[1] the key, ARGV[1] the token (or a replay record's value) → 1 released, 0 not the owner. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
            + "redis.call('DEL', KEYS[1]) return 1 end\n"
            + "return 0\n";

    /**
     * KEYS[1] a de-duplication key that no digest gives → 1, having changed nothing: the health check. It sends a
     * {@code SET}, as a record and a claim do, that never writes (NX where the key is there, XX where it is not), so
     * that Redis refuses it wherever it refuses theirs: OOM on a full server, READONLY on a replica, NOPERM for a user
     * who may not run the script (by EVALSHA or EVAL), GET or SET, or touch the store's keys. A script that only
     * reads runs on a full server, and a PING needs neither a key nor a write. Where the key is not there it also
     * sends a {@code DEL} of it, which deletes nothing: a user who may not run DEL opened, and every forget and release
     * then failed (the sender's retry of a failed request was refused as a replay, or waited out the lease).
     */
    static final String HEALTH = "if redis.call('GET', KEYS[1]) then redis.call('SET', KEYS[1], '', 'NX')\n"
            + "else redis.call('SET', KEYS[1], '', 'XX') redis.call('DEL', KEYS[1]) end\n"
            + "return 1\n";

    /**
     * Replay records outlive the end of their signature's last fresh second by this much: Redis expires them by
     * its own clock, and one that ran ahead of an instance's clock would otherwise forget a signature
     * while that instance still takes it as fresh. Five minutes, the default tolerance (the skew the
     * freshness check allows), as the JDBC store's clean-up grace. Keeping a record longer costs only its
     * bytes: a replay after it fails the freshness check anyway.
     */
    static final long CLOCK_SKEW_SECONDS = 300;

    /** The length of a replay record's random value. */
    static final int MARK_BYTES = 8;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final RedisClusterAsyncCommands<byte[], byte[]> commands;
    private final Supplier<List<byte[]>> probeKeys;
    private final Consumer<byte[]> resync;
    private final Runnable shutdown;
    private final long timeoutNanos;
    private final String prefix;
    private final String description;
    private final Script claim = new Script(CLAIM);
    private final Script complete = new Script(COMPLETE);
    private final Script release = new Script(RELEASE);
    private final Script health = new Script(HEALTH);
    /**
     * Drops, releases and forgets that could not be sent, or did not run, each a key and its owner's value: Lettuce refuses
     * commands while disconnected, a claim or record sent before another call's timeout closed the connection may still
     * run once Redis reads the old socket, and a restarted Redis answers LOADING while it reads back the claims it had
     * saved. Sent again after the next answer, which comes on the new connection once Redis has read the old one.
     */
    private final ConcurrentLinkedQueue<byte[][]> unsentDrops = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsentCount = new AtomicInteger();
    /** At most this many drops, releases and forgets wait to be sent; past it the lease or record expires on its own, as before. */
    static final int MAX_UNSENT_DROPS = 1024;
    /**
     * At most this many are sent after one answer, so that a backlog sent back does not fill the connection's queue
     * (2048 commands) while requests need it.
     */
    static final int UNSENT_DROPS_PER_ANSWER = 8;
    private volatile boolean closed;
    /** At most once this long, a READONLY reply has the connection closed. */
    static final long READ_ONLY_RESYNC_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** When a READONLY reply last had the connection closed ({@link System#nanoTime()}). */
    private volatile long lastReadOnlyResync = System.nanoTime() - READ_ONLY_RESYNC_NANOS;
    /** For logging the transitions only: WARNING when calls start failing, INFO when they work again. */
    private volatile boolean answering = true;
    /** While {@link #awaitAvailable} runs in open(): failures then are expected, and logged at debug. */
    private volatile boolean opening;
    /** The code of the last error reply while {@link #awaitAvailable} ran (NOPERM...), or null: for open's message. */
    private volatile String openingError;

    /**
     * @param commands the connection's async commands (standalone or cluster)
     * @param probeKeys de-duplication keys that no digest gives, one on every node that must answer for the store to be
     *        available: the health check runs {@link #HEALTH} on each, and open's trial the release script
     * @param resync given a key as sent to Redis, closes the socket of the connection that carries it, so that
     *        Lettuce reconnects on a new one, without waiting; must not throw
     * @param shutdown closes the connection and the client; must not throw
     */
    RedisStore(RedisClusterAsyncCommands<byte[], byte[]> commands, Supplier<List<byte[]>> probeKeys,
            Consumer<byte[]> resync, Runnable shutdown, Duration timeout, String prefix, String description) {
        this.commands = commands;
        this.probeKeys = probeKeys;
        this.resync = resync;
        this.shutdown = shutdown;
        this.timeoutNanos = timeout.toNanos();
        this.prefix = Objects.requireNonNull(prefix, "keyPrefix");
        this.description = description;
    }

    @Override
    public Decision record(byte[] key, long expiresAt) {
        // A random value marks this call's record, so that a record whose answer was lost can be
        // dropped without touching another request's, and one this call made is told from a replay's.
        byte[] mark = new byte[MARK_BYTES];
        ThreadLocalRandom.current().nextBytes(mark);
        return record(key, expiresAt, mark);
    }

    /** {@link #record(byte[], long)} with the given mark: a second call with the same mark is this call's SET sent again. */
    Decision record(byte[] key, long expiresAt, byte[] mark) {
        byte[] k = key("r:", key);
        // One deadline for the SET and the GET that may follow it: the record waits the timeout in all.
        long deadline = System.nanoTime() + timeoutNanos;
        // expiresAt is the last second at which the message is fresh: a verifier takes it for fresh until that second has
        // ended, one second later, and the record outlives that by the five minutes (as the JDBC store's row). Redis's
        // EXAT is the moment the key goes: at expiresAt + 300 a replay to an instance whose clock ran five minutes behind
        // Redis's, or whose tolerance was five minutes longer, was accepted throughout that second.
        long expiry = Math.min(expiresAt, LATEST_EXPIRY) + 1 + CLOCK_SKEW_SECONDS;
        Object reply = call(() -> commands.set(k, mark, SetArgs.Builder.nx().exAt(expiry)).toCompletableFuture(), deadline);
        if (reply != NIL && !"OK".equals(reply)) {
            // Failed, timed out, or answered as SET never does. The SET may have run although its answer was
            // lost: the sender's retry of this very message would then be refused as a replay for minutes.
            // Drop it if it is this call's.
            dropIfOwned(k, mark);
            resyncAfter(reply, "OK or nil", k);
            return Decision.UNAVAILABLE;
        }
        return reply == NIL ? ownOrReplayed(k, mark, deadline) : Decision.FIRST_SEEN;
    }

    /**
     * After a SET NX found the key: REPLAYED, unless the record holds this call's own mark. Lettuce sends a
     * command again when its connection was lost before the reply came (the store has a connection closed
     * after a timeout), so this call's SET may have run twice and found its own record the second time.
     * A GET that fails leaves it undecided: UNAVAILABLE, and the record dropped if it is this call's.
     */
    private Decision ownOrReplayed(byte[] k, byte[] mark, long deadline) {
        Object value = call(() -> commands.get(k).toCompletableFuture(), deadline);
        if (value instanceof byte[]) {
            return Arrays.equals((byte[]) value, mark) ? Decision.FIRST_SEEN : Decision.REPLAYED;
        }
        if (value == NIL) {
            return Decision.REPLAYED; // expired or forgotten in between: another call's record, not this one's
        }
        dropIfOwned(k, mark);
        resyncAfter(value, "a value or nil", k);
        return Decision.UNAVAILABLE;
    }

    /**
     * Reads the record's value, then deletes the record only while it holds that value (the release script): a
     * delete that did not run, or whose answer was lost, is then kept and sent again as a release is, since it can
     * never delete a record made after it (the sender's retry's, under another random value), which a plain
     * {@code DEL} sent late, or sent again by Lettuce after a reconnect, could, letting a replay of that retry through.
     * A read that fails leaves the record to expire: without its value nothing can be sent later.
     */
    @Override
    public void forget(byte[] key) {
        byte[] k = key("r:", key);
        // One deadline for the GET and the delete: the forget waits the timeout in all.
        long deadline = System.nanoTime() + timeoutNanos;
        Object value = call(() -> commands.get(k).toCompletableFuture(), deadline);
        if (value instanceof byte[]) {
            deleteIfHeld(k, (byte[]) value, deadline);
        } else if (value != NIL) {
            resyncAfter(value, "a value or nil", k);
        }
    }

    @Override
    public Claim claim(byte[] key, byte[] token, Duration lease) {
        Objects.requireNonNull(token, "token");
        byte[] k = key("d:", key);
        Object reply = call(() -> claim.run(commands, k, token, millis(lease)));
        if (!(reply instanceof Long) || (Long) reply < 0 || (Long) reply > 2) {
            // Failed, or an answer the script never gives (a server that is not Redis): the script may have run
            // although its answer was lost, so the claim is dropped if it is ours, and the sender's retry need not
            // wait for the lease. Safe: only our token's claim goes.
            dropIfOwned(k, token);
            resyncAfter(reply, "0, 1 or 2", k);
            return Claim.UNAVAILABLE;
        }
        long r = (Long) reply;
        return r == 0 ? Claim.FIRST : r == 2 ? Claim.DONE : Claim.IN_PROGRESS;
    }

    @Override
    public boolean complete(byte[] key, byte[] token, Duration ttl) {
        Objects.requireNonNull(token, "token");
        byte[] k = key("d:", key);
        return isOne(call(() -> complete.run(commands, k, token, millis(ttl))), k);
    }

    @Override
    public boolean release(byte[] key, byte[] token) {
        Objects.requireNonNull(token, "token");
        return deleteIfHeld(key("d:", key), token, System.nanoTime() + timeoutNanos);
    }

    /**
     * Runs the release script: deletes {@code k} if it holds {@code owner}, a claim's token or a replay record's value.
     * One that did not run, or whose answer was lost, is kept and sent again.
     */
    private boolean deleteIfHeld(byte[] k, byte[] owner, long deadline) {
        if (closed) {
            return false;
        }
        CompletableFuture<Long> sent;
        try {
            sent = release.run(commands, k, owner, null);
        } catch (RuntimeException e) {
            failed(e);
            keepUnsent(k, owner);
            return false;
        }
        Object reply = await(sent, deadline);
        if (reply == TIMED_OUT || (reply == FAILED || reply == READ_ONLY) && worthSendingAgain(failureOf(sent))) {
            // Not run, or not known to have run, and the key may be there once Redis answers again (a restarted server
            // that answered LOADING reads it back from its data; the new primary, behind the name, after READONLY from the
            // old one): a release lost here held the sender's retry off with 409 for the whole lease, a forget had it
            // refused as a replay. Sending it twice, or late, is safe: only the key that holds this token or value goes,
            // and a failed request's claim or record is never wanted again.
            keepUnsent(k, owner);
        }
        return isOne(reply, k);
    }

    /** Whether a complete or release script answered 1; any answer but 0 or 1 has the connection closed. */
    private boolean isOne(Object reply, byte[] key) {
        if (Long.valueOf(1).equals(reply)) {
            return true;
        }
        if (!Long.valueOf(0).equals(reply)) {
            resyncAfter(reply, "0 or 1", key);
        }
        return false;
    }

    /**
     * After a reply that timed out or was of a kind its command never gets (not after an error Redis sent,
     * nor a call refused while disconnected): has the connection closed, for Lettuce to open a new one. Any
     * reply on the old connection could be the wrong command's now; on a new one, none is. After READONLY too: a
     * primary turned replica by a failover keeps the connection, while the host name it was opened by may now lead
     * to the new primary (a managed service's primary endpoint), which only a new connection reaches; at most once a
     * second, as a name may lead to the old primary until its DNS record's time to live has passed.
     *
     * @param expected what the command answers, for the log
     * @param key the key the command was sent for (on Redis Cluster, it says which node's connection to close)
     */
    private void resyncAfter(Object reply, String expected, byte[] key) {
        if (reply == FAILED || closed) {
            return;
        }
        if (reply == READ_ONLY) {
            long now = System.nanoTime();
            if (now - lastReadOnlyResync < READ_ONLY_RESYNC_NANOS) {
                return;
            }
            lastReadOnlyResync = now;
        } else if (reply != TIMED_OUT) {
            failed("an answer other than " + expected);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "Redis store " + description + ": the connection may be out of step; reconnecting");
        try {
            resync.accept(key);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis store " + description + ": closing the connection failed ("
                    + e.getClass().getName() + ")");
        }
    }

    /**
     * Sends the release script for {@code key} and {@code owner}, not waiting for its answer. One that fails in a way
     * {@linkplain #worthSendingAgain worth sending again} is kept to be sent again.
     */
    private void dropIfOwned(byte[] key, byte[] owner) {
        if (closed) {
            return;
        }
        CompletableFuture<Long> sent;
        try {
            sent = release.run(commands, key, owner, null);
        } catch (RuntimeException e) {
            keepUnsent(key, owner);
            return;
        }
        sent.whenComplete((reply, e) -> {
            if (e != null && worthSendingAgain(e)) {
                keepUnsent(key, owner);
            }
        });
    }

    private void keepUnsent(byte[] key, byte[] owner) {
        if (closed || unsentCount.incrementAndGet() > MAX_UNSENT_DROPS) {
            unsentCount.decrementAndGet();
            return; // best effort: the record or lease expires anyway
        }
        unsentDrops.add(new byte[][] {key, owner});
    }

    /** Sends some of the drops kept while Redis did not answer, once each; one that fails again is kept again. */
    private void sendUnsentDrops() {
        for (int n = Math.min(unsentCount.get(), UNSENT_DROPS_PER_ANSWER); n > 0; n--) {
            byte[][] drop = unsentDrops.poll();
            if (drop == null) {
                return;
            }
            unsentCount.decrementAndGet();
            dropIfOwned(drop[0], drop[1]);
        }
    }

    /**
     * Redis's error codes for a command it did not run now and may run later: loading its data after a restart
     * ({@code LOADING}), busy with another client's script ({@code BUSY}), a replica cut off from its master
     * ({@code MASTERDOWN}), a master with fewer replicas in reach than its {@code min-replicas-to-write}
     * ({@code NOREPLICAS}, for the script's {@code DEL}), a server whose last save failed and which refuses writes
     * until one succeeds ({@code MISCONF}, with {@code stop-writes-on-bgsave-error}), a Redis Cluster slot being moved
     * or not served ({@code TRYAGAIN}, {@code CLUSTERDOWN}), and a primary turned replica by a failover
     * ({@code READONLY}): the store has that connection closed, and a new one reaches the new primary once the host
     * name leads there, where the claim is, replicated before the failover.
     * Any other error reply ({@code NOPERM}, {@code WRONGTYPE}, {@code OOM}, {@code ERR}...) is taken as final: the same
     * command sent again would meet it again.
     */
    static final Set<String> NOT_NOW = Set.of("LOADING", "BUSY", "MASTERDOWN", "NOREPLICAS", "MISCONF", "TRYAGAIN",
            "CLUSTERDOWN", "READONLY");

    /**
     * Whether a release or a drop that failed with {@code failure} is worth sending again: Redis did not run it, or its
     * answer was lost, and it may run later. True unless Redis answered with an error reply other than {@link #NOT_NOW}'s.
     */
    static boolean worthSendingAgain(Throwable failure) {
        Throwable cause = unwrap(failure);
        return !(cause instanceof RedisCommandExecutionException) || NOT_NOW.contains(errorCode(cause));
    }

    /** What {@code answer} failed with, unwrapped; null while it runs or once it has succeeded. */
    private static Throwable failureOf(CompletableFuture<?> answer) {
        if (!answer.isDone()) {
            return null;
        }
        try {
            answer.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause instanceof CompletionException && cause.getCause() != null && depth < 5; depth++) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Runs the release script once on each probe key (de-duplication keys that no digest gives), as a release
     * does: EVALSHA, and EVAL where the node lacks the script. A script that finds no key reads one GET and
     * writes nothing. An ACL user that may not run the scripts or touch the store's keys is told apart from
     * every other failure, so that open can say what the user needs.
     *
     * @return null when every node answered 0, as Redis does; otherwise why not, to follow the store's name
     */
    String trial() {
        long deadline = System.nanoTime() + timeoutNanos;
        for (byte[] key : probeKeys.get()) {
            byte[] token = new byte[16];
            ThreadLocalRandom.current().nextBytes(token);
            CompletableFuture<Long> reply;
            try {
                reply = release.run(commands, key, token, null);
            } catch (RuntimeException e) {
                return "does not take the store's scripts (" + e.getClass().getName() + ")";
            }
            try {
                Long r = reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!Long.valueOf(0).equals(r)) {
                    return "does not run the store's scripts as Redis does";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "was not checked: open was interrupted while it ran the store's scripts";
            } catch (TimeoutException e) {
                reply.cancel(false);
                return "does not run the store's scripts within " + Duration.ofNanos(timeoutNanos);
            } catch (ExecutionException e) {
                String code = errorCode(e.getCause());
                if ("NOPERM".equals(code)) {
                    return noPermission(prefix);
                }
                return "does not run the store's scripts (" + (code != null ? code
                        : e.getCause() == null ? e.getClass().getName() : e.getCause().getClass().getName()) + ")";
            }
        }
        return null;
    }

    /** How Redis 7.0 starts its answer to a script that calls a command the user may not run. */
    static final String SCRIPT_COMMAND_DENIED = "ERR The user executing the script can't run this command";

    /** Why open refuses a user that Redis answered NOPERM, and what to give it: to follow the store's name. */
    static String noPermission(String prefix) {
        return "refuses the store's commands to the URI's user (NOPERM); give it at least: ~" + prefix
                + "* +@connection +get +set +del +eval +evalsha";
    }

    /**
     * The code that starts a Redis error reply ({@code NOPERM}, {@code OOM}, {@code ERR}...), or null: the code
     * only, as the rest may name the user. NOPERM too for the {@code ERR} with which Redis 7.0 refuses a command that a
     * script calls and the user may not run ({@code GET}, {@code SET}): the same refusal as a NOPERM for the script.
     */
    static String errorCode(Throwable e) {
        if (!(e instanceof RedisCommandExecutionException) || e.getMessage() == null) {
            return null;
        }
        if (e.getMessage().startsWith(SCRIPT_COMMAND_DENIED)) {
            return "NOPERM";
        }
        String word = e.getMessage().split(" ", 2)[0];
        return word.matches("[A-Z]{2,32}") ? word : null;
    }

    /**
     * Runs {@link #HEALTH} on every probe key (one round trip, EVALSHA; two where a node lacks the script), all sent
     * at once and waited for until one deadline: available when each answers 1. It fails where a record or a claim
     * would (a PING said UP on a full server, a replica, a user's lost permission) and writes nothing.
     */
    @Override
    public boolean isAvailable() {
        return probe(false);
    }

    /**
     * @param refusalsAnswer whether a node that refused the script as full (OOM), read-only (READONLY) or a Redis
     *        Cluster node that does not serve the key (MOVED) counts: it answered, through a connection that is up. For
     *        open, which then says why of a replica and of a cluster node given as one server, and takes a full server.
     */
    private boolean probe(boolean refusalsAnswer) {
        if (closed) {
            return false;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            List<byte[]> keys = probeKeys.get();
            if (keys.isEmpty()) {
                return false;
            }
            List<CompletableFuture<Long>> answers = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                answers.add(health.run(commands, key));
            }
            for (int i = 0; i < keys.size(); i++) {
                Object reply = await(answers.get(i), deadline);
                if (Long.valueOf(1).equals(reply)) {
                    continue;
                }
                if ((reply == FAILED || reply == READ_ONLY) && refusalsAnswer
                        && refusedAsFullReadOnlyOrMoved(answers.get(i))) {
                    continue;
                }
                resyncAfter(reply, "1", keys.get(i));
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /** Whether {@code answer} failed with Redis's OOM, READONLY or MOVED. */
    private static boolean refusedAsFullReadOnlyOrMoved(CompletableFuture<?> answer) {
        String code = errorCode(failureOf(answer));
        return "OOM".equals(code) || "READONLY".equals(code) || "MOVED".equals(code);
    }

    /**
     * Polls the health check until it holds or the timeout passes: Redis Cluster connections to
     * each master open on first use, and a command sent while one is still opening is refused. A node that answers
     * OOM, READONLY or MOVED has answered: open goes on to say why of a replica or a cluster node, and takes a full
     * server.
     */
    boolean awaitAvailable() throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        opening = true;
        try {
            while (true) {
                if (probe(true)) {
                    return true;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(10);
            }
        } finally {
            opening = false;
            answering = true;
        }
    }

    /**
     * Why {@link #awaitAvailable} found the store unavailable, when Redis said why in a way an operator can fix: a
     * user without a permission the health check's script needs. Else null.
     */
    String refusedWhileOpening() {
        return "NOPERM".equals(openingError) ? noPermission(prefix) : null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            shutdown.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the Redis store: " + e.getClass().getName());
        }
    }

    /** The store's commands, for tests that reach its connection's event loop. */
    RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return commands;
    }

    @Override
    public String toString() {
        return "RedisStore[" + description + ", prefix '" + prefix + "']";
    }

    /** The full key: prefix, kind, and the 32 key bytes in lower-case hex (never a raw id). */
    byte[] key(String kind, byte[] key) {
        return key(prefix, kind, key);
    }

    /** {@link #key(String, byte[])} with {@code prefix}: for the probe keys, made before the store. */
    static byte[] key(String prefix, String kind, byte[] key) {
        StringBuilder b = new StringBuilder(prefix.length() + kind.length() + key.length * 2).append(prefix).append(kind);
        for (byte x : key) {
            b.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long millis(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST.toMillis() : Math.max(1, d.toMillis());
    }

    /** What {@link #call} answers when Redis did not: an error, or the call refused while disconnected. */
    private static final Object FAILED = new Object();
    /** What {@link #call} answers when no reply came in time: the connection may be out of step. */
    private static final Object TIMED_OUT = new Object();
    /**
     * What {@link #call} answers when Redis refused a write as a replica (READONLY): as {@link #FAILED}, but the
     * connection is closed after it, to reach the primary the host name leads to now.
     */
    private static final Object READ_ONLY = new Object();

    /** Sends one command and waits for it until the timeout; FAILED on any error, TIMED_OUT when no reply came in time. */
    private Object call(Supplier<CompletableFuture<?>> send) {
        return call(send, System.nanoTime() + timeoutNanos);
    }

    /** {@link #call(Supplier)}, waiting until {@code deadline}, a {@link System#nanoTime()}. */
    private Object call(Supplier<CompletableFuture<?>> send, long deadline) {
        if (closed) {
            return FAILED;
        }
        CompletableFuture<?> f;
        try {
            f = send.get();
        } catch (RuntimeException e) {
            failed(e);
            return FAILED;
        }
        return await(f, deadline);
    }

    private Object await(CompletableFuture<?> f, long deadline) {
        try {
            Object reply = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!answering && !opening) {
                answering = true;
                LOG.log(System.Logger.Level.INFO, "Redis store " + description + " answers again");
            }
            if (unsentCount.get() > 0) {
                sendUnsentDrops();
            }
            return reply == null ? NIL : reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            return FAILED;
        } catch (TimeoutException e) {
            f.cancel(false);
            failed(e);
            return TIMED_OUT;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            failed(cause);
            // Lettuce's own timeout may end the command a moment before ours.
            return cause instanceof RedisCommandTimeoutException ? TIMED_OUT
                    : "READONLY".equals(errorCode(cause)) ? READ_ONLY : FAILED;
        }
    }

    /** A nil reply (SET NX that did not set). */
    private static final Object NIL = new Object();

    /**
     * Logs Redis's error code (OOM, READONLY, NOPERM...) for an error reply, else the exception's class: never a
     * message, as Lettuce's name hosts and Redis's may name the user.
     */
    private void failed(Throwable e) {
        String code = errorCode(e);
        if (opening) {
            openingError = code;
        }
        failed(code != null ? "Redis answered " + code : e.getClass().getName());
    }

    /** Logs why a call failed: WARNING the first time after calls worked, DEBUG after that. */
    private void failed(String why) {
        if (answering && !closed && !opening) {
            answering = false;
            LOG.log(System.Logger.Level.WARNING, "Redis store " + description + " failed ("
                    + why + "); requests that need it are refused until it answers again");
        } else {
            LOG.log(System.Logger.Level.DEBUG, "Redis store " + description + " call failed: " + why);
        }
    }

    /** A Lua script sent by its SHA-1 (EVALSHA), and once in full (EVAL) where the node lacks it. */
    static final class Script {
        final String source;
        final String sha1;

        Script(String source) {
            this.source = source;
            this.sha1 = sha1Hex(source);
        }

        /** Runs the script on {@code key} with the token and, if not null, the milliseconds as its arguments. */
        CompletableFuture<Long> run(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[] token, Long millis) {
            return run(commands, key, millis == null ? new byte[][] {token}
                    : new byte[][] {token, Long.toString(millis).getBytes(StandardCharsets.US_ASCII)});
        }

        /** Runs the script on {@code key}; a NOSCRIPT answer is retried as EVAL, which also caches it. */
        CompletableFuture<Long> run(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, byte[]... args) {
            byte[][] keys = {key};
            CompletableFuture<Long> first = commands.<Long>evalsha(sha1, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
            return first.handle((r, e) -> {
                if (e == null) {
                    return CompletableFuture.completedFuture(r);
                }
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RedisNoScriptException
                        || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"))) {
                    return commands.<Long>eval(source, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
                }
                return CompletableFuture.<Long>failedFuture(cause);
            }).thenCompose(x -> x);
        }

        static String sha1Hex(String s) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
                StringBuilder b = new StringBuilder(40);
                for (byte x : d) {
                    b.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
                }
                return b.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }
}
