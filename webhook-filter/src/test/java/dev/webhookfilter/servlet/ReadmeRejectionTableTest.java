package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.testing.Readme;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's table of rejections ("How verification works") names every reason the filter may give, in the
 * order {@link OutcomeReporter#REASONS} lists them, with the status and the message a client receives: the
 * page a security reviewer reads to learn what is refused, and how. Its troubleshooting table ("Why was my
 * webhook rejected?") has a row for each of them too, where an operator looks up the reason a log line gives.
 */
class ReadmeRejectionTableTest {

    private static final String HEADER = "| Reason (`Rejection`, or `FilterRejection` from `BODY_TOO_LARGE` on) | Status | Response says |";
    private static final String TROUBLESHOOTING = "| Reason | Usual cause | Fix |";

    @Test
    void everyReasonIsARowWithItsStatusAndMessage() {
        List<String> rows = Readme.tableRows(HEADER);
        List<String> reasons = new ArrayList<>();
        for (String row : rows) {
            reasons.add(row.substring(row.indexOf('`') + 1, row.indexOf('`', row.indexOf('`') + 1)));
        }
        List<String> expected = new ArrayList<>();
        for (RejectionReason reason : OutcomeReporter.REASONS) {
            expected.add(reason.toString());
        }
        assertEquals(expected, reasons, "README.md's rejection table, row by row");
        for (int i = 0; i < expected.size(); i++) {
            RejectionReason reason = OutcomeReporter.REASONS.get(i);
            String row = rows.get(i);
            assertTrue(row.startsWith("| `" + reason + "` | " + reason.status() + " | " + reason.message()), row);
        }
    }

    @Test
    void troubleshooting_hasARowForEveryReason() {
        List<String> missing = new ArrayList<>();
        List<String> rows = Readme.tableRows(TROUBLESHOOTING);
        for (RejectionReason reason : OutcomeReporter.REASONS) {
            if (rows.stream().noneMatch(row -> row.startsWith("| `" + reason + "`") || row.contains(" / `" + reason + "` |"))) {
                missing.add(reason.toString());
            }
        }
        assertEquals(List.of(), missing, "reasons without a row in README.md's troubleshooting table");
    }
}
