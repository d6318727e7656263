package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Over a real Jetty: an asynchronous servlet reads the verified body with a {@link ReadListener},
 * and chunked bodies (no Content-Length) are buffered up to the cap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncAndChunkedBodyTest {

    private static final String SECRET = "whsec_async_and_chunked_test_4e1b";
    private static final int CAP = 100_000;

    private EmbeddedJetty jetty;

    @BeforeAll
    void start() throws Exception {
        jetty = EmbeddedJetty.start(context -> {
            var filter = context.addFilter("webhookSignature",
                    WebhookSignatureFilter.builder().secrets(SECRET).maxBodyBytes(CAP).build());
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(null, false, "/*");
            var async = context.addServlet("async", new AsyncDigestServlet());
            async.setAsyncSupported(true);
            async.addMapping("/async");
            context.addServlet("blocking", new BlockingDigestServlet()).addMapping("/blocking");
        });
    }

    @AfterAll
    void stop() throws Exception {
        jetty.close();
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        return body;
    }

    private static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 70_000})
    void anAsyncServletReadsTheBodyThroughAReadListener(int size) throws Exception {
        byte[] body = body(size);

        HttpResponse<String> response = jetty.post("/async", WebhookSigner.of(SECRET).sign(body), body);

        assertEquals(200, response.statusCode(), response::body);
        assertEquals(size + " " + sha256(body, size), response.body());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 8193, CAP})
    void aChunkedBodyArrivesWhole(int size) throws Exception {
        byte[] body = body(size);

        HttpResponse<String> response = jetty.postChunked("/blocking", WebhookSigner.of(SECRET).sign(body), body);

        assertEquals(200, response.statusCode(), response::body);
        assertEquals(size + " " + sha256(body, size), response.body());
    }

    @Test
    void aChunkedBodyOverTheCapIsRefused() throws Exception {
        byte[] body = body(CAP + 1);

        HttpResponse<String> response = jetty.postChunked("/blocking", WebhookSigner.of(SECRET).sign(body), body);

        assertEquals(413, response.statusCode());
    }

    /** Answers "length sha256" of what it read. */
    static final class BlockingDigestServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            response.getWriter().print(body.length + " " + sha256(body, body.length));
        }
    }

    /** The same, reading with a ReadListener in asynchronous mode. */
    static final class AsyncDigestServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            AsyncContext async = request.startAsync();
            ServletInputStream in = request.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    byte[] buffer = new byte[4096];
                    while (in.isReady() && !in.isFinished()) {
                        int n = in.read(buffer);
                        if (n > 0) {
                            received.write(buffer, 0, n);
                        }
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    byte[] body = received.toByteArray();
                    response.getWriter().print(body.length + " " + sha256(body, body.length));
                    async.complete();
                }

                @Override
                public void onError(Throwable failure) {
                    response.setStatus(500);
                    async.complete();
                }
            });
        }
    }
}
