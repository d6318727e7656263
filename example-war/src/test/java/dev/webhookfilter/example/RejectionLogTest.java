package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.Rejection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    @Test
    void keepsTheNewestFiftyNewestFirst() {
        RejectionLog log = new RejectionLog();
        for (int i = 1; i <= 60; i++) {
            log.add(new RejectionLog.Entry(Instant.EPOCH, "POST", "/webhooks/" + i, Rejection.MISSING_HEADER));
        }

        List<RejectionLog.Entry> recent = log.recent();
        assertEquals(50, recent.size());
        assertEquals("/webhooks/60", recent.get(0).path());
        assertEquals("/webhooks/11", recent.get(49).path());
    }

    @Test
    void cutsLongPathsAndMethods() {
        RejectionLog.Entry entry = new RejectionLog.Entry(Instant.EPOCH, "M".repeat(1000), "/" + "a".repeat(8000),
                Rejection.MALFORMED_HEADER);

        assertEquals(RejectionLog.MAX_METHOD_CHARS + 1, entry.method().length());
        assertEquals(RejectionLog.MAX_PATH_CHARS + 1, entry.path().length());
        assertEquals("/" + "a".repeat(199) + "…", entry.path());
    }
}
