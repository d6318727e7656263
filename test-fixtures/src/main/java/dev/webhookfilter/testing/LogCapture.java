package dev.webhookfilter.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what a {@code java.util.logging} logger (where {@code System.Logger} goes by default)
 * publishes, and puts the logger back as it was on {@link #close}.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Starts recording every record that {@code loggerName} publishes at its level. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName));
    }

    /** Sets the level of the logger under capture, until {@link #close}. */
    public LogCapture level(Level level) {
        logger.setLevel(level);
        return this;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** The formatted messages of the records at exactly {@code level}, in order. */
    public synchronized List<String> messages(Level level) {
        SimpleFormatter formatter = new SimpleFormatter();
        List<String> messages = new ArrayList<>();
        for (LogRecord record : records) {
            if (record.getLevel().equals(level)) {
                messages.add(formatter.formatMessage(record));
            }
        }
        return messages;
    }

    /** Every record, formatted in full (level, source, message, thrown), as a log file would hold it. */
    public synchronized String render() {
        SimpleFormatter formatter = new SimpleFormatter();
        StringBuilder all = new StringBuilder();
        for (LogRecord record : records) {
            all.append(formatter.format(record));
        }
        return all.toString();
    }

    /** How many records have a raw message starting with {@code prefix}. */
    public synchronized long countStartingWith(String prefix) {
        return records.stream().filter(r -> r.getMessage().startsWith(prefix)).count();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
