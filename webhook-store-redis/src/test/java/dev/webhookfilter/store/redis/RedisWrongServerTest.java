package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.Threads;
import dev.webhookfilter.testing.net.WrongServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code open} against a server on loopback that is not Redis, or that answers what Redis never would: it
 * fails with the store's own message, within the timeout (and a margin for a loaded machine), without
 * repeating the URI's password, and leaves no thread of Lettuce's or Netty's behind.
 */
class RedisWrongServerTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    /** open may take the connect, the handshake and the health check each up to the timeout; plus room to schedule. */
    static final long BOUND_NANOS = TIMEOUT.multipliedBy(3).plusSeconds(3).toNanos();
    static final String PASSWORD = "s3cret";

    static Stream<Arguments> wrongServers() {
        return Stream.of(
                Arguments.of("an HTTP server", WrongServer.replyOnceAndClose(WrongServer.HTTP_400)),
                Arguments.of("random bytes", WrongServer.replyToEveryRead(WrongServer.randomBytes(20_261_203L, 64))),
                Arguments.of("+OK to every command", WrongServer.replyToEveryRead(ascii("+OK\r\n"))),
                Arguments.of(":1 to every command", WrongServer.replyToEveryRead(ascii(":1\r\n"))),
                // Past the handshake (HELLO refused, as a Redis before 6 does; the rest +OK), then the health check's
                // script answered with a reply of the wrong kind, or an integer other than its 1.
                Arguments.of("+OK to the scripts", answeringScripts("+OK\r\n")),
                Arguments.of(":0 to the scripts", answeringScripts(":0\r\n")),
                Arguments.of("an empty bulk string to the scripts", answeringScripts("$0\r\n\r\n")),
                Arguments.of("closing at once", WrongServer.closeAtOnce()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongServers")
    void open_aServerThatIsNotRedis_failsInTime_withoutThePassword_andLeavesNoThread(String what, WrongServer.Answer answer)
            throws Exception {
        try (WrongServer server = WrongServer.start(answer)) {
            Set<Thread> before = Threads.running();
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                // Closed if it opens after all, so that its threads do not stay for the next case.
                new RedisStoreProvider().open("redis://:" + PASSWORD + "@127.0.0.1:" + server.port(), TIMEOUT, "wrong:").close();
            });
            long took = System.nanoTime() - start;
            System.out.printf("%s: open failed in %d ms: %s%n", what, took / 1_000_000, e.getMessage());
            assertTrue(took <= BOUND_NANOS, "open took " + took / 1_000_000 + " ms");
            assertTrue(server.accepted() > 0, "the store never connected");
            assertTrue(e.getMessage().startsWith("the Redis store redis://127.0.0.1:" + server.port() + " "), e.getMessage());
            assertTrue(e.getMessage().contains(" as Redis does"), "says that the server may not be Redis: " + e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            assertNull(e.getCause());
            Threads.assertNoneLeftSince(before, Duration.ofSeconds(10), WrongServer.THREAD_PREFIX);
        }
    }

    /**
     * A server that takes the connection and answers nothing, as a Redis that is up but too slow for a cold start: the
     * refusal names the timeout it ran out of, so that an operator knows what to raise, which "cannot be reached, or
     * does not answer as Redis does" alone did not say.
     */
    @org.junit.jupiter.api.Test
    void open_aServerThatAnswersNothing_namesTheTimeoutItRanOutOf() throws Exception {
        WrongServer.Answer silent = (in, out) -> {
            while (in.read() >= 0) {
                // reads what the store sends and answers nothing
            }
        };
        try (WrongServer server = WrongServer.start(silent)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                    .open("redis://:" + PASSWORD + "@127.0.0.1:" + server.port(), TIMEOUT, "wrong:").close());
            assertTrue(e.getMessage().contains(" cannot be reached, or does not answer as Redis does ("), e.getMessage());
            assertTrue(e.getMessage().contains("nothing came back within 500 ms, the store's timeout"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
    }

    /**
     * A server that reads RESP commands and answers each: HELLO with {@code -ERR unknown command} (Lettuce then
     * falls back to RESP2, AUTH and CLIENT), EVALSHA and EVAL with {@code scriptReply}, anything else with {@code +OK}.
     */
    static WrongServer.Answer answeringScripts(String scriptReply) {
        return answering(command -> command.get(0).toUpperCase(java.util.Locale.ROOT).startsWith("EVAL") ? scriptReply : null);
    }

    /**
     * A server that reads RESP commands and answers each with the RESP text {@code reply} gives for its words
     * (the name as sent), or {@code +OK} where that gives null; HELLO always with {@code -ERR unknown command},
     * as a Redis before 6 does, so Lettuce falls back to RESP2.
     */
    static WrongServer.Answer answering(Function<List<String>, String> reply) {
        return (in, out) -> {
            DataInputStream commands = new DataInputStream(new BufferedInputStream(in));
            for (List<String> command; (command = readCommand(commands)) != null; ) {
                String given = command.get(0).equalsIgnoreCase("HELLO") ? "-ERR unknown command 'HELLO'\r\n" : reply.apply(command);
                out.write(ascii(given == null ? "+OK\r\n" : given));
                out.flush();
            }
        };
    }

    /** One command, an array of bulk strings as clients send them; null at the end of the stream. */
    static List<String> readCommand(DataInputStream in) throws IOException {
        String header = readLine(in);
        if (header == null) {
            return null;
        }
        if (!header.startsWith("*")) {
            throw new IOException("not a RESP array: " + header);
        }
        List<String> words = new ArrayList<>();
        for (int n = Integer.parseInt(header.substring(1)); n > 0; n--) {
            byte[] word = new byte[Integer.parseInt(readLine(in).substring(1))];
            in.readFully(word);
            readLine(in);
            words.add(new String(word, StandardCharsets.ISO_8859_1));
        }
        return words;
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\r') {
                in.read(); // \n
                return line.toString();
            }
            line.append((char) c);
        }
        return null;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
