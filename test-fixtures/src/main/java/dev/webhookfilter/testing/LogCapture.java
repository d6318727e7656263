package dev.webhookfilter.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records what a {@code java.util.logging} logger (where {@code System.Logger} goes by default)
 * publishes, and puts the logger back as it was on {@link #close}. {@link #of} records from then on;
 * {@link #eachTest}, as an instance {@code @RegisterExtension} field, records during each test of its class.
 */
public final class LogCapture extends Handler implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();
    private Level previousLevel;
    private Level level;
    private boolean recording;

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /** Starts recording every record that {@code loggerName} publishes at its level. */
    public static LogCapture of(String loggerName) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.start();
        return capture;
    }

    /**
     * Records every record that {@code loggerName} publishes during each test, from none at its start, and puts
     * the logger back after it: {@code @RegisterExtension final LogCapture logs = LogCapture.eachTest(name);}.
     */
    public static LogCapture eachTest(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName));
    }

    private synchronized void start() {
        records.clear();
        previousLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        logger.addHandler(this);
        recording = true;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Sets the level of the logger under capture, until {@link #close} (for {@link #eachTest}, during each test). */
    public synchronized LogCapture level(Level level) {
        this.level = level;
        if (recording) {
            logger.setLevel(level);
        }
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
    public synchronized void close() {
        logger.removeHandler(this);
        if (recording) {
            logger.setLevel(previousLevel);
            recording = false;
        }
    }
}
