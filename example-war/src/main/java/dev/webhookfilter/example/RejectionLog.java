package dev.webhookfilter.example;

import dev.webhookfilter.RejectionReason;
import jakarta.servlet.ServletContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The most recent requests the signature filter refused, newest first; shared through the servlet
 * context. It keeps the reason, method and path only: never a header, a signature or a body.
 */
final class RejectionLog {

    private static final String ATTRIBUTE = RejectionLog.class.getName();
    static final int CAPACITY = 50;
    /** Longer paths are cut, so that a hostile client cannot make the log hold much. */
    static final int MAX_PATH_CHARS = 200;
    static final int MAX_METHOD_CHARS = 20;

    /** One refused request. */
    record Entry(Instant rejectedAt, String method, String path, RejectionReason reason) {

        Entry {
            method = cut(method, MAX_METHOD_CHARS);
            path = cut(path, MAX_PATH_CHARS);
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    static RejectionLog of(ServletContext context) {
        synchronized (context) {
            RejectionLog log = (RejectionLog) context.getAttribute(ATTRIBUTE);
            if (log == null) {
                log = new RejectionLog();
                context.setAttribute(ATTRIBUTE, log);
            }
            return log;
        }
    }

    synchronized void add(Entry entry) {
        entries.addFirst(entry);
        if (entries.size() > CAPACITY) {
            entries.removeLast();
        }
    }

    synchronized List<Entry> recent() {
        return new ArrayList<>(entries);
    }

    /** {@code value} up to {@code max} characters, then "…"; null is "". */
    static String cut(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() > max ? value.substring(0, max) + "…" : value;
    }
}
