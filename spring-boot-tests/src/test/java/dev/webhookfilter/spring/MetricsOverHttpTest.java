package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Real signed requests to the test application with Actuator on the class path: each one moves
 * exactly one {@code webhooks.requests} counter of Boot's own MeterRegistry, the right one.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1", // loopback only, never every interface
                "webhooks.endpoints.payments.path-patterns=/webhooks/payments/*",
                "webhooks.endpoints.payments.secrets=" + Vectors.SECRET_A,
                "webhooks.endpoints.orders.path-patterns=/webhooks/orders/*",
                "webhooks.endpoints.orders.secrets=" + Vectors.SECRET_B,
                "webhooks.endpoints.orders.max-body-size=16B",
                "webhooks.endpoints.orders.replay-protection=true",
        })
@Import(Servers.Tomcat.class)
class MetricsOverHttpTest {

    private static final String SCHEME = "wealthkernel-2022";
    private static final String JSON = "application/json";

    @Value("${local.server.port}")
    int port;

    @Autowired
    MeterRegistry registry;

    Loopback http;

    @BeforeEach
    void connect() {
        http = new Loopback(port);
    }

    /** Every webhooks.requests counter: "endpoint outcome reason" to its count, for the scheme only. */
    private Map<String, Double> counters() {
        Map<String, Double> counters = new TreeMap<>();
        for (Counter counter : registry.find("webhooks.requests").counters()) {
            assertThat(counter.getId().getTag("scheme")).isEqualTo(SCHEME);
            counters.put(counter.getId().getTag("endpoint") + " " + counter.getId().getTag("outcome") + " "
                    + counter.getId().getTag("reason"), counter.count());
        }
        return counters;
    }

    /** Sends and returns the counters that moved, and by how much. */
    private Map<String, Double> moved(int status, String path, byte[] body, String... headers) throws Exception {
        Map<String, Double> before = counters();
        Loopback.Answer answer = http.post(path, JSON, body, headers);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        Map<String, Double> moved = new TreeMap<>();
        counters().forEach((id, count) -> {
            if (count - before.getOrDefault(id, 0.0) != 0) {
                moved.put(id, count - before.getOrDefault(id, 0.0));
            }
        });
        return moved;
    }

    @Test
    void eachEndpointsCountersAreThereBeforeItsFirstRequest() {
        assertThat(counters()).containsKeys("payments verified none", "orders verified none",
                "payments rejected NO_MATCHING_SIGNATURE", "orders duplicate none");
    }

    @Test
    void eachOutcomeMovesExactlyItsCounter() throws Exception {
        assertThat(moved(200, "/webhooks/payments/bytes", Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A)))
                .isEqualTo(Map.of("payments verified none", 1.0));
        assertThat(moved(401, "/webhooks/payments/bytes", Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_B)))
                .isEqualTo(Map.of("payments rejected NO_MATCHING_SIGNATURE", 1.0));
        assertThat(moved(401, "/webhooks/orders/bytes", Vectors.SIMPLE_BODY))
                .isEqualTo(Map.of("orders rejected MISSING_HEADER", 1.0));
        assertThat(moved(401, "/webhooks/orders/bytes", Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", "t=1600000000,v1=" + Vectors.SIMPLE_B))
                .isEqualTo(Map.of("orders rejected STALE_TIMESTAMP", 1.0));
        assertThat(moved(413, "/webhooks/orders/bytes", new byte[17],
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_B)))
                .isEqualTo(Map.of("orders rejected BODY_TOO_LARGE", 1.0));
        assertThat(moved(200, "/webhooks/orders/bytes", Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_B)))
                .isEqualTo(Map.of("orders verified none", 1.0));
        assertThat(moved(401, "/webhooks/orders/bytes", Vectors.SIMPLE_BODY,
                "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_B)))
                .isEqualTo(Map.of("orders rejected REPLAYED", 1.0));
        assertThat(moved(403, "/not-a-webhook", Vectors.SIMPLE_BODY)).isEmpty(); // no CSRF token
        // Refused by the ambiguous path filter, before any endpoint: no endpoint's counter moves.
        assertThat(moved(400, "/webhooks/payments/%2e%2e/bytes", Vectors.SIMPLE_BODY)).isEmpty();
    }
}
