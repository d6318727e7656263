package dev.webhookfilter.example;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * The example's page: the events received, the requests refused, and buttons that send a test event
 * and a forged one. Plain HTML; every value printed is escaped, because event ids and paths come
 * from the network.
 */
final class HomePage {

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
            th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
            .ok { color: #060; } .bad { color: #a00; } .empty { color: #777; }
            """;

    /** Sends through {@code POST send-test-event}, then replaces the tables with those of a fresh copy of the page. */
    private static final String SCRIPT = """
            async function send(forged) {
              const result = document.getElementById('result');
              result.textContent = 'Sending…';
              try {
                const response = await fetch('send-test-event' + (forged ? '?forged=true' : ''),
                    { method: 'POST', headers: { 'X-Example-Action': 'send-test-event' } });
                const outcome = await response.json();
                if (outcome.error) {
                  result.textContent = 'Not sent: ' + outcome.error;
                } else {
                  result.dataset.eventId = outcome.eventId;
                  result.textContent = 'Sent ' + outcome.eventId + ': HTTP ' + outcome.status
                      + (outcome.verified ? ', verified' : ', rejected');
                }
              } catch (e) {
                result.textContent = 'Not sent: ' + e;
              }
              const fresh = new DOMParser().parseFromString(
                  await (await fetch('./', { cache: 'no-store' })).text(), 'text/html');
              for (const id of ['events', 'rejections']) {
                document.getElementById(id).replaceWith(fresh.getElementById(id));
              }
            }
            document.getElementById('send-test').addEventListener('click', () => send(false));
            document.getElementById('send-forged').addEventListener('click', () => send(true));
            """;

    /**
     * Allows only this page's own style and script (by hash), and requests to this origin: an
     * escaping mistake could not run injected script.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; script-src '" + sha256(SCRIPT) + "'; connect-src 'self'; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'";

    private HomePage() {
    }

    static String render(List<EventLog.Event> events, long total, List<RejectionLog.Entry> rejections) {
        StringBuilder html = new StringBuilder(4096).append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>webhook-filter example</title>
                <style>""").append(STYLE).append("""
                </style>
                </head>
                <body>
                <h1>webhook-filter example</h1>
                <p>Events POSTed to <code>webhooks/…</code> reach the application only when their
                <code>X-Webhook-Signature</code> verifies. <b>Send test event</b> signs a sample event with
                this application's secret and posts it to <code>webhooks/test</code>; <b>Send a forged event</b>
                signs one with a wrong secret.</p>
                <p><button id="send-test" type="button">Send test event</button>
                <button id="send-forged" type="button">Send a forged event</button>
                <output id="result"></output></p>
                """);

        html.append("<section id=\"events\">\n<h2>Events received (").append(total)
                .append(" in all; <a href=\"events\">as JSON</a>)</h2>\n");
        html.append("<table>\n<thead><tr><th>Received</th><th>Event id</th><th>Type</th><th>Bytes</th>"
                + "<th>Signature</th></tr></thead>\n<tbody>\n");
        for (EventLog.Event event : events) {
            html.append("<tr class=\"event\" data-event-id=\"").append(escape(event.eventId())).append("\">")
                    .append("<td>").append(time(event.receivedAt())).append("</td>")
                    .append("<td>").append(orDash(event.eventId())).append("</td>")
                    .append("<td>").append(orDash(event.eventType())).append("</td>")
                    .append("<td>").append(event.size()).append("</td>")
                    .append("<td class=\"ok\">verified</td></tr>\n");
        }
        if (events.isEmpty()) {
            html.append("<tr><td colspan=\"5\" class=\"empty\">None yet.</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");

        html.append("<section id=\"rejections\">\n<h2>Requests refused</h2>\n");
        html.append("<table>\n<thead><tr><th>Refused</th><th>Method</th><th>Path</th><th>Reason</th></tr></thead>\n"
                + "<tbody>\n");
        for (RejectionLog.Entry entry : rejections) {
            html.append("<tr class=\"rejection\" data-reason=\"").append(entry.reason().name()).append("\">")
                    .append("<td>").append(time(entry.rejectedAt())).append("</td>")
                    .append("<td>").append(escape(entry.method())).append("</td>")
                    .append("<td>").append(escape(entry.path())).append("</td>")
                    .append("<td class=\"bad\">").append(entry.reason().status()).append(' ')
                    .append("<code>").append(entry.reason().name()).append("</code>: ")
                    .append(escape(entry.reason().message())).append("</td></tr>\n");
        }
        if (rejections.isEmpty()) {
            html.append("<tr><td colspan=\"4\" class=\"empty\">None yet.</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");

        return html.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n").toString();
    }

    /** Escapes text for an HTML element or a double- or single-quoted attribute. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String orDash(String text) {
        return text == null ? "—" : escape(text);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String sha256(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
