package dev.webhookfilter.it;

import dev.webhookfilter.testing.http.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * One HTTP/2 connection to {@code 127.0.0.1}, over cleartext by prior knowledge (h2c, RFC 9113 section
 * 3.3) or over TLS with {@code h2} agreed by ALPN (section 3.2; the JDK's, through
 * {@code jetty-alpn-java-client}), through Jetty's frame-level {@link HTTP2Client}: a test opens streams on it
 * itself, sends each
 * stream's body in the DATA frames it chooses (or stops sending), with or without a
 * {@code content-length}, several streams at once, and gives up as a client does: a stream by RST_STREAM
 * ({@link Exchange#cancel()}), the connection by GOAWAY and a close ({@link #goAwayAndDisconnect()}) or by a close
 * alone ({@link #disconnect()}). Responses come back as {@link RawResponse}, as the
 * HTTP/1.1 client gives them, header names in lower case.
 */
public final class H2cConnection implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a step that failed waits for the GOAWAY that may explain it ({@link #againIfTomcatLostFraming}). */
    private static final Duration GOAWAY_WAIT = Duration.ofSeconds(2);
    /**
     * Tomcat's GOAWAY for a frame header whose length is past {@code SETTINGS_MAX_FRAME_SIZE}, as {@link #closedBecause}
     * gives it ({@code http2Parser.payloadTooBig}): the client never sends such a frame, so Tomcat read it where the
     * client's bytes held no frame header.
     */
    private static final Pattern PAYLOAD_TOO_BIG = Pattern.compile(
            "GOAWAY frame_size_error The payload is \\[\\d+\\] bytes long but the maximum frame size is \\[\\d+\\]");

    private final HTTP2Client client;
    private final Session session;
    private final int port;
    private final boolean tls;
    private final CompletableFuture<String> goAway;
    /** The PINGs sent whose ACK has not come, by payload. */
    private final Map<Long, CompletableFuture<Void>> pings;
    private final AtomicLong pingPayloads = new AtomicLong();
    /** The paths of the streams opened on this connection, in order. */
    private final List<String> paths = new CopyOnWriteArrayList<>();
    /** A stream whose body the client had ended and that the server reset with STREAM_CLOSED before answering. */
    private volatile String closedBeforeAnswer;

    private H2cConnection(HTTP2Client client, Session session, int port, boolean tls,
                          CompletableFuture<String> goAway, Map<Long, CompletableFuture<Void>> pings) {
        this.client = client;
        this.session = session;
        this.port = port;
        this.tls = tls;
        this.goAway = goAway;
        this.pings = pings;
    }

    /** Connects over cleartext (h2c) and exchanges the connection preface and SETTINGS. */
    public static H2cConnection open(int port) throws Exception {
        return open(port, null);
    }

    /**
     * Connects, over TLS when {@code trusted} is given, and exchanges the connection preface and SETTINGS.
     *
     * @param trusted the one certificate the server must present, for {@code 127.0.0.1}; {@code null} for h2c
     * @throws Exception if the connection, the TLS handshake (a certificate other than {@code trusted}) or the
     *         preface fails. The client offers {@code h2} alone by ALPN, but a server that agrees on no protocol
     *         is not refused here (a JDK {@code SSLServerSocket} without ALPN was not): that the container
     *         speaks HTTP/2 shows in each answer to a stream, and in curl's HTTP version
     */
    public static H2cConnection open(int port, TestCertificate trusted) throws Exception {
        SslContextFactory.Client ssl = trusted == null ? null : sslTrusting(trusted);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        HTTP2Client client = new HTTP2Client(connector);
        client.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        client.start();
        CompletableFuture<String> goAway = new CompletableFuture<>();
        Map<Long, CompletableFuture<Void>> pings = new ConcurrentHashMap<>();
        try {
            Session session = client.connect(ssl, new InetSocketAddress("127.0.0.1", port), new Session.Listener() {
                @Override
                public void onPing(Session session, PingFrame frame) {
                    CompletableFuture<Void> sent = frame.isReply() ? pings.remove(frame.getPayloadAsLong()) : null;
                    if (sent != null) {
                        sent.complete(null);
                    }
                }

                @Override
                public void onGoAway(Session session, GoAwayFrame frame) {
                    goAway.complete("GOAWAY " + ErrorCode.toString(frame.getError(), "unknown") + " " + frame.tryConvertPayload());
                }

                @Override
                public void onClose(Session session, GoAwayFrame frame, Callback callback) {
                    goAway.complete("closed" + (frame == null ? "" : " " + frame));
                    callback.succeeded();
                }

                @Override
                public void onFailure(Session session, Throwable failure, Callback callback) {
                    goAway.complete("failed: " + failure);
                    callback.succeeded();
                }
            }).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new H2cConnection(client, session, port, ssl != null, goAway, pings);
        } catch (Exception e) {
            client.stop();
            throw e;
        }
    }

    /**
     * Trusts {@code certificate} alone, and checks as browsers do that it names the host connected to (its
     * {@code 127.0.0.1} subject alternative name): no trust-all, no other CA.
     */
    private static SslContextFactory.Client sslTrusting(TestCertificate certificate) throws GeneralSecurityException {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setTrustStore(certificate.trustStore());
        ssl.setEndpointIdentificationAlgorithm("HTTPS");
        return ssl;
    }

    /**
     * Sends the whole request, its body in one DATA frame that ends the stream, and waits for the answer. The
     * body is not waited for: a server may answer and reset the stream before it has all arrived.
     */
    public RawResponse exchange(Request request, Duration patience) throws Exception {
        Exchange exchange = begin(request);
        if (request.body.length > 0 || request.emptyDataFrame) {
            exchange.sendLater(request.body, 0, request.body.length, true);
        }
        return exchange.response(patience);
    }

    /**
     * Opens a stream with the request's HEADERS; its body is for the caller to send through the
     * exchange (none for a request without one, whose HEADERS end the stream, unless it is to end in an
     * empty DATA frame).
     */
    public Exchange begin(Request request) throws Exception {
        HttpFields.Mutable fields = HttpFields.build();
        for (String[] header : request.headers) {
            fields.add(header[0], header[1]);
        }
        long declared = request.declaredLength();
        if (declared >= 0) {
            fields.add("content-length", Long.toString(declared));
        }
        MetaData.Request metaData = new MetaData.Request(request.method,
                HttpURI.build((tls ? "https" : "http") + "://127.0.0.1:" + port + request.path), HttpVersion.HTTP_2,
                fields, declared);
        Exchange exchange = new Exchange(this, request);
        boolean endStream = request.body.length == 0 && declared <= 0 && !request.emptyDataFrame;
        exchange.ended = endStream;
        paths.add(request.path);
        exchange.stream = session.newStream(new HeadersFrame(metaData, null, endStream), exchange.listener)
                .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return exchange;
    }

    /**
     * Sends GOAWAY ({@code NO_ERROR}), as a client that shuts down does, waits until it is written, then closes the
     * connection, its streams in progress with it: the server learns that the client is going before the
     * connection ends under the streams. The client's own GOAWAY tells the server nothing of the streams the
     * client opened (RFC 9113 6.8), so without the close they would wait for their bodies.
     */
    public void goAwayAndDisconnect() throws Exception {
        Callback.Completable written = new Callback.Completable();
        session.close(ErrorCode.NO_ERROR.code, "client going away", written);
        try {
            written.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // The server may answer the GOAWAY with its own and close the connection before the write is reported
            // done: the connection ends either way, which is the point.
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
        }
        disconnect();
    }

    /**
     * Sends a PING and waits for its ACK: the server has then read every frame sent before it (RFC 9113 6.7), a
     * RST_STREAM among them, and acted on it as far as its reading thread does.
     *
     * @throws TimeoutException if no ACK came within {@code patience}
     */
    public void roundTrip(Duration patience) throws Exception {
        long payload = pingPayloads.incrementAndGet();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        pings.put(payload, acked);
        session.ping(new PingFrame(payload, false), Callback.NOOP);
        acked.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the connection at once, without GOAWAY: a client that crashed, or lost its network. */
    public void disconnect() {
        ((HTTP2Session) session).disconnect();
    }

    /** Whether the server has neither sent GOAWAY nor closed the connection. */
    public boolean isOpen() {
        return !goAway.isDone() && !session.isClosed();
    }

    /** What ended the connection (a GOAWAY and its error, or a close), or {@code open}. */
    public String closedBecause() {
        return goAway.getNow("open");
    }

    /** What ended the connection, waiting up to {@code patience} for it; {@code open} if nothing did. */
    public String awaitGoAway(Duration patience) throws InterruptedException {
        try {
            return goAway.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "open";
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What shows that Tomcat lost the framing of this connection as it started; empty when nothing does. Only for a
     * connection to Tomcat ({@link #againIfTomcatLostFraming} says why and what is matched). A connection still open
     * is asked for a PING first: its ACK comes after any GOAWAY the server wrote before it, so only a connection that
     * does not answer is waited on, up to {@code patience}, for its GOAWAY.
     */
    Optional<String> framingLostByTomcat(Duration patience) throws InterruptedException {
        String reset = closedBeforeAnswer;
        if (reset != null) {
            return Optional.of(reset);
        }
        String ended;
        try {
            if (!isOpen()) {
                throw new IllegalStateException("ended");
            }
            roundTrip(patience);
            ended = closedBecause();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            ended = awaitGoAway(patience);
        }
        return PAYLOAD_TOO_BIG.matcher(ended).matches() ? Optional.of(ended) : Optional.empty();
    }

    /** The paths of the streams opened on this connection so far, in order. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** Opens a new connection, as a scenario opens its own. */
    @FunctionalInterface
    public interface Opener {
        H2cConnection open() throws Exception;
    }

    /** What a test does on one new connection, and what it gives back. */
    @FunctionalInterface
    public interface Step<T> {
        T run(H2cConnection connection) throws Exception;
    }

    /**
     * Runs {@code step} on a connection from {@code open}, closed after it, and gives what it gave; where
     * {@code tomcat} lost the framing of that connection, tells {@code lost} (what showed it, and the paths of the
     * connection's streams, which Tomcat may log 400 or 500) and runs {@code step} once more on a new connection,
     * whose outcome stands. The step must be one a sender can do again: its paths, signatures and expected counts
     * made afresh in each run.
     *
     * <p>Why: Tomcat 10.1.62 and 11.0.27, on their default NIO connector, now and then read a new h2c connection on
     * two or three threads at once as it starts (their trace log: one thread still in {@code Http2UpgradeHandler.init},
     * reading the preface, while another, woken by the client's PING ACK, read the SETTINGS ACK, the HEADERS and the
     * DATA; a capture of the loopback traffic showed the client's frames whole). About once in a thousand new
     * connections under load, any step that opens a connection and sends a body can meet it; the filter then refuses
     * the broken body (fail closed) and the handler does not run. It is matched narrowly, by what the client cannot
     * have caused, so that no other failure is done again:
     * <ul>
     *   <li>Tomcat's {@code GOAWAY FRAME_SIZE_ERROR} "The payload is [n] bytes long but the maximum frame size is
     *       [m]", the whole message ({@link #PAYLOAD_TOO_BIG}): a frame header read from inside a DATA payload (the
     *       tests' padding spaces make n 2105376, 0x202020). Jetty's client never sends a frame past the server's
     *       {@code SETTINGS_MAX_FRAME_SIZE}. Any other GOAWAY (Tomcat's overhead protection, ENHANCE_YOUR_CALM, say)
     *       is not this.</li>
     *   <li>A stream whose body the client had ended (END_STREAM sent) reset by the server with
     *       {@code STREAM_CLOSED} before any answer: the DATA frames read out of order by two threads, the last one
     *       taken as DATA after the end of the stream. The client sends nothing but RST_STREAM or WINDOW_UPDATE on a
     *       stream after END_STREAM, so Tomcat has no other cause for that reset. A reset with any other code
     *       (CANCEL, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ...), or after an answer, is not this.</li>
     * </ul>
     * Only against Tomcat ({@code tomcat}): on Jetty nothing is done again. Only a step that failed (threw) is done
     * again, the match looked for once it has, waiting up to 2 s for the GOAWAY, which may come after the filter noted
     * the broken body; a step that takes a failed stream as an outcome throws to have it judged, and catches what is
     * thrown again. A step that failed for another reason on a connection Tomcat broke is done again too, as what
     * that connection carried was not what the client sent; a failure of the filter's own fails the second run alike.
     */
    public static <T> T againIfTomcatLostFraming(boolean tomcat, Opener open, Step<T> step,
                                                 BiConsumer<String, List<String>> lost) throws Exception {
        for (int run = 1; ; run++) {
            try (H2cConnection connection = open.open()) {
                try {
                    return step.run(connection);
                } catch (Exception | AssertionError e) {
                    Optional<String> seen = tomcat ? connection.framingLostByTomcat(GOAWAY_WAIT) : Optional.empty();
                    if (seen.isEmpty()) {
                        e.addSuppressed(new IllegalStateException("not done again; the connection: " + connection));
                        throw e;
                    }
                    lost.accept(seen.get(), connection.paths());
                    if (run > 1) {
                        e.addSuppressed(new IllegalStateException("Tomcat lost the framing of the new connection too: "
                                + seen.get()));
                        throw e;
                    }
                }
            }
        }
    }

    /** Closes the connection and stops the client's threads. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the HTTP/2 client did not stop", e);
        }
    }

    /** An HTTP/2 request: pseudo-headers from method and path, the headers given, and a body. Not thread-safe. */
    public static final class Request {

        private final String method;
        private final String path;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private long contentLength = -1;
        private boolean declareLength = true;
        private boolean emptyDataFrame;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** A POST of {@code path}. */
        public static Request post(String path) {
            return new Request("POST", path);
        }

        /** A GET of {@code path}: without a body, its HEADERS end the stream. */
        public static Request get(String path) {
            return new Request("GET", path);
        }

        /** A POST of {@code body} to {@code path}, signed now with the WAR's secret, as {@link Webhooks#signedPost}. */
        public static Request signedPost(String path, byte[] body) {
            return post(path).header("content-type", "application/json")
                    .header(Webhooks.HEADER.toLowerCase(Locale.ROOT), Webhooks.signer().sign(body)).body(body);
        }

        /** Adds a header field (HTTP/2 sends names in lower case; this one is lowered). */
        public Request header(String name, String value) {
            headers.add(new String[] {name.toLowerCase(Locale.ROOT), value});
            return this;
        }

        /** The body; its length is declared in {@code content-length} unless told otherwise. */
        public Request body(byte[] body) {
            this.body = body.clone();
            return this;
        }

        /** Declares this {@code content-length} whatever the body is. */
        public Request contentLength(long declared) {
            this.contentLength = declared;
            this.declareLength = true;
            return this;
        }

        /** Sends no {@code content-length}: the body ends where the stream does, as HTTP/2 allows. */
        public Request withoutContentLength() {
            this.declareLength = false;
            return this;
        }

        /**
         * Without a body, ends the stream with an empty DATA frame after the HEADERS, instead of
         * END_STREAM on the HEADERS: the server learns that the body is empty only when that frame arrives.
         */
        public Request endInEmptyDataFrame() {
            this.emptyDataFrame = true;
            return this;
        }

        long declaredLength() {
            if (!declareLength) {
                return -1;
            }
            return contentLength >= 0 ? contentLength : body.length > 0 ? body.length : -1;
        }

        @Override
        public String toString() {
            return method + " " + path + " (HTTP/2)";
        }
    }

    /** One stream: the request's body as the test sends it, and the server's answer. */
    public static final class Exchange {

        private final CompletableFuture<RawResponse> response = new CompletableFuture<>();
        private final ResponseListener listener = new ResponseListener();
        private final H2cConnection connection;
        private final Request request;
        private volatile Stream stream;
        private volatile int resetError = -1;
        /** Whether the client has sent END_STREAM: after it, it sends no DATA on this stream. */
        private volatile boolean ended;

        private Exchange(H2cConnection connection, Request request) {
            this.connection = connection;
            this.request = request;
        }

        /** Sends {@code length} bytes from {@code from} in one DATA frame; waits until written, when it can be. */
        public void send(byte[] bytes, int from, int length, boolean last) throws Exception {
            sendLater(bytes, from, length, last).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Queues a DATA frame without waiting for it to be written: the server's flow-control window may
         * hold it back until the server reads, or for ever.
         */
        public CompletableFuture<Stream> sendLater(byte[] bytes, int from, int length, boolean last) {
            if (last) {
                ended = true;
            }
            return stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(bytes.clone(), from, length), last));
        }

        /**
         * Resets the stream with RST_STREAM {@code CANCEL}, as a client does that no longer wants the answer
         * (RFC 9113 8.7), whatever of the body it has sent; waits until the frame is written.
         */
        public void cancel() throws Exception {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code))
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * The answer, once the server has sent all of it (or its HEADERS and then reset the stream).
         *
         * @throws TimeoutException if none came within {@code patience}
         * @throws ExecutionException if the server reset the stream before answering, or the connection failed
         */
        public RawResponse response(Duration patience) throws Exception {
            return response.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * The fields of the HEADERS frames the server sent after the response's own (trailers, RFC 9113 8.1), each
         * {@code name: value}; empty when it sent none.
         */
        public List<String> trailers() {
            synchronized (listener) {
                return List.copyOf(listener.trailers);
            }
        }

        /** The RST_STREAM error code the server sent for this stream, if it sent one. */
        public OptionalInt resetByServer() {
            int error = resetError;
            return error < 0 ? OptionalInt.empty() : OptionalInt.of(error);
        }

        /** Collects HEADERS and DATA into a response, which is complete at END_STREAM. */
        private final class ResponseListener implements Stream.Listener {

            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private final List<String> trailers = new ArrayList<>();
            private MetaData.Response head;

            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (head != null && !(frame.getMetaData() instanceof MetaData.Response)) {
                    synchronized (this) {
                        for (HttpField field : frame.getMetaData().getHttpFields()) {
                            trailers.add(field.getName() + ": " + field.getValue());
                        }
                    }
                } else if (frame.getMetaData() instanceof MetaData.Response answer) {
                    if (answer.getStatus() < 200) {
                        stream.demand(); // 100 Continue: the final answer follows
                        return;
                    }
                    head = answer;
                }
                if (frame.isEndStream()) {
                    complete();
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream stream) {
                while (true) {
                    Stream.Data data = stream.readData();
                    if (data == null) {
                        stream.demand();
                        return;
                    }
                    ByteBuffer bytes = data.frame().getByteBuffer();
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    body.writeBytes(copy);
                    boolean last = data.frame().isEndStream();
                    data.release();
                    if (last) {
                        complete();
                        return;
                    }
                }
            }

            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                resetError = frame.getError();
                if (head != null) {
                    complete(); // answered, then reset: the request's unread body is not wanted (RFC 9113 8.1)
                } else {
                    if (ended && frame.getError() == ErrorCode.STREAM_CLOSED_ERROR.code) {
                        connection.closedBeforeAnswer = request + " reset with stream_closed_error before its answer,"
                                + " its body ended";
                    }
                    response.completeExceptionally(new IllegalStateException("the server reset the stream with "
                            + ErrorCode.toString(frame.getError(), "error " + frame.getError()) + " before answering"));
                }
                callback.succeeded();
            }

            @Override
            public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                if (head != null) {
                    // Answered, then ended while the request's body was still being sent, as a reset after an answer
                    // is (Tomcat's CANCEL can reach the client as this failure): what the answer brought is checked.
                    resetError = error;
                    complete();
                } else {
                    response.completeExceptionally(new IllegalStateException("stream failed: "
                            + ErrorCode.toString(error, "error " + error) + " " + reason, failure));
                }
                callback.succeeded();
            }

            private synchronized void complete() {
                if (head == null) {
                    response.completeExceptionally(new IllegalStateException("the stream ended without a response"));
                    return;
                }
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (HttpField field : head.getHttpFields()) {
                    headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                            .add(field.getValue());
                }
                response.complete(new RawResponse(head.getStatus(), headers, body.toByteArray()));
            }
        }
    }

    @Override
    public String toString() {
        return (tls ? "h2 over TLS" : "h2c") + " to 127.0.0.1:" + port + " (" + closedBecause() + ")";
    }
}
