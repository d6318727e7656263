package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import jakarta.servlet.http.HttpServletRequestWrapper;
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
        doAnswer(call -> requestAttributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(anyString(), any());
        when(request.getServletContext()).thenReturn(context);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/webhooks/orders");
    }

    @Test
    void recordsReasonMethodAndPath_whenTheSignatureFilterRefusedTheRequest() throws Exception {
        FilterChain refusing = (req, res) -> req.setAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE,
                Rejection.STALE_TIMESTAMP);

        new RejectionRecorder().doFilter(request, response, refusing);

        List<RejectionLog.Entry> entries = RejectionLog.of(context).recent();
        assertEquals(1, entries.size());
        assertEquals(Rejection.STALE_TIMESTAMP, entries.get(0).reason());
        assertEquals("POST", entries.get(0).method());
        assertEquals("/webhooks/orders", entries.get(0).path());
    }

    /** As the filter's own DEBUG line: a session id in the path stays off the page. */
    @Test
    void recordsThePathWithoutItsParameters() throws Exception {
        when(request.getRequestURI()).thenReturn("/webhooks;jsessionid=SESSION1/orders;v=1");
        FilterChain refusing = (req, res) -> req.setAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE,
                Rejection.NO_MATCHING_SIGNATURE);

        new RejectionRecorder().doFilter(request, response, refusing);

        assertEquals("/webhooks/orders", RejectionLog.of(context).recent().get(0).path());
    }

    /** The signature filter marks the request before it answers: the page's refresh after the answer sees the row. */
    @Test
    void recordsTheRejectionWhenTheRequestIsMarked_beforeTheChainReturns() throws Exception {
        int[] recordedWhenMarked = {-1};
        FilterChain refusing = (req, res) -> {
            req.setAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE, Rejection.NO_MATCHING_SIGNATURE);
            recordedWhenMarked[0] = RejectionLog.of(context).recent().size();
        };

        new RejectionRecorder().doFilter(request, response, refusing);

        assertEquals(1, recordedWhenMarked[0]);
        assertEquals(1, RejectionLog.of(context).recent().size());
        assertEquals(Rejection.NO_MATCHING_SIGNATURE, requestAttributes.get(WebhookSignatureFilter.REJECTION_ATTRIBUTE));
    }

    @Test
    void recordsNothing_whenTheRequestWasVerified() throws Exception {
        FilterChain passing = (req, res) -> req.setAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, 1L);

        new RejectionRecorder().doFilter(request, response, passing);

        assertTrue(RejectionLog.of(context).recent().isEmpty());
    }

    @Test
    void passesTheResponseOnUnchanged_andTheRequestInAWrapperOfIt() throws Exception {
        Object[] seen = new Object[2];
        new RejectionRecorder().doFilter(request, response, (req, res) -> {
            seen[0] = req;
            seen[1] = res;
        });

        assertSame(request, ((HttpServletRequestWrapper) seen[0]).getRequest());
        assertSame(response, seen[1]);
    }
}
