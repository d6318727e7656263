package dev.webhookfilter.example;

import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.time.Instant;

/**
 * Records in {@link RejectionLog} the requests that {@link WebhookSignatureFilter} refuses, so the
 * example's page can show them. Declared before the signature filter: the signature filter answers
 * a refused request itself, and first marks it with {@link WebhookSignatureFilter#REJECTION_ATTRIBUTE}.
 * This filter records the reason as the mark is set, not once the chain returns: by then the answer may
 * have reached the page, whose refresh would miss the row.
 */
public class RejectionRecorder implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request instanceof HttpServletRequest http ? new Recording(http) : request, response);
    }

    /** The path without its {@code ;parameters}: a {@code ;jsessionid=...} is nothing for the page to show. */
    static String withoutPathParameters(String uri) {
        return uri.replaceAll(";[^/]*", "");
    }

    /** The request, recording a rejection when the signature filter marks it with one. */
    private static final class Recording extends HttpServletRequestWrapper {

        Recording(HttpServletRequest request) {
            super(request);
        }

        @Override
        public void setAttribute(String name, Object value) {
            super.setAttribute(name, value);
            if (WebhookSignatureFilter.REJECTION_ATTRIBUTE.equals(name) && value instanceof RejectionReason reason) {
                RejectionLog.of(getServletContext()).add(
                        new RejectionLog.Entry(Instant.now(), getMethod(), withoutPathParameters(getRequestURI()),
                                reason));
            }
        }
    }
}
