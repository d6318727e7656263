package dev.webhookfilter.cli;

import dev.webhookfilter.internal.Spelling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A parsed command line: options in the order given, then the operands.
 *
 * <p>Options take the forms {@code --name value} and {@code --name=value}; {@code -H} stands for
 * {@code --header} and {@code -h} for {@code --help}. {@code --} ends the options, and {@code -}
 * alone is an operand (standard input). A value is never taken from an argument that starts with
 * {@code --}, so a forgotten value is reported instead of swallowing the next option. An unknown option
 * is named without what follows its name, and only if that name is written as option names are; an argument that
 * begins with a typographic dash is refused unquoted: either may carry a secret.
 */
final class Options {

    static final String HELP = "--help";
    private static final Map<String, String> SHORT_NAMES = Map.of("-h", HELP, "-H", "--header");
    /** Dashes that a word processor or chat puts where {@code -} or {@code --} was typed: no option begins so. */
    private static final String TYPOGRAPHIC_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d";
    /** An unknown option's name, its dashes and the letters, digits and dashes after them; the rest is dropped. */
    private static final Pattern OPTION_NAME = Pattern.compile("^(-+[A-Za-z0-9-]*).*", Pattern.DOTALL);
    /**
     * How option names are written, and so what an unknown one is quoted as: one or two dashes, then lower-case words
     * joined by dashes. A base64url secret may begin with a dash (one in 64 do), and mixes cases and digits.
     */
    private static final Pattern OPTION_SHAPE = Pattern.compile("-{1,2}[a-z]+(-[a-z]+)*");

    /** One option as given: its long name and value (null for a flag). */
    static final class Option {
        final String name;
        final String value;

        Option(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    private final List<Option> options;
    private final List<String> operands;

    private Options(List<Option> options, List<String> operands) {
        this.options = Collections.unmodifiableList(options);
        this.operands = Collections.unmodifiableList(operands);
    }

    /**
     * Parses {@code args} against the options a command accepts.
     *
     * @param valued the long names of options that take a value
     * @param flags the long names of options that take none
     * @throws CliException (usage) for an unknown option, a flag with a value or a missing value
     */
    static Options parse(List<String> args, Set<String> valued, Set<String> flags) throws CliException {
        List<Option> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!optionsEnded && !arg.isEmpty() && TYPOGRAPHIC_DASHES.indexOf(arg.charAt(0)) >= 0) {
                throw CliException.usage("an argument begins with " + arg.charAt(0) + " (U+"
                        + String.format("%04X", (int) arg.charAt(0)) + "), not '-': an option copied from a document"
                        + " or a chat whose dashes became a typographic one? Type its dashes again (--name); the"
                        + " argument is not shown, as it may hold a value. A FILE whose name begins so goes after --");
            }
            if (optionsEnded || arg.equals(Io.STDIN) || !arg.startsWith("-")) {
                operands.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            name = SHORT_NAMES.getOrDefault(name, name);
            if (flags.contains(name)) {
                if (value != null) {
                    throw CliException.usage(name + " takes no value");
                }
                options.add(new Option(name, null));
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                        throw CliException.usage(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.add(new Option(name, value));
            } else {
                // Only the name: in -secret=VALUE or -HName: value, what follows it may be a secret. And only a name
                // written as option names are: sign "$S" with a secret that begins with a dash is no option at all.
                String shown = OPTION_NAME.matcher(name).replaceFirst("$1");
                throw CliException.usage("unknown option " + (OPTION_SHAPE.matcher(shown).matches() ? shown
                        : "(not shown: it is not written as option names are, and may be a secret given in the wrong"
                        + " place)") + suggestion(shown, valued, flags));
            }
        }
        return new Options(options, operands);
    }

    /** True if {@code -h} or {@code --help} appears before any {@code --}. */
    static boolean wantsHelp(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(HELP) || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Every option, in the order given. */
    List<Option> all() {
        return options;
    }

    /** The values of every occurrence of {@code name}, in order. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Option option : options) {
            if (option.name.equals(name)) {
                values.add(option.value);
            }
        }
        return values;
    }

    /**
     * The value of an option that may appear at most once, or null if absent.
     *
     * @throws CliException (usage) if it appears twice
     */
    String single(String name) throws CliException {
        List<String> values = values(name);
        if (values.size() > 1) {
            throw CliException.usage(name + " is given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * The value of {@code name} as a whole number of seconds between {@code min} and {@code max}, or
     * {@code fallback} when absent.
     *
     * @throws CliException (usage) if it is not such a number
     */
    long seconds(String name, long min, long max, long fallback) throws CliException {
        String value = single(name);
        if (value == null) {
            return fallback;
        }
        long seconds = -1;
        if (value.matches("[0-9]{1,19}")) {
            try {
                seconds = Long.parseLong(value);
            } catch (NumberFormatException e) {
                // 19 digits beyond Long.MAX_VALUE: out of range, reported below
            }
        }
        if (seconds < min || seconds > max) {
            // A number out of range is quoted; other text only where it cannot be a secret typed in the wrong place.
            throw CliException.usage(name + " must be a whole number of seconds from " + min
                    + (max == Long.MAX_VALUE ? "" : " to " + max) + ", not "
                    + (value.matches("[0-9]+") || !SecretOptions.mayBeSecret(value) ? "'" + value + "'"
                    : "the value given (not shown: it may be a secret)"));
        }
        return seconds;
    }

    /**
     * The operands, of which there may be at most {@code max}.
     *
     * @param names what the operands are, for the error message ("URL and FILE")
     * @throws CliException (usage) if there are more
     */
    List<String> operands(int max, String names) throws CliException {
        if (operands.size() > max) {
            // Each quoted only where it may be: one may be a secret given in the wrong place (sign "$S" event.json),
            // and a URL is quoted as send quotes one, without what may be a password or a token.
            throw CliException.usage("too many arguments: " + operands.stream()
                    .map(operand -> operand.contains("://") ? SendCommand.quotable(operand)
                            : Io.mayQuoteFile(operand) ? operand : "(one not shown: it may be a secret)")
                    .collect(Collectors.joining(" ")) + "; expected " + names);
        }
        return operands;
    }

    /** " (did you mean --x?)" for the known option closest to a mistyped one, or "". */
    private static String suggestion(String unknown, Set<String> valued, Set<String> flags) {
        String best = null;
        int bestDistance = 3;
        for (Set<String> names : List.of(valued, flags)) {
            for (String known : names) {
                int distance = known.startsWith(unknown) ? 1 : Spelling.distance(unknown, known, 2);
                if (distance < bestDistance || distance == bestDistance && best != null && known.compareTo(best) < 0) {
                    best = known;
                    bestDistance = distance;
                }
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }
}
