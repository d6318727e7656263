package dev.webhookfilter.it.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.it.ProbeServlet;
import dev.webhookfilter.it.RedeployedWar;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9, finding 3, on the real distributions: requests that send only their headers, declaring
 * the largest body the filter accepts, must not fill the heap. Before the fix the filter allocated
 * each declared length at once: 150 such connections (about 30 KB on the wire) need 300 MiB, and
 * a server with a 128 MiB heap threw OutOfMemoryError and stopped answering.
 *
 * <p>Each server runs with {@code -Xmx128m} and the example WAR with a test-only {@code web.xml}
 * ({@link RedeployedWar}) whose only change is {@code maxBodyBytes=2097152}; {@code maxBufferedBytes}
 * keeps its default (a quarter of the heap). Once every held request is in the filter (its thread parked
 * reading the body, as the server's thread dump shows) or answered, and after the connections close,
 * genuine events get 200, and no log holds an {@code OutOfMemoryError}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderOnlyFloodIT {

    /**
     * Fewer than the worker threads of either server (Tomcat's {@code maxThreads} and Jetty's
     * thread pool both default to 200): each held request parks a thread in a blocking read of a
     * body that never comes, and genuine events need free threads to be answered at all. Running
     * out of threads is a container limit, not the filter's; this test is about the heap.
     */
    static final int CONNECTIONS = 150;
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    static final String MAX_HEAP = "128m";
    /** The frame of a request thread that waits in the filter for the body's bytes. */
    static final String BODY_READ_FRAME = "at dev.webhookfilter.servlet.BufferedBody.read(";
    /** How long the held requests may take to reach the filter before the test gives up. */
    static final int FLOOD_DEADLINE_SECONDS = 60;
    /** A well-formed v1 that matches nothing: base64 of 32 zero bytes. No secret is needed for the attack. */
    static final String WRONG_V1 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final Path war = StandaloneServer.pathProperty("standalone.war");
    private final Path work = StandaloneServer.workDirectory();
    private final WebhookSigner signer = WebhookSigner.of(DeployedWarContract.SECRET);

    @Test
    void tomcat11_survivesHeaderOnlyRequestsDeclaringTheMaximum() throws Exception {
        floodTomcat("standalone.tomcat11");
    }

    @Test
    void tomcat10_survivesHeaderOnlyRequestsDeclaringTheMaximum() throws Exception {
        floodTomcat("standalone.tomcat10");
    }

    @Test
    void jetty12ee10_survivesHeaderOnlyRequestsDeclaringTheMaximum() throws Exception {
        Path home = StandaloneServer.pathProperty("standalone.jetty");
        String name = home.getFileName() + "-flood";
        try (JettyServer server = new JettyServer(name, home, work.resolve(name))) {
            flood(server, "/ee10");
        }
    }

    /** {@link #flood}s the Tomcat distribution that the system property {@code home} names, its WAR at /example. */
    private void floodTomcat(String home) throws Exception {
        Path distribution = StandaloneServer.pathProperty(home);
        String name = distribution.getFileName() + "-flood";
        try (TomcatServer server = new TomcatServer(name, distribution, work.resolve(name))) {
            flood(server, "/example");
        }
    }

    private void flood(StandaloneServer server, String contextPath) throws Exception {
        Files.createDirectories(work);
        RedeployedWar copy = RedeployedWar.withFilterParameters(war, contextPath, ProbeServlet.FILTER_NAME,
                Map.of(WebhookSignatureFilter.PARAM_MAX_BODY_BYTES, Integer.toString(MAX_BODY_BYTES)));
        server.install(copy.asWar(war, work.resolve(server.name + ".war")));
        server.maxHeap(MAX_HEAP).start(DeployedWarContract.SECRET);
        WebhookClient client = new WebhookClient(server.uri(contextPath));
        long before = client.eventsTotal();
        List<Socket> held = new ArrayList<>();
        String[] answers = new String[CONNECTIONS]; // what each held request has been answered so far
        Arrays.fill(answers, "");
        List<String> wrong = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                held.add(sendHeadersOnly(server.port(), contextPath + DeployedWarContract.WEBHOOK_PATH));
            }
            awaitFloodInPlace(server, held, answers);
            for (int i = 0; i < 5; i++) {
                wrong.addAll(genuineEvent(client, "during-" + i));
            }
            // A held request may have been answered already (503 from the budget, say), but never with 200.
            for (int i = 0; i < held.size(); i++) {
                answers[i] += answerIfAny(held.get(i));
                if (answers[i].startsWith("HTTP/1.1 200")) {
                    wrong.add("a header-only request got 200: " + answers[i]);
                }
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        for (int i = 0; i < 5; i++) {
            wrong.addAll(genuineEvent(client, "after-" + i));
        }

        assertEquals(List.of(), wrong, "genuine events during and after the flood");
        assertEquals(before + 10, client.eventsTotal(), "events the handler recorded");
        assertTrue(server.isAlive(), "the server process died");
        ServerLogs logs = server.logs();
        assertTrue(!logs.contains("OutOfMemoryError"), () -> "OutOfMemoryError in the logs:\n" + logs);
        System.out.printf("[standalone] %s -Xmx%s: %d header-only requests declaring %d bytes held; 10 genuine events"
                + " answered 200; no OutOfMemoryError%n", server, MAX_HEAP, CONNECTIONS, MAX_BODY_BYTES);
    }

    /**
     * Waits until every held request is in the filter, its thread parked reading the body that never comes
     * (a frame of {@value #BODY_READ_FRAME} in the server's thread dump), or has been answered already: only
     * then is the flood at full strength. Fails if that is not so within {@value #FLOOD_DEADLINE_SECONDS} s.
     */
    private static void awaitFloodInPlace(StandaloneServer server, List<Socket> held, String[] answers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_DEADLINE_SECONDS);
        while (true) {
            // Answers first, then the dump: a request answered in between is not in the dump, so none counts twice.
            int answered = 0;
            for (int i = 0; i < held.size(); i++) {
                answers[i] += answerIfAny(held.get(i));
                if (!answers[i].isEmpty()) {
                    answered++;
                }
            }
            int reading = occurrences(server.threadDump(), BODY_READ_FRAME);
            if (reading + answered >= held.size()) {
                System.out.printf("[standalone] %s: flood in place, %d requests reading their body, %d answered%n",
                        server, reading, answered);
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the flood was not in place after " + FLOOD_DEADLINE_SECONDS + " s: of " + held.size()
                        + " header-only requests, " + reading + " were reading their body and " + answered + " answered");
            }
            Thread.sleep(200);
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** Posts a genuine event; the problems with its answer, if any. */
    private List<String> genuineEvent(WebhookClient client, String label) throws Exception {
        byte[] body = ("{\"eventId\":\"evt_flood_" + label + "\"}").getBytes(StandardCharsets.UTF_8);
        RawResponse reply = client.post(DeployedWarContract.WEBHOOK_PATH, body, "application/json", signer.sign(body));
        if (reply.status() != 200 || !DeployedWarContract.sha256(body).equals(WebhookClient.json(reply, "sha256"))) {
            return List.of(label + ": " + reply);
        }
        return List.of();
    }

    /** Opens a connection and sends a POST's headers only: fresh, well formed, wrong, declaring the maximum. */
    private static Socket sendHeadersOnly(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\n"
                + WebhookClient.SIGNATURE_HEADER + ": t=" + System.currentTimeMillis() / 1000 + ",v1=" + WRONG_V1 + "\r\n"
                + "Content-Length: " + MAX_BODY_BYTES + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Whatever the server has answered on {@code socket} so far, without waiting; empty if nothing. */
    private static String answerIfAny(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            if (in.available() == 0) {
                return "";
            }
            byte[] head = new byte[Math.min(in.available(), 200)];
            int n = in.read(head);
            return n <= 0 ? "" : new String(head, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // reset by the server: no answer
        }
    }
}
