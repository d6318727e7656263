package dev.webhookfilter.benchmarks.smoke;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Stands where {@code WebhookSignatureFilter} stands in the unfiltered smoke context: verifies
 * nothing, only sets the timestamp attribute the example handler reads (now, in Unix seconds),
 * so that the same handler can run without the filter. Never use it in an application.
 */
public final class StandInFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE, System.currentTimeMillis() / 1000);
        chain.doFilter(request, response);
    }
}
