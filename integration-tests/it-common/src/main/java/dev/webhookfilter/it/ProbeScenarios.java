package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an application behind the real filter jar sees of a verified request in each container,
 * through {@link ProbeServlet}: form parameters from query and body, the reader in the request's
 * charset, and which of two configured secrets matched.
 */
public abstract class ProbeScenarios extends ContainerScenarios {

    private static final String FORM = "application/x-www-form-urlencoded";

    protected ProbeScenarios(Container container) {
        super(container);
    }

    /**
     * The application sees query parameters first, then the body's; the container's own request,
     * whose stream the filter consumed, has only the query's, so none is counted twice.
     */
    @Test
    void formParametersComeFromQueryThenVerifiedBody() throws IOException {
        byte[] body = "b=2&both=body&e=%C3%A9&plus=a+b".getBytes(StandardCharsets.US_ASCII);
        RawResponse response = probe("/params?q=1&both=query", FORM + ";charset=UTF-8", body);
        assertEquals(List.of(
                "app b=2", "app both=query|body", "app e=é", "app plus=a b", "app q=1",
                "container both=query", "container q=1"), lines(response));
    }

    /**
     * The filter skips a pair it cannot decode, as Tomcat 10.1 does; Tomcat 11 and Jetty 12 refuse
     * such a form themselves (400) when the application asks for a parameter. The body is signed,
     * so this is the sender's own mistake, not an attack; the application still runs.
     */
    @Test
    void malformedFormPairsAreSkipped() throws IOException {
        byte[] body = "ok=1&bad=%zz&=nameless&flag&trail=%4".getBytes(StandardCharsets.US_ASCII);
        RawResponse response = probe("/params", FORM, body);
        assertEquals(List.of("app flag=", "app ok=1"), lines(response));
    }

    @Test
    void readerDecodesTheVerifiedBodyInTheDeclaredCharset() throws IOException {
        String text = "h\u00e9llo w\u00f6rld \u2713 \u20ac\r\n";
        RawResponse response = probe("/reader", "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.status(), response.text());
        assertEquals(text, response.text());
    }

    @Test
    void readerWithoutCharsetDecodesAsIsoLatin1() throws IOException {
        byte[] body = {'c', 'a', 'f', (byte) 0xe9};
        RawResponse response = probe("/reader", "text/plain", body);
        assertEquals(200, response.status(), response.text());
        assertEquals("caf\u00e9", response.text());
    }

    /** The probe's filter has {@code env:WEBHOOK_SECRET} first and {@link ProbeServlet#PREVIOUS_SECRET} second. */
    @ParameterizedTest(name = "signed with {0}")
    @ValueSource(strings = {"current", "previous", "both"})
    void eitherConfiguredSecretVerifiesAndTheFirstMatchIsReported(String signedWith) throws IOException {
        byte[] body = Webhooks.jsonEvent("evt_probe_rotation");
        WebhookSigner signer = switch (signedWith) {
            case "current" -> WebhookSigner.of(Webhooks.secret());
            case "previous" -> WebhookSigner.of(ProbeServlet.PREVIOUS_SECRET);
            default -> WebhookSigner.of(ProbeServlet.PREVIOUS_SECRET, Webhooks.secret());
        };
        RawRequest request = RawRequest.post(ProbeServlet.CONTEXT_PATH + "/secret")
                .header(Webhooks.HEADER, signer.sign(body))
                .body(body);
        try (RawConnection connection = connect()) {
            RawResponse response = connection.exchange(request);
            assertEquals(200, response.status(), response.text());
            assertEquals("previous".equals(signedWith) ? "1" : "0", response.text());
        }
    }

    /** Requests whose body the application reads; a named row of {@link #sameAsWithoutTheFilter}. */
    record Shape(String name, String method, String target, String contentType, String body) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape("form, UTF-8, query and body", "POST", "/params?q=1&both=query",
                        FORM + ";charset=UTF-8", "b=2&both=body&e=%C3%A9&plus=a+b"),
                new Shape("form without charset", "POST", "/params", FORM, "e=%C3%A9&plus=a+b"),
                new Shape("form, ISO-8859-1", "POST", "/params", FORM + "; charset=ISO-8859-1", "e=%E9"),
                new Shape("form, content type in capitals", "POST", "/params?q=1",
                        "Application/X-WWW-Form-URLEncoded; charset=UTF-8", "a=1"),
                new Shape("form by PUT", "PUT", "/params?q=1", FORM, "a=1"),
                new Shape("form by PATCH", "PATCH", "/params?q=1", FORM, "a=1"),
                new Shape("JSON is no form", "POST", "/params?q=1", "application/json", "{\"a\":1}"),
                new Shape("reader, UTF-8", "POST", "/reader", "text/plain; charset=UTF-8", "h\u00e9llo \u2713"),
                new Shape("reader without charset", "POST", "/reader", "text/plain", "caf\u00e9"));
    }

    /**
     * Whatever the container gives an application from a request's body, it gives the same from
     * behind the filter: the filter is transparent to form parsing and the reader.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void applicationSeesTheSameAsWithoutTheFilter(Shape shape) throws IOException {
        byte[] body = shape.body().getBytes(shape.body().chars().anyMatch(c -> c > 0x7f)
                && shape.contentType().contains("UTF-8") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        RawRequest plain = RawRequest.of(shape.method(), ProbeServlet.PLAIN_CONTEXT_PATH + shape.target())
                .header("Content-Type", shape.contentType())
                .body(body);
        RawRequest signed = RawRequest.of(shape.method(), ProbeServlet.CONTEXT_PATH + shape.target())
                .header("Content-Type", shape.contentType())
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .body(body);
        RawResponse withoutFilter;
        RawResponse withFilter;
        try (RawConnection connection = connect()) {
            withoutFilter = connection.exchange(plain);
        }
        try (RawConnection connection = connect()) {
            withFilter = connection.exchange(signed);
        }
        assertEquals(200, withoutFilter.status(), withoutFilter.text());
        assertEquals(200, withFilter.status(), withFilter.text());
        assertEquals(applicationView(withoutFilter), applicationView(withFilter));
    }

    /** The lines of what the application saw, without the probe's look underneath the wrapper. */
    private static List<String> applicationView(RawResponse response) {
        return Arrays.stream(response.text().split("\n", -1)).filter(line -> !line.startsWith("container ")).toList();
    }

    private RawResponse probe(String target, String contentType, byte[] body) throws IOException {
        RawRequest request = RawRequest.post(ProbeServlet.CONTEXT_PATH + target)
                .header("Content-Type", contentType)
                .header(Webhooks.HEADER, Webhooks.signer().sign(body))
                .body(body);
        try (RawConnection connection = connect()) {
            return connection.exchange(request);
        }
    }

    private static List<String> lines(RawResponse response) {
        assertEquals(200, response.status(), response.text());
        return Arrays.asList(response.text().split("\n"));
    }
}
