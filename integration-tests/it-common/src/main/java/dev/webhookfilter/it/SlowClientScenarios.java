package dev.webhookfilter.it;

import static dev.webhookfilter.it.Webhooks.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Slow senders, against a connector whose idle timeout is {@value #IDLE_TIMEOUT_MILLIS} ms so that
 * giving up on one is quick: a body that stops short of its {@code Content-Length} ends in a 4xx
 * or a closed connection, never a 5xx or the handler; a body that trickles in but keeps coming verifies.
 * (A request refused on its header whose body stalls is {@link StalledBodyScenarios}', against a long
 * idle timeout.)
 */
public abstract class SlowClientScenarios extends ContainerScenarios {

    static final long IDLE_TIMEOUT_MILLIS = 4000;

    protected SlowClientScenarios(Container container) {
        super(container);
    }

    @Override
    protected Duration idleTimeout() {
        return Duration.ofMillis(IDLE_TIMEOUT_MILLIS);
    }

    @Test
    void bodyShorterThanItsLengthTimesOutWithoutReachingTheHandler() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_short", 1000);
        String path = uniquePath("short");
        RawRequest request = Webhooks.signedPost(path, body);
        assertHandlerNotRun(() -> {
            Optional<RawResponse> response;
            try (RawConnection connection = connect()) {
                connection.send(request.head());
                connection.send(body, 0, body.length / 2); // and then nothing: the sender hangs
                response = connection.readIfAny("POST");
            }
            if (response.isPresent()) {
                int status = response.get().status();
                System.out.println(app.serverInfo() + ": a short body got " + status);
                assertTrue(status == 400 || status == 408, response.get()::toString);
            }
            Exchange exchange = awaitExchange(path);
            assertTrue(exchange.status() >= 400 && exchange.status() < 500, exchange::toString);
        });
    }

    /**
     * Twenty pieces a sixteenth of the idle timeout apart: slow, longer in all than the idle timeout, but
     * never idle for long. Each pause leaves fifteen sixteenths of the timeout (3.75 s) to spare, so that
     * a loaded machine that runs the client late does not make the sender look idle.
     */
    @Test
    void bodyTrickledInSmallPiecesStillVerifies() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_trickle", 2000);
        RawRequest request = Webhooks.signedPost(uniquePath("trickle"), body);
        int pieces = 20;
        int piece = body.length / pieces;
        try (RawConnection connection = connect()) {
            connection.send(request.head());
            for (int from = 0; from < body.length; from += piece) {
                Thread.sleep(IDLE_TIMEOUT_MILLIS / 16);
                connection.send(body, from, Math.min(piece, body.length - from));
            }
            assertDelivered(body, connection.read("POST"));
        }
    }
}
