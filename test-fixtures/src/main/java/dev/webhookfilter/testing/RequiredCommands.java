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
 * CI) makes that a failure, as {@code WEBHOOK_FILTER_REQUIRE_SERVERS} does for the stores' servers and
 * {@code WEBHOOK_FILTER_REQUIRE_BROWSER} for the browser.
 */
public final class RequiredCommands {

    public static final String REQUIRE_TOOLS = "WEBHOOK_FILTER_REQUIRE_TOOLS";

    private RequiredCommands() {
    }

    /**
     * Returns if every one of {@code commands} is an executable on the {@code PATH}; otherwise skips the
     * calling test, or fails it under {@value #REQUIRE_TOOLS}=1.
     *
     * @param install how to install them, such as {@code apt-get install openssl}
     */
    public static void onPath(String install, String... commands) {
        check(System::getenv, install, commands);
    }

    /** {@link #onPath} reading the environment through {@code environment}. */
    static void check(Function<String, String> environment, String install, String... commands) {
        List<String> missing = Arrays.stream(commands).filter(command -> !isOnPath(environment, command)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "not on the PATH, and this test runs it: " + String.join(", ", missing) + " (" + install + ")";
        if ("1".equals(environment.apply(REQUIRE_TOOLS))) {
            Assertions.fail(message + "; " + REQUIRE_TOOLS + "=1 requires it");
        }
        String skipped = message + "; skipped (set " + REQUIRE_TOOLS + "=1 to fail instead)";
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
