package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectionRecorderTest {

    private final Map<String, Object> contextAttributes = new HashMap<>();
    private final Map<String, Object> requestAttributes = new HashMap<>();
    private final ServletContext context = mock(ServletContext.class);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    RejectionRecorderTest() {
        when(context.getAttribute(anyString())).thenAnswer(call -> contextAttributes.get(call.<String>getArgument(0)));
        doAnswer(call -> contextAttributes.put(call.getArgument(0), call.getArgument(1)))
                .when(context).setAttribute(anyString(), any());
        when(request.getAttribute(anyString())).thenAnswer(call -> requestAttributes.get(call.<String>getArgument(0)));
        when(request.getServletContext()).thenReturn(context);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/webhooks/orders");
    }

    @Test
    void recordsReasonMethodAndPath_whenTheSignatureFilterRefusedTheRequest() throws Exception {
        FilterChain refusing = (req, res) ->
                requestAttributes.put(WebhookSignatureFilter.REJECTION_ATTRIBUTE, Rejection.STALE_TIMESTAMP);

        new RejectionRecorder().doFilter(request, response, refusing);

        List<RejectionLog.Entry> entries = RejectionLog.of(context).recent();
        assertEquals(1, entries.size());
        assertEquals(Rejection.STALE_TIMESTAMP, entries.get(0).reason());
        assertEquals("POST", entries.get(0).method());
        assertEquals("/webhooks/orders", entries.get(0).path());
    }

    @Test
    void recordsNothing_whenTheRequestWasVerified() throws Exception {
        FilterChain passing = (req, res) -> requestAttributes.put(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, 1L);

        new RejectionRecorder().doFilter(request, response, passing);

        assertTrue(RejectionLog.of(context).recent().isEmpty());
    }

    @Test
    void passesTheRequestAndResponseOnUnchanged() throws Exception {
        Object[] seen = new Object[2];
        new RejectionRecorder().doFilter(request, response, (req, res) -> {
            seen[0] = req;
            seen[1] = res;
        });

        assertEquals(request, seen[0]);
        assertEquals(response, seen[1]);
    }
}
