package dev.webhookfilter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The project's README.md as tests read it, to hold what it says to what the code does. */
public final class Readme {

    private Readme() {
    }

    /** {@return the project's README.md, found from the module's directory, one or two levels below the root} */
    public static Path path() {
        for (Path candidate : List.of(Path.of("..", "README.md"), Path.of("..", "..", "README.md"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no README.md one or two directories above " + Path.of("").toAbsolutePath());
    }

    /** {@return README.md's text} */
    public static String text() {
        try {
            return Files.readString(path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rows of the table whose header line is exactly {@code header}, each a line as written, its header and
     * rule left out: every line that starts with {@code |} up to the first that does not.
     *
     * @throws AssertionError if README.md has no such line, naming it
     */
    public static List<String> tableRows(String header) {
        List<String> lines = List.of(text().split("\n", -1));
        int at = lines.indexOf(header);
        if (at < 0) {
            throw new AssertionError("README.md has no line " + header);
        }
        List<String> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    /**
     * README.md's text from the first {@code start} up to the first {@code end} after it, such as a section from
     * its heading line ({@code "\n## Quick start\n"}) to the next heading of its level ({@code "\n## "}).
     *
     * @throws AssertionError if README.md has no {@code start}, or no {@code end} after it, naming which
     */
    public static String between(String start, String end) {
        String text = text();
        int from = text.indexOf(start);
        if (from < 0) {
            throw new AssertionError("README.md has no " + start.strip());
        }
        int to = text.indexOf(end, from + start.length());
        if (to < 0) {
            throw new AssertionError("README.md has no " + end.strip() + " after " + start.strip());
        }
        return text.substring(from, to);
    }

    /** {@return the contents of each code block fenced as {@code language} (such as {@code sh}) in {@code text}, in order} */
    public static List<String> codeBlocks(String text, String language) {
        String fence = "```" + language + "\n";
        List<String> blocks = new ArrayList<>();
        for (int at = text.indexOf(fence); at >= 0; at = text.indexOf(fence, at)) {
            int from = at + fence.length();
            int to = text.indexOf("```", from);
            if (to < 0) {
                throw new AssertionError("a ```" + language + " block of README.md is not closed");
            }
            blocks.add(text.substring(from, to));
            at = to + 3;
        }
        return blocks;
    }
}
