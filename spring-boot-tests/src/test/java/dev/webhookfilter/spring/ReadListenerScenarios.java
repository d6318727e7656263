package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller that reads the body without blocking ({@code startAsync()}, then
 * {@code getInputStream().setReadListener(...)}), behind an endpoint of the starter with replay protection and
 * de-duplication, in the test application with Spring Security, on the container each subclass chooses: it gets the
 * verified bytes through {@code onDataAvailable} and {@code onAllDataRead}, with {@code isReady()} and
 * {@code isFinished()} true to them; a callback that throws fails the request for the filter (the id is released and
 * the message forgotten, so the sender's retry runs the controller again) though the listener's {@code onError}
 * answers 200.
 */
@SpringBootTest(classes = {WebhookTestApplication.class, ReadListenerScenarios.Reading.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "webhooks.endpoints.reading.path-patterns=/webhooks/reading/*",
                "webhooks.endpoints.reading.secrets[0]=" + Vectors.SECRET_A,
                "webhooks.endpoints.reading.replay-protection=true",
                "webhooks.endpoints.reading.deduplicate=true",
                "webhooks.endpoints.reading.id-header=Webhook-Id",
        })
abstract class ReadListenerScenarios {

    private static final String JSON = "application/json";

    /** Reads with a read listener; under {@code throws}, its {@code onDataAvailable} throws on an id's first delivery. */
    @RestController
    static class Reading {

        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final List<String> seen = new CopyOnWriteArrayList<>();

        @PostMapping({"/webhooks/reading/reads", "/webhooks/reading/throws"})
        void read(HttpServletRequest request, HttpServletResponse response, @RequestHeader("Webhook-Id") String id)
                throws IOException {
            int call = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            boolean throwing = call == 1 && request.getRequestURI().endsWith("/throws");
            AsyncContext async = request.startAsync();
            ServletInputStream in = request.getInputStream();
            in.setReadListener(new ReadListener() {
                private final ByteArrayOutputStream body = new ByteArrayOutputStream();

                @Override
                public void onDataAvailable() throws IOException {
                    seen.add("onDataAvailable ready " + in.isReady() + " finished " + in.isFinished());
                    if (throwing) {
                        throw new IllegalStateException("the controller failed in onDataAvailable");
                    }
                    byte[] buffer = new byte[7];
                    int n;
                    while (in.isReady() && (n = in.read(buffer)) >= 0) {
                        body.write(buffer, 0, n);
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    seen.add("onAllDataRead finished " + in.isFinished() + ", " + body.size() + " bytes");
                    answer(body.toString(StandardCharsets.UTF_8));
                }

                @Override
                public void onError(Throwable t) {
                    seen.add("onError " + t.getClass().getSimpleName());
                    try {
                        answer("failed\n");
                    } catch (IOException e) {
                        async.complete();
                    }
                }

                private void answer(String text) throws IOException {
                    HttpServletResponse answering = (HttpServletResponse) async.getResponse();
                    answering.setStatus(200);
                    answering.setContentType("text/plain");
                    answering.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                    async.complete();
                }
            });
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Reading controller;

    private Loopback.Answer post(String path, String id, long t) throws IOException {
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY, t);
        return new Loopback(port).post(path, JSON, Vectors.SIMPLE_BODY, "X-Webhook-Signature", signature, "Webhook-Id", id);
    }

    /**
     * Posts until the answer is not 409 (for up to 5 s): the filter finishes an async request's claim when the container
     * tells it the request completed, which Jetty does after the answer went out, so a request sent at once may find
     * the claim still held. A 409 does not run the controller.
     */
    private Loopback.Answer afterTheClaimIsFinished(String path, String id, long t) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Loopback.Answer answer = post(path, id, t);
            if (answer.status() != 409 || System.nanoTime() > deadline) {
                return answer;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    @Test
    void aReadListenerGetsTheVerifiedBytesAndTheMessageIsDoneOnce() throws IOException {
        controller.seen.clear();
        Loopback.Answer first = post("/webhooks/reading/reads", "msg_reads", Vectors.T - 10);
        List<String> seen = List.copyOf(controller.seen);
        Loopback.Answer again = post("/webhooks/reading/reads", "msg_reads", Vectors.T - 10);
        Loopback.Answer anew = afterTheClaimIsFinished("/webhooks/reading/reads", "msg_reads", Vectors.T - 11);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(new String(Vectors.SIMPLE_BODY, StandardCharsets.UTF_8));
        assertThat(seen).containsExactly("onDataAvailable ready true finished false",
                "onAllDataRead finished true, " + Vectors.SIMPLE_BODY.length + " bytes");
        assertThat(again.status()).as("the same request again: " + again.body()).isEqualTo(401);
        assertThat(again.body()).isEqualTo("webhook rejected: replayed\n");
        assertThat(anew.status()).as(anew.body()).isEqualTo(200);
        assertThat(anew.header("Webhook-Duplicate")).isEqualTo("true");
        assertThat(controller.calls.get("msg_reads")).hasValue(1);
    }

    @Test
    void aReadListenerThatThrowsFailsTheRequestSoTheRetryRunsAgain() throws IOException {
        // Timestamps of its own: the other test's messages stay recorded in the same application.
        Loopback.Answer first = post("/webhooks/reading/throws", "msg_throws", Vectors.T - 20);
        Loopback.Answer again = post("/webhooks/reading/throws", "msg_throws", Vectors.T - 20);
        Loopback.Answer anew = afterTheClaimIsFinished("/webhooks/reading/throws", "msg_throws", Vectors.T - 21);

        assertThat(first.status()).as("onError answers 200: " + first.body()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("failed\n");
        assertThat(again.status()).as("the same request again runs: " + again.body()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(new String(Vectors.SIMPLE_BODY, StandardCharsets.UTF_8));
        assertThat(anew.status()).as(anew.body()).isEqualTo(200);
        assertThat(anew.header("Webhook-Duplicate")).isEqualTo("true");
        assertThat(controller.calls.get("msg_throws")).hasValue(2);
    }
}
