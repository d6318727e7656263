package dev.webhookfilter.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredCommandsTest {

    @TempDir
    Path bin;

    private Map<String, String> environment(String requireTools) throws IOException {
        Path tool = Files.createFile(bin.resolve("present-tool"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertTrue(Files.isExecutable(tool));
        return requireTools == null ? Map.of("PATH", bin.toString())
                : Map.of("PATH", bin.toString(), RequiredCommands.REQUIRE_TOOLS, requireTools);
    }

    @Test
    void returnsWhenEveryCommandIsOnThePath() throws IOException {
        Map<String, String> environment = environment("1");
        assertDoesNotThrow(() -> RequiredCommands.check(environment::get, RequiredCommands.REQUIRE_TOOLS, "apt-get install x", "present-tool"));
    }

    @Test
    void skipsWithTheInstallHintWhenACommandIsMissing() throws IOException {
        Map<String, String> environment = environment(null);
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () ->
                RequiredCommands.check(environment::get, RequiredCommands.REQUIRE_TOOLS, "apt-get install missing-tool", "present-tool", "missing-tool"));
        assertTrue(skipped.getMessage().contains("not on the PATH, and this test runs it: missing-tool (apt-get install missing-tool)"),
                skipped.getMessage());
        assertTrue(skipped.getMessage().contains("set WEBHOOK_FILTER_REQUIRE_TOOLS=1 to fail instead"), skipped.getMessage());
    }

    @Test
    void failsInsteadOfSkippingUnderRequireTools() throws IOException {
        Map<String, String> environment = environment("1");
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () ->
                RequiredCommands.check(environment::get, RequiredCommands.REQUIRE_TOOLS, "apt-get install missing-tool", "missing-tool"));
        assertTrue(failed.getMessage().contains("WEBHOOK_FILTER_REQUIRE_TOOLS=1 requires it"), failed.getMessage());
    }

    @Test
    void unavailableSkipsOrFailsByTheFlagItIsGiven() {
        String flag = RequiredCommands.REQUIRE_SERVERS;
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () ->
                RequiredCommands.unavailable(Map.of(RequiredCommands.REQUIRE_TOOLS, "1")::get, flag, "no server"));
        assertTrue(skipped.getMessage().equals("no server; skipped (set WEBHOOK_FILTER_REQUIRE_SERVERS=1 to fail instead)"),
                skipped.getMessage());
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () ->
                RequiredCommands.unavailable(Map.of(flag, "1")::get, flag, "no server"));
        assertTrue(failed.getMessage().startsWith("no server; WEBHOOK_FILTER_REQUIRE_SERVERS=1 requires it"),
                failed.getMessage());
    }

    @Test
    void aFileThatIsNotExecutableIsNoCommand() throws IOException {
        Map<String, String> environment = environment("1");
        Files.createFile(bin.resolve("plain-file"));
        assertThrows(AssertionFailedError.class, () -> RequiredCommands.check(environment::get, RequiredCommands.REQUIRE_TOOLS, "x", "plain-file"));
    }
}
