package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the servlet in real Jetty behind the real filters, as web.xml wires them, under a context path. */
class SendTestEventServletTest {

    private static final String SECRET = "whsec_send_test_event_unit_test_7c1d";

    private Server server;
    private ServletContextHandler context;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** The example's wiring, with the secret given literally and the signature header optionally renamed. */
    private URI start(String headerName) throws Exception {
        return start(headerName, null);
    }

    private URI start(String headerName, String allowedHosts) throws Exception {
        return start(headerName == null ? Map.of() : Map.of(WebhookSignatureFilter.PARAM_HEADER_NAME, headerName),
                allowedHosts);
    }

    /** The example's wiring, the filter's secret given literally unless {@code filterParameters} names another. */
    private URI start(Map<String, String> filterParameters, String allowedHosts) throws Exception {
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        context = new ServletContextHandler("/app");
        context.addFilter(RejectionRecorder.class, "/webhooks/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder signature = new FilterHolder(WebhookSignatureFilter.class);
        signature.setName(SendTestEventServlet.FILTER_NAME);
        signature.setInitParameter(WebhookSignatureFilter.PARAM_SECRETS, SECRET);
        filterParameters.forEach(signature::setInitParameter);
        context.addFilter(signature, "/webhooks/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(WebhookHandlerServlet.class, "/webhooks/*");
        FilterHolder hostCheck = new FilterHolder(HostCheckFilter.class);
        if (allowedHosts != null) {
            hostCheck.setInitParameter(AllowedHosts.PARAM, allowedHosts);
        }
        context.addFilter(hostCheck, "/send-test-event", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(SendTestEventServlet.class, "/send-test-event");
        server.setHandler(context);
        server.start();
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return URI.create("http://127.0.0.1:" + port + "/app/send-test-event");
    }

    /** POSTs no body to {@code uri} with the given header name/value pairs. */
    private static RawResponse post(URI uri, String... headers) throws Exception {
        return send(uri, RawRequest.post(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .contentLength(0), headers);
    }

    /** Sends {@code request} to {@code uri}'s port with {@code Host} as a client writes it, and these headers. */
    private static RawResponse send(URI uri, RawRequest request, String... headers) throws Exception {
        request.host(uri.getRawAuthority());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return RawConnection.exchange(uri.getPort(), request);
    }

    private static RawResponse pressTheButton(URI uri) throws Exception {
        return post(uri, "X-Example-Action", "send-test-event", "Sec-Fetch-Site", "same-origin");
    }

    private static JsonObject json(RawResponse response) {
        return json(response.text());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private List<EventLog.Event> eventsReceived() {
        return EventLog.of(context.getServletContext()).recent();
    }

    private List<RejectionLog.Entry> rejections() {
        return RejectionLog.of(context.getServletContext()).recent();
    }

    @Nested
    class TestEvent {

        @Test
        void isSignedWithTheFiltersSecretAndReachesTheHandler() throws Exception {
            RawResponse response = pressTheButton(start(null));

            assertEquals(200, response.status(), response.text());
            JsonObject outcome = json(response);
            assertEquals(200, outcome.getInt("status"));
            assertTrue(outcome.getBoolean("verified"));
            assertFalse(outcome.getBoolean("forged"));
            List<EventLog.Event> events = eventsReceived();
            assertEquals(1, events.size());
            assertEquals(outcome.getString("eventId"), events.get(0).eventId());
            assertTrue(events.get(0).eventId().matches("whevt-[0-9a-f]{16}"), events.get(0).eventId());
            assertEquals("webhooks.test", events.get(0).eventType());
            assertTrue(rejections().isEmpty());
        }

        /**
         * A standalone Tomcat 11.0.24 warned at the example's undeploy, after one press, that it "appears to have
         * started a thread named [HttpClient-1-SelectorManager] but has failed to stop it" (and HttpClient-1-Worker-0
         * to -2): the button's HttpClient, whose threads hold the application's class loader until the client is
         * collected, and which Java 17 cannot close. A press leaves no thread once the application stops.
         */
        @Test
        void leavesNoThreadOnceTheApplicationStops() throws Exception {
            java.util.Set<Thread> before = dev.webhookfilter.testing.Threads.running();
            RawResponse response = pressTheButton(start(null));
            assertEquals(200, response.status(), response.text());

            server.stop();
            assertEquals(java.util.Set.of(), dev.webhookfilter.testing.Threads.running().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("HttpClient-"))
                    .map(Thread::getName).collect(java.util.stream.Collectors.toSet()));
        }

        @Test
        void carriesTheSignatureInTheHeaderTheFilterIsConfiguredWith() throws Exception {
            RawResponse response = pressTheButton(start("X-Other-Signature"));

            assertTrue(json(response).getBoolean("verified"), response.text());
            assertEquals(1, eventsReceived().size());
        }

        /** The secret is base64, which the standard-webhooks scheme decodes; the filter would refuse any other. */
        @Test
        void isSignedInTheFiltersScheme() throws Exception {
            URI uri = start(Map.of(WebhookSignatureFilter.PARAM_SCHEME,
                    "standard-webhooks", WebhookSignatureFilter.PARAM_SECRETS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                    null);
            RawResponse response = pressTheButton(uri);

            assertTrue(json(response).getBoolean("verified"), response.text());
            assertEquals(1, eventsReceived().size());
            RawResponse forged = pressTheButton(URI.create(uri + "?forged=true"));
            assertEquals(401, json(forged).getInt("status"), forged.text());
        }

        /** The README's rotation for a scheme with one signature per header: both secrets, the new one first. */
        @Test
        void isSigned_whileASecretRotates_inASchemeThatCarriesOneSignature() throws Exception {
            URI uri = start(Map.of(WebhookSignatureFilter.PARAM_SCHEME, "github",
                    WebhookSignatureFilter.PARAM_SECRETS, SECRET + "_new," + SECRET), null);
            RawResponse response = pressTheButton(uri);

            assertEquals(200, response.status(), response.text());
            assertTrue(json(response).getBoolean("verified"), response.text());
            assertEquals(1, eventsReceived().size());
        }

        /** With de-duplication on, the filter answers 400 MISSING_ID to an event without the message id header. */
        @ParameterizedTest
        @ValueSource(strings = {"github", "wealthkernel-2022"})
        void carriesAMessageId_whenTheFilterDeduplicates(String scheme) throws Exception {
            Map<String, String> parameters = new java.util.HashMap<>(Map.of(WebhookSignatureFilter.PARAM_SCHEME, scheme,
                    WebhookSignatureFilter.PARAM_DEDUPLICATE, "true"));
            if (scheme.startsWith("wealthkernel")) {
                parameters.put(WebhookSignatureFilter.PARAM_ID_HEADER, "X-Webhook-Id");
            }
            URI uri = start(parameters, null);
            RawResponse response = pressTheButton(uri);

            assertEquals(200, json(response).getInt("status"), response.text());
            assertEquals(1, eventsReceived().size());
            assertEquals(200, json(pressTheButton(uri)).getInt("status"), "each press is a new message");
            assertEquals(2, eventsReceived().size());
        }

        @Test
        void answerNeverShowsTheSecretOrTheSignature() throws Exception {
            RawResponse response = pressTheButton(start(null));

            assertFalse(response.text().contains(SECRET), response.text());
            assertFalse(response.text().contains("v1="), response.text());
            assertFalse(response.headers().toString().contains("v1="), response.headers().toString());
        }
    }

    @Nested
    class ForgedEvent {

        @Test
        void isRefusedByTheFilterAndRecordedAsNoMatchingSignature() throws Exception {
            URI uri = start(null);
            RawResponse response = pressTheButton(URI.create(uri + "?forged=true"));

            JsonObject outcome = json(response);
            assertEquals(401, outcome.getInt("status"), response.text());
            assertFalse(outcome.getBoolean("verified"));
            assertTrue(outcome.getBoolean("forged"));
            assertTrue(eventsReceived().isEmpty());
            List<RejectionLog.Entry> rejections = rejections();
            assertEquals(1, rejections.size());
            assertEquals(Rejection.NO_MATCHING_SIGNATURE, rejections.get(0).reason());
            assertEquals("/app/webhooks/test", rejections.get(0).path());
            assertEquals("POST", rejections.get(0).method());
        }
    }

    @Nested
    class CrossSiteRequests {

        @Test
        void areRefused_withoutTheActionHeader() throws Exception {
            RawResponse response = post(start(null));

            assertEquals(403, response.status());
            assertTrue(eventsReceived().isEmpty());
        }

        @Test
        void areRefused_withAnotherActionHeaderValue() throws Exception {
            RawResponse response = post(start(null), "X-Example-Action", "something-else");

            assertEquals(403, response.status());
            assertTrue(eventsReceived().isEmpty());
        }

        @ParameterizedTest
        @ValueSource(strings = {"cross-site", "same-site", "none"})
        void areRefused_whenTheBrowserSaysTheyCameFromElsewhere(String site) throws Exception {
            RawResponse response = post(start(null),
                    "X-Example-Action", "send-test-event", "Sec-Fetch-Site", site);

            assertEquals(403, response.status());
            assertTrue(eventsReceived().isEmpty());
        }

        @Test
        void areAccepted_fromClientsThatAreNotBrowsers() throws Exception {
            RawResponse response = post(start(null), "X-Example-Action", "send-test-event");

            assertEquals(200, response.status(), response.text());
            assertEquals(1, eventsReceived().size());
        }

        @Test
        void getIsNotAllowed() throws Exception {
            URI uri = start(null);
            RawResponse response = send(uri, RawRequest.of("GET", uri.getRawPath()), "X-Example-Action", "send-test-event");

            assertEquals(405, response.status());
            assertTrue(eventsReceived().isEmpty());
        }
    }

    /** DNS rebinding: the attacker's name, resolving to 127.0.0.1, is the page's origin and the Host. */
    @Nested
    class HostHeader {

        private RawResponse pressTheButton(URI uri, String host) throws Exception {
            return RawConnection.exchange(uri.getPort(), RawRequest.post(uri.getRawPath()).host(host)
                    .header("X-Example-Action", "send-test-event").header("Sec-Fetch-Site", "same-origin")
                    .contentLength(0));
        }

        @Test
        void ofAnotherName_isRefused() throws Exception {
            RawResponse response = pressTheButton(start(null), "evil.example");

            assertEquals(403, response.status(), response.text());
            assertTrue(json(response.text()).getString("error").contains("allowedHosts"), response.text());
            assertTrue(eventsReceived().isEmpty());
        }

        @Test
        void namedInAllowedHosts_isAccepted() throws Exception {
            URI uri = start((String) null, "dev.example.org, abc123.ngrok.app:443");

            RawResponse response = pressTheButton(uri, "abc123.ngrok.app:443");

            assertEquals(200, response.status(), response.text());
            assertEquals(1, eventsReceived().size());
        }

        @Test
        void notNamedInAllowedHosts_isRefused() throws Exception {
            URI uri = start((String) null, "dev.example.org");

            RawResponse response = pressTheButton(uri, "evil.example:" + uri.getPort());

            assertEquals(403, response.status(), response.text());
            assertTrue(eventsReceived().isEmpty());
        }
    }

    @Nested
    class Init {

        private final ServletContext servletContext = mock(ServletContext.class);
        private final ServletConfig config = mock(ServletConfig.class);

        Init() {
            when(config.getServletContext()).thenReturn(servletContext);
            when(config.getServletName()).thenReturn("sendTestEvent");
        }

        @Test
        void fails_whenTheSignatureFilterIsNotDeclared() {
            ServletException e = assertThrows(ServletException.class, () -> new SendTestEventServlet().init(config));

            assertTrue(e.getMessage().contains("'webhookSignature'"), e.getMessage());
        }

        @Test
        void fails_namingTheVariable_whenTheFiltersSecretDoesNotResolve() {
            FilterRegistration filter = mock(FilterRegistration.class);
            when(filter.getInitParameter("secrets")).thenReturn("env:EXAMPLE_PAGE_TEST_VARIABLE_THAT_IS_NOT_SET");
            when(servletContext.getFilterRegistration("webhookSignature")).thenReturn(filter);

            ServletException e = assertThrows(ServletException.class, () -> new SendTestEventServlet().init(config));

            assertTrue(e.getMessage().contains("EXAMPLE_PAGE_TEST_VARIABLE_THAT_IS_NOT_SET is not set"), e.getMessage());
        }
    }
}
