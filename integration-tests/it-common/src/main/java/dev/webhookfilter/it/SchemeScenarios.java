package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schemes other than the default over real HTTP: the example WAR is deployed once more per
 * {@link SchemeSender}, at {@code /scheme-<name>}, with its own {@code web.xml} changed only in the
 * filter's {@code scheme}, {@code secrets} (that scheme's environment variable) and
 * {@code replayProtection=true}. Requests are signed by openssl. A genuine one reaches the handler
 * byte for byte; a changed body, a wrong secret, a stale or future timestamp, a replay, and a
 * missing or repeated header each get 401 for that reason (as the WAR's page lists it) and never
 * reach the handler. The WAR at {@code /} keeps the default scheme ({@link WebhookScenarios}).
 */
public abstract class SchemeScenarios extends ContainerScenarios {

    protected SchemeScenarios(Container container) {
        super(container);
    }

    @BeforeAll
    static void needsOpenssl() {
        OpenSsl.require();
    }

    /** Where the WAR configured for {@code sender}'s scheme is deployed. */
    static String contextPath(SchemeSender sender) {
        return "/scheme-" + sender.scheme();
    }

    @Override
    protected List<RedeployedWar> redeployedWars(Path war) throws IOException {
        List<RedeployedWar> wars = new ArrayList<>();
        for (SchemeSender sender : SchemeSender.values()) {
            wars.add(RedeployedWar.withFilterParameters(war, contextPath(sender), ProbeServlet.FILTER_NAME, Map.of(
                    WebhookSignatureFilter.PARAM_SCHEME, sender.scheme(),
                    WebhookSignatureFilter.PARAM_SECRETS, "env:" + sender.secretVariable(),
                    WebhookSignatureFilter.PARAM_REPLAY_PROTECTION, "true")));
        }
        return wars;
    }

    /** So that the command lines of {@link OpensslVectors#SCHEMES} can be re-run against this WAR as written. */
    @ParameterizedTest
    @EnumSource(SchemeSender.class)
    void deployedSecretIsTheOneOfTheOpensslVector(SchemeSender sender) {
        String vectorSecret = OpensslVectors.SCHEMES.stream()
                .filter(vector -> vector.sender() == sender).findFirst().orElseThrow().secret();
        assertEquals(vectorSecret, sender.secret());
    }

    @ParameterizedTest
    @EnumSource(SchemeSender.class)
    void deliversRequestSignedByOpensslWithItsExactBytes(SchemeSender sender) throws Exception {
        String path = path(sender, "openssl");
        // Not UTF-8, with CRLF and NUL; prefixed so that no other test sends the same body.
        byte[] body = concat(path.getBytes(StandardCharsets.US_ASCII), OpensslVectors.BINARY.body());
        RawRequest request = RawRequest.post(path).header("Content-Type", "application/octet-stream");
        sender.sign(sender.secret(), id(path), Webhooks.now(), body).forEach(request::header);
        assertDelivered(sender, request.body(body), body);
    }

    @ParameterizedTest
    @EnumSource(SchemeSender.class)
    void refusesChangedBody(SchemeSender sender) throws Exception {
        String path = path(sender, "changed-body");
        byte[] body = Webhooks.jsonEvent(id(path));
        Map<String, String> headers = sender.sign(sender.secret(), id(path), Webhooks.now(), body);
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 0x01;
        assertRefused(sender, post(path, headers, changed), "NO_MATCHING_SIGNATURE");
    }

    @ParameterizedTest
    @EnumSource(SchemeSender.class)
    void refusesWrongSecret(SchemeSender sender) throws Exception {
        String path = path(sender, "wrong-secret");
        byte[] body = Webhooks.jsonEvent(id(path));
        Map<String, String> headers = sender.sign(sender.unknownSecret(), id(path), Webhooks.now(), body);
        assertRefused(sender, post(path, headers, body), "NO_MATCHING_SIGNATURE");
    }

    static Stream<Arguments> lateTimestamps() {
        return Arrays.stream(SchemeSender.values()).filter(SchemeSender::timestamped).flatMap(sender -> Stream.of(
                Arguments.of(sender, -3600L, "STALE_TIMESTAMP"),
                Arguments.of(sender, 3600L, "FUTURE_TIMESTAMP")));
    }

    /** Signed correctly an hour ago, or for an hour from now: past the WAR's 300 s tolerance. */
    @ParameterizedTest(name = "{0}, t {1} s from now")
    @MethodSource("lateTimestamps")
    void refusesTimestampOutsideTheTolerance(SchemeSender sender, long offset, String reason) throws Exception {
        String path = path(sender, "late");
        byte[] body = Webhooks.jsonEvent(id(path));
        Map<String, String> headers = sender.sign(sender.secret(), id(path), Webhooks.now() + offset, body);
        assertRefused(sender, post(path, headers, body), reason);
    }

    /** For {@code github}, which signs no timestamp, the same body within the tolerance is the replay. */
    @ParameterizedTest
    @EnumSource(SchemeSender.class)
    void refusesReplayOfADeliveredRequest(SchemeSender sender) throws Exception {
        String path = path(sender, "replay");
        byte[] body = Webhooks.jsonEvent(id(path));
        RawRequest request = post(path, sender.sign(sender.secret(), id(path), Webhooks.now(), body), body);
        assertDelivered(sender, request, body);
        assertRefused(sender, request, "REPLAYED");
    }

    /** Svix's libraries accept the unbranded webhook-* names too; so does the svix scheme. */
    @Test
    void svixAcceptsTheUnbrandedHeaderNames() throws Exception {
        String path = path(SchemeSender.SVIX, "unbranded");
        byte[] body = Webhooks.jsonEvent(id(path));
        Map<String, String> headers = SchemeSender.unbranded(
                SchemeSender.SVIX.sign(SchemeSender.SVIX.secret(), id(path), Webhooks.now(), body));
        assertEquals(List.of("webhook-id", "webhook-timestamp", "webhook-signature"), List.copyOf(headers.keySet()));
        assertDelivered(SchemeSender.SVIX, post(path, headers, body), body);
    }

    /**
     * Shopify's newer deliveries carry the MAC in {@code shopify-hmac-sha256}, which its libraries read too; the
     * shopify scheme reads it where {@code X-Shopify-Hmac-Sha256} is missing.
     */
    @Test
    void shopifyAcceptsTheNewerHmacHeaderName() throws Exception {
        String path = path(SchemeSender.SHOPIFY, "newer");
        byte[] body = Webhooks.jsonEvent(id(path));
        String mac = SchemeSender.SHOPIFY.sign(SchemeSender.SHOPIFY.secret(), id(path), Webhooks.now(), body)
                .get("X-Shopify-Hmac-Sha256");
        assertDelivered(SchemeSender.SHOPIFY, post(path, Map.of("shopify-hmac-sha256", mac), body), body);
    }

    static Stream<Arguments> headers() {
        return Arrays.stream(SchemeSender.values())
                .flatMap(sender -> sender.headerNames().stream().map(header -> Arguments.of(sender, header)));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("headers")
    void refusesRequestWithoutOneOfItsHeaders(SchemeSender sender, String header) throws Exception {
        assertRefused(sender, signedWith(sender, "missing", header, 0), "MISSING_HEADER");
    }

    /** The same genuine value twice: a header the scheme reads must be there exactly once. */
    @ParameterizedTest(name = "{0} with {1} twice")
    @MethodSource("headers")
    void refusesRequestRepeatingOneOfItsHeaders(SchemeSender sender, String header) throws Exception {
        assertRefused(sender, signedWith(sender, "repeated", header, 2), "MALFORMED_HEADER");
    }

    /** A genuinely signed request whose header {@code header} is sent {@code times} times, the others once. */
    private static RawRequest signedWith(SchemeSender sender, String label, String header, int times)
            throws IOException, InterruptedException {
        String path = path(sender, label);
        byte[] body = Webhooks.jsonEvent(id(path));
        RawRequest request = RawRequest.post(path).header("Content-Type", "application/json");
        sender.sign(sender.secret(), id(path), Webhooks.now(), body).forEach((name, value) -> {
            for (int i = name.equals(header) ? times : 1; i > 0; i--) {
                request.header(name, value);
            }
        });
        return request.body(body);
    }

    /** A path in {@code sender}'s WAR that no other request in this JVM uses. */
    private static String path(SchemeSender sender, String label) {
        return contextPath(sender) + uniquePath(label);
    }

    /** A message id (for the schemes that sign one) and event id made from the path: unique, without dots. */
    private static String id(String path) {
        return "msg_" + path.substring(path.lastIndexOf('/') + 1);
    }

    private static RawRequest post(String path, Map<String, String> headers, byte[] body) {
        RawRequest request = RawRequest.post(path).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return request.body(body);
    }

    /** Sends {@code request} on a new connection: 200, the handler read exactly {@code body}, once. */
    private void assertDelivered(SchemeSender sender, RawRequest request, byte[] body) throws IOException {
        long before = Webhooks.eventsTotal(app.port(), contextPath(sender));
        try (RawConnection connection = connect()) {
            Webhooks.assertDelivered(body, connection.exchange(request));
        }
        assertEquals(before + 1, Webhooks.eventsTotal(app.port(), contextPath(sender)), "events delivered");
    }

    /** Sends {@code request} on a new connection: 401, the handler did not run, the WAR's page lists the reason. */
    private void assertRefused(SchemeSender sender, RawRequest request, String reason) throws IOException {
        long before = Webhooks.eventsTotal(app.port(), contextPath(sender));
        try (RawConnection connection = connect()) {
            RawResponse response = connection.exchange(request);
            assertEquals(401, response.status(), response::text);
            assertTrue(response.header("WWW-Authenticate").isPresent(), "WWW-Authenticate");
            RawResponse page = connection.exchange(RawRequest.of("GET", contextPath(sender) + "/")
                    .host("127.0.0.1:" + app.port()));
            assertEquals(200, page.status(), page::text);
            String row = request.target() + "</td><td class=\"bad\">401 <code>" + reason + "</code>";
            assertTrue(page.text().contains(row), () -> "no row " + row + " on the page");
        }
        assertEquals(before, Webhooks.eventsTotal(app.port(), contextPath(sender)), "events delivered");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
