package dev.webhookfilter.it;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps every WARNING or SEVERE record logged in this JVM, where the embedded container runs:
 * Tomcat logs through {@code java.util.logging}, Jetty through SLF4J bound to it, and the filter
 * through {@code System.Logger}, which defaults to it.
 */
public final class ServerLog {

    private static final SimpleFormatter FORMATTER = new SimpleFormatter();
    private static final List<LogRecord> RECORDS = new ArrayList<>();
    private static boolean installed;

    private ServerLog() {
    }

    /** Starts capturing; calling it again does nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (ServerLog.class) {
                        RECORDS.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        installed = true;
    }

    /** How many records so far: a mark for {@link #since}. */
    public static synchronized int size() {
        return RECORDS.size();
    }

    /**
     * Forgets the records after {@code mark} whose line ({@link #since}) contains {@code text}: what a scenario expects
     * the container to log (a handler's exception it throws on purpose), which it has checked itself.
     *
     * @return how many were forgotten
     */
    public static synchronized int forget(int mark, String text) {
        int forgotten = 0;
        for (int i = RECORDS.size() - 1; i >= mark; i--) {
            LogRecord record = RECORDS.get(i);
            String line = record.getLevel() + " " + record.getLoggerName() + ": " + FORMATTER.formatMessage(record)
                    + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")");
            if (line.contains(text)) {
                RECORDS.remove(i);
                forgotten++;
            }
        }
        return forgotten;
    }

    /** The records after {@code mark}, one line each: level, logger, message and any exception. */
    public static synchronized List<String> since(int mark) {
        List<String> lines = new ArrayList<>();
        for (LogRecord record : RECORDS.subList(mark, RECORDS.size())) {
            lines.add(record.getLevel() + " " + record.getLoggerName() + ": " + FORMATTER.formatMessage(record)
                    + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
        }
        return lines;
    }
}
