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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http2.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servlet 3.1 non-blocking reads behind the filter: an application in async mode that reads the body through a
 * {@code ReadListener} ({@link ReadListenerContext}) gets from the filter's wrapper what it gets from the container
 * without the filter (the same callbacks, in the same order, none while {@code service()} still runs, and the same
 * exceptions from {@code setReadListener}), and the filter gives back what it holds for the request (its room in
 * {@code maxBufferedBytes}, the replay record and de-duplication's claim of a request that failed) when the request
 * ends, or when a callback throws. Over HTTP/1.1, over h2c on a connector that speaks both, or over {@code h2} on the
 * container's TLS connector ({@link Protocol}).
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

    /** What carries the scenarios' requests to the container. */
    public enum Protocol {
        /** HTTP/1.1, a new connection per request ({@link RawConnection}). */
        HTTP_1_1(CONNECTION_CLOSED),
        /**
         * HTTP/2 cleartext by prior knowledge (RFC 9113 3.3), a new connection per request ({@link H2cConnection}),
         * the body in one DATA frame that ends the stream, its length declared in {@code content-length}; a request
         * without a body ends the stream with its HEADERS.
         */
        H2C("RST_STREAM internal_error, " + CONNECTION_OPEN),
        /**
         * HTTP/2 over TLS, {@code h2} agreed by ALPN (RFC 9113 3.2), on the container's TLS connector, whose
         * self-signed {@link TestCertificate} the client trusts alone; the request as {@link #H2C} sends it. TLS
         * hands the container the body in records that it decrypts as they come, not as the client wrote it.
         */
        H2_TLS("RST_STREAM internal_error, " + CONNECTION_OPEN);

        /**
         * How Tomcat ends, without an answer, a request whose read listener's callback threw (it tells the
         * application's {@code AsyncListener.onError} first): over HTTP/1.1 it closes the connection; over HTTP/2,
         * with or without TLS, it resets the stream alone, and the connection goes on serving (Tomcat 10.1.62 and
         * 11.0.27).
         */
        final String tomcatFailingARequest;

        Protocol(String tomcatFailingARequest) {
            this.tomcatFailingARequest = tomcatFailingARequest;
        }
    }

    private final Protocol protocol;
    /** The TLS connector's certificate, once {@link #tls()} has made it; {@code null} but over {@link Protocol#H2_TLS}. */
    private TestCertificate certificate;

    /** The scenarios over HTTP/1.1. */
    protected ReadListenerScenarios(Container container) {
        this(container, Protocol.HTTP_1_1);
    }

    /** The scenarios over {@code protocol}. */
    protected ReadListenerScenarios(Container container, Protocol protocol) {
        super(container);
        this.protocol = protocol;
    }

    @Override
    protected boolean h2c() {
        return protocol == Protocol.H2C;
    }

    @Override
    protected TestCertificate tls() throws Exception {
        if (protocol == Protocol.H2_TLS && certificate == null) {
            certificate = TestCertificate.shared();
        }
        return certificate;
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
     * {@code AsyncListener.onError} and ends the request without an answer ({@link Protocol#tomcatFailingARequest}).
     * Once the request has ended, the filter has given back what it held for it: the next event gets through a budget
     * of one body, and the very same request again is judged as the README says: refused as a replay after a 2xx, run
     * again after a failure (a 5xx, no answer, or a callback that threw, which fails the request as an exception from
     * a handler does, though the application may answer 200), but 409 after a timeout nobody answered: forgotten as a
     * failure, its claim runs out with its lease, as the application may still be working on it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void anApplicationReadingWithAListenerSeesWhatTheContainerGivesIt(Mode mode) throws Exception {
        String label = mode.segment() + "-" + IDS.incrementAndGet();
        byte[] body = mode == Mode.EMPTY ? new byte[0] : Webhooks.jsonEvent("evt_nb_" + label, BODY_SIZE);
        Seen plain = send(new Post(ReadListenerContext.PLAIN.target(mode, label), body));
        String signature = Webhooks.signer().sign(body);
        Seen filtered = send(signed(FILTERED.target(mode, label), signature, "id-" + label, body));
        Seen next = send(signed(FILTERED.target(Mode.READ, label + "-next"), null, "id-next-" + label,
                Webhooks.jsonEvent("evt_nb_next_" + label, BODY_SIZE)));
        Seen again = send(signed(FILTERED.target(Mode.READ, label + "-again"), signature, "id-" + label, body));
        System.out.println(app.serverInfo() + " over " + protocol + ", " + mode + ": without the filter " + plain
                + "; behind it " + filtered + "; the next event " + next.status() + "; the same request again "
                + again.status());

        if (mode.callbackThrows()) {
            // Tomcat puts such a request in its error state itself (AsyncListener.onError), then ends it without an
            // answer; a filter cannot, and the application's onError answers instead.
            assertEquals(withoutAsyncErrors(plain.events()), filtered.events(),
                    "what the application's read listener saw, without the filter and behind it");
            assertEquals(isTomcat() ? protocol.tomcatFailingARequest : ANSWERED, plain.end(),
                    "how the request ended without the filter");
        } else {
            assertEquals(plain.events(), filtered.events(), "what the application saw, without the filter and behind it");
            assertEquals(plain.status(), filtered.status(), "the status, without the filter and behind it (0: none in "
                    + PATIENCE.toSeconds() + " s, -1: it ended without one)");
            assertEquals(plain.end(), filtered.end(), "how the request ended, without the filter and behind it");
        }
        assertEquals(200, next.status(), "the next event, in a budget of one body");
        boolean failed = filtered.status() < 200 || filtered.status() >= 300
                || filtered.events().stream().anyMatch(event -> event.startsWith("onError"));
        boolean timedOutUnanswered = mode == Mode.TIMEOUT && filtered.status() >= 500;
        assertEquals(timedOutUnanswered ? 409 : failed ? 200 : 401, again.status(), "the same request again, after " + filtered);
    }

    private boolean isTomcat() {
        return app.serverInfo().startsWith("Apache Tomcat");
    }

    private static List<String> withoutAsyncErrors(List<String> events) {
        return events.stream().filter(event -> !event.startsWith("AsyncListener.onError")).toList();
    }

    /** A request to {@code target} signed with {@code signature} (a new one when null), with message id {@code id}. */
    private static Post signed(String target, String signature, String id, byte[] body) {
        return new Post(target, body)
                .header(Webhooks.HEADER, signature != null ? signature : Webhooks.signer().sign(body))
                .header(ReadListenerContext.ID_HEADER, id);
    }

    /** A JSON POST, as each protocol sends it. */
    private record Post(String target, Map<String, String> headers, byte[] body) {

        Post(String target, byte[] body) {
            this(target, Map.of("Content-Type", "application/json"), body);
        }

        Post header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Post(target, more, body);
        }

        /** The same request to a path of its own, for a second try ({@link #send}). */
        Post again() {
            return new Post(target + "-retried", headers, body);
        }

        RawRequest overHttp11() {
            RawRequest request = RawRequest.post(target);
            headers.forEach(request::header);
            return request.body(body);
        }

        H2cConnection.Request overHttp2() {
            H2cConnection.Request request = H2cConnection.Request.post(target);
            headers.forEach(request::header);
            return request.body(body);
        }
    }

    /**
     * What a request got: its status (0: none within {@link #PATIENCE}, -1: it ended without one), how its exchange
     * ended ({@link #ANSWERED}, {@link #NO_ANSWER}, {@link #CONNECTION_CLOSED}, or over HTTP/2 the stream's reset and
     * whether the connection still serves, as {@code RST_STREAM internal_error, the connection open}), and what its
     * application noted once the request ended.
     */
    record Seen(int status, String end, List<String> events) {
    }

    /** A request's status and how its exchange ended, as {@link Seen} has them. */
    private record Answer(int status, String end) {
    }

    static final String ANSWERED = "answered";
    static final String NO_ANSWER = "no answer";
    static final String CONNECTION_CLOSED = "the connection closed";
    static final String CONNECTION_OPEN = "the connection open";

    /**
     * How long a client waits for an answer: well within the application's async timeout
     * ({@link ReadListenerContext#LONG_TIMEOUT_MILLIS}), so that a request nobody ends shows as no answer.
     */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    /**
     * Sends {@code request}; once answered, waits for the container to end it (and the filter to let it go). Over
     * HTTP/2, where Tomcat lost the framing of the connection, sends it again on a new one, to
     * {@link Post#again() a path of its own} so that the application's notes of the first are not counted.
     */
    private Seen send(Post request) throws Exception {
        if (protocol == Protocol.HTTP_1_1) {
            Answer answer = overHttp11(request);
            return new Seen(answer.status(), answer.end(), ReadListenerContext.events(request.target(), answer.status() != 0));
        }
        AtomicInteger runs = new AtomicInteger();
        Sent sent;
        try {
            sent = overHttp2(this::openHttp2, connection -> {
                Post post = runs.getAndIncrement() == 0 ? request : request.again();
                Answer answer = exchange(connection, post);
                if (answer.status() < 0) {
                    // Thrown for overHttp2 to tell a connection whose framing Tomcat lost; caught below otherwise.
                    throw new StreamFailed(new Sent(post, answer));
                }
                return new Sent(post, answer);
            });
        } catch (StreamFailed e) {
            sent = e.sent;
        }
        Answer answer = sent.answer();
        return new Seen(answer.status(), answer.end(), ReadListenerContext.events(sent.post().target(), answer.status() != 0));
    }

    /** What was sent, and what it got. */
    private record Sent(Post post, Answer answer) {
    }

    /** A stream that ended without an answer, which {@link #send} gives as such unless Tomcat lost the framing. */
    private static final class StreamFailed extends Exception {

        private static final long serialVersionUID = 1L;
        private final transient Sent sent;

        StreamFailed(Sent sent) {
            super(sent.toString(), null, false, false);
            this.sent = sent;
        }
    }

    private H2cConnection openHttp2() throws Exception {
        return protocol == Protocol.H2_TLS ? H2cConnection.open(app.tlsPort(), certificate) : H2cConnection.open(app.port());
    }

    private Answer overHttp11(Post request) throws IOException {
        try (RawConnection connection = connect()) {
            connection.readTimeout(PATIENCE);
            return new Answer(connection.exchange(request.overHttp11()).status(), ANSWERED);
        } catch (SocketTimeoutException e) {
            return new Answer(0, NO_ANSWER);
        } catch (EOFException e) {
            return new Answer(-1, CONNECTION_CLOSED);
        }
    }

    /**
     * Over an HTTP/2 connection of its own, as {@link H2cConnection#exchange} sends a request (its body in one DATA
     * frame, not waited for), so that how a stream that got no answer ended shows in that connection alone: by the
     * error code of the server's RST_STREAM, and whether the connection still answers a PING.
     */
    private static Answer exchange(H2cConnection connection, Post request) throws Exception {
        H2cConnection.Exchange exchange = connection.begin(request.overHttp2());
        if (request.body().length > 0) {
            exchange.sendLater(request.body(), 0, request.body().length, true);
        }
        try {
            return new Answer(exchange.response(PATIENCE).status(), ANSWERED);
        } catch (TimeoutException e) {
            return new Answer(0, NO_ANSWER);
        } catch (ExecutionException e) {
            String stream = exchange.resetByServer().isPresent()
                    ? "RST_STREAM " + ErrorCode.toString(exchange.resetByServer().getAsInt(), "unknown")
                    : "the stream failed (" + e.getCause().getMessage() + ")";
            return new Answer(-1, stream + ", " + stillServing(connection));
        }
    }

    /** {@link #CONNECTION_OPEN} when {@code connection} answers a PING, else what ended it. */
    private static String stillServing(H2cConnection connection) throws InterruptedException {
        try {
            connection.roundTrip(Duration.ofSeconds(5));
            return CONNECTION_OPEN;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                throw (InterruptedException) e;
            }
            return "the connection not answering a PING (" + connection.closedBecause() + ")";
        }
    }
}
