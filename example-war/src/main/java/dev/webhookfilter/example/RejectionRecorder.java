package dev.webhookfilter.example;

import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;

/**
 * Records in {@link RejectionLog} the requests that {@link WebhookSignatureFilter} refuses, so the
 * example's page can show them. Declared before the signature filter: the signature filter answers
 * a refused request itself and marks it with {@link WebhookSignatureFilter#REJECTION_ATTRIBUTE},
 * which this filter reads once the chain returns.
 */
public class RejectionRecorder implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request.getAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE) instanceof RejectionReason reason
                && request instanceof HttpServletRequest http) {
            RejectionLog.of(http.getServletContext()).add(
                    new RejectionLog.Entry(Instant.now(), http.getMethod(), http.getRequestURI(), reason));
        }
    }
}
