package dev.webhookfilter.it.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log reader that the distribution tests rely on, fed lines as the servers wrote them. */
class ServerLogsTest {

    @TempDir
    Path logs;

    private ServerLogs read(String... lines) throws Exception {
        Files.writeString(logs.resolve("console.log"), String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
        return ServerLogs.read(logs);
    }

    @Test
    void tomcatSevereRecord_keepsItsMultiLineMessageAndStackTrace() throws Exception {
        ServerLogs logs = read(
                "28-Nov-2026 20:58:40.745 INFO [main] org.apache.jasper.servlet.TldScanner.scanJars At least one JAR was scanned",
                "28-Nov-2026 20:58:40.799 SEVERE [main] org.apache.catalina.core.StandardContext.filterStart Exception starting filter [webhookSignature]",
                "\tjakarta.servlet.ServletException: WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:",
                "secrets: entry 1 of 1: environment variable WEBHOOK_SECRET is not set",
                "\t\tat dev.webhookfilter.servlet.WebhookSignatureFilter.init(WebhookSignatureFilter.java:115)",
                "28-Nov-2026 20:58:40.802 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal One or more Filters failed to start.");

        List<String> problems = logs.problemsMentioning("WEBHOOK_SECRET is not set");

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("at dev.webhookfilter.servlet.WebhookSignatureFilter.init"));
        assertEquals(2, logs.problems().size());
    }

    @Test
    void jettyWarnRecord_isAProblem() throws Exception {
        ServerLogs logs = read(
                "2026-11-28 20:58:29.805:WARN :oeje10w.WebAppContext:main: Failed startup of context oeje10w.WebAppContext@b978d10{webhook-filter example,/ee10}",
                "jakarta.servlet.ServletException: WebhookSignatureFilter 'webhookSignature' is misconfigured and will not start:|secrets: entry 1 of 1: environment variable WEBHOOK_SECRET is not set",
                "\tat dev.webhookfilter.servlet.WebhookSignatureFilter.init(WebhookSignatureFilter.java:115)",
                "2026-11-28 20:58:30.047:INFO :oejs.Server:main: Started oejs.Server@2a640157{STARTING}[12.1.12,sto=0] @730ms");

        assertEquals(1, logs.problemsMentioning("webhookfilter").size());
        assertEquals(1, logs.problems().size());
    }

    @Test
    void julSimpleFormatterRecord_takesItsLevelFromTheSecondLine() throws Exception {
        ServerLogs logs = read(
                "Nov 28, 2026 8:57:59 PM dev.webhookfilter.servlet.WebhookSignatureFilter init",
                "INFO: WebhookSignatureFilter 'webhookSignature' verifies X-Webhook-Signature with 1 secret",
                "Nov 28, 2026 8:58:00 PM dev.webhookfilter.example.WebhookHandlerServlet doPost",
                "SEVERE: something went wrong");

        List<String> problems = logs.problems();

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("Nov 28, 2026 8:58:00 PM dev.webhookfilter.example.WebhookHandlerServlet"));
    }

    @Test
    void jvmWarningLines_areProblemsOfTheirOwn_notPartOfThePrecedingRecord() throws Exception {
        ServerLogs logs = read(
                "28-Nov-2026 21:06:58.890 INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Command line argument: -Djava.io.tmpdir=/tmp",
                "WARNING: A restricted method in java.lang.System has been called",
                "WARNING: Use --enable-native-access=ALL-UNNAMED to avoid a warning for callers in this module");

        List<String> problems = logs.problems();

        assertEquals(List.of("WARNING: A restricted method in java.lang.System has been called",
                "WARNING: Use --enable-native-access=ALL-UNNAMED to avoid a warning for callers in this module"), problems);
    }

    @Test
    void infoAndAccessLogLines_areNotProblems() throws Exception {
        ServerLogs logs = read(
                "28-Nov-2026 21:05:50.573 INFO [http-nio-127.0.0.1-46795-exec-5] dev.webhookfilter.example.WebhookHandlerServlet.doPost webhook event evt_1 of type invoice.paid received (120 bytes)",
                "127.0.0.1 - - [28/Nov/2026:21:05:50 +0000] \"POST /example/webhooks/events HTTP/1.1\" 401 43");

        assertEquals(List.of(), logs.problems());
        assertTrue(logs.contains("evt_1"));
    }
}
