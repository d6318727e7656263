package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.SECRET_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wrapper behind the filter in a real Jetty 12 ee10: asynchronous reads, chunked bodies, form posts. */
class VerifiedRequestJettyTest {

    private static EmbeddedJetty jetty;

    /** Reads the body with a ReadListener and answers "events, bytes, text". */
    static final class AsyncReader extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            AsyncContext async = request.startAsync();
            ServletInputStream in = request.getInputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            StringBuilder events = new StringBuilder();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    events.append("data ");
                    byte[] buffer = new byte[1000];
                    int n;
                    while (in.isReady() && (n = in.read(buffer)) >= 0) {
                        body.write(buffer, 0, n);
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    events.append("end");
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().print(events + ", " + body.size() + ", " + body.toString(StandardCharsets.UTF_8));
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    response.setStatus(500);
                    async.complete();
                }
            });
        }
    }

    /** Answers the content length seen, the body read through the reader, and parameter a. */
    static final class SyncReader extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String a = String.join("|", request.getParameterValues("a") == null ? new String[0] : request.getParameterValues("a"));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(request.getContentLengthLong() + ", " + a);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).build();
        jetty = EmbeddedJetty.start(context -> {
            context.addFilter("webhookSignature", filter).setAsyncSupported(true);
            context.getFilterRegistration("webhookSignature").addMappingForUrlPatterns(null, false, "/*");
            context.addServlet("async", new AsyncReader()).setAsyncSupported(true);
            context.getServletRegistration("async").addMapping("/async");
            context.addServlet("sync", new SyncReader()).addMapping("/sync");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    private static RawResponse post(String path, byte[] body, boolean chunked, String contentType)
            throws IOException {
        RawRequest request = RawRequest.post(path).header("X-Webhook-Signature", WebhookSigner.of(SECRET_A).sign(body))
                .header("Content-Type", contentType).body(body);
        return jetty.send(chunked ? request.chunked(8192) : request.contentLength(body.length));
    }

    @Test
    void aReadListenerGetsTheWholeBodyThenTheEnd() throws Exception {
        byte[] body = new byte[5000];
        Arrays.fill(body, (byte) 'z');
        RawResponse response = post("/async", body, true, "application/octet-stream");
        assertEquals(200, response.status());
        assertEquals("data end, 5000, " + "z".repeat(5000), response.text());
    }

    @Test
    void aReadListenerOnAnEmptyBodyGetsOnlyTheEnd() throws Exception {
        RawResponse response = post("/async", new byte[0], false, "application/json");
        assertEquals("end, 0, ", response.text());
    }

    @Test
    void aChunkedBodyHasItsBufferedLength() throws Exception {
        RawResponse response = post("/sync", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true, "application/json");
        assertEquals(200, response.status());
        assertEquals("7, ", response.text());
    }

    /**
     * README: "A request verified once passes its later dispatches untouched", and the application reads the
     * bytes that were signed. A handler that starts async and dispatches (the common startAsync().dispatch()
     * pattern) reads the body in the ASYNC dispatch; the filter is registered for every dispatcher type.
     */
    @Test
    void anAsyncDispatchOfAVerifiedRequestReadsTheSignedBody() throws Exception {
        HttpServlet redispatch = new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getDispatcherType() == DispatcherType.REQUEST) {
                    request.startAsync().dispatch();
                    return;
                }
                byte[] body = request.getInputStream().readAllBytes();
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print(request.getDispatcherType() + ", " + body.length + ", "
                        + new String(body, StandardCharsets.UTF_8));
            }
        };
        try (EmbeddedJetty server = EmbeddedJetty.start(context -> {
            WebhookSignatureFilter.builder().secrets(SECRET_A).register(context, "webhookSignature", "/webhooks/*");
            context.addServlet("redispatch", redispatch).setAsyncSupported(true);
            context.getServletRegistration("redispatch").addMapping("/webhooks/*");
        })) {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            RawResponse response = server.post("/webhooks/", WebhookSigner.of(SECRET_A).sign(body), body);
            assertEquals(200, response.status());
            assertEquals("ASYNC, 7, {\"a\":1}", response.text());
        }
    }

    @Test
    void aFormPostMergesQueryAndBodyParameters() throws Exception {
        RawResponse response = post("/sync?a=q", "a=%C3%A9+1&b=2&a=3".getBytes(StandardCharsets.US_ASCII), false,
                "application/x-www-form-urlencoded");
        assertEquals("18, q|é 1|3", response.text(), "Jetty decodes a form without a charset as UTF-8");
    }

    /**
     * HTTP allows a tab as well as a space before a media type's parameters (RFC 9110, OWS); Jetty and Tomcat parse
     * such a form body, and so does the filter: it took the tab for part of another media type, and the body's
     * parameters were missing.
     */
    @Test
    void aFormPostWithATabBeforeItsCharsetHasItsBodyParameters() throws Exception {
        RawResponse response = post("/sync", "a=%C3%A9".getBytes(StandardCharsets.US_ASCII), false,
                "application/x-www-form-urlencoded\t; charset=UTF-8");
        assertEquals("8, é", response.text());
    }

    /**
     * The charset of a form comes from the client's Content-Type, which is not signed: one that names no charset Java
     * has, or is no charset name at all, is the client's mistake, and the body is still served as signed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no-such-charset", "bad name!", "\"", "", "\"x-JISAutoDetect\""})
    void aFormWithAnUnusableCharsetIsServedAsSigned(String charset) throws Exception {
        String body = "a=" + charset.length(); // one body each: the same twice would be a replay
        RawResponse response = post("/async", body.getBytes(StandardCharsets.US_ASCII), false,
                "application/x-www-form-urlencoded; charset=" + charset);
        assertEquals(200, response.status(), response.text());
        assertEquals("data end, " + body.length() + ", " + body, response.text());
    }
}
