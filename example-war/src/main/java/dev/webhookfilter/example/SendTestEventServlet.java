package dev.webhookfilter.example;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /send-test-event}: signs a sample platform event with the first secret and the scheme of the
 * {@code webhookSignature} filter, posts it over loopback to this application's own
 * {@code /webhooks/test} through that filter, and answers
 * {@code {"eventId":"whevt-…","forged":false,"status":200,"verified":true}}. With {@code ?forged=true}
 * it signs with a random secret instead, so the filter refuses the event.
 *
 * <p>A development convenience, so it guards against cross-site requests: it requires the
 * {@value #ACTION_HEADER} header, which a page of another origin cannot send without a CORS
 * preflight this application never grants, and refuses a browser's {@code Sec-Fetch-Site} other than
 * {@code same-origin}. Against DNS rebinding, where the attacker's page is same-origin under a name
 * of theirs that resolves to 127.0.0.1, web.xml puts {@link HostCheckFilter} in front of it.
 * The secret and the signature never leave the server.
 */
public class SendTestEventServlet extends HttpServlet {

    /** The filter whose configuration signs the test event, as named in {@code web.xml}. */
    static final String FILTER_NAME = "webhookSignature";
    static final String ACTION_HEADER = "X-Example-Action";
    static final String ACTION = "send-test-event";
    static final String TARGET_PATH = "/webhooks/test";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private transient Scheme scheme;
    private transient WebhookSigner signer;
    private transient String headerName;
    /** The header the filter reads the message id from when it de-duplicates, or null. */
    private transient String idHeader;

    /**
     * Resolves the signature filter's {@code secrets} as the filter does.
     *
     * @throws ServletException if the filter is not declared or its secrets do not resolve
     */
    @Override
    public void init() throws ServletException {
        FilterRegistration filter = getServletContext().getFilterRegistration(FILTER_NAME);
        if (filter == null) {
            throw new ServletException("send-test-event signs with the secrets of the filter '" + FILTER_NAME
                    + "'; declare that filter in web.xml");
        }
        try {
            String schemeName = filter.getInitParameter(WebhookSignatureFilter.PARAM_SCHEME);
            scheme = schemeName == null ? Scheme.defaultScheme() : Scheme.named(schemeName);
            List<String> secrets = Secrets.resolve(filter.getInitParameter(WebhookSignatureFilter.PARAM_SECRETS));
            // The first secret only, the new one during a rotation: github, slack and shopify carry one signature.
            signer = WebhookSigner.of(scheme, secrets.get(0));
        } catch (IllegalArgumentException e) {
            // Secrets' messages name the entry and the variable or path, never a secret.
            throw new ServletException("send-test-event cannot resolve the secrets of filter '" + FILTER_NAME
                    + "': " + e.getMessage());
        }
        headerName = Objects.requireNonNullElse(filter.getInitParameter(WebhookSignatureFilter.PARAM_HEADER_NAME),
                scheme.signatureHeader());
        String configuredIdHeader = filter.getInitParameter(WebhookSignatureFilter.PARAM_ID_HEADER);
        idHeader = configuredIdHeader != null && !configuredIdHeader.isBlank() ? configuredIdHeader.strip()
                : scheme.deliveryIdHeader().orElse(null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!ACTION.equals(request.getHeader(ACTION_HEADER)) || !sameOriginOrNotABrowser(request)) {
            answer(response, HttpServletResponse.SC_FORBIDDEN, Json.createObjectBuilder()
                    .add("error", "send-test-event answers only this application's page (header "
                            + ACTION_HEADER + ": " + ACTION + ", same origin)")
                    .build());
            return;
        }
        boolean forged = "true".equals(request.getParameter("forged"));
        String eventId = "whevt-" + HexFormat.of().formatHex(randomBytes(8));
        byte[] body = sampleEvent(eventId, Instant.now());
        // A random secret in base64, which every scheme takes (those that decode the secret included).
        WebhookSigner signing = forged ? WebhookSigner.of(scheme, Base64.getEncoder().encodeToString(randomBytes(32)))
                : signer;
        Map<String, String> signed = signing.headers(body);

        URL target = new URL("http://127.0.0.1:" + request.getLocalPort() + request.getContextPath() + TARGET_PATH);
        int status;
        // HttpURLConnection, not java.net.http.HttpClient: a client's threads (its selector, its workers) outlive the
        // application that made them, holding its class loader, until the client is collected (Java 17 cannot close
        // one), and Tomcat warns of each at an undeploy. The JDK keeps this one's connection for reuse with its own
        // thread, which belongs to no application.
        HttpURLConnection delivery = (HttpURLConnection) target.openConnection(Proxy.NO_PROXY);
        try {
            delivery.setConnectTimeout((int) TIMEOUT.toMillis());
            delivery.setReadTimeout((int) TIMEOUT.toMillis());
            delivery.setInstanceFollowRedirects(false);
            delivery.setUseCaches(false);
            delivery.setRequestMethod("POST");
            delivery.setRequestProperty("Content-Type", "application/json");
            signed.forEach((name, value) -> delivery.setRequestProperty(
                    name.equals(scheme.signatureHeader()) ? headerName : name, value));
            if (idHeader != null && signed.keySet().stream().noneMatch(idHeader::equalsIgnoreCase)) {
                // A sender's delivery id, which a filter with deduplicate=true requires (400 MISSING_ID without it).
                delivery.setRequestProperty(idHeader, eventId);
            }
            delivery.setDoOutput(true);
            delivery.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = delivery.getOutputStream()) {
                out.write(body);
            }
            status = delivery.getResponseCode();
            try (InputStream answer = status < 400 ? delivery.getInputStream() : delivery.getErrorStream()) {
                if (answer != null) {
                    answer.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (IOException e) {
            answer(response, HttpServletResponse.SC_BAD_GATEWAY, Json.createObjectBuilder()
                    .add("eventId", eventId)
                    .add("error", "could not post to " + TARGET_PATH + " over loopback ("
                            + e.getClass().getSimpleName() + ")")
                    .build());
            return;
        } finally {
            delivery.disconnect();
        }
        answer(response, HttpServletResponse.SC_OK, Json.createObjectBuilder()
                .add("eventId", eventId)
                .add("forged", forged)
                .add("status", status)
                .add("verified", status == HttpServletResponse.SC_OK)
                .build());
    }

    /** A platform event of type {@code webhooks.test}, as the platform's own "send test" would send. */
    static byte[] sampleEvent(String eventId, Instant sentAt) {
        return Json.createObjectBuilder()
                .add("eventId", eventId)
                .add("eventType", Json.createObjectBuilder().add("name", "webhooks.test").add("version", 1))
                .add("payload", Json.createObjectBuilder()
                        .add("message", "Test event sent from the example's page")
                        .add("sentAt", sentAt.toString()))
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Browsers say where a request comes from in {@code Sec-Fetch-Site}; other clients send none. */
    static boolean sameOriginOrNotABrowser(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || "same-origin".equals(site);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void answer(HttpServletResponse response, int status, JsonObject json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json.toString());
    }
}
