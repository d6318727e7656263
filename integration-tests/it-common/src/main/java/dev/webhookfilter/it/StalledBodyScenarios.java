package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request refused on its header whose declared body stalls, against a connector whose idle timeout
 * ({@link #IDLE_TIMEOUT}) is three times as long as the client waits for the answer
 * ({@link #CLIENT_PATIENCE}): an answer the client gets at all came while it still withheld the rest of
 * the body, before the container could have given up on it. A filter that waited for the body would
 * be answered only at the idle timeout (Tomcat with 408), long after the client gave up; no bound on how
 * fast the answer came is asserted.
 */
public abstract class StalledBodyScenarios extends ContainerScenarios {

    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Generous for a loaded machine (a healthy answer takes milliseconds; the answer once took more than
     * 15 s in a full Tomcat 11 run here, cause unknown), and still a third of {@link #IDLE_TIMEOUT}.
     */
    static final Duration CLIENT_PATIENCE = Duration.ofSeconds(40);

    protected StalledBodyScenarios(Container container) {
        super(container);
    }

    @Override
    protected Duration idleTimeout() {
        return IDLE_TIMEOUT;
    }

    /**
     * A request refused on its header alone is answered without reading its body: a small body that
     * stalls must not hold the 401 back until the idle timeout (nor turn it into Tomcat's 408).
     */
    @Test
    void headerRejectedRequestWhoseBodyStallsIsAnsweredAtOnce() throws Exception {
        byte[] body = Webhooks.jsonEvent("evt_short_unsigned", 1000);
        RawRequest request = RawRequest.post(uniquePath("short-unsigned")).body(body); // no signature
        assertHandlerNotRun(() -> {
            try (RawConnection connection = connect()) {
                connection.readTimeout(CLIENT_PATIENCE);
                connection.send(request.head());
                connection.send(body, 0, body.length / 2); // and then nothing: the rest is withheld while we wait
                RawResponse response;
                try {
                    response = connection.read("POST");
                } catch (SocketTimeoutException e) {
                    response = fail("no answer in " + CLIENT_PATIENCE.toSeconds() + " s while the body stalled,"
                            + " with the container's idle timeout at " + IDLE_TIMEOUT.toSeconds()
                            + " s: the filter waited for the body of a request refused on its header");
                }
                System.out.println(app.serverInfo() + ": unsigned, stalled body answered " + response.status());
                assertEquals(401, response.status(), response.toString());
            }
        });
    }
}
