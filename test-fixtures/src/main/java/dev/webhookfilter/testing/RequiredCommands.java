package dev.webhookfilter.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The command-line tools some tests run ({@code openssl}, {@code curl}, {@code bash}): without one on the
 * {@code PATH} the calling test is skipped with how to install it, unless {@value #REQUIRE_TOOLS}=1 (as in
 * CI) makes that a failure, as {@value #REQUIRE_SERVERS}=1 does for the stores' servers
 * ({@link #serversOnPath}) and {@code WEBHOOK_FILTER_REQUIRE_BROWSER}=1 for the browser. Every such skip
 * goes through {@link #unavailable}, so that each says the same thing the same way.
 */
public final class RequiredCommands {

    public static final String REQUIRE_TOOLS = "WEBHOOK_FILTER_REQUIRE_TOOLS";
    public static final String REQUIRE_SERVERS = "WEBHOOK_FILTER_REQUIRE_SERVERS";

    private RequiredCommands() {
    }

    /**
     * Returns if every one of {@code commands} is an executable on the {@code PATH}; otherwise skips the
     * calling test, or fails it under {@value #REQUIRE_TOOLS}=1.
     *
     * @param install how to install them, such as {@code apt-get install openssl}
     */
    public static void onPath(String install, String... commands) {
        check(System::getenv, REQUIRE_TOOLS, install, commands);
    }

    /**
     * {@link #onPath} for the binaries of a server the test starts (such as {@code redis-server}): skips,
     * or fails under {@value #REQUIRE_SERVERS}=1.
     */
    public static void serversOnPath(String install, String... commands) {
        check(System::getenv, REQUIRE_SERVERS, install, commands);
    }

    /**
     * Fails the calling test with {@code message} if the environment variable {@code flag} is {@code 1};
     * otherwise prints {@code message}, with how to make it a failure, to stderr and skips the test.
     */
    public static void unavailable(String flag, String message) {
        unavailable(System::getenv, flag, message);
    }

    /** {@link #onPath} reading the environment through {@code environment}, failing under {@code flag}=1. */
    public static void check(Function<String, String> environment, String flag, String install, String... commands) {
        List<String> missing = Arrays.stream(commands).filter(command -> !isOnPath(environment, command)).toList();
        if (missing.isEmpty()) {
            return;
        }
        unavailable(environment, flag,
                "not on the PATH, and this test runs it: " + String.join(", ", missing) + " (" + install + ")");
    }

    /** {@link #unavailable(String, String)} reading the environment through {@code environment}. */
    static void unavailable(Function<String, String> environment, String flag, String message) {
        if ("1".equals(environment.apply(flag))) {
            Assertions.fail(message + "; " + flag + "=1 requires it");
        }
        String skipped = message + "; skipped (set " + flag + "=1 to fail instead)";
        System.err.println(skipped); // the console shows no assumption's message
        Assumptions.abort(skipped);
    }

    private static boolean isOnPath(Function<String, String> environment, String command) {
        String path = environment.apply("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            try {
                if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                    return true;
                }
            } catch (InvalidPathException e) {
                // Not a directory anyone could run a command from.
            }
        }
        return false;
    }
}
