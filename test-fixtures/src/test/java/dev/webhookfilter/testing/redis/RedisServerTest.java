package dev.webhookfilter.testing.redis;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What the fixture does where redis-server is not installed: a PATH of one empty folder. */
class RedisServerTest {

    @TempDir
    Path emptyBin;

    @Test
    void skipsSayingHowToFailInsteadAndPrintsWhy() {
        Map<String, String> environment = Map.of("PATH", emptyBin.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        TestAbortedException skipped;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            skipped = assertThrows(TestAbortedException.class, () -> RedisServer.requireInstalled(environment::get));
        } finally {
            System.setErr(saved);
        }
        assertTrue(skipped.getMessage().contains("redis-server"), skipped.getMessage());
        assertTrue(skipped.getMessage().contains("apt-get install redis-server"), skipped.getMessage());
        assertTrue(skipped.getMessage().contains("set WEBHOOK_FILTER_REQUIRE_SERVERS=1 to fail instead"),
                skipped.getMessage());
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("set WEBHOOK_FILTER_REQUIRE_SERVERS=1 to fail instead"),
                "the console shows no assumption's message; stderr had: " + printed);
    }

    @Test
    void failsInsteadOfSkippingUnderRequireServers() {
        Map<String, String> environment = Map.of("PATH", emptyBin.toString(), RedisServer.REQUIRE_SERVERS, "1");
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> RedisServer.requireInstalled(environment::get));
        assertTrue(failed.getMessage().contains("WEBHOOK_FILTER_REQUIRE_SERVERS=1 requires it"), failed.getMessage());
    }
}
