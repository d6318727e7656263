package dev.webhookfilter.cli;

import java.util.Set;

/** One subcommand of the tool. Implementations are stateless. */
interface Command {

    /** The word that selects it: {@code sign}, {@code send}, {@code verify}. */
    String name();

    /** One line for the top-level help. */
    String summary();

    /** The full {@code --help} text, each usage line starting with {@code program}. */
    String help(String program);

    /** The long names of the options that take a value; {@code --help} is always accepted. */
    Set<String> options();

    /**
     * Runs the command, writing its result to {@code io.out} and notes to {@code io.err}.
     *
     * @return {@link Main#OK} or {@link Main#FAILED}
     * @throws CliException for a usage or I/O error
     */
    int run(Options options, Io io) throws CliException;
}
