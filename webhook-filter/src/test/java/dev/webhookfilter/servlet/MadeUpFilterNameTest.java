package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.StubStore;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shared store keeps its records under the filter's name. Jetty names a {@link FilterHolder} that was given no name
 * after the class and the holder's hash code, a name no other instance has, and this one loses at its next restart:
 * with a shared store, such a filter must not start, or every instance would keep its records apart.
 */
class MadeUpFilterNameTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

    static final String SECRET = "made-up-name-secret-0123456789ab";
    static final byte[] BODY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

    /** Adds {@code filter} to the context through a Jetty holder, named {@code name} unless it is null. */
    static void addThroughHolder(ServletContext context, WebhookSignatureFilter filter, String name) {
        FilterHolder holder = new FilterHolder(filter);
        if (name != null) {
            holder.setName(name);
        }
        ServletContextHandler.getServletContextHandler(context).addFilter(holder, "/webhooks/*",
                EnumSet.allOf(DispatcherType.class));
        context.addServlet("handler", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(204);
            }
        }).addMapping("/webhooks/*");
    }

    @Test
    void anUnnamedJettyHolder_withASharedStore_stopsTheStart() {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                .store(new StubStore(true)).build();
        Exception e = assertThrows(Exception.class,
                () -> EmbeddedJetty.start(context -> addThroughHolder(context, filter, null)).close());
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("was made up by the container"), message);
        assertTrue(message.contains("FilterHolder.setName(\"webhooks\")"), message);
    }

    @Test
    void aNamedJettyHolder_withASharedStore_starts() throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection()
                .store(new StubStore(true)).build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> addThroughHolder(context, filter, "orders"))) {
            // The stub store cannot decide: 503 shows the filter runs, with the store given.
            assertEquals(503, jetty.post("/webhooks/orders", WebhookSigner.of(SECRET).sign(BODY), BODY).status());
        }
    }

    @Test
    void anUnnamedJettyHolder_withTheMemoryStore_starts() throws Exception {
        // One instance's memory: no other instance reads its records, whatever the name.
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET).replayProtection().build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> addThroughHolder(context, filter, null))) {
            String signature = WebhookSigner.of(SECRET).sign(BODY);
            assertEquals(204, jetty.post("/webhooks/orders", signature, BODY).status());
            assertEquals(401, jetty.post("/webhooks/orders", signature, BODY).status());
        }
    }

    /**
     * A listener tags each outcome with the filter's name: under a made-up one every instance and every restart counts
     * under an endpoint of its own. Not refused, as each count stays right; said at start-up, once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unnamed, with a listener", "named, with a listener", "unnamed, without a listener"})
    void anUnnamedJettyHolder_withAListener_warnsThatItsMetricsMoveWithEachRestart(String setup) throws Exception {
        WebhookSignatureFilter.Builder builder = WebhookSignatureFilter.builder().secrets(SECRET);
        WebhookSignatureFilter filter = (setup.endsWith("without a listener") ? builder
                : builder.listener(new RecordingListener())).build();
        try (EmbeddedJetty jetty = EmbeddedJetty.start(context -> addThroughHolder(context, filter,
                setup.startsWith("named") ? "orders" : null))) {
            List<String> warnings = logs.messages(Level.WARNING).stream()
                    .filter(warning -> warning.contains("its name was made up by the container")).collect(Collectors.toList());
            if (setup.equals("unnamed, with a listener")) {
                assertEquals(1, warnings.size(), logs.render());
                assertTrue(warnings.get(0).startsWith("WebhookSignatureFilter 'dev.webhookfilter.servlet.WebhookSignatureFilter-"),
                        warnings.get(0));
                assertTrue(warnings.get(0).contains("counts under an endpoint of its own"), warnings.get(0));
                assertTrue(warnings.get(0).endsWith("FilterHolder.setName(\"webhooks\"), or"
                        + " ServletContext.addFilter(\"webhooks\", ...)"), warnings.get(0));
            } else {
                assertEquals(List.of(), warnings);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.webhookfilter.servlet.WebhookSignatureFilter-1",
            "dev.webhookfilter.servlet.WebhookSignatureFilter-1b6d3586"})
    void isMadeUpName_jettysNameForAnUnnamedHolder(String name) {
        assertTrue(WebhookSignatureFilter.isMadeUpName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhooks", "dev.webhookfilter.servlet.WebhookSignatureFilter",
            "dev.webhookfilter.servlet.WebhookSignatureFilter-", "dev.webhookfilter.servlet.WebhookSignatureFilter-1B6D",
            "dev.webhookfilter.servlet.WebhookSignatureFilter-123456789", "dev.webhookfilter.servlet.WebhookSignatureFilter-orders",
            "webhooks-1b6d3586"})
    void isMadeUpName_notForANameSomeoneGave(String name) {
        assertFalse(WebhookSignatureFilter.isMadeUpName(name), name);
    }
}
