package dev.webhookfilter.cli;

import dev.webhookfilter.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets given with {@code --secret-env NAME}, {@code --secret-file PATH} and {@code --secret VALUE},
 * in command-line order, each with a description of where it came from. The descriptions, not the
 * values, are what the tool prints; {@link #toString()} shows no secret.
 */
final class SecretOptions {

    static final String ENV = "--secret-env";
    static final String FILE = "--secret-file";
    static final String LITERAL = "--secret";
    static final Set<String> NAMES = Set.of(ENV, FILE, LITERAL);

    static final String HELP =
            "  --secret-env NAME     the secret in environment variable NAME (not its value: --secret-env WEBHOOK_SECRET)\n"
          + "  --secret-file PATH    each line of the UTF-8 file PATH is a secret, but blank lines\n"
          + "                        and comments (lines starting with #); a pipe too, which keeps it off\n"
          + "                        the disk: --secret-file <(pass show webhook)\n"
          + "  --secret VALUE        the secret itself; it lands in your shell history, and other users see it in ps\n"
          + "                        while the command runs, so prefer the two above\n";

    private static final String LITERAL_WARNING = "warning: --secret puts the secret in your shell history and"
            + " the process list; prefer --secret-env NAME or --secret-file PATH";

    /** What {@link #looksLikePath} quotes. */
    private static final Pattern PATH = Pattern.compile(
            "(/|~/|\\./|\\.\\./|[A-Za-z]:[\\\\/])[A-Za-z0-9._/\\\\ -]*|[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9]{1,8}");

    /** What secrets are written in: base64 (standard and URL-safe), hexadecimal, whsec_ and the like. */
    private static final Pattern SECRET_LIKE = Pattern.compile("[A-Za-z0-9+/=_-]+");

    /** Names of standard input as a file, each quotable. */
    private static final Set<String> STDIN_PATHS = Set.of("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0");

    private final List<String> values;
    private final List<String> sources;

    private SecretOptions(List<String> values, List<String> sources) {
        this.values = Collections.unmodifiableList(values);
        this.sources = Collections.unmodifiableList(sources);
    }

    /**
     * Resolves every secret option in {@code options}, warning once on standard error if one is {@code --secret}.
     *
     * @param bodyFile the command's body FILE ({@code -} for standard input), or null if it takes none: a secret
     *        file may not be the same file
     * @throws CliException (usage) if there is none, a variable is unset or empty, or a secret file is the body's
     *         too (standard input, or the same file by any name); (I/O) if a file cannot be read
     */
    static SecretOptions from(Options options, Io io, String bodyFile) throws CliException {
        boolean bodyOnStdin = bodyFile != null && Io.readsStandardInput(bodyFile);
        List<String> values = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        boolean warned = false;
        for (Options.Option option : options.all()) {
            if (option.name.equals(ENV)) {
                values.add(fromEnvironment(option.value, io));
                sources.add(ENV + " " + option.value);
            } else if (option.name.equals(FILE)) {
                if (option.value.equals(Io.STDIN)) {
                    // As a body FILE, - is standard input; here it named no file, and was refused as one that may be
                    // the secret itself.
                    throw CliException.usage(FILE + " takes a PATH, and " + Io.STDIN + " names none; for a secret on"
                            + " standard input give " + FILE + " /dev/stdin, with the body in a FILE (a file named "
                            + Io.STDIN + " is ./" + Io.STDIN + ")");
                }
                if (bodyOnStdin && isStandardInput(option.value)) {
                    // Read first, the secret would leave the body nothing: a valid signature of no bytes.
                    throw CliException.usage(FILE + " " + (looksLikePath(option.value) ? option.value
                            : "(the path given)") + " and the body both read standard input; give the body in a FILE of its own");
                }
                if (bodyFile != null && !bodyOnStdin && sameFile(option.value, bodyFile)) {
                    // The secret would be the body: signed as the event, and posted by send to the endpoint.
                    throw CliException.usage(FILE + " " + (looksLikePath(option.value) ? option.value
                            : "(the path given)") + " is the body FILE too; give the body in a FILE of its own");
                }
                List<String> fromFile = fromFile(option.value);
                for (int i = 0; i < fromFile.size(); i++) {
                    values.add(fromFile.get(i));
                    sources.add(FILE + " " + option.value
                            + (fromFile.size() == 1 ? "" : ", secret " + (i + 1) + " of " + fromFile.size() + " there"));
                }
            } else if (option.name.equals(LITERAL)) {
                if (!warned) {
                    io.err.println(LITERAL_WARNING);
                    warned = true;
                }
                if (option.value.isBlank()) {
                    throw CliException.usage(LITERAL + " is empty");
                }
                values.add(option.value.strip());
                sources.add(LITERAL);
            }
        }
        if (values.isEmpty()) {
            throw CliException.usage("no secret: give --secret-env NAME or --secret-file PATH");
        }
        return new SecretOptions(values, sources);
    }

    /**
     * Whether {@code file} is this process's standard input: one of its names ({@link #STDIN_PATHS}), or any other
     * path to the same file, such as {@code /dev/./stdin} or a link to {@code /dev/stdin}. False where there is no
     * {@code /dev/stdin} to compare with (Windows, a closed standard input) or {@code file} does not exist: the
     * reader then says what is wrong.
     */
    static boolean isStandardInput(String file) {
        return STDIN_PATHS.contains(file) || sameFile(file, "/dev/stdin");
    }

    /** Whether two paths name one file; false where either cannot be read (the reader then says why). */
    private static boolean sameFile(String one, String other) {
        try {
            return Files.isSameFile(Paths.get(one), Paths.get(other));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String fromEnvironment(String name, Io io) throws CliException {
        // Users who type --secret-env "$WEBHOOK_SECRET" pass the secret as the name: only echo
        // names that look like the usual upper-case variable names.
        boolean quotable = name.matches("[A-Z_][A-Z0-9_]*");
        String value = io.environment.apply(name);
        if (value == null) {
            throw CliException.usage(quotable
                    ? ENV + ": environment variable " + name + " is not set"
                    : ENV + " takes the name of an environment variable, and no variable of that name"
                            + " is set (the name is not shown in case it is a secret); write"
                            + " --secret-env WEBHOOK_SECRET, not --secret-env \"$WEBHOOK_SECRET\"");
        }
        if (value.isBlank()) {
            // The core's own words name file:PATH, the init-param's syntax.
            throw CliException.usage(ENV + ": " + (quotable ? "environment variable " + name
                    : "the environment variable it names") + " is empty; set it to the secret, or give " + FILE + " PATH");
        }
        try {
            return Secrets.fromEnvironment(name, io.environment);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static List<String> fromFile(String path) throws CliException {
        Io.checkReadable(path, looksLikePath(path) ? "secret file " + path : "the " + FILE + " given (not shown: it"
                + " does not look like a path, and may be the secret itself; write " + FILE + " PATH, e.g."
                + " ./secret.txt)");
        try {
            return Secrets.fromFile(Paths.get(path));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /**
     * Whether {@code value} may be quoted as a file name: it begins as a path does ({@code /}, {@code ./},
     * {@code ../}, {@code ~/}, a drive) and goes on in ordinary path characters, or it is a short name with
     * an extension ({@code secret.txt}). A secret is neither: hexadecimal has no separator, and base64
     * ({@code whsec_...} too) holds a {@code /} inside, or a {@code +} or {@code =}.
     */
    static boolean looksLikePath(String value) {
        return PATH.matcher(value).matches();
    }

    /**
     * Whether {@code value}, met where something else was expected (a FILE, a URL, a header line), may be a secret
     * and must not be quoted: as long as a secret should be ({@link Secrets#MIN_RECOMMENDED_BYTES}) and made only
     * of what secrets are written in (base64, hexadecimal, {@code whsec_...}), with no {@code .} or {@code :} that
     * a file name, a URL or a header would have.
     */
    static boolean mayBeSecret(String value) {
        return value.length() >= Secrets.MIN_RECOMMENDED_BYTES && SECRET_LIKE.matcher(value).matches();
    }

    List<String> values() {
        return values;
    }

    int size() {
        return values.size();
    }

    /** Where secret {@code index} (from 0) came from, and its position, e.g. "secret 2 of 2 (--secret-env OLD)". */
    String describe(int index) {
        return "secret " + (index + 1) + " of " + values.size() + " (" + sources.get(index) + ")";
    }

    @Override
    public String toString() {
        return "SecretOptions" + sources;
    }
}
