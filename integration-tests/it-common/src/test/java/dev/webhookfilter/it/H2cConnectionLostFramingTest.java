package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link H2cConnection#againIfTomcatLostFraming} does a step again, once, on a new connection only for what Tomcat
 * sends when it lost a new connection's framing, and for nothing else a server may send. The server is a loopback
 * socket that writes HTTP/2 frames by hand (RFC 9113 section 4.1 layout; the answer's HEADERS block is the HPACK static
 * index of {@code :status 200} or {@code :status 500}, RFC 7541 appendix A), each connection as {@link Reply} says.
 */
class H2cConnectionLostFramingTest {

    /** Tomcat's GOAWAY debug data when it reads a frame header from inside a DATA payload of spaces (0x202020). */
    private static final String PAYLOAD_TOO_BIG = "The payload is [2105376] bytes long but the maximum frame size is [16384]";
    private static final int STREAM_CLOSED = 0x5;
    private static final int FRAME_SIZE_ERROR = 0x6;
    private static final int CANCEL = 0x8;
    private static final int INTERNAL_ERROR = 0x2;
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final byte[] BODY = "{\"id\":\"evt_lost_framing\"}".getBytes(StandardCharsets.US_ASCII);

    /** What the server does once a stream's request has come (its END_STREAM; its HEADERS for {@link #RESET_AT_HEADERS}). */
    enum Reply {
        OK, ANSWER_500, GOAWAY_PAYLOAD_TOO_BIG, GOAWAY_FRAME_SIZE_OTHER, GOAWAY_OVERHEAD, RESET_STREAM_CLOSED, RESET_CANCEL,
        RESET_INTERNAL_ERROR, RESET_AT_HEADERS
    }

    @Test
    void tomcatsPayloadTooBigIsDoneAgainOnceOnANewConnection() throws Exception {
        try (FrameServer server = new FrameServer(Reply.GOAWAY_PAYLOAD_TOO_BIG, Reply.OK)) {
            List<String> lost = new ArrayList<>();

            int status = server.run(true, lost);

            assertEquals(200, status);
            assertEquals(List.of("GOAWAY frame_size_error " + PAYLOAD_TOO_BIG + " [/lost-1]"), lost);
            assertEquals(2, server.connections());
        }
    }

    @Test
    void streamClosedBeforeTheAnswerOfAnEndedBodyIsDoneAgainOnceOnANewConnection() throws Exception {
        try (FrameServer server = new FrameServer(Reply.RESET_STREAM_CLOSED, Reply.OK)) {
            List<String> lost = new ArrayList<>();

            int status = server.run(true, lost);

            assertEquals(200, status);
            assertEquals(1, lost.size(), lost::toString);
            assertTrue(lost.get(0).contains("reset with stream_closed_error before its answer"), lost::toString);
            assertEquals(2, server.connections());
        }
    }

    /** Anything else fails the step at once: another GOAWAY, another reset, a reset before the body ended, a 500. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Reply.class, names = {"ANSWER_500", "GOAWAY_FRAME_SIZE_OTHER", "GOAWAY_OVERHEAD", "RESET_CANCEL",
            "RESET_INTERNAL_ERROR", "RESET_AT_HEADERS"})
    void anyOtherFailureIsNotDoneAgain(Reply first) throws Exception {
        try (FrameServer server = new FrameServer(first, Reply.OK)) {
            List<String> lost = new ArrayList<>();

            Throwable failure = assertThrows(Throwable.class, () -> server.run(true, lost));

            assertEquals(List.of(), lost);
            assertEquals(1, server.connections(), () -> "done again after " + failure);
        }
    }

    @Test
    void onJettyNothingIsDoneAgain() throws Exception {
        try (FrameServer server = new FrameServer(Reply.GOAWAY_PAYLOAD_TOO_BIG, Reply.OK)) {
            List<String> lost = new ArrayList<>();

            assertThrows(Exception.class, () -> server.run(false, lost));

            assertEquals(List.of(), lost);
            assertEquals(1, server.connections());
        }
    }

    @Test
    void aSecondLossFailsTheStep() throws Exception {
        try (FrameServer server = new FrameServer(Reply.GOAWAY_PAYLOAD_TOO_BIG, Reply.GOAWAY_PAYLOAD_TOO_BIG, Reply.OK)) {
            List<String> lost = new ArrayList<>();

            Exception failure = assertThrows(Exception.class, () -> server.run(true, lost));

            assertEquals(2, lost.size(), lost::toString);
            assertEquals(2, server.connections());
            assertTrue(Arrays.toString(failure.getSuppressed()).contains("lost the framing of the new connection too"),
                    () -> Arrays.toString(failure.getSuppressed()));
        }
    }

    /** A loopback server that replies to the stream of its n-th connection as the n-th {@link Reply} says. */
    private static final class FrameServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<Reply> replies;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicInteger paths = new AtomicInteger();

        FrameServer(Reply... replies) throws IOException {
            this.replies = List.of(replies);
            Thread acceptor = new Thread(this::accept, "frame-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** The step a scenario does: a POST of {@link #BODY}, status 200 asserted. */
        int run(boolean tomcat, List<String> lost) throws Exception {
            return H2cConnection.againIfTomcatLostFraming(tomcat, () -> H2cConnection.open(socket.getLocalPort()),
                    connection -> {
                        int run = paths.incrementAndGet();
                        H2cConnection.Request request = H2cConnection.Request.post("/lost-" + run).body(BODY);
                        int status;
                        if (replies.get(Math.min(run, replies.size()) - 1) == Reply.RESET_AT_HEADERS) {
                            H2cConnection.Exchange stream = connection.begin(request);
                            stream.send(BODY, 0, 4, false); // the body not ended
                            status = stream.response(Duration.ofSeconds(5)).status();
                        } else {
                            status = connection.exchange(request, Duration.ofSeconds(5)).status();
                        }
                        assertEquals(200, status);
                        return status;
                    }, (seen, streams) -> lost.add(seen + " " + streams));
        }

        int connections() {
            return accepted.get();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    open.add(client);
                    Reply reply = replies.get(Math.min(accepted.getAndIncrement(), replies.size() - 1));
                    Thread serving = new Thread(() -> serve(client, reply), "frame-server-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void serve(Socket client, Reply reply) {
            try (client) {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                in.readFully(new byte[24]); // the client's connection preface
                frame(out, 0x4, 0, 0, new byte[0]); // SETTINGS, all defaults
                while (true) {
                    int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                    int type = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    int stream = in.readInt() & 0x7fffffff;
                    byte[] payload = new byte[length];
                    in.readFully(payload);
                    boolean endStream = (flags & 0x1) != 0;
                    if (type == 0x4 && (flags & 0x1) == 0) {
                        frame(out, 0x4, 0x1, 0, new byte[0]); // SETTINGS ACK
                    } else if (type == 0x6 && (flags & 0x1) == 0) {
                        frame(out, 0x6, 0x1, 0, payload); // PING ACK
                    } else if (type == 0x1 && reply == Reply.RESET_AT_HEADERS) {
                        frame(out, 0x3, 0, stream, ByteBuffer.allocate(4).putInt(STREAM_CLOSED).array());
                    } else if ((type == 0x1 || type == 0x0) && endStream && reply(out, stream, reply)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client closed the connection
            }
        }

        /** Replies to {@code stream}; true where the connection is then closed. */
        private static boolean reply(OutputStream out, int stream, Reply reply) throws IOException {
            switch (reply) {
                case OK -> frame(out, 0x1, 0x5, stream, new byte[] {(byte) 0x88}); // :status 200, END_STREAM
                case ANSWER_500 -> frame(out, 0x1, 0x5, stream, new byte[] {(byte) 0x8e}); // :status 500, END_STREAM
                case GOAWAY_PAYLOAD_TOO_BIG -> {
                    goAway(out, stream, FRAME_SIZE_ERROR, PAYLOAD_TOO_BIG);
                    return true;
                }
                case GOAWAY_FRAME_SIZE_OTHER -> {
                    goAway(out, stream, FRAME_SIZE_ERROR, "Frame size [20] is not valid for SETTINGS");
                    return true;
                }
                case GOAWAY_OVERHEAD -> {
                    goAway(out, stream, ENHANCE_YOUR_CALM, "Connection [1], Too much overhead so the connection will be closed");
                    return true;
                }
                case RESET_STREAM_CLOSED -> frame(out, 0x3, 0, stream, ByteBuffer.allocate(4).putInt(STREAM_CLOSED).array());
                case RESET_CANCEL -> frame(out, 0x3, 0, stream, ByteBuffer.allocate(4).putInt(CANCEL).array());
                case RESET_INTERNAL_ERROR -> frame(out, 0x3, 0, stream, ByteBuffer.allocate(4).putInt(INTERNAL_ERROR).array());
                default -> throw new IllegalStateException(reply.name());
            }
            return false;
        }

        private static void goAway(OutputStream out, int lastStream, int error, String debug) throws IOException {
            byte[] text = debug.getBytes(StandardCharsets.US_ASCII);
            frame(out, 0x7, 0, 0, ByteBuffer.allocate(8 + text.length).putInt(lastStream).putInt(error).put(text).array());
        }

        private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(9);
            header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
            header.put((byte) type).put((byte) flags).putInt(stream);
            out.write(header.array());
            out.write(payload);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket client : open) {
                client.close();
            }
        }
    }
}
