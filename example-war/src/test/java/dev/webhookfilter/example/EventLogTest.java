package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private static EventLog.Event event(String eventId, String eventType) {
        return new EventLog.Event(Instant.EPOCH, eventId, eventType, 1, "00", 1L);
    }

    @Test
    void keepsTheNewestHundredNewestFirst_andCountsThemAll() {
        EventLog log = new EventLog();
        for (int i = 1; i <= 110; i++) {
            log.add(event("whevt-" + i, "t"));
        }

        List<EventLog.Event> recent = log.recent();
        assertEquals(100, recent.size());
        assertEquals("whevt-110", recent.get(0).eventId());
        assertEquals("whevt-11", recent.get(99).eventId());
        assertEquals(110, log.total());
    }

    /** A body of up to maxBodyBytes could otherwise hold a megabyte in each of the hundred entries, and on the page. */
    @Test
    void cutsLongEventIdsAndTypes() {
        EventLog.Event event = event("i".repeat(1_000_000), "t".repeat(1_000_000));

        // Compared by length first, so that a failure does not print a megabyte.
        assertEquals(EventLog.MAX_TEXT_CHARS + 1, event.eventId().length());
        assertEquals(EventLog.MAX_TEXT_CHARS + 1, event.eventType().length());
        assertEquals("i".repeat(200) + "…", event.eventId());
        assertEquals("t".repeat(200) + "…", event.eventType());
    }

    @Test
    void keepsAMissingIdAndTypeMissing() {
        EventLog.Event event = event(null, null);

        assertNull(event.eventId());
        assertNull(event.eventType());
    }
}
