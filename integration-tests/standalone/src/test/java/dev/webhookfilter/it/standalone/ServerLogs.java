package dev.webhookfilter.it.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a server wrote under its {@code logs/}, split into records: a record is a line that starts
 * with a timestamp or a level and the lines after it that do neither (stack frames, the rest of a
 * multi-line message). Understands Tomcat's {@code OneLineFormatter}, Jetty's
 * {@code StdErrAppender}, {@code java.util.logging}'s two-line {@code SimpleFormatter} and the
 * JVM's own {@code WARNING:} lines.
 */
final class ServerLogs {

    /** {@code 28-Nov-2026 ...} (Tomcat), {@code 2026-11-28 ...} (Jetty), {@code Nov 28, 2026 ...} (JUL). */
    private static final Pattern RECORD_START = Pattern.compile("^(\\d|[A-Z][a-z]{2} \\d{1,2}, \\d{4} )");
    /** The first line of a {@code SimpleFormatter} record: its date, source class and method. */
    private static final Pattern JUL_HEADER = Pattern.compile("^[A-Z][a-z]{2} \\d{1,2}, \\d{4} ");
    /** A line that starts with its level: the second of a {@code SimpleFormatter} record, or the JVM's own warnings. */
    private static final Pattern LEVEL_LINE = Pattern.compile("^(SEVERE|ERROR|WARNING|WARN|INFO|CONFIG|FINE|FINER|FINEST):");
    /** A level that an operator must look at, as a word in the record's first line. */
    private static final Pattern PROBLEM_LEVEL = Pattern.compile("(?<![A-Za-z])(SEVERE|ERROR|WARNING|WARN)(?![A-Za-z])");
    /** The second line of a {@code SimpleFormatter} record starts with its level. */
    private static final Pattern PROBLEM_LEVEL_LINE = Pattern.compile("^(SEVERE|ERROR|WARNING|WARN):");

    private final String text;
    private final List<String> records;

    private ServerLogs(String text, List<String> records) {
        this.text = text;
        this.records = records;
    }

    static ServerLogs read(Path directory) {
        StringBuilder text = new StringBuilder();
        List<String> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                // ISO-8859-1 maps every byte to a char: nothing in a log can fail to decode or hide.
                String content = Files.readString(file, StandardCharsets.ISO_8859_1);
                text.append("==> ").append(directory.relativize(file)).append(" <==\n").append(content).append('\n');
                records.addAll(split(content));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServerLogs(text.toString(), List.copyOf(records));
    }

    private static List<String> split(String content) {
        List<String> records = new ArrayList<>();
        StringBuilder record = null;
        for (String line : content.split("\\R")) {
            boolean secondOfJulRecord = record != null && record.indexOf("\n") < 0 && JUL_HEADER.matcher(record).find();
            if (record == null || RECORD_START.matcher(line).find()
                    || (LEVEL_LINE.matcher(line).find() && !secondOfJulRecord)) {
                if (record != null) {
                    records.add(record.toString());
                }
                record = new StringBuilder(line);
            } else {
                record.append('\n').append(line);
            }
        }
        if (record != null && record.length() > 0) {
            records.add(record.toString());
        }
        return records;
    }

    boolean contains(String needle) {
        return text.contains(needle);
    }

    /** Records at WARN, WARNING, SEVERE or ERROR. */
    List<String> problems() {
        return records.stream().filter(ServerLogs::isProblem).toList();
    }

    /** Records at WARN, WARNING, SEVERE or ERROR that mention {@code needle}, ignoring case. */
    List<String> problemsMentioning(String needle) {
        String lower = needle.toLowerCase(Locale.ROOT);
        return problems().stream().filter(r -> r.toLowerCase(Locale.ROOT).contains(lower)).toList();
    }

    private static boolean isProblem(String record) {
        String[] lines = record.split("\n", 3);
        return PROBLEM_LEVEL.matcher(lines[0]).find()
                || (lines.length > 1 && PROBLEM_LEVEL_LINE.matcher(lines[1]).find());
    }

    int length() {
        return text.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
