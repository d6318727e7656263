package dev.webhookfilter.cli;

/**
 * Ends a command with a message for standard error and an exit code. The message never holds a
 * secret.
 */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The command line is wrong: unknown option, missing or bad value, no secret. */
    static CliException usage(String message) {
        return new CliException(Main.USAGE, message);
    }

    /** A file could not be read, or the server could not be reached. */
    static CliException io(String message) {
        return new CliException(Main.IO_ERROR, message);
    }

    /** The same exception with {@code redactor}'s values masked in its message. */
    CliException masked(Redactor redactor) {
        return new CliException(exitCode, redactor.apply(getMessage()));
    }

    int exitCode() {
        return exitCode;
    }
}
