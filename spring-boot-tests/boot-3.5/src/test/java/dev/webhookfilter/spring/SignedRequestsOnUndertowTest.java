package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

/** The scenarios on Undertow, which Boot 3.5 supports and Boot 4 does not. */
@Import(Servers.Undertow.class)
class SignedRequestsOnUndertowTest extends SignedRequestScenarios {

    @Override
    String serverInfoPrefix() {
        return "undertow";
    }

    @Override
    Class<?> server() {
        return Servers.Undertow.class;
    }

    /**
     * Undertow 2.3 keeps a response whose Content-Length is written in full in its buffer, uncommitted, until the
     * request ends: the controller's exception after its 200 reaches the container, which answers 500 instead (with
     * Spring's error page cut to the declared two bytes). The filter judges that 500, as the sender sees it: the claim
     * is released, and the sender's retry runs the controller again rather than being told it was processed. On Tomcat
     * and Jetty the 200 is on its way first, and the retry is a duplicate (the scenario this overrides).
     */
    @Override
    @Test
    void deduplicate_aControllerThatThrowsAfterAnswering200_marksTheIdDone_andTheSenderGets200() throws Exception {
        String id = "msg_throws_" + getClass().getSimpleName();
        int before = received.controllerCalls.get();

        Loopback.Answer first = http.post("/webhooks/deliveries/throws-after-answering", "application/json",
                Vectors.SIMPLE_BODY, "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);
        Loopback.Answer retry = http.post("/webhooks/deliveries/throws-after-answering", "application/json",
                Vectors.SIMPLE_BODY, "X-Webhook-Signature", Vectors.header(Vectors.SIMPLE_A), "webhook-id", id);

        assertThat(first.status()).as(first.body()).isEqualTo(500);
        assertThat(retry.status()).as(retry.body()).isEqualTo(500);
        assertThat(retry.header("Webhook-Duplicate")).isNull();
        assertThat(received.controllerCalls.get() - before).as("controller runs").isEqualTo(2);
    }
}
