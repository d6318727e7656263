package dev.webhookfilter.example;

import jakarta.servlet.ServletContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The most recent events the handler received, newest first; shared through the servlet context. */
final class EventLog {

    private static final String ATTRIBUTE = EventLog.class.getName();
    private static final int CAPACITY = 100;
    /** Longer ids and types are cut: they come from bodies of up to maxBodyBytes, and every page view prints them. */
    static final int MAX_TEXT_CHARS = 200;

    /**
     * One delivered event. {@code eventId} and {@code eventType} are null when the body was not the platform's
     * JSON, and cut at {@value #MAX_TEXT_CHARS} characters.
     */
    record Event(Instant receivedAt, String eventId, String eventType, int size, String sha256, long signedAt) {

        Event {
            eventId = eventId == null ? null : RejectionLog.cut(eventId, MAX_TEXT_CHARS);
            eventType = eventType == null ? null : RejectionLog.cut(eventType, MAX_TEXT_CHARS);
        }
    }

    private final Deque<Event> events = new ArrayDeque<>();
    private long total;

    static EventLog of(ServletContext context) {
        synchronized (context) {
            EventLog log = (EventLog) context.getAttribute(ATTRIBUTE);
            if (log == null) {
                log = new EventLog();
                context.setAttribute(ATTRIBUTE, log);
            }
            return log;
        }
    }

    synchronized void add(Event event) {
        events.addFirst(event);
        if (events.size() > CAPACITY) {
            events.removeLast();
        }
        total++;
    }

    synchronized List<Event> recent() {
        return new ArrayList<>(events);
    }

    synchronized long total() {
        return total;
    }
}
