package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HomePageTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:30:45.123456Z");

    private static EventLog.Event event(String eventId, String eventType, int size) {
        return new EventLog.Event(AT, eventId, eventType, size, "00", 1_772_368_245L);
    }

    @Nested
    class Events {

        @Test
        void listsEachEventWithTimeIdTypeSizeAndVerified() {
            String html = HomePage.render(List.of(event("whevt-1", "orders.created", 191)), 1, List.of());

            assertTrue(html.contains("<tr class=\"event\" data-event-id=\"whevt-1\"><td>2026-03-01T12:30:45Z</td>"
                    + "<td>whevt-1</td><td>orders.created</td><td>191</td><td class=\"ok\">verified</td></tr>"), html);
        }

        @Test
        void keepsTheLogsOrder_newestFirst() {
            EventLog log = new EventLog();
            log.add(event("whevt-older", "t", 1));
            log.add(event("whevt-newer", "t", 1));

            String html = HomePage.render(log.recent(), log.total(), List.of());

            assertTrue(html.indexOf("whevt-newer") < html.indexOf("whevt-older"), html);
        }

        @Test
        void showsADash_forABodyThatWasNotThePlatformsJson() {
            String html = HomePage.render(List.of(event(null, null, 3)), 1, List.of());

            assertTrue(html.contains("<td>—</td><td>—</td><td>3</td>"), html);
        }

        @Test
        void escapesEventIdsAndTypes_whichComeFromTheNetwork() {
            String html = HomePage.render(List.of(event("<img src=x onerror=alert(1)>\"'&", "<marquee>", 1)), 1, List.of());

            assertFalse(html.contains("<img"), html);
            assertFalse(html.contains("<marquee>"), html);
            assertTrue(html.contains("data-event-id=\"&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\""), html);
            assertTrue(html.contains("<td>&lt;marquee&gt;</td>"), html);
        }

        @Test
        void saysNoneYet_whenNothingArrived() {
            String html = HomePage.render(List.of(), 0, List.of());

            assertFalse(html.contains("class=\"event\""), html);
            assertTrue(html.contains("(0 in all;"), html);
            assertTrue(html.contains("None yet."), html);
        }
    }

    @Nested
    class Rejections {

        @Test
        void showsTimeMethodPathStatusReasonAndMessage() {
            String html = HomePage.render(List.of(), 0, List.of(
                    new RejectionLog.Entry(AT, "POST", "/webhooks/orders", Rejection.NO_MATCHING_SIGNATURE)));

            assertTrue(html.contains("<tr class=\"rejection\" data-reason=\"NO_MATCHING_SIGNATURE\">"
                    + "<td>2026-03-01T12:30:45Z</td><td>POST</td><td>/webhooks/orders</td>"
                    + "<td class=\"bad\">401 <code>NO_MATCHING_SIGNATURE</code>: no matching signature</td></tr>"), html);
        }

        @Test
        void escapesPaths_whichComeFromTheNetwork() {
            String html = HomePage.render(List.of(), 0, List.of(
                    new RejectionLog.Entry(AT, "POST", "/webhooks/<script>x</script>", Rejection.MISSING_HEADER)));

            assertTrue(html.contains("<td>/webhooks/&lt;script&gt;x&lt;/script&gt;</td>"), html);
        }
    }

    @Test
    void contentSecurityPolicyAllowsExactlyThePagesOwnScriptAndStyle() throws Exception {
        String html = HomePage.render(List.of(), 0, List.of());

        String script = between(html, "<script>", "</script>");
        String style = between(html, "<style>", "</style>");
        assertTrue(HomePage.CONTENT_SECURITY_POLICY.contains("script-src '" + sha256(script) + "'"));
        assertTrue(HomePage.CONTENT_SECURITY_POLICY.contains("style-src '" + sha256(style) + "'"));
        assertTrue(HomePage.CONTENT_SECURITY_POLICY.startsWith("default-src 'none';"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain text              | plain text",
            "a<b>c                   | a&lt;b&gt;c",
            "`\"quoted\"`            | &quot;quoted&quot;",
            "it's                    | it&#39;s",
            "&amp;                   | &amp;amp;",
    })
    void escape_replacesEveryCharacterSignificantInHtml(String text, String escaped) {
        assertEquals(escaped, HomePage.escape(text));
    }

    private static String between(String text, String start, String end) {
        Matcher matcher = Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL).matcher(text);
        assertTrue(matcher.find(), start);
        return matcher.group(1);
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
