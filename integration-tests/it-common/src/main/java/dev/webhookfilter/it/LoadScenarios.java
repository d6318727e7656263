package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Sixteen senders, five hundred events each, one keep-alive connection per sender, one event in
 * ten forged: every genuine event gets 200 with its own sha256, every forged one 401, none a 5xx.
 * Prints the throughput, which is for the record, not asserted.
 */
public abstract class LoadScenarios extends ContainerScenarios {

    static final int CLIENTS = 16;
    static final int REQUESTS_PER_CLIENT = 500;
    /** The forgeries a load mixes in: refused after reading the body, and refused on the header alone. */
    static final List<Forgery> FORGERIES =
            List.of(Forgery.WRONG_SECRET, Forgery.CHANGED_BODY_BYTE, Forgery.STALE, Forgery.MISSING_HEADER);

    /** The package of the example WAR's handler, whose per-event INFO lines are silenced here. */
    private static final String HANDLER_LOGGER = "dev.webhookfilter.example";

    protected LoadScenarios(Container container) {
        super(container);
    }

    @Test
    void classifiesEveryRequestUnderConcurrentLoad() throws Exception {
        Counts counts = new Counts();
        long before = eventsTotal();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        // The example handler logs each event at INFO: 8000 lines of build output, and slower.
        Logger handlerLog = Logger.getLogger(HANDLER_LOGGER);
        Level handlerLevel = handlerLog.getLevel();
        handlerLog.setLevel(Level.WARNING);
        long start = System.nanoTime();
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                senders.add(pool.submit(() -> {
                    send(id, counts);
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            handlerLog.setLevel(handlerLevel);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = (long) CLIENTS * REQUESTS_PER_CLIENT;
        System.out.printf("LOAD %s: %d requests from %d clients in %.2f s = %.0f req/s; genuine 200 %d,"
                        + " forged 401 %d, misclassified %d, 5xx %d, connections closed by the server %d%n",
                app.serverInfo(), total, CLIENTS, seconds, total / seconds, counts.genuineAccepted.sum(),
                counts.forgedRefused.sum(), counts.misclassified.sum(), counts.serverErrors.sum(),
                counts.reconnects.sum());
        long genuine = counts.genuineAccepted.sum();
        assertAll(
                () -> assertEquals(0, counts.misclassified.sum(), "misclassified requests"),
                () -> assertEquals(0, counts.serverErrors.sum(), "5xx responses"),
                () -> assertEquals(total / 10, counts.forgedRefused.sum(), "forged requests refused"),
                () -> assertEquals(total - total / 10, genuine, "genuine requests delivered"),
                () -> assertEquals(before + genuine, eventsTotal(), "events the handler received"));
    }

    private void send(int client, Counts counts) throws IOException {
        WebhookSigner signer = Webhooks.signer();
        RawConnection connection = connect();
        try {
            for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                byte[] body = Webhooks.jsonEvent("evt_load_" + client + "_" + i, 100 + (i * 37 % 2000));
                boolean forged = i % 10 == 3;
                RawRequest request = forged
                        ? FORGERIES.get(i / 10 % FORGERIES.size()).request("/webhooks/load", body)
                        : RawRequest.post("/webhooks/load").header(Webhooks.HEADER, signer.sign(body)).body(body);
                RawResponse response;
                try {
                    response = connection.exchange(request);
                } catch (EOFException e) {
                    counts.misclassified.increment(); // the server dropped a live connection unannounced
                    connection.close();
                    connection = connect();
                    continue;
                }
                classify(forged, body, response, counts);
                if (response.announcesClose()) { // Tomcat closes after maxKeepAliveRequests (100)
                    counts.reconnects.increment();
                    connection.close();
                    connection = connect();
                }
            }
        } finally {
            connection.close();
        }
    }

    private static void classify(boolean forged, byte[] body, RawResponse response, Counts counts) {
        if (response.status() >= 500) {
            counts.serverErrors.increment();
        }
        if (forged) {
            if (response.status() == 401) {
                counts.forgedRefused.increment();
            } else {
                counts.misclassified.increment();
            }
            return;
        }
        try {
            Webhooks.assertDelivered(body, response);
            counts.genuineAccepted.increment();
        } catch (AssertionError e) {
            counts.misclassified.increment();
        }
    }

    private static final class Counts {
        final LongAdder genuineAccepted = new LongAdder();
        final LongAdder forgedRefused = new LongAdder();
        final LongAdder misclassified = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final LongAdder reconnects = new LongAdder();
    }
}
