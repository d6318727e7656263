package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.it.DeployedApp.Exchange;
import dev.webhookfilter.it.ReadListenerContext.Mode;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servlet 3.1 non-blocking reads behind the filter: an application in async mode that reads the body through a
 * {@code ReadListener} ({@link ReadListenerContext}) gets from the filter's wrapper what it gets from the container
 * without the filter (the same callbacks, in the same order, none while {@code service()} still runs, and the same
 * exceptions from {@code setReadListener}), and the filter gives back what it holds for the request (its room in
 * {@code maxBufferedBytes}, the replay record and de-duplication's claim of a request that failed) when the request
 * ends, or when a callback throws.
 *
 * <p>With the filter of main at 8c6f97c, 8 of the 11 failed on Tomcat 11.0.27 and on Jetty 12.1.14 ee10 (all but
 * {@code NULL}, {@code NOT_ASYNC} and {@code FROM_ANOTHER_THREAD}): every callback ran while {@code service()} still
 * did; and on Tomcat a request whose callback threw, and whose {@code onError} completed it, was judged by the 200
 * left on it, so the same request again got 401 {@code replayed} instead of running again.
 */
public abstract class ReadListenerScenarios extends ContainerScenarios {

    /** {@code maxBufferedBytes}, and {@code maxBodyBytes}, of {@link #FILTERED}: one body of {@link #BODY_SIZE}. */
    static final int BUDGET = 4096;
    /** The size of every body sent: a second one does not fit in {@link #BUDGET} beside it. */
    static final int BODY_SIZE = 3000;
    static final ReadListenerContext FILTERED = ReadListenerContext.filtered("/nonblocking", BUDGET);
    private static final AtomicInteger IDS = new AtomicInteger();

    protected ReadListenerScenarios(Container container) {
        super(container);
    }

    @Override
    protected List<ReadListenerContext> probeContexts() {
        return List.of(FILTERED, ReadListenerContext.PLAIN);
    }

    /** A callback that throws, or a timeout nobody answers, ends in 500 from the container, with or without the filter. */
    @Override
    protected boolean isExpectedServerError(Exchange exchange) {
        return exchange.status() == 500 && (exchange.uri().contains("/throw-in-") || exchange.uri().contains("/timeout/"));
    }

    /**
     * For each thing an application does with a read listener ({@link Mode}): it gets the status and sees the
     * callbacks, in the order and at the time (after {@code service()} returned), that it gets and sees without the
     * filter; but for a callback that throws, where Tomcat without the filter also tells the application's
     * {@code AsyncListener.onError} and closes the connection without an answer. Once the request has ended, the
     * filter has given back what it held for it: the next event gets through a budget of one body, and the very same
     * request again is judged as the README says: refused as a replay after a 2xx, run again after a failure (a 5xx,
     * no answer, or a callback that threw, which fails the request as an exception from a handler does, though the
     * application may answer 200), but 409 after a timeout nobody answered: forgotten as a failure, its claim runs out
     * with its lease, as the application may still be working on it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void anApplicationReadingWithAListenerSeesWhatTheContainerGivesIt(Mode mode) throws Exception {
        String label = mode.segment() + "-" + IDS.incrementAndGet();
        byte[] body = mode == Mode.EMPTY ? new byte[0] : Webhooks.jsonEvent("evt_nb_" + label, BODY_SIZE);
        Seen plain = send(RawRequest.post(ReadListenerContext.PLAIN.target(mode, label))
                .header("Content-Type", "application/json").body(body));
        String signature = Webhooks.signer().sign(body);
        Seen filtered = send(signed(FILTERED.target(mode, label), signature, "id-" + label, body));
        Seen next = send(signed(FILTERED.target(Mode.READ, label + "-next"), null, "id-next-" + label,
                Webhooks.jsonEvent("evt_nb_next_" + label, BODY_SIZE)));
        Seen again = send(signed(FILTERED.target(Mode.READ, label + "-again"), signature, "id-" + label, body));
        System.out.println(app.serverInfo() + ", " + mode + ": without the filter " + plain + "; behind it " + filtered
                + "; the next event " + next.status() + "; the same request again " + again.status());

        if (mode.callbackThrows()) {
            // Tomcat puts such a request in its error state itself (AsyncListener.onError, then it closes the
            // connection without an answer); a filter cannot, and the application's onError answers instead.
            assertEquals(withoutAsyncErrors(plain.events()), filtered.events(),
                    "what the application's read listener saw, without the filter and behind it");
        } else {
            assertEquals(plain.events(), filtered.events(), "what the application saw, without the filter and behind it");
            assertEquals(plain.status(), filtered.status(), "the status, without the filter and behind it (0: none in "
                    + PATIENCE.toSeconds() + " s, -1: the connection closed without one)");
        }
        assertEquals(200, next.status(), "the next event, in a budget of one body");
        boolean failed = filtered.status() < 200 || filtered.status() >= 300
                || filtered.events().stream().anyMatch(event -> event.startsWith("onError"));
        boolean timedOutUnanswered = mode == Mode.TIMEOUT && filtered.status() >= 500;
        assertEquals(timedOutUnanswered ? 409 : failed ? 200 : 401, again.status(), "the same request again, after " + filtered);
    }

    private static List<String> withoutAsyncErrors(List<String> events) {
        return events.stream().filter(event -> !event.startsWith("AsyncListener.onError")).toList();
    }

    /** A request to {@code target} signed with {@code signature} (a new one when null), with message id {@code id}. */
    private static RawRequest signed(String target, String signature, String id, byte[] body) {
        return RawRequest.post(target).header("Content-Type", "application/json")
                .header(Webhooks.HEADER, signature != null ? signature : Webhooks.signer().sign(body))
                .header(ReadListenerContext.ID_HEADER, id)
                .body(body);
    }

    /**
     * What a request got: its status (0: none within {@link #PATIENCE}, -1: the connection closed without one),
     * and what its application noted once the request ended.
     */
    record Seen(int status, List<String> events) {
    }

    /**
     * How long a client waits for an answer: well within the application's async timeout
     * ({@link ReadListenerContext#LONG_TIMEOUT_MILLIS}), so that a request nobody ends shows as no answer.
     */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    /** Sends {@code request}; once answered, waits for the container to end it (and the filter to let it go). */
    private Seen send(RawRequest request) throws IOException, InterruptedException {
        int status;
        try (RawConnection connection = connect()) {
            connection.readTimeout(PATIENCE);
            status = connection.exchange(request).status();
        } catch (SocketTimeoutException e) {
            status = 0;
        } catch (EOFException e) {
            status = -1;
        }
        return new Seen(status, ReadListenerContext.events(request.target(), status != 0));
    }
}
