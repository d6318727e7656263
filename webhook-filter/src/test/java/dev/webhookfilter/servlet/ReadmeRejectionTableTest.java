package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.RejectionReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's table of rejections ("How verification works") names every reason the filter may give, in the
 * order {@link OutcomeReporter#REASONS} lists them, with the status and the message a client receives: the
 * page a security reviewer reads to learn what is refused, and how.
 */
class ReadmeRejectionTableTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String HEADER = "| Reason (`Rejection`, or `FilterRejection` from `BODY_TOO_LARGE` on) | Status | Response says |";

    @Test
    void everyReasonIsARowWithItsStatusAndMessage() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(HEADER + "\n");
        assertTrue(start >= 0, "README.md has no line " + HEADER);
        List<String> rows = new ArrayList<>();
        for (String line : readme.substring(start).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            rows.add(line);
        }
        List<String> reasons = new ArrayList<>();
        for (String row : rows.subList(2, rows.size())) {
            reasons.add(row.substring(row.indexOf('`') + 1, row.indexOf('`', row.indexOf('`') + 1)));
        }
        List<String> expected = new ArrayList<>();
        for (RejectionReason reason : OutcomeReporter.REASONS) {
            expected.add(reason.toString());
        }
        assertEquals(expected, reasons, "README.md's rejection table, row by row");
        for (int i = 0; i < expected.size(); i++) {
            RejectionReason reason = OutcomeReporter.REASONS.get(i);
            String row = rows.get(i + 2);
            assertTrue(row.startsWith("| `" + reason + "` | " + reason.status() + " | " + reason.message()), row);
        }
    }
}
