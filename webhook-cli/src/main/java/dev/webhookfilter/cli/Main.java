package dev.webhookfilter.cli;

import dev.webhookfilter.internal.Spelling;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entry point of {@code java -jar webhook-cli-<version>.jar}: dispatches to {@code sign},
 * {@code send} or {@code verify} and turns their outcome into an exit code.
 */
public final class Main {

    /** Signed; sent and answered 2xx; verified. */
    static final int OK = 0;
    /** Verification failed; the response was not 2xx. */
    static final int FAILED = 1;
    /** The command line is wrong. */
    static final int USAGE = 2;
    /** A file could not be read or the server could not be reached. */
    static final int IO_ERROR = 3;
    /**
     * A fault of the tool's own: an exception no command turned into a message. Not the JVM's 1 for an
     * uncaught exception, which here says "verification failed".
     */
    static final int INTERNAL_ERROR = 4;

    static final String EXIT_CODES = "Exit codes:\n"
            + "  0  signed; sent and the response was 2xx; verified\n"
            + "  1  verification failed; the response was not 2xx\n"
            + "  2  usage error: unknown option, missing or bad value, no secret, unset variable\n"
            + "  3  I/O error: unreadable file, cannot connect, no response in time, cannot write the output\n"
            + "  4  internal error: a fault of webhook-cli's own; please report it\n";

    private static final List<Command> COMMANDS = List.of(new SignCommand(), new SendCommand(), new VerifyCommand());
    private static final Set<String> FLAGS = Set.of(Options.HELP);

    private Main() {
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args a command ({@code sign}, {@code send}, {@code verify}) and its options
     */
    public static void main(String[] args) {
        int exitCode = run(args, Io.system());
        System.out.flush();
        System.exit(exitCode);
    }

    /**
     * Runs the tool with the given streams, environment and clock; never exits the JVM. Output that could
     * not be written (a full disk, a closed pipe) ends it with {@link #IO_ERROR}: a signature or a verdict
     * that was not written is no success.
     */
    static int run(String[] args, Io io) {
        int exitCode;
        try {
            exitCode = runCommand(args, io);
        } catch (RuntimeException | Error e) {
            // The last resort: the JVM would print a stack trace, whose message may quote an argument or a
            // secret (an InvalidPathException quotes the path), and exit with 1, which says "verification failed".
            io.err.println(internalError(e));
            exitCode = INTERNAL_ERROR;
        }
        io.out.flush();
        if (io.out.checkError()) {
            io.err.println("error: cannot write to standard output (a full disk or a closed pipe?)");
            return IO_ERROR;
        }
        return exitCode;
    }

    private static int runCommand(String[] args, Io io) {
        String program = program();
        if (args.length == 0) {
            io.err.print(help(program));
            return USAGE;
        }
        String first = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (first.equals("help") || first.equals(Options.HELP) || first.equals("-h")) {
            Command command = rest.isEmpty() ? null : find(rest.get(0));
            io.out.print(command == null ? help(program) : command.help(program));
            return OK;
        }
        Command command = find(first);
        if (command == null) {
            // Quoted only as a misspelling (sing): anything else may be a secret given where the command goes.
            List<String> names = COMMANDS.stream().map(Command::name).collect(Collectors.toList());
            String meant = Spelling.nearest(first, names, 2);
            io.err.println("error: " + (first.startsWith("-") ? "a command comes first"
                    : meant != null ? "unknown command '" + Printable.escape(first) + "' (did you mean " + meant + "?)"
                    : "unknown command (not shown: it is no misspelling of one, and may be a secret given in the wrong"
                    + " place)") + "; the commands are sign, send and verify");
            io.err.println("Run '" + program + " --help' for usage.");
            return USAGE;
        }
        if (Options.wantsHelp(rest)) {
            io.out.print(command.help(program));
            return OK;
        }
        try {
            return command.run(Options.parse(rest, command.options(), FLAGS), io);
        } catch (CliException e) {
            // A message may quote what an endpoint sent, such as the HTTP client's complaint about a header.
            io.err.println("error: " + Printable.escape(e.getMessage()));
            if (e.exitCode() == USAGE) {
                io.err.println("Run '" + program + " " + command.name() + " --help' for usage.");
            }
            return e.exitCode();
        }
    }

    /**
     * One line for a fault of the tool's own: the exception's class and the first frame in this project's
     * code, which together locate it for a report, but not its message, which may quote an argument or a
     * secret.
     */
    static String internalError(Throwable fault) {
        StringBuilder line = new StringBuilder("error: internal error (").append(fault.getClass().getName());
        for (StackTraceElement frame : fault.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.webhookfilter.")) {
                line.append(" at ").append(frame.getClassName()).append('.').append(frame.getMethodName())
                        .append(':').append(frame.getLineNumber());
                break;
            }
        }
        line.append("); please report it. Its message is not shown: it may quote an argument or a secret");
        if (fault instanceof OutOfMemoryError) {
            line.append(". Give the JVM more memory with java -Xmx...");
        }
        return line.toString();
    }

    private static Command find(String name) {
        for (Command command : COMMANDS) {
            if (command.name().equals(name)) {
                return command;
            }
        }
        return null;
    }

    private static String help(String program) {
        StringBuilder help = new StringBuilder()
                .append("webhook-cli: sign, send and verify signed webhooks, in any scheme webhook-filter knows.\n\n")
                .append("Usage: ").append(program).append(" <command> [options]\n\n")
                .append("Commands:\n");
        for (Command command : COMMANDS) {
            help.append(String.format("  %-8s %s\n", command.name(), command.summary()));
        }
        return help.append("\nSecrets (every command needs at least one; repeat the options to give several):\n")
                .append(SecretOptions.HELP)
                .append("\nRun '").append(program).append(" <command> --help' for a command's options.\n\n")
                .append(EXIT_CODES)
                .toString();
    }

    /** "java -jar webhook-cli-0.1.0.jar" when run from the jar, so help text can be pasted back. */
    static String program() {
        try {
            Path location = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String name = String.valueOf(location.getFileName());
            if (name.endsWith(".jar")) {
                return "java -jar " + name;
            }
        } catch (RuntimeException | URISyntaxException e) {
            // No code source (a custom class loader, a security manager): fall back to the generic name.
        }
        return "java -jar webhook-cli.jar";
    }
}
