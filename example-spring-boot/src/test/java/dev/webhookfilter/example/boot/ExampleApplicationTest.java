package dev.webhookfilter.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example as configured by its application.yml, with the development secrets that the launcher sets as
 * its environment variables, over loopback: each endpoint takes its own secret only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "WEBHOOK_SECRET=" + ExampleApplicationTest.PAYMENTS_SECRET,
        "ORDERS_WEBHOOK_SECRET=" + ExampleApplicationTest.ORDERS_SECRET})
class ExampleApplicationTest {

    static final String PAYMENTS_SECRET = "whsec_example_development_only";
    static final String ORDERS_SECRET = "whsec_example_orders_development_only";
    private static final byte[] BODY = "{\"eventId\":\"whevt-abc123\",\"eventType\":{\"name\":\"webhooks.test\",\"version\":1},\"payload\":{}}"
            .getBytes(StandardCharsets.UTF_8);

    @Value("${local.server.port}")
    int port;

    /** Actuator's port; the application's own where Actuator has none of its own. */
    @Value("${local.management.port:${local.server.port}}")
    int managementPort;

    @Test
    void eachEndpoint_acceptsItsOwnSecretOnly() throws Exception {
        assertThat(post("/webhooks/payments", PAYMENTS_SECRET).status()).isEqualTo(200);
        assertThat(post("/webhooks/payments", ORDERS_SECRET).status()).isEqualTo(401);
        assertThat(post("/webhooks/orders", ORDERS_SECRET).status()).isEqualTo(200);
        assertThat(post("/webhooks/orders", PAYMENTS_SECRET).status()).isEqualTo(401);
    }

    @Test
    void theControllerAnswersWithWhatItReceived() throws Exception {
        RawResponse response = post("/webhooks/payments", PAYMENTS_SECRET);

        assertThat(response.text()).startsWith("verified " + BODY.length + " bytes, sha256 ")
                .contains(" with secret #0");
    }

    /**
     * For a form post Spring rebuilds a {@code @RequestBody} from the parameters ({@code a=A&b=c+d}, 9 bytes):
     * the controller must answer with the bytes that were signed.
     */
    @Test
    void theControllerAnswersWithTheSignedBytes_ofAFormPost() throws Exception {
        byte[] form = "a=%41&b=c+d".getBytes(StandardCharsets.US_ASCII);
        RawResponse response = RawConnection.exchange(port, RawRequest.post("/webhooks/payments")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Webhook-Signature", WebhookSigner.of(PAYMENTS_SECRET).sign(form)).body(form));

        // printf '%s' 'a=%41&b=c+d' | sha256sum
        assertThat(response.text()).startsWith(
                "verified 11 bytes, sha256 4f7d74f1480933fc9792f88df06139d2d8c1db83785bdab37cf86e06bfb22aa8,");
    }

    /**
     * Spring's multipart resolver would ask for the parts of a multipart post before the controller runs, which
     * the verified request does not serve, and answer 500: the example turns it off, and its controller reads the
     * signed bytes of any type.
     */
    @Test
    void aSignedMultipartBodyWithoutABoundary_reachesTheController() throws Exception {
        RawResponse response = RawConnection.exchange(port, RawRequest.post("/webhooks/payments")
                .header("Content-Type", "multipart/form-data")
                .header("X-Webhook-Signature", WebhookSigner.of(PAYMENTS_SECRET).sign(BODY)).body(BODY));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).startsWith("verified " + BODY.length + " bytes, sha256 ");
    }

    @Test
    void actuatorCountsEachEndpointsOutcomes() throws Exception {
        // Only this test sends a request without a signature, so the count is this test's own.
        assertThat(RawConnection.exchange(port, RawRequest.post("/webhooks/orders").body(BODY)).status()).isEqualTo(401);
        RawResponse metric = get("/actuator/metrics/webhooks.requests"
                + "?tag=endpoint:orders&tag=outcome:rejected&tag=reason:MISSING_HEADER");

        assertThat(metric.status()).isEqualTo(200);
        assertThat(metric.text()).contains("\"name\":\"webhooks.requests\"")
                .contains("{\"statistic\":\"COUNT\",\"value\":1.0}");
        assertThat(get("/actuator/metrics/webhooks.verification?tag=endpoint:payments").status()).isEqualTo(200);
    }

    /**
     * A tunnel to the application's port (README, "Testing through a tunnel") carries whatever that port serves:
     * Actuator is not there, but on its own port on loopback.
     */
    @Test
    void actuatorIsNotOnTheApplicationsPort() throws Exception {
        assertThat(RawConnection.exchange(port, RawRequest.of("GET", "/actuator/metrics/webhooks.requests")).status())
                .isEqualTo(404);
        assertThat(RawConnection.exchange(port, RawRequest.of("GET", "/actuator/health")).status()).isEqualTo(404);
        assertThat(get("/actuator/health").status()).isEqualTo(200);
    }

    private RawResponse get(String path) throws Exception {
        return RawConnection.exchange(managementPort, RawRequest.of("GET", path));
    }

    private RawResponse post(String path, String secret) throws Exception {
        return RawConnection.exchange(port, RawRequest.post(path).header("Content-Type", "application/json")
                .header("X-Webhook-Signature", WebhookSigner.of(secret).sign(BODY)).body(BODY));
    }
}
