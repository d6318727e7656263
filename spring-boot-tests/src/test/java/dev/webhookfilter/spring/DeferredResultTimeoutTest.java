package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A controller whose {@code DeferredResult} times out, behind an endpoint with replay protection, in the application
 * of {@link SignedRequestsWithoutSpringSecurityOnTomcatTest} (Tomcat, no Spring Security): the
 * filter judges it when it completes, by the status the sender gets. Spring answers a timeout with the result's
 * timeout value where it has one (202 here), which the sender will not retry, so the message stays recorded;
 * without one, with 503, and the message is forgotten so that the sender's retry runs the controller again; with
 * de-duplication (endpoint {@code orders}), that 503 leaves the id's claim to its lease.
 */
@SpringBootTest(classes = {SignedRequestsWithoutSpringSecurityOnTomcatTest.App.class, DeferredResultTimeoutTest.Deferring.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "webhooks.endpoints.payments.path-patterns=/webhooks/*",
                "webhooks.endpoints.payments.secrets[0]=" + Vectors.SECRET_A,
                "webhooks.endpoints.payments.replay-protection=true",
                "webhooks.endpoints.orders.path-patterns=/orders/*",
                "webhooks.endpoints.orders.secrets[0]=" + Vectors.SECRET_A,
                "webhooks.endpoints.orders.deduplicate=true",
                "webhooks.endpoints.orders.id-header=Webhook-Id",
                "webhooks.endpoints.orders.lease=45s",
        })
class DeferredResultTimeoutTest {

    private static final String JSON = "application/json";

    /** Leaves every result unset, so that each times out after 100 ms. */
    @RestController
    static class Deferring {

        final AtomicInteger calls = new AtomicInteger();

        @PostMapping("/webhooks/payments/accepted-at-timeout")
        DeferredResult<ResponseEntity<String>> acceptedAtTimeout() {
            calls.incrementAndGet();
            return new DeferredResult<>(100L, ResponseEntity.accepted().body("accepted\n"));
        }

        @PostMapping({"/webhooks/payments/unanswered", "/orders/unanswered"})
        DeferredResult<String> unanswered() {
            calls.incrementAndGet();
            return new DeferredResult<>(100L);
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Deferring controller;

    @BeforeEach
    void reset() {
        controller.calls.set(0);
    }

    private Loopback.Answer post(String path, String signature) throws IOException {
        return new Loopback(port).post(path, JSON, Vectors.SIMPLE_BODY, "X-Webhook-Signature", signature);
    }

    @Test
    void aTimeoutTheControllerAnsweredWith202IsRemembered() throws IOException {
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY);

        Loopback.Answer first = post("/webhooks/payments/accepted-at-timeout", signature);
        Loopback.Answer again = post("/webhooks/payments/accepted-at-timeout", signature);

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(again.status()).as("a copy sent again: " + again.body()).isEqualTo(401);
        assertThat(again.body()).isEqualTo("webhook rejected: replayed\n");
        assertThat(controller.calls).hasValue(1);
    }

    @Test
    void aTimeoutSpringAnsweredWith503IsForgottenSoTheRetryRuns() throws IOException {
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY);

        Loopback.Answer first = post("/webhooks/payments/unanswered", signature);
        Loopback.Answer retry = post("/webhooks/payments/unanswered", signature);

        assertThat(first.status()).as(first.body()).isEqualTo(503);
        assertThat(retry.status()).as("the sender's retry: " + retry.body()).isEqualTo(503);
        assertThat(controller.calls).hasValue(2);
    }

    /**
     * With de-duplication, the same timeout leaves the claim to its lease: the work the controller started may still be
     * running, so the sender's retry, signed anew with the same id, gets 409 rather than running it beside that work.
     */
    @Test
    void aTimeoutSpringAnsweredWith503LeavesTheClaimToItsLease() throws IOException {
        long now = java.time.Instant.now().getEpochSecond();
        Loopback.Answer first = postWithId("/orders/unanswered", "msg_timeout", now);
        Loopback.Answer retry = postWithId("/orders/unanswered", "msg_timeout", now + 1);

        assertThat(first.status()).as(first.body()).isEqualTo(503);
        assertThat(retry.status()).as("the sender's retry: " + retry.body()).isEqualTo(409);
        assertThat(retry.header("Retry-After")).isEqualTo("45");
        assertThat(controller.calls).hasValue(1);
    }

    private Loopback.Answer postWithId(String path, String id, long t) throws IOException {
        String signature = WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY, t);
        return new Loopback(port).post(path, JSON, Vectors.SIMPLE_BODY, "X-Webhook-Signature", signature, "Webhook-Id", id);
    }
}
