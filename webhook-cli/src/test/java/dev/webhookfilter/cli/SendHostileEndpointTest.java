package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.DEV_SECRET;
import static dev.webhookfilter.cli.CliVectors.T;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.cli.Cli.Result;
import dev.webhookfilter.testing.net.WrongServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code send} against endpoints that attack the person running it (issue 9, section 5): an endless
 * or trickled response, terminal escape sequences in what they answer, and a server that echoes the
 * request back to catch a secret or a password in what the tool prints. Each test performs the
 * attack over loopback HTTP with a plain {@link ServerSocket}.
 */
class SendHostileEndpointTest {

    /** Far above the 2 seconds allowed, so a loaded machine does not fail the test; before the fix it was never. */
    private static final Duration GENEROUS = Duration.ofSeconds(15);
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";

    @TempDir
    Path dir;

    private static Result send(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "send";
        System.arraycopy(args, 0, all, 1, args.length);
        return assertTimeoutPreemptively(GENEROUS, () -> cli().now(T).env("S", DEV_SECRET).run(all),
                "send did not return within " + GENEROUS);
    }

    /** Characters a terminal acts on; only newline and tab may reach it. */
    private static void assertNoControlCharacters(String printed) {
        for (int i = 0; i < printed.length(); i++) {
            char c = printed.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f;
            assertFalse(control, "control character U+" + Integer.toHexString(c) + " at " + i + " in: " + printed);
        }
    }

    @Nested
    class TimeAndSize {

        @Test
        void endlessBody_endsAtTheTimeoutWithExitThreeAndABoundedPrint() throws Exception {
            // 200, then 16 KiB every 10 ms for as long as the client reads: before the fix the
            // client kept it all, and never returned.
            try (HostileServer server = HostileServer.answering((request, out) -> {
                out.write((OK_HEAD + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[16 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                while (true) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(10);
                }
            })) {
                Result result = send("--secret-env", "S", "--timeout", "2", server.url("/webhooks/"));

                assertAll(
                        () -> assertEquals(3, result.exitCode(), result.err()),
                        () -> assertTrue(result.err().contains("error: the response from " + server.url("/webhooks/")
                                + " did not end within 2 seconds"), result.err()),
                        () -> assertTrue(result.out().startsWith("HTTP/1.1 200\n"), result.err()),
                        () -> assertTrue(result.out().length() < 65_536 + 1_024,
                                "printed " + result.out().length() + " characters"),
                        () -> assertTrue(result.out().contains("x".repeat(65_536)), "the first 64 KiB are shown"),
                        () -> assertFalse(result.out().contains("x".repeat(65_537)), "and no more"));
            }
        }

        @Test
        void trickledBody_endsAtTheTimeoutWithExitThree() throws Exception {
            // One byte of 60 every 500 ms: 30 s in all, which the client waited for before the fix.
            try (HostileServer server = HostileServer.answering((request, out) -> {
                out.write((OK_HEAD + "Content-Length: 60\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int i = 0; i < 60; i++) {
                    out.write('t');
                    out.flush();
                    Thread.sleep(500);
                }
            })) {
                Result result = send("--secret-env", "S", "--timeout", "1", server.url("/webhooks/"));

                assertEquals(3, result.exitCode(), result.err());
                assertTrue(result.err().contains("error: the response from " + server.url("/webhooks/")
                        + " did not end within 1 seconds"), result.err());
                assertTrue(result.out().startsWith("HTTP/1.1 200\n"), result.out());
                assertFalse(result.out().contains("t".repeat(20)), "at 2 bytes a second, 1 s gives ~3: " + result.out());
            }
        }

        @Test
        void trickledHeaders_endAtTheTimeoutWithExitThree() throws Exception {
            try (HostileServer server = HostileServer.answering((request, out) -> {
                for (byte b : (OK_HEAD + "X-Slow: " + "s".repeat(60)).getBytes(StandardCharsets.ISO_8859_1)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(500);
                }
            })) {
                Result result = send("--secret-env", "S", "--timeout", "1", server.url("/webhooks/"));

                assertEquals(3, result.exitCode(), result.err());
                assertTrue(result.err().contains("error: no response from " + server.url("/webhooks/")
                        + " within 1 seconds"), result.err());
                assertEquals("", result.out());
            }
        }

        /**
         * A server that answers from the headers alone (413 for the Content-Length) and then reads no more of the
         * body, keeping the connection open: Java's HTTP client reads a response only once the whole body is sent, so
         * it never reads this one. Before the fix the error was a bare "no response", as if the server had said
         * nothing. 48 MiB is more than this machine's loopback can take unread (the sender's buffer grows to
         * net.ipv4.tcp_wmem's 4 MiB, the receiver's stays at tcp_rmem's 128 KiB while nothing reads it).
         */
        @Test
        void serverThatAnswersEarlyAndReadsNoMore_errorSaysTheBodyWasNotSentWhole() throws Exception {
            byte[] body = new byte[48 << 20];
            CountDownLatch done = new CountDownLatch(1);
            try (WrongServer server = WrongServer.start((in, out) -> {
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                }
                out.write(("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 9\r\n\r\ntoo large")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                String url = "http://127.0.0.1:" + server.port() + "/webhooks/";
                try {
                    Result result = assertTimeoutPreemptively(GENEROUS, () -> cli().now(T).env("S", DEV_SECRET)
                            .stdin(body).run("send", "--secret-env", "S", "--timeout", "1", url, "-"));

                    assertEquals(3, result.exitCode(), result.err());
                    assertTrue(result.err().matches("(?s).*\nerror: no response from " + Pattern.quote(url)
                            + " within 1 seconds, while the body was still being sent \\(at most \\d+ of its "
                            + body.length + " bytes went out\\)\\. A server that answers from the headers alone \\(413"
                            + " for the Content-Length, 401 for the signature\\) and reads no further may have"
                            + " answered: Java's HTTP client reads a response only once the whole body is sent\\."
                            + " To see such an answer, send the body with curl -i and the signature 'sign' prints,"
                            + " as curl reads an answer while it sends\\.\n"), result.err());
                    assertEquals("", result.out());
                } finally {
                    done.countDown();
                }
            }
        }

        /**
         * An https URL to a server that never answers the TLS handshake: nothing of the body went out, nor the
         * request's headers, so the error is a bare "no response", without the early answer the server cannot have
         * given. Before the fix it said "while the body was still being sent (at most 0 of its 118 bytes went out)".
         */
        @Test
        void handshakeThatNeverEnds_isNoResponse_withoutAnEarlyAnswer() throws IOException {
            try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String url = "https://127.0.0.1:" + silent.getLocalPort() + "/webhooks/";

                Result result = send("--secret-env", "S", "--timeout", "1", url);

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().endsWith("\nerror: no response from " + url + " within 1 seconds\n"),
                        result.err());
            }
        }

        @Test
        void longBody_showsTheFirst64KiBAndCountsTheRest() throws Exception {
            byte[] body = new byte[1024 * 1024];
            Arrays.fill(body, (byte) 'y');
            try (HostileServer server = HostileServer.answering(OK_HEAD, body)) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                // 1048576 - 65536 = 983040 bytes were read and dropped.
                assertTrue(result.out().endsWith("\n\n" + "y".repeat(65_536)
                        + "\n... (983040 more bytes not shown)\n"), () -> result.out().substring(0, 200));
            }
        }

        @Test
        void bodyOfExactly64KiB_isShownWhole() throws Exception {
            byte[] body = new byte[65_536];
            Arrays.fill(body, (byte) 'z');
            try (HostileServer server = HostileServer.answering(OK_HEAD, body)) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(result.out().endsWith("\n\n" + "z".repeat(65_536) + "\n"), "no truncation note");
            }
        }
    }

    @Nested
    class EscapeSequences {

        @Test
        void inHeadersAndBody_arePrintedAsVisibleEscapes() throws Exception {
            String body = "before\u001b[2J\u001b]0;owned\u0007after\roverwrite\u009b31m\u202eevil\n";
            try (HostileServer server = HostileServer.answering(
                    "HTTP/1.1 200 OK\r\nX-Csi: a\u009b2Jb\r\n",
                    body.getBytes(StandardCharsets.UTF_8))) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertNoControlCharacters(result.all());
                assertTrue(result.out().contains("before\\u001b[2J\\u001b]0;owned\\u0007after\\u000doverwrite"
                        + "\\u009b31m\\u202eevil\n"), result.all());
                // The JDK's client refuses C0 controls in a header (see the error message test) but
                // passes C1's single-byte CSI through.
                assertTrue(result.out().toLowerCase().contains("x-csi: a\\u009b2jb\n"), result.out());
                assertFalse(result.out().contains("\u202e"), "a bidi override reorders the terminal's line");
            }
        }

        @Test
        void crLfLineEnds_areKept() throws Exception {
            try (HostileServer server = HostileServer.answering(OK_HEAD,
                    "one\r\ntwo\r\n".getBytes(StandardCharsets.UTF_8))) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertTrue(result.out().endsWith("\n\none\r\ntwo\r\n"), result.out());
            }
        }

        @Test
        void inTheStatusLine_neverReachTheTerminal() throws Exception {
            try (HostileServer server = HostileServer.answering(
                    "HTTP/1.1 200 \u001b[2J\u001b]0;owned\u0007\r\n", new byte[0])) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertNoControlCharacters(result.all());
            }
        }

        @Test
        void inAnErrorMessage_neverReachTheTerminal() throws Exception {
            // The HTTP client refuses a header name with a control character, and its message
            // quotes the name.
            try (HostileServer server = HostileServer.answering(
                    "HTTP/1.1 200 OK\r\nX-Clear\u001b[2J\u001b]0;owned\u0007: a\r\n", new byte[0])) {
                Result result = send("--secret-env", "S", server.url("/webhooks/"));

                assertEquals(3, result.exitCode(), result.err());
                assertNoControlCharacters(result.all());
                assertTrue(result.err().contains("X-Clear\\u001b[2J\\u001b]0;owned\\u0007"), result.err());
            }
        }
    }

    /**
     * An endpoint that answers with a redirect to another host: the JDK's client, told to follow one, re-sends a
     * 307's or 308's signed body there, and the request's headers with it (the Basic credentials of the URL's
     * user-info too). {@code send} follows none: it prints the redirect and exits 1.
     */
    @Nested
    class Redirects {

        @ParameterizedTest
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void toAnotherHost_areNotFollowed(int status) throws Exception {
            try (HostileServer elsewhere = HostileServer.echoing();
                 HostileServer server = HostileServer.answering("HTTP/1.1 " + status + " Moved\r\nLocation: http://localhost:"
                         + elsewhere.port() + "/elsewhere/\r\n", new byte[0])) {
                Result result = send("--secret-env", "S", "http://user:pass@127.0.0.1:" + server.port() + "/webhooks/");

                assertAll(
                        () -> assertEquals(1, result.exitCode(), result.all()),
                        () -> assertEquals(1, server.requests().size(), "requests to the URL given"),
                        () -> assertEquals(List.of(), elsewhere.requests(), "requests to the redirect's host"),
                        () -> assertTrue(result.out().startsWith("HTTP/1.1 " + status + "\n"), result.out()),
                        () -> assertTrue(result.out().contains("location: http://localhost:" + elsewhere.port()
                                + "/elsewhere/\n"), result.out()));
            }
        }
    }

    @Nested
    class NeverPrinted {

        @Test
        void secretFileContents_evenWhenSentAndEchoedBack() throws Exception {
            String secret = "whsec_from_the_file_3f9a1c";
            Path secrets = Files.writeString(dir.resolve("secret.txt"), secret + "\n");
            Path event = Files.writeString(dir.resolve("event.json"), "{\"debug\":\"" + secret + "\"}");
            try (HostileServer server = HostileServer.echoing()) {
                // The secret pasted into a header and the body by mistake (the secrets file itself as the body is
                // refused before anything is sent: SecretOptionsTest).
                Result result = cli().now(T).run("send", "--secret-file", secrets.toString(),
                        "-H", "X-Debug: " + secret, server.url("/webhooks/"), event.toString());

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).contains(secret), "the test sends it, so the echo has it");
                assertFalse(result.all().contains(secret), result.all());
                assertTrue(result.all().contains("***"), "says where it was: " + result.all());
            }
        }

        @Test
        void secretEnvironmentValue_evenWhenSentAndEchoedBack() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", "-H", "X-Debug: " + DEV_SECRET, server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertFalse(result.all().contains(DEV_SECRET), result.all());
            }
        }

        @Test
        void secretGivenWhereTheFilePathGoes() {
            Result result = cli().run("send", "--secret-file", DEV_SECRET, "http://127.0.0.1:9/webhooks/");

            assertEquals(3, result.exitCode(), result.err());
            assertFalse(result.all().contains(DEV_SECRET), result.all());
            assertTrue(result.err().contains("--secret-file"), result.err());
        }

        /** A Svix / Standard Webhooks secret (whsec_ + base64 of 24 bytes) has a '/' and no '+' or '=' in about one case in four. */
        @Test
        void whsecSecretWithASlash_givenWhereTheFilePathGoes_isNotPrinted() {
            String svixSecret = "whsec_9fk4I/K3iXnIIYXGUAggwWg7fEVJ9Hth";

            Result result = cli().run("send", "--secret-file", svixSecret, "http://127.0.0.1:9/webhooks/");

            assertEquals(3, result.exitCode(), result.err());
            assertFalse(result.all().contains("9fk4I/K3iXnIIYXGUAggwWg7fEVJ9Hth"), result.all());
        }

        /** A generated password often holds '/': the URL is refused, and its password printed in the refusal. */
        @Test
        void urlPasswordWithASlash_isNotPrintedInTheRefusal() {
            Result result = cli().env("S", DEV_SECRET).run("send", "--secret-env", "S",
                    "http://user:Zx9/pQ7rT2@127.0.0.1:9/webhooks/");

            assertEquals(2, result.exitCode(), result.err());
            assertFalse(result.all().contains("Zx9/pQ7rT2"), result.all());
        }

        @Test
        void pathLikeSecretFile_isNamedInTheError() {
            String missing = dir.resolve("missing.txt").toString();

            Result result = cli().run("send", "--secret-file", missing, "http://127.0.0.1:9/webhooks/");

            assertTrue(result.err().contains("error: cannot read secret file " + missing + ": no such file"),
                    result.err());
        }

        @Test
        void urlUserInfo_isSentAsBasicAuthenticationAndNeverPrinted() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                String url = "http://user:pass@127.0.0.1:" + server.port() + "/webhooks/";

                Result result = send("--secret-env", "S", url);

                assertEquals(0, result.exitCode(), result.err());
                // printf 'user:pass' | base64
                assertTrue(server.requests().get(0).contains("\r\nAuthorization: Basic dXNlcjpwYXNz\r\n"),
                        server.requests().get(0));
                assertAll(
                        () -> assertFalse(result.all().contains("user:pass"), result.all()),
                        () -> assertFalse(result.all().contains("pass@"), result.all()),
                        () -> assertFalse(result.all().contains("dXNlcjpwYXNz"), result.all()),
                        () -> assertTrue(result.err().contains("> POST http://127.0.0.1:" + server.port()
                                + "/webhooks/\n"), result.err()),
                        () -> assertTrue(result.err().contains("> Authorization: Basic *** (the URL's user-info)\n"),
                                result.err()));
            }
        }

        /** An endpoint that received the Basic credentials can quote the password alone, not only user:password. */
        @Test
        void urlPassword_echoedAloneIsNeverPrinted() throws Exception {
            byte[] body = "{\"error\":\"wrong password Zx9%pQ7rT2 for webhooks\"}".getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering("HTTP/1.1 401 Unauthorized\r\n"
                    + "X-Tried: Zx9%pQ7rT2\r\n", body)) {
                Result result = send("--secret-env", "S", "http://webhooks:Zx9%25pQ7rT2@127.0.0.1:" + server.port() + "/");

                assertEquals(1, result.exitCode(), result.err());
                assertFalse(result.all().contains("Zx9%pQ7rT2"), result.all());
                assertTrue(result.out().contains("wrong password *** for webhooks"), result.out());
            }
        }

        @Test
        void percentEncodedUserInfo_isDecodedForBasicAndNeverPrintedEitherWay() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                String url = "http://us%65r:p%40ss@127.0.0.1:" + server.port() + "/webhooks/";

                Result result = send("--secret-env", "S", url);

                // printf 'user:p@ss' | base64
                assertTrue(server.requests().get(0).contains("\r\nAuthorization: Basic dXNlcjpwQHNz\r\n"),
                        server.requests().get(0));
                assertFalse(result.all().contains("us%65r:p%40ss"), result.all());
                assertFalse(result.all().contains("user:p@ss"), result.all());
                assertFalse(result.all().contains("dXNlcjpwQHNz"), result.all());
            }
        }

        @Test
        void urlUserInfo_notInConnectionErrors() throws IOException {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }

            Result result = send("--secret-env", "S", "http://user:pass@127.0.0.1:" + port + "/webhooks/");

            assertEquals(3, result.exitCode());
            assertFalse(result.all().contains("user:pass"), result.all());
        }

        @Test
        void urlUserInfo_notInTimeoutErrors() throws IOException {
            try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Result result = send("--secret-env", "S", "--timeout", "1",
                        "http://user:pass@127.0.0.1:" + silent.getLocalPort() + "/webhooks/");

                assertEquals(3, result.exitCode());
                assertFalse(result.all().contains("user:pass"), result.all());
                assertTrue(result.err().contains("no response from http://127.0.0.1:" + silent.getLocalPort()
                        + "/webhooks/ within 1 seconds"), result.err());
            }
        }

        @Test
        void urlUserInfo_notInUsageErrors() {
            Result result = send("--secret-env", "S", "ftp://user:pass@127.0.0.1/webhooks/");

            assertEquals(2, result.exitCode());
            assertFalse(result.all().contains("user:pass"), result.all());
        }

        /**
         * A credential given as a header is a credential as the URL's user-info is: sent as given, never
         * printed, not in the request shown, nor where the endpoint echoes it, whole or the token alone.
         */
        @ParameterizedTest
        @CsvSource({"Authorization, Bearer tok-9f3a1c77e2", "authorization, Basic dG9rLTlmM2ExYzc3ZTI=",
                "Cookie, SID=tok-9f3a1c77e2", "X-Api-Key, tok-9f3a1c77e2", "X-Auth-Token, tok-9f3a1c77e2",
                "X-Client-Secret, tok-9f3a1c77e2", "X-Session-Id, tok-9f3a1c77e2", "X-Access-Key, tok-9f3a1c77e2",
                "X-Api_Key, tok-9f3a1c77e2"})
        void credentialHeader_isSentAndNeverPrinted(String name, String value) throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", "-H", name + ": " + value, server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).contains("\r\n" + name + ": " + value + "\r\n"),
                        server.requests().get(0));
                String token = value.substring(value.indexOf(' ') + 1);
                assertFalse(result.all().contains(token), result.all());
                assertTrue(result.err().contains("> " + name + ": ***\n"), result.err());
            }
        }

        /**
         * A header taken for a credential by its name alone, with a short value: masked in the request shown, but
         * not wherever else it stands, where it would mask the status line's and the body's "1"s.
         */
        @Test
        void shortValueOfAHeaderNamedLikeACredential_isMaskedInItsLineOnly() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", "-H", "X-Session-Id: 1", server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).contains("\r\nX-Session-Id: 1\r\n"), server.requests().get(0));
                assertTrue(result.err().contains("> X-Session-Id: ***\n"), result.err());
                assertTrue(result.out().startsWith("HTTP/1.1 "), result.out());
            }
        }

        @Test
        void basicAuthorizationHeader_passwordEchoedAloneIsNeverPrinted() throws Exception {
            byte[] body = "{\"error\":\"wrong password Zx9%pQ7rT2 for webhooks\"}".getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering("HTTP/1.1 401 Unauthorized\r\n", body)) {
                // printf 'webhooks:Zx9%%pQ7rT2' | base64
                Result result = send("--secret-env", "S", "-H", "Authorization: Basic d2ViaG9va3M6Wng5JXBRN3JUMg==",
                        server.url("/"));

                assertEquals(1, result.exitCode(), result.err());
                assertFalse(result.all().contains("Zx9%pQ7rT2"), result.all());
                assertTrue(result.out().contains("wrong password *** for webhooks"), result.out());
            }
        }

        /**
         * The endpoint received the Authorization header's token and the URL's password, and may quote them alone
         * (a 401 page naming what it got): short ones too, which the endpoint has as it has a long one.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "Authorization: Bearer, token quoted alone | -H      | Authorization: Bearer pw123",
            "Authorization without a scheme            | -H      | Authorization: pw123",
            "Authorization: Basic, password alone      | -H      | Authorization: Basic d2ViaG9va3M6cHcxMjM=",
            "the URL's password                        | userinfo | webhooks:pw123",
        })
        void shortAuthorizationCredential_echoedAloneIsNeverPrinted(String name, String where, String given)
                throws Exception {
            byte[] body = "{\"error\":\"wrong password pw123 for webhooks\"}".getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering("HTTP/1.1 401 Unauthorized\r\n", body)) {
                // printf 'webhooks:pw123' | base64
                Result result = where.equals("-H") ? send("--secret-env", "S", "-H", given, server.url("/"))
                        : send("--secret-env", "S", "http://" + given + "@127.0.0.1:" + server.port() + "/");

                assertEquals(1, result.exitCode(), result.err());
                assertFalse(result.all().contains("pw123"), result.all());
                assertTrue(result.out().contains("wrong password *** for webhooks"), result.out());
            }
        }

        /**
         * A body is printed up to its first 64 KiB, or up to where it stopped at the timeout: a credential the cut
         * splits is masked too, not printed up to the cut.
         */
        @Test
        void credentialSplitByTheCutOfA64KiBBody_isNeverPrinted() throws Exception {
            byte[] body = ("x".repeat(BoundedBody.LIMIT - 8) + "tok-9f3a1c77e2 and more").getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering(OK_HEAD, body)) {
                Result result = send("--secret-env", "S", "-H", "Authorization: Bearer tok-9f3a1c77e2",
                        server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertFalse(result.all().contains("tok-9f3a"), () -> result.all().substring(result.all().length() - 200));
                assertTrue(result.out().contains("x".repeat(BoundedBody.LIMIT - 8) + "***\n... (15 more bytes not shown)\n"),
                        () -> result.out().substring(result.out().length() - 200));
            }
        }

        /** The cut falls inside a character of the credential (UTF-8's two bytes of an ä): masked as well. */
        @Test
        void nonAsciiCredentialSplitInsideACharacterByTheCut_isNeverPrinted() throws Exception {
            byte[] body = ("x".repeat(BoundedBody.LIMIT - 13) + "tok-9f3a1c77\u00e42 and more").getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering(OK_HEAD, body)) {
                Result result = send("--secret-env", "S", "-H", "X-Api-Key: tok-9f3a1c77\u00e42", server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertFalse(result.all().contains("tok-9f3a"), () -> result.all().substring(result.all().length() - 200));
                assertTrue(result.out().contains("x".repeat(BoundedBody.LIMIT - 13) + "***\n... (11 more bytes not shown)\n"),
                        () -> result.out().substring(result.out().length() - 200));
            }
        }

        @Test
        void credentialSplitByTheTimeout_isNeverPrinted() throws Exception {
            try (HostileServer server = HostileServer.answering((request, out) -> {
                out.write((OK_HEAD + "Content-Length: 60\r\n\r\nwrong token tok-9f3a").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(30_000);
            })) {
                Result result = send("--secret-env", "S", "--timeout", "1", "-H", "Authorization: Bearer tok-9f3a1c77e2",
                        server.url("/webhooks/"));

                assertEquals(3, result.exitCode(), result.all());
                assertFalse(result.all().contains("tok-9f3a"), result.all());
                assertTrue(result.out().endsWith("\n\nwrong token ***\n"), result.out());
            }
        }

        /** The HTTP client's refusal quotes the value it refused: a credential's, however short, is not shown. */
        @ParameterizedTest
        @ValueSource(strings = {"Authorization", "X-Api-Key", "Cookie"})
        void shortCredentialHeader_notInTheErrorForAValueTheHttpClientRefuses(String name) {
            Result result = send("--secret-env", "S", "-H", name + ": pw\u000123", "http://127.0.0.1:9/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --header " + name + ": "), result.err());
            assertFalse(result.all().contains("pw"), result.all());
        }

        @Test
        void credentialHeader_notInTheErrorForAValueTheHttpClientRefuses() {
            Result result = send("--secret-env", "S", "-H", "Authorization: Bearer tok-9f3a1c77e2\u0001",
                    "http://127.0.0.1:9/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertFalse(result.all().contains("tok-9f3a1c77e2"), result.all());
        }

        /**
         * An Authorization line missing its colon is refused as malformed: the refusal quoted it whole, token
         * included, in send and in verify.
         */
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
            "send   | Authorization Bearer tok-9f3a1c77e2",
            "send   | Authorization=Bearer tok-9f3a1c77e2",
            "send   | Authorization tok-9f3a1c77e2: x",
            "verify | Authorization Bearer tok-9f3a1c77e2",
            "verify | Authorization=Bearer tok-9f3a1c77e2",
        })
        void credentialHeaderWithoutItsColon_isNotQuotedInTheRefusal(String command, String line) {
            Result result = cli().now(T).env("S", DEV_SECRET).stdin(new byte[0]).run(command, "--secret-env", "S", "-H",
                    line, command.equals("send") ? "http://127.0.0.1:9/webhooks/" : "--signature=t=1700000000,v1=x");

            assertEquals(2, result.exitCode(), result.all());
            assertFalse(result.all().contains("tok-9f3a1c77e2"), result.all());
            assertTrue(result.err().startsWith("error: --header takes 'Name: value', not 'Authorization...' (the rest"
                    + " is not shown: it may hold a credential)\n"), result.err());
        }

        @Test
        void urlUserInfoWithAnAuthorizationHeader_isUsageError() {
            Result result = send("--secret-env", "S", "-H", "Authorization: Bearer x",
                    "http://user:pass@127.0.0.1:9/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("either in the URL or with --header Authorization"), result.err());
            assertFalse(result.all().contains("user:pass"), result.all());
        }
    }

    /**
     * What each part of a URL that may carry a token (its query, a path segment, its fragment) shares: the endpoint
     * receives the URL as it must, and the token appears nowhere in what send prints, whichever way the exchange
     * ends. Each subclass gives its URL and how it shows.
     */
    abstract class UrlPartNeverPrinted {

        private final String given;
        private final String sent;
        private final String shown;
        private final String quoted;

        /**
         * @param given what follows the host in the URL given, token included
         * @param sent the request line's target the endpoint receives
         * @param shown how {@code given} shows in the request shown and in every error
         * @param quoted how {@code given} shows in the refusal of a text that is not a URL
         */
        UrlPartNeverPrinted(String given, String sent, String shown, String quoted) {
            this.given = given;
            this.sent = sent;
            this.shown = shown;
            this.quoted = quoted;
        }

        /** Fails if {@code result} shows the token, or what else of the part is private, anywhere. */
        abstract void assertNoToken(Result result);

        @Test
        void isSentAndShownAsMasked() throws Exception {
            try (HostileServer server = HostileServer.answering(OK_HEAD, "ok\n".getBytes(StandardCharsets.UTF_8))) {
                Result result = send("--secret-env", "S", server.url(given));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST " + sent + " HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.err().contains("> POST " + server.url(shown) + "\n"), result.err());
                assertNoToken(result);
            }
        }

        @Test
        void notInConnectionRefused() throws IOException {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }

            Result result = send("--secret-env", "S", "http://127.0.0.1:" + port + given);

            assertEquals(3, result.exitCode(), result.all());
            assertTrue(result.err().contains("error: cannot connect to 127.0.0.1:" + port), result.err());
            assertNoToken(result);
        }

        @Test
        void notInNoResponseInTime() throws IOException {
            try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String url = "http://127.0.0.1:" + silent.getLocalPort();

                Result result = send("--secret-env", "S", "--timeout", "1", url + given);

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().contains("error: no response from " + url + shown + " within 1 seconds"),
                        result.err());
                assertNoToken(result);
            }
        }

        @Test
        void notInAResponseThatDoesNotEndInTime() throws Exception {
            try (HostileServer server = HostileServer.answering((request, out) -> {
                out.write((OK_HEAD + "Content-Length: 60\r\n\r\nsome").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(30_000);
            })) {
                Result result = send("--secret-env", "S", "--timeout", "1", server.url(given));

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().contains("error: the response from " + server.url(shown)
                        + " did not end within 1 seconds"), result.err());
                assertNoToken(result);
            }
        }

        /** An exchange that fails otherwise ("request to URL failed: ..."): https to a server that answers plain HTTP. */
        @Test
        void notInAFailedExchange() throws Exception {
            try (WrongServer server = WrongServer.start(WrongServer.replyOnceAndClose(WrongServer.HTTP_400))) {
                String url = "https://127.0.0.1:" + server.port();

                Result result = send("--secret-env", "S", url + given);

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().contains("error: request to " + url + shown + " failed: "), result.err());
                assertNoToken(result);
            }
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "no scheme         | 127.0.0.1:9",
            "not http          | ftp://127.0.0.1:9",
            "illegal character | http://127.0.0.1:9/web hooks",
        })
        void notInTheRefusalOfAUrl(String name, String url) {
            Result result = send("--secret-env", "S", url + given);

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("'" + url + quoted + "'"), result.err());
            assertNoToken(result);
        }
    }

    /**
     * A URL's query may carry a token ({@code ?token=...}, as some receivers authenticate): it is sent, and
     * never printed, in the request shown nor in any error, whichever way the exchange ends.
     */
    @Nested
    class QueryNeverPrinted extends UrlPartNeverPrinted {

        private static final String TOKEN = "tok_q7Zr2mW9xK4";
        private static final String QUERY = "?token=" + TOKEN + "&tenant=acme";

        QueryNeverPrinted() {
            super("/webhooks/" + QUERY, "/webhooks/" + QUERY, "/webhooks/?***", "/webhooks/?***");
        }

        @Override
        void assertNoToken(Result result) {
            assertFalse(result.all().contains(TOKEN), result.all());
            assertFalse(result.all().contains("tenant=acme"), result.all());
        }

        /** Echoed by the endpoint (a page quoting the request line): the query and its token are masked there too. */
        @Test
        void echoedByTheEndpoint_isMasked() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", server.url("/webhooks/" + QUERY));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST /webhooks/" + QUERY + " HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.out().contains("POST /webhooks/?*** HTTP/1.1"), result.out());
                assertNoToken(result);
            }
        }

        /** A short query is masked whole where the endpoint echoes it, as a long one is: {@code ?***}, as shown. */
        @Test
        void shortQuery_echoedByTheEndpoint_isMasked() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", server.url("/webhooks/?k=tok1"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST /webhooks/?k=tok1 HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.out().contains("POST /webhooks/?*** HTTP/1.1"), result.out());
                assertFalse(result.all().contains("k=tok1"), result.all());
            }
        }
    }

    /**
     * A hook URL may carry its secret in the path: Slack's {@code /services/T.../B.../<token>}, Discord's
     * {@code /api/webhooks/<id>/<token>}, a tenant's {@code /hooks/<long random>}. A segment of 16 or more
     * base64, hexadecimal, {@code whsec_}, {@code .} or {@code ~} characters, and a hook's id and token after
     * {@code /hooks/catch/} or {@code /integrations/deploy/}, is sent as given and shown as {@code ***}, in the
     * request shown, in every error and where the endpoint echoes it.
     */
    @Nested
    class PathTokenNeverPrinted extends UrlPartNeverPrinted {

        private static final String TOKEN = "q7Zr2mW9xK4pL8sT3vN6bY1c";
        private static final String SLACK = "/services/T0000/B0000/" + TOKEN;

        PathTokenNeverPrinted() {
            super(SLACK, SLACK, "/services/T0000/B0000/***", "/services/T0000/B0000/***");
        }

        @Override
        void assertNoToken(Result result) {
            assertFalse(result.all().contains(TOKEN), result.all());
        }

        /** Discord's id, 18 digits, is 16 characters or more of them too: masked with the token. */
        @Test
        void echoedByTheEndpoint_isMasked() throws Exception {
            String discord = "/api/webhooks/112233445566778899/" + TOKEN + "-_Ab";
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", server.url(discord));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST " + discord + " HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.out().contains("POST /api/webhooks/***/*** HTTP/1.1"), result.out());
                assertNoToken(result);
            }
        }

        /** Percent-encoded (a base64 token's + and =), it is masked as sent and as decoded. */
        @Test
        void percentEncoded_isMaskedAsSentAndDecoded() throws Exception {
            String encoded = "/hooks/" + TOKEN + "%2Bx%3D";
            byte[] body = ("no hook " + TOKEN + "+x= here").getBytes(StandardCharsets.UTF_8);
            try (HostileServer server = HostileServer.answering("HTTP/1.1 404 Not Found\r\n", body)) {
                Result result = send("--secret-env", "S", server.url(encoded));

                assertEquals(1, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST " + encoded + " HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.err().contains("> POST " + server.url("/hooks/***") + "\n"), result.err());
                assertTrue(result.out().contains("no hook *** here"), result.out());
                assertNoToken(result);
            }
        }

        /** A short or readable segment is no token: the path shows as it is. */
        /**
         * A segment after {@code /hooks/catch/} or {@code /integrations/deploy/} of fewer than
         * {@value Redactor#MIN_CUT} characters is no hook's token (Zapier's are 7 or 8, an account 7 or more digits,
         * Vercel's 10): it is masked in the request shown, by its place, but not wherever it stands, which garbled
         * all that was printed ({@code HTTP/1.1 200} as {@code HTTP/***.*** 200}, every {@code a} as {@code ***}).
         */
        @Test
        void aShortSegmentAfterAHookPrefix_isMaskedByItsPlaceOnly() throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", server.url("/hooks/catch/1/a/"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(result.err().contains("> POST " + server.url("/hooks/catch/***/***/") + "\n"), result.err());
                assertTrue(result.all().contains("HTTP/1.1 200"), result.all());
                assertTrue(result.all().contains("application/json"), result.all());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/webhooks/v2/tenant-42/events.json", "/webhooks/stripe", "/api/v1/events",
            "/hooks/hook.json", "/hooks/catch", "/v1/integrations/deploy/", "/webhooks/v1.2.3;v=2"})
        void shortSegments_areShown(String path) throws Exception {
            try (HostileServer server = HostileServer.answering(OK_HEAD, new byte[0])) {
                Result result = send("--secret-env", "S", server.url(path));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(result.err().contains("> POST " + server.url(path) + "\n"), result.err());
            }
        }

        /**
         * Hook URLs as platforms hand them out (the tokens here are made up, of the real lengths and alphabets): the
         * token is sent as given, and shown masked in the request shown and where the endpoint echoes the request.
         * Zapier's catch hook token is 7 or 8 characters (SonarSource's secret rule S6720 gives
         * {@code /hooks/catch/192840272/anwidh83}) and Vercel's deploy hook token 10, both under the 16 that a
         * token needs elsewhere in a path: after {@code /hooks/catch/} and {@code /integrations/deploy/} the next
         * two segments are masked whatever their length. A JWT's dots, an unreserved {@code ~} and a
         * {@code ;jsessionid=} path parameter no longer hide a token either.
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "Slack incoming webhook | /services/T0A1B2C3D/B0E4F5G6H/q7Zr2mW9xK4pL8sT3vN6bY1c"
                    + " | /services/T0A1B2C3D/B0E4F5G6H/*** | q7Zr2mW9xK4pL8sT3vN6bY1c",
            "Discord webhook | /api/webhooks/112233445566778899/"
                    + "Xq7Zr2mW9xK4pL8sT3vN6bY1c-_Ab9Qe4Rt6Yu8Io0Pa2Sd4Fg6Hj8Kl0Zx2Cv4Bn6Mm8Qw0Er2Ty4Ui"
                    + " | /api/webhooks/***/*** | Xq7Zr2mW9xK4pL8sT3vN6bY1c-_Ab9Qe4Rt6Yu8Io0Pa2Sd4Fg6Hj8Kl0Zx2Cv4Bn6Mm8Qw0Er2Ty4Ui",
            "Power Automate (Teams workflow) | /workflows/0f1e2d3c4b5a69788796a5b4c3d2e1f0/triggers/manual/paths/invoke"
                    + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa2S"
                    + " | /workflows/***/triggers/manual/paths/invoke?*** | Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa2S",
            "Zapier catch hook | /hooks/catch/1234567/2xpj9rh/ | /hooks/catch/***/***/ | 2xpj9rh",
            "Vercel deploy hook | /v1/integrations/deploy/prj_zN1kT2lW3nY4VXU76aGkJBUFML3F/8EpZ5X0XtN"
                    + " | /v1/integrations/deploy/***/*** | 8EpZ5X0XtN",
            "Google Chat | /v1/spaces/AAAAb1c2d3e/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"
                    + "&token=q7Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa | /v1/spaces/AAAAb1c2d3e/messages?***"
                    + " | q7Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa",
            "a JWT | /hooks/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQtNDIifQ.q7Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa"
                    + " | /hooks/*** | q7Zr2mW9xK4pL8sT3vN6bY1cQ7Ab9Qe4Rt6Yu8Io0Pa",
            "a token with ~ | /hooks/q7Zr2mW9~xK4pL8s~T3vN6bY1 | /hooks/*** | q7Zr2mW9~xK4pL8s~T3vN6bY1",
            "a session in a path parameter | /webhooks;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9 | /***"
                    + " | 0A1B2C3D4E5F60718293A4B5C6D7E8F9",
        })
        void realWorldHookUrl_tokenIsSentAndMasked(String name, String path, String shown, String token)
                throws Exception {
            try (HostileServer server = HostileServer.echoing()) {
                Result result = send("--secret-env", "S", server.url(path));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(server.requests().get(0).startsWith("POST " + path + " HTTP/1.1\r\n"),
                        server.requests().get(0));
                assertTrue(result.err().contains("> POST " + server.url(shown) + "\n"), result.err());
                assertFalse(result.all().contains(token), result.all());
            }
        }
    }

    /**
     * A URL's fragment is not sent, but may carry a token: OAuth's implicit flow puts one there
     * ({@code #access_token=...}), and a URL copied from a browser keeps it. It is dropped from the request shown
     * and every error, and masked as {@code #***} in the refusal of a text that is not a URL. That a proxy the JVM
     * is given does not receive it either, {@link ExecutableJarIT} shows.
     */
    @Nested
    class FragmentNeverPrinted extends UrlPartNeverPrinted {

        private static final String TOKEN = "tok_f8Hd3kQ2zX7";
        private static final String FRAGMENT = "#access_token=" + TOKEN + "&token_type=bearer";

        FragmentNeverPrinted() {
            super("/webhooks/" + FRAGMENT, "/webhooks/", "/webhooks/", "/webhooks/#***");
        }

        @Override
        void assertNoToken(Result result) {
            assertFalse(result.all().contains(TOKEN), result.all());
            assertFalse(result.all().contains("access_token"), result.all());
        }

        /** Behind a query, the fragment is part of what the query's mask hides. */
        @Test
        void behindAQuery_notInTheRefusalOfAUrl() {
            Result result = send("--secret-env", "S", "ftp://127.0.0.1:9/webhooks/?tenant=acme" + FRAGMENT);

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("'ftp://127.0.0.1:9/webhooks/?***'"), result.err());
            assertNoToken(result);
        }
    }

    /**
     * A secret shorter than 8 characters stands in ordinary text: masked wherever it stood, it garbled what
     * send printed. It is not masked, and send says so.
     */
    @Nested
    class ShortSecret {

        @Test
        void doesNotGarbleTheResponse() throws Exception {
            try (HostileServer server = HostileServer.answering(OK_HEAD, "1 event received\n".getBytes(StandardCharsets.UTF_8))) {
                Result result = cli().now(T).env("S", "1").run("send", "--secret-env", "S", server.url("/webhooks/"));

                assertEquals(0, result.exitCode(), result.err());
                assertTrue(result.out().startsWith("HTTP/1.1 200\n"), result.out());
                assertTrue(result.out().endsWith("\n\n1 event received\n"), result.out());
                assertTrue(result.err().startsWith("warning: secret 1 of 1 (--secret-env S) is shorter than 8"
                        + " characters: it is not masked in what send prints"), result.err());
            }
        }

        @Test
        void doesNotGarbleAnError() {
            Result result = cli().now(T).env("S", "x").run("send", "--secret-env", "S",
                    "-H", "Proxy-Authorization: Basic dXNlcjpwYXNz", "http://127.0.0.1:9/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("error: --header Proxy-Authorization: a header for a proxy, which the URL never"),
                    result.err());
        }
    }
}
