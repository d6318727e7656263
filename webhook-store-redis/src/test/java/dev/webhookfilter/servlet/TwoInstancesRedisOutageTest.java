package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances sharing one redis-server that has a password ({@link StoreOutage}), while the server is killed
 * (SIGKILL), frozen (SIGSTOP) past the store's timeout or for moments, and started again on its port with its data
 * lost ({@link StoreOutageContract}). No log line holds the password.
 */
class TwoInstancesRedisOutageTest extends StoreOutageContract {

    static final String PASSWORD = "outage-pw-5b1e93c7d2";
    static final int TIMEOUT_MILLIS = 1000;
    /** A record and a claim, each the timeout, plus scheduling on a loaded 2-core machine. */
    static final long BOUND_MILLIS = 2 * TIMEOUT_MILLIS + 1500;

    /**
     * Every logger down to DEBUG (JUL's FINER): Lettuce's TRACE (FINEST) writes each command as sent, the password in
     * {@code HELLO} included, which README tells operators to keep off.
     */
    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest("").level(Level.FINER);

    @TempDir
    Path dir;
    RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir, "--requirepass", PASSWORD);
        // Again if a store did not open in time: the scenarios time the instances once started, not their start.
        outage = TwoInstancesRedisTest.startUnderLoad(() -> new StoreOutage("redis://:" + PASSWORD + "@" + redis.hostPort(),
                TIMEOUT_MILLIS, BOUND_MILLIS, new StoreOutage.Server() {
                    @Override
                    public void kill() throws Exception {
                        redis.kill();
                    }

                    @Override
                    public void restart() throws Exception {
                        redis.restart();
                    }

                    @Override
                    public void freeze() throws Exception {
                        redis.signal("STOP");
                    }

                    @Override
                    public void thaw() throws Exception {
                        redis.signal("CONT");
                    }

                    @Override
                    public int connections() throws Exception {
                        String info = redis.cli("-a", PASSWORD, "--no-auth-warning", "INFO", "clients");
                        for (String line : info.split("\r?\n")) {
                            if (line.startsWith("connected_clients:")) {
                                return Integer.parseInt(line.substring("connected_clients:".length()).strip());
                            }
                        }
                        throw new AssertionError(info);
                    }
                }, "lettuce-"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (outage != null) {
                outage.close();
            }
        } finally {
            redis.close();
        }
        // Each store's Lettuce pools: two I/O threads and two for computation, started as first needed.
        long lettuce = Threads.running().stream().filter(t -> t.getName().startsWith("lettuce-")).count();
        assertTrue(lettuce <= 2 * 4, lettuce + " Lettuce threads left once both stores closed");
        List<String> leaks = logs.render().lines().filter(line -> line.contains(PASSWORD)).toList();
        assertEquals(List.of(), leaks, "log lines that hold the password");
    }

    @Override
    protected String unreachableSays() {
        return "cannot be reached";
    }

    @Override
    protected String password() {
        return PASSWORD;
    }
}
