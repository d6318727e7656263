package dev.webhookfilter.spring.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Reads the whole body and keeps its SHA-256, as a logging or security filter might. Run before the
 * webhook filter it would consume the body, and the signature could no longer verify.
 */
class BodyReadingFilter implements Filter {

    private final Received received;

    BodyReadingFilter(Received received) {
        this.received = received;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        received.bodySeenByLaterFilter.set(EchoController.sha256(request.getInputStream().readAllBytes()));
        chain.doFilter(request, response);
    }
}
