package dev.webhookfilter.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.net.WrongServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code open} of a {@code jdbc:postgresql:} URL that leads to a server on loopback that is not PostgreSQL, or
 * that answers what PostgreSQL never would: it fails with the store's own message within the timeout (and a
 * margin: PgJDBC counts whole seconds), without repeating the URL's password, and leaves no thread behind.
 * No PostgreSQL runs here: the driver is the test's, the servers are {@link WrongServer}s.
 */
class PostgresWrongServerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The connect, the login and a read may each take the timeout, in whole seconds; plus room to schedule. */
    static final long BOUND_NANOS = TIMEOUT.multipliedBy(3).plusSeconds(3).toNanos();
    static final String PASSWORD = "s3cret-pg";
    /** How the message starts when the server answered something PgJDBC cannot read (SQLState 08P01). */
    static final String NOT_POSTGRES = "The webhook store at URL does not answer as PostgreSQL does";

    static Stream<Arguments> wrongServers() {
        return Stream.of(
                Arguments.of("an HTTP server", WrongServer.replyOnceAndClose(WrongServer.HTTP_400), NOT_POSTGRES),
                Arguments.of("random bytes", WrongServer.replyToEveryRead(WrongServer.randomBytes(20_261_203L, 64)),
                        NOT_POSTGRES),
                Arguments.of("ReadyForQuery to every message", WrongServer.replyToEveryRead(READY_FOR_QUERY), NOT_POSTGRES),
                Arguments.of("ReadyForQuery to the startup, past the SSL request", readyForQueryToTheStartup(),
                        NOT_POSTGRES),
                Arguments.of("closing at once", WrongServer.closeAtOnce(), "Cannot reach the webhook store at URL within 1000 ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongServers")
    void open_aServerThatIsNotPostgres_failsInTime_withoutThePassword_andLeavesNoThread(String what, WrongServer.Answer answer,
            String says) throws Exception {
        try (WrongServer server = WrongServer.start(answer)) {
            Set<Thread> before = Threads.running();
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/app?user=hooks&password=" + PASSWORD;
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new JdbcStoreProvider().open(url, TIMEOUT, "wrong").close());
            long took = System.nanoTime() - start;
            System.out.printf("%s: open failed in %d ms: %s%n", what, took / 1_000_000, e.getMessage());
            assertTrue(took <= BOUND_NANOS, "open took " + took / 1_000_000 + " ms");
            assertTrue(server.accepted() > 0, "the store never connected");
            assertTrue(e.getMessage().startsWith(says.replace("URL", "jdbc:postgresql://127.0.0.1:" + server.port() + "/app")),
                    e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            assertNull(e.getCause());
            Threads.assertNoneLeftSince(before, Duration.ofSeconds(10), WrongServer.THREAD_PREFIX);
        }
    }

    /** A well-formed ReadyForQuery ('Z', length 5, idle): a message of the protocol, at a moment it has no place. */
    static final byte[] READY_FOR_QUERY = {'Z', 0, 0, 0, 5, 'I'};

    /**
     * Refuses SSL and GSS encryption ('N'), as a server without them does, then answers the startup message with
     * ReadyForQuery where PostgreSQL asks for the password.
     */
    static WrongServer.Answer readyForQueryToTheStartup() {
        return (in, out) -> {
            DataInputStream messages = new DataInputStream(in);
            DataOutputStream replies = new DataOutputStream(out);
            try {
                while (true) {
                    int length = messages.readInt();
                    byte[] body = new byte[Math.max(0, length - 4)];
                    messages.readFully(body);
                    int code = body.length >= 4 ? (body[0] & 0xff) << 24 | (body[1] & 0xff) << 16 | (body[2] & 0xff) << 8 | body[3] & 0xff : 0;
                    // SSLRequest and GSSENCRequest (PostgreSQL's protocol, "Message Formats").
                    replies.write(code == 80_877_103 || code == 80_877_104 ? new byte[] {'N'} : READY_FOR_QUERY);
                    replies.flush();
                }
            } catch (EOFException e) {
                // The client gave up.
            }
        };
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
