package dev.webhookfilter.cli;

import static dev.webhookfilter.cli.Cli.cli;
import static dev.webhookfilter.cli.CliVectors.DEV_SECRET;
import static dev.webhookfilter.cli.CliVectors.T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.Vectors.SchemeVector;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.cli.Cli.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sends to a loopback server that checks each request with {@link WebhookVerifier}, as the filter would. */
class SendCommandTest {

    private static final Pattern TEST_EVENT = Pattern.compile(
            "\\{\"eventId\":\"(whevt-[0-9a-f-]{36})\",\"eventType\":\\{\"name\":\"webhooks.test\",\"version\":1},"
                    + "\"payload\":\\{}}");

    /** A request as the server received it, and what the verifier made of it. */
    record Received(String method, String path, Headers headers, byte[] body, Verification verification) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server checks requests with: the default scheme's, unless a test sets another. */
    private volatile WebhookVerifier verifier = WebhookVerifier.builder()
            .secret(DEV_SECRET)
            .clock(Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC))
            .build();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhooks/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Headers requestHeaders = exchange.getRequestHeaders();
            HeaderLookup lookup = name -> requestHeaders.getOrDefault(name, List.of());
            Verification verification = verifier.verify(lookup, body);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body, verification));
            byte[] answer = (verification.isVerified() ? "{\"received\":true}" : "unauthorized\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Answer", "yes");
            exchange.sendResponseHeaders(verification.isVerified() ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Result send(String... args) {
        return cli().now(T).env("S", DEV_SECRET).run(args);
    }

    private Received only() {
        assertEquals(1, received.size(), "requests received");
        return received.get(0);
    }

    @Nested
    class Sends {

        @Test
        void testEvent_arrivesVerifiedAndTheResponseIsPrinted() {
            Result result = send("send", "--secret-env", "S", base + "/webhooks/");

            assertEquals(0, result.exitCode(), result.all());
            Received request = only();
            assertTrue(request.verification().isVerified(), request.verification().toString());
            assertEquals(T, request.verification().timestamp());
            assertEquals("POST", request.method());
            assertEquals("/webhooks/", request.path());
            assertEquals("application/json", request.headers().getFirst("Content-Type"));
            Matcher event = TEST_EVENT.matcher(request.bodyText());
            assertTrue(event.matches(), request.bodyText());

            assertTrue(result.out().startsWith("HTTP/1.1 200\n"), result.out());
            assertTrue(result.out().toLowerCase().contains("\nx-answer: yes\n"), result.out());
            assertTrue(result.out().endsWith("\n\n{\"received\":true}\n"), result.out());
            assertTrue(result.err().contains("> POST " + base + "/webhooks/\n"), result.err());
            assertTrue(result.err().contains("> X-Webhook-Signature: t=1700000000,v1="), result.err());
            assertTrue(result.err().contains("test event " + event.group(1)), result.err());
            assertFalse(result.all().contains(DEV_SECRET), "never prints the secret");
        }

        @Test
        void testEvent_hasAFreshIdEachTime() {
            send("send", "--secret-env", "S", base + "/webhooks/");
            send("send", "--secret-env", "S", base + "/webhooks/");

            assertEquals(2, received.size());
            Matcher first = TEST_EVENT.matcher(received.get(0).bodyText());
            Matcher second = TEST_EVENT.matcher(received.get(1).bodyText());
            assertTrue(first.matches() && second.matches());
            assertNotEquals(first.group(1), second.group(1));
        }

        @Test
        void bodyFile_isSentByteForByte() throws IOException {
            Path body = Files.write(dir.resolve("event.bin"), CliVectors.BINARY.body());

            Result result = send("send", "--secret-env", "S", base + "/webhooks/x", body.toString());

            assertEquals(0, result.exitCode(), result.all());
            assertArrayEquals(CliVectors.BINARY.body(), only().body());
            assertEquals("X-Webhook-Signature: t=1700000000,v1=" + CliVectors.BINARY.v1(),
                    "X-Webhook-Signature: " + only().headers().getFirst("X-Webhook-Signature"),
                    "the header is the openssl vector");
        }

        @Test
        void standardInput_isTheBodyWithDash() {
            Result result = cli().now(T).env("S", DEV_SECRET).stdin(CliVectors.utf8("{\"from\":\"stdin\"}"))
                    .run("send", "--secret-env", "S", base + "/webhooks/", "-");

            assertEquals(0, result.exitCode(), result.all());
            assertEquals("{\"from\":\"stdin\"}", only().bodyText());
            assertTrue(result.err().contains("bytes from standard input"), result.err());
        }

        /**
         * Standard input of unknown content, over 1 MiB: arrives as given, CR LF and every byte value kept, with its
         * length as Content-Length, whether it was read into one array (redirected from a file, whose size it tells)
         * or into the arrays a pipe fills.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"file", "pipe"})
        void largeBinaryStandardInput_isSentByteForByte(String stdin) {
            byte[] body = IoTest.binaryWithCrLf(3 << 19);
            Cli cli = cli().now(T).env("S", DEV_SECRET);

            Result result = (stdin.equals("pipe") ? cli.pipe(body) : cli.stdin(body))
                    .run("send", "--secret-env", "S", base + "/webhooks/", "-");

            assertEquals(0, result.exitCode(), result.all());
            assertArrayEquals(body, only().body());
            assertEquals(String.valueOf(body.length), only().headers().getFirst("Content-Length"));
            assertEquals(null, only().headers().getFirst("Transfer-Encoding"));
            assertTrue(only().verification().isVerified(), only().verification().toString());
            assertTrue(result.err().contains("> (" + body.length + " bytes from standard input"), result.err());
        }

        @Test
        void contentTypeAndExtraHeaders_areSent() {
            Result result = send("send", "--secret-env", "S", "--content-type", "text/plain; charset=UTF-8",
                    "-H", "X-Request-Id: abc 123", "--header=X-Tenant:t1", "-H", "X-Tenant: t2", base + "/webhooks/");

            assertEquals(0, result.exitCode(), result.all());
            Headers headers = only().headers();
            assertEquals("text/plain; charset=UTF-8", headers.getFirst("Content-Type"));
            assertEquals("abc 123", headers.getFirst("X-Request-Id"));
            assertEquals(List.of("t1", "t2"), headers.get("X-Tenant"));
        }

        @Test
        void contentTypeGivenAsHeader_replacesTheDefault() {
            send("send", "--secret-env", "S", "-H", "content-type: application/cloudevents+json", base + "/webhooks/");

            assertEquals(List.of("application/cloudevents+json"), only().headers().get("Content-Type"));
        }

        @Test
        void twoSecrets_sendTwoV1AndEitherVerifies() {
            Result result = cli().now(T).env("OLD", "retired_secret").env("S", DEV_SECRET)
                    .run("send", "--secret-env", "OLD", "--secret-env", "S", base + "/webhooks/");

            assertEquals(0, result.exitCode(), result.all());
            String header = only().headers().getFirst("X-Webhook-Signature");
            assertEquals(2, header.split(",v1=").length - 1, header);
            assertTrue(only().verification().isVerified());
        }

        @Test
        void customSignatureHeaderName_isUsed() {
            send("send", "--secret-env", "S", "--signature-header", "X-Hook-Sig", base + "/webhooks/");

            assertEquals(null, only().headers().getFirst("X-Webhook-Signature"));
            assertTrue(only().headers().getFirst("X-Hook-Sig").startsWith("t=1700000000,v1="));
        }
    }

    /** {@code send --scheme}, for every scheme, to a server that checks with that scheme's verifier. */
    @Nested
    class EveryScheme {

        /** Every body, CR LF, multibyte UTF-8 and bytes that are not UTF-8 too, arrives as signed by its vector. */
        @ParameterizedTest
        @MethodSource("dev.webhookfilter.Vectors#everyBodyOfEveryScheme")
        void sendsARequestTheFilterOfThatSchemeAccepts(SchemeVector vector) throws IOException {
            Scheme scheme = Scheme.named(vector.scheme());
            verifier = WebhookVerifier.builder().scheme(scheme).secret(vector.secret())
                    .clock(Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC)).build();
            Path body = Files.write(dir.resolve("event.json"), vector.body());
            Map<String, String> expected = Vectors.headers(vector.scheme(), vector.mac());
            List<String> args = new ArrayList<>(List.of("send", "--scheme", vector.scheme(), "--secret-env", "S"));
            if (expected.containsValue(Vectors.ID)) {
                args.addAll(List.of("--id", Vectors.ID));
            }
            args.addAll(List.of(base + "/webhooks/", body.toString()));

            Result result = cli().now(Vectors.T).env("S", vector.secret()).run(args.toArray(new String[0]));

            assertEquals(0, result.exitCode(), result.all());
            Received request = only();
            assertTrue(request.verification().isVerified(), request.verification().toString());
            assertArrayEquals(vector.body(), request.body());
            for (Map.Entry<String, String> header : expected.entrySet()) {
                assertEquals(List.of(header.getValue()), request.headers().get(header.getKey()), header.getKey());
            }
            assertFalse(result.all().contains(vector.secret()), "never prints the secret");
        }
    }

    /** {@code send --id}: the same message id twice, as a receiver's de-duplication must see it. */
    @Nested
    class MessageId {

        @ParameterizedTest
        @CsvSource({"standard-webhooks, webhook-id", "svix, svix-id"})
        void theSameIdTwice_arrivesTwiceSignedWithIt(String scheme, String idHeader) {
            verifier = WebhookVerifier.builder().scheme(Scheme.named(scheme)).secret(Vectors.StandardWebhooks.SECRET_A)
                    .clock(Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC)).build();

            for (int i = 0; i < 2; i++) {
                Result result = cli().now(T).env("S", Vectors.StandardWebhooks.SECRET_A)
                        .run("send", "--scheme", scheme, "--secret-env", "S", "--id", "msg_dedup_test_1", base + "/webhooks/");
                assertEquals(0, result.exitCode(), result.all());
            }

            assertEquals(2, received.size());
            for (Received request : received) {
                assertEquals(List.of("msg_dedup_test_1"), request.headers().get(idHeader));
                assertTrue(request.verification().isVerified(), request.verification().toString());
            }
        }

        /**
         * GitHub and Shopify send an id with each delivery, which they do not sign. send sent none: to a filter that
         * de-duplicates (README's github endpoint, deduplicate: true), its "fresh test event, like the portal's button"
         * got 400 "webhook rejected: missing or malformed message id". It sends a fresh one each time, as the senders
         * do, unless -H gives one, under either of the scheme's names.
         */
        @ParameterizedTest
        @CsvSource({"github, X-GitHub-Delivery, X-GitHub-Delivery", "shopify, X-Shopify-Webhook-Id, X-Shopify-Webhook-Id",
                "shopify, X-Shopify-Webhook-Id, shopify-webhook-id"})
        void anUnsignedDeliveryId_isAFreshOneEachTime_unlessGiven(String scheme, String idHeader, String given) {
            verifier = WebhookVerifier.builder().scheme(Scheme.named(scheme)).secret(DEV_SECRET).build();

            for (int i = 0; i < 2; i++) {
                Result result = send("send", "--scheme", scheme, "--secret-env", "S", base + "/webhooks/");
                assertEquals(0, result.exitCode(), result.all());
                assertTrue(result.err().contains("\n> " + idHeader + ": "), result.err());
            }
            Result own = send("send", "--scheme", scheme, "--secret-env", "S", "-H", given + ": delivery-1",
                    base + "/webhooks/");
            assertEquals(0, own.exitCode(), own.all());

            assertEquals(3, received.size());
            List<String> fresh = new ArrayList<>();
            for (Received request : received.subList(0, 2)) {
                assertTrue(request.verification().isVerified(), request.verification().toString());
                List<String> ids = request.headers().get(idHeader);
                assertEquals(1, ids == null ? 0 : ids.size(), idHeader + ": " + ids);
                assertTrue(ids.get(0).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), ids.get(0));
                fresh.add(ids.get(0));
            }
            assertNotEquals(fresh.get(0), fresh.get(1));
            Received withOwn = received.get(2);
            assertTrue(withOwn.verification().isVerified(), withOwn.verification().toString());
            assertEquals(List.of("delivery-1"), withOwn.headers().get(given));
            if (!given.equals(idHeader)) {
                assertNull(withOwn.headers().get(idHeader), "the id given under the newer name is the only one");
            }
        }

        @Test
        void anIdTheFilterRefuses_sendsNothing() {
            Result result = cli().now(T).env("S", Vectors.StandardWebhooks.SECRET_A)
                    .run("send", "--scheme", "standard-webhooks", "--secret-env", "S", "--id", "msg.1", base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --id: a message id is 1 to 256 visible ASCII characters"), result.err());
            assertTrue(received.isEmpty());
        }

        @Test
        void forASchemeThatSignsNoId_sendsNothing() {
            Result result = send("send", "--secret-env", "S", "--id", "msg_1", base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().startsWith("error: --id has no effect: scheme wealthkernel-2022 signs no message id\n"),
                    result.err());
            assertTrue(received.isEmpty());
        }

        @Test
        void theIdHeaderGivenWithH_pointsToTheOption() {
            Result result = cli().now(T).env("S", Vectors.StandardWebhooks.SECRET_A)
                    .run("send", "--scheme", "standard-webhooks", "--secret-env", "S", "-H", "webhook-id: msg_1",
                            base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("signs; give --id VALUE for an id of your own;"), result.err());
            assertTrue(received.isEmpty());
        }
    }

    @Nested
    class ExitCodes {

        @Test
        void rejected401_isOneAndTheBodyIsPrinted() {
            Result result = cli().now(T).env("S", "wrong_secret").run("send", "--secret-env", "S", base + "/webhooks/");

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("HTTP/1.1 401\n"), result.out());
            assertTrue(result.out().endsWith("\nunauthorized\n"), result.out());
        }

        @Test
        void staleTimestamp_isRejectedAsTheReceiverWould() {
            Result result = send("send", "--secret-env", "S", "--timestamp", "1699999000", base + "/webhooks/");

            assertEquals(1, result.exitCode());
            assertEquals(dev.webhookfilter.Rejection.STALE_TIMESTAMP, only().verification().rejection());
        }

        /** Sent as given, with sign's warning first: the receiver's refusal then has its reason beside it. */
        @Test
        void aTimestampInMilliseconds_isSentWithAWarning() {
            Result result = send("send", "--secret-env", "S", "--timestamp", "1700000000000", base + "/webhooks/");

            assertEquals(1, result.exitCode());
            assertTrue(result.err().startsWith("warning: --timestamp 1700000000000 looks like milliseconds; a receiver"
                    + " refuses it (t looks like milliseconds; senders send seconds): give Unix seconds, such as"
                    + " 1700000000\n"), result.err());
            assertEquals(dev.webhookfilter.Rejection.FUTURE_TIMESTAMP, only().verification().rejection());
        }

        @Test
        void serverError_isOne() {
            Result result = send("send", "--secret-env", "S", base + "/broken");

            assertEquals(1, result.exitCode());
            assertTrue(result.out().startsWith("HTTP/1.1 500\n"), result.out());
        }

        @Test
        void connectionRefused_isIoError() throws IOException {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }

            Result result = send("send", "--secret-env", "S", "http://127.0.0.1:" + port + "/webhooks/");

            assertEquals(3, result.exitCode());
            assertTrue(result.err().contains("error: cannot connect to 127.0.0.1:" + port), result.err());
            assertTrue(result.err().contains("is the server running?"), result.err());
            assertEquals("", result.out());
        }

        /**
         * An https endpoint whose certificate the JVM does not trust fails with the JDK's "PKIX path building failed:
         * ... unable to find valid certification path to requested target" (a {@code CertPathBuilderException} under the
         * handshake's failure, as Java 17 and 25 give it), which says nothing of what to do; the error adds it. A
         * handshake that fails otherwise (a certificate for another host) gets no such hint.
         */
        @Test
        void untrustedCertificate_saysHowToTrustIt() {
            javax.net.ssl.SSLHandshakeException untrusted = new javax.net.ssl.SSLHandshakeException(
                    "PKIX path building failed: unable to find valid certification path to requested target");
            untrusted.initCause(new java.security.cert.CertificateException(
                    new java.security.cert.CertPathBuilderException("unable to find valid certification path")));

            assertEquals("; the server's certificate is not one this JVM trusts (a test certificate, or a private"
                    + " CA's): to trust it, give the JVM a trust store that holds it: java"
                    + " -Djavax.net.ssl.trustStore=FILE -Djavax.net.ssl.trustStorePassword=PASSWORD -jar ...",
                    SendCommand.untrustedCertificateHint(untrusted));
            assertEquals("", SendCommand.untrustedCertificateHint(
                    new javax.net.ssl.SSLHandshakeException("No subject alternative names present")));
        }

        /**
         * An https endpoint whose certificate the JVM trusts but which is made for another host fails with the JDK's
         * words alone, which say what is missing but not what to do; the error adds it: send to a name the certificate
         * holds (and how to list them), or give the server a certificate for this host, for an IP address as an IP
         * subject alternative name. The failures as Java 17.0.15 and 25.0.3 give them, seen on loopback with openssl
         * s_server and a trust store holding its certificate: an SSLHandshakeException (on Java 25 its message begins
         * "(certificate_unknown) ") over a CertificateException with the same message and no cause, from the JDK's
         * host name check: a certificate for DNS:other.example sent to localhost ("No subject alternative DNS name
         * matching localhost found.") and to 127.0.0.1 ("No subject alternative names matching IP address 127.0.0.1
         * found"); one with CN=nosan.example and no subject alternative names sent to localhost ("No name matching
         * localhost found") and to 127.0.0.1 ("No subject alternative names present").
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "18443 | No subject alternative DNS name matching localhost found.",
            "18444 | No name matching localhost found",
        })
        void certificateForAnotherHostName_saysWhatToDo(int port, String failure) {
            assertEquals("; the server's certificate (which this JVM trusts) is not made for localhost, the URL's host:"
                    + " send to a name it holds (openssl s_client -connect localhost:" + port
                    + " </dev/null | openssl x509 -noout -subject -ext subjectAltName lists them), or give the server a"
                    + " certificate for localhost",
                    SendCommand.otherHostHint(java.net.URI.create("https://localhost:" + port + "/hook"),
                            wrongHost(failure)));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "127.0.0.1 | 127.0.0.1 | No subject alternative names matching IP address 127.0.0.1 found",
            "127.0.0.1 | 127.0.0.1 | No subject alternative names present",
            "[::1]     | ::1       | No subject alternative names matching IP address 0:0:0:0:0:0:0:1 found",
        })
        void certificateForAnotherIpAddress_saysWhatToDo(String host, String address, String failure) {
            assertEquals("; the server's certificate (which this JVM trusts) is not made for " + host + ", the URL's"
                    + " host: send to a name it holds (openssl s_client -connect " + host + ":18443 </dev/null | openssl"
                    + " x509 -noout -subject -ext subjectAltName lists them), or give the server a certificate with IP:"
                    + address + " among its subject alternative names",
                    SendCommand.otherHostHint(java.net.URI.create("https://" + host + ":18443/hook"),
                            wrongHost(failure)));
        }

        /** Without a port in the URL, the command to list the names connects to https' port, 443. */
        @Test
        void certificateForAnotherHost_withoutAPort_listsTheNamesOnPort443() {
            String hint = SendCommand.otherHostHint(java.net.URI.create("https://hooks.example/in"),
                    wrongHost("No subject alternative DNS name matching hooks.example found."));

            assertTrue(hint.contains("(openssl s_client -connect hooks.example:443 </dev/null |"), hint);
        }

        /** Other handshake failures get no such hint: an untrusted certificate, and a check other than the host's. */
        @Test
        void otherHandshakeFailures_getNoHostHint() {
            java.net.URI url = java.net.URI.create("https://localhost:18443/hook");
            javax.net.ssl.SSLHandshakeException untrusted = new javax.net.ssl.SSLHandshakeException(
                    "PKIX path building failed: unable to find valid certification path to requested target");
            untrusted.initCause(new java.security.cert.CertificateException(
                    new java.security.cert.CertPathBuilderException("unable to find valid certification path")));

            assertEquals("", SendCommand.otherHostHint(url, untrusted));
            assertEquals("", SendCommand.otherHostHint(url,
                    wrongHost("Certificates do not conform to algorithm constraints")));
            assertEquals("", SendCommand.untrustedCertificateHint(wrongHost("No name matching localhost found")));
        }

        /** The failure of the JDK's host name check, as Java 17.0.15 gives it. */
        private javax.net.ssl.SSLHandshakeException wrongHost(String message) {
            javax.net.ssl.SSLHandshakeException handshake = new javax.net.ssl.SSLHandshakeException(message);
            handshake.initCause(new java.security.cert.CertificateException(message));
            return handshake;
        }

        /**
         * An http URL to a port that speaks TLS (an https server) failed with the JDK's words for a reply it cannot read
         * as HTTP, which say nothing of TLS; the error adds that the server speaks https, and the URL to send to. What
         * each server does with plain http, seen on loopback on Java 17.0.15 and 25.0.3: a JDK SSLServerSocket answers
         * with a TLS alert record (15 03 03 00 02 02 0a, unexpected_message; "Invalid status line"), Jetty 12.1 with
         * another (15 03 03 00 02 02 50, internal_error; "parsing HTTP/1.1 status line, receiving [...]"), and
         * openssl s_server 3.0 closes the connection with nothing ("received no bytes"), which another server may do
         * too, so that hint only says the server may speak https. (Tomcat 11 answers a clear 400, "This combination
         * of host and port requires TLS.", which send prints as any response.)
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "JDK, an alert        | 1503030002020a | Invalid status line: \"\\u0015\\u0003\\u0003\\u0000\\u0002\\u0002\"; the"
                    + " server answered in TLS (an alert record): it speaks https, not plain http; send to",
            "Jetty, an alert      | 15030300020250 | parsing HTTP/1.1 status line, receiving [\\u0015\\u0003\\u0003\\u0000"
                    + "\\u0002\\u0002P], parser state [STATUS_LINE]; the server answered in TLS (an alert record): it"
                    + " speaks https, not plain http; send to",
            "openssl, no answer   | ''             | HTTP/1.1 header parser received no bytes; the server closed the"
                    + " connection without an answer, as a server that speaks https (TLS) may do with plain http: if"
                    + " it does, send to",
        })
        void plainHttpToAnHttpsServer_saysItSpeaksHttps(String server, String reply, String failure) throws Exception {
            // The request is read whole before the reply: a socket closed with bytes unread sends a reset, which the
            // client may see before the reply.
            try (HostileServer tls = HostileServer.answering((request, out) -> out.write(HexFormat.of().parseHex(reply)))) {
                String path = ":" + tls.port() + "/webhooks/";

                Result result = send("send", "--secret-env", "S", "http://127.0.0.1" + path);

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().endsWith("\nerror: request to http://127.0.0.1" + path + " failed: " + failure
                        + " https://127.0.0.1" + path + "\n"), result.err());
            }
        }

        /** A reply that is no HTTP and no TLS either (an SSH server's greeting) gets no https hint. */
        @Test
        void plainHttpToAServerOfAnotherKind_getsNoHttpsHint() throws Exception {
            byte[] greeting = "SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII);
            try (HostileServer ssh = HostileServer.answering((request, out) -> out.write(greeting))) {
                String url = "http://127.0.0.1:" + ssh.port() + "/webhooks/";

                Result result = send("send", "--secret-env", "S", url);

                assertEquals(3, result.exitCode(), result.all());
                assertTrue(result.err().endsWith("\nerror: request to " + url + " failed: Invalid status line:"
                        + " \"SSH-2.0-OpenSSH_9.2p1\"\n"), result.err());
            }
        }

        /** A response whose body the server cut short came from a server that speaks http: no https hint. */
        @Test
        void plainHttpResponseCutShort_getsNoHttpsHint() throws Exception {
            try (HostileServer cut = HostileServer.answering((request, out) -> out.write(
                    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII)))) {
                String url = cut.url("/webhooks/");

                Result result = send("send", "--secret-env", "S", url);

                assertEquals(3, result.exitCode(), result.all());
                // Java 17.0.15: "fixed content-length: 10, bytes received: 3", over an EOFException.
                assertTrue(result.err().contains("\nerror: request to " + url + " failed: "), result.err());
                assertFalse(result.err().contains("https"), result.err());
            }
        }

        /**
         * The https hint is for an http URL alone: an https one that failed as one to a plain http server may (an
         * alert's bytes or an end of stream in the failure) is told nothing of https. The JDK gives such an https
         * failure no EOFException (a server that closes in the handshake: "Remote host terminated the handshake",
         * alone, on Java 17.0.15 and 25.0.3), so the failures here are made by hand.
         */
        @Test
        void httpsUrl_getsNoHttpsHint() {
            java.net.URI https = java.net.URI.create("https://127.0.0.1:8443/webhooks/");

            assertEquals("", SendCommand.plainHttpToTlsHint(https,
                    new IOException("HTTP/1.1 header parser received no bytes", new java.io.EOFException())));
            assertEquals("", SendCommand.plainHttpToTlsHint(https,
                    new java.net.ProtocolException("Invalid status line: \"\u0015\u0003\u0003\u0000\u0002\u0002\"")));
            assertEquals("; the server closed the connection without an answer, as a server that speaks https (TLS) may"
                    + " do with plain http: if it does, send to https://127.0.0.1:8443/webhooks/",
                    SendCommand.plainHttpToTlsHint(java.net.URI.create("http://127.0.0.1:8443/webhooks/"),
                            new IOException("HTTP/1.1 header parser received no bytes", new java.io.EOFException())));
        }

        @Test
        void noResponseInTime_isIoError() throws IOException {
            // Connections wait in the backlog, accepted by the kernel, and no response ever comes.
            try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String url = "http://127.0.0.1:" + silent.getLocalPort() + "/webhooks/";

                Result result = send("send", "--secret-env", "S", "--timeout", "1", url);

                assertEquals(3, result.exitCode());
                assertTrue(result.err().contains("error: no response from " + url + " within 1 seconds"),
                        result.err());
            }
        }
    }

    @Nested
    class Refuses {

        @Test
        void missingUrl_isUsageError() {
            Result result = send("send", "--secret-env", "S");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("send needs a URL"), result.err());
        }

        @Test
        void notAnHttpUrl_isUsageError() {
            Result result = send("send", "--secret-env", "S", "localhost:8080/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("is not an http:// or https:// URL with a host"), result.err());
            assertTrue(received.isEmpty());
        }

        @Test
        void headerWithoutColon_isUsageError() {
            Result result = send("send", "--secret-env", "S", "-H", "X-Broken", base + "/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--header takes 'Name: value', not 'X-Broken'"), result.err());
        }

        /**
         * A secret given where the URL goes, as a -H line of its own (its name and colon forgotten), or as the value of
         * --signature-header (a base64 secret's {@code +}, {@code /} and {@code =} are no header-name characters) was
         * quoted in the error; so was a hex secret, which is all header-name characters.
         */
        @ParameterizedTest
        @ValueSource(strings = {"url", "header", "signature-header"})
        void aSecretWhereAUrlAHeaderLineOrTheSignatureHeaderGoes_isNotQuoted(String where) {
            String secret = "3f9a1c0b7e2d4a6f8b1c3d5e7f9a0b2c";
            Result result = switch (where) {
                case "url" -> send("send", "--secret-env", "S", secret);
                case "header" -> send("send", "--secret-env", "S", "-H", secret, base + "/webhooks/");
                default -> send("send", "--secret-env", "S", "--signature-header", secret + "+/=", base + "/webhooks/");
            };

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains(switch (where) {
                case "url" -> "error: (the URL given, not shown: it may be a secret) is not an http:// or https:// URL";
                case "header" -> "error: --header takes 'Name: value', not this line (not shown: it may be a secret)";
                default -> "error: --signature-header (the value given, not shown: it may be a secret) is not a header name";
            }), result.err());
            assertFalse(result.all().contains("3f9a1c0b"), result.all());
            assertTrue(received.isEmpty());
        }

        @Test
        void signatureAsExtraHeader_isUsageError() {
            Result result = send("send", "--secret-env", "S", "-H", "x-webhook-signature: t=1,v1=x", base + "/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("send signs the request itself"), result.err());
            assertTrue(received.isEmpty());
        }

        /**
         * A header the scheme signs, given again with -H, would go out twice beside the one send signs, and a
         * receiver refuses a repeated header as malformed: refused here, before anything is sent.
         */
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
            "standard-webhooks | webhook-id: msg_fixed",
            "standard-webhooks | Webhook-Timestamp: 1700000000",
            "svix              | svix-id: msg_fixed",
            "slack             | X-Slack-Request-Timestamp: 1700000000",
        })
        void headerTheSchemeSigns_isUsageError(String scheme, String header) {
            Result result = cli().now(T).env("S", Vectors.StandardWebhooks.SECRET_A)
                    .run("send", "--scheme", scheme, "--secret-env", "S", "-H", header, base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            String name = header.substring(0, header.indexOf(':'));
            assertTrue(result.err().contains("error: --header " + name + ": send sets this header itself, as part of"
                    + " what scheme " + scheme + " signs"), result.err());
            assertTrue(received.isEmpty());
        }

        /** One Content-Type goes out; a second one given was dropped without a word. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "--content-type and -H | --content-type | text/plain      | -H | Content-Type: application/json",
            "-H twice              | -H             | content-type: a/b | -H | Content-Type: application/json",
        })
        void contentTypeGivenTwice_isUsageError(String name, String first, String firstValue, String second,
                                                String secondValue) {
            Result result = send("send", "--secret-env", "S", first, firstValue, second, secondValue, base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            assertTrue(result.err().contains("error: the Content-Type is given 2 times (with --content-type or"
                    + " --header); give it once"), result.err());
            assertTrue(received.isEmpty());
        }

        /**
         * The HTTP client drops every Proxy-* header on a connection without a proxy, which is how send
         * connects unless the JVM is given one: it printed "> Proxy-Authorization: Basic ..." as sent, credentials
         * and all, and sent nothing; with a proxy the header goes to the proxy, never to the URL.
         */
        @ParameterizedTest
        @ValueSource(strings = {"Proxy-Authorization: Basic dXNlcjpwYXNz", "proxy-foo: dXNlcjpwYXNz"})
        void proxyHeader_isUsageErrorAsItWouldNotBeSent(String header) {
            Result result = send("send", "--secret-env", "S", "-H", header, base + "/webhooks/");

            assertEquals(2, result.exitCode(), result.all());
            String name = header.substring(0, header.indexOf(':'));
            assertTrue(result.err().startsWith("error: --header " + name + ": a header for a proxy, which the URL never"
                    + " receives: the HTTP client drops it where it connects directly, and send sets no proxy (the JVM's"
                    + " settings, such as -Dhttp.proxyHost, may)\n"), result.err());
            assertFalse(result.all().contains("dXNlcjpwYXNz"), result.all());
            assertTrue(received.isEmpty());
        }

        @Test
        void headerTheJdkSetsItself_isUsageError() {
            Result result = send("send", "--secret-env", "S", "-H", "Host: example.org", base + "/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(result.err().contains("--header Host: restricted header name"), result.err());
            assertTrue(received.isEmpty());
        }

        @Test
        void noSecret_sendsNothing() {
            Result result = cli().run("send", base + "/webhooks/");

            assertEquals(2, result.exitCode());
            assertTrue(received.isEmpty());
        }
    }
}
