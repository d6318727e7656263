package dev.webhookfilter.spring;

import dev.webhookfilter.internal.AmbiguousPathGuard;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Refuses with 400 a request whose path is {@linkplain AmbiguousPaths ambiguous} under an endpoint's path
 * patterns: the container would take it out of the endpoint's filter while Spring MVC routes it to the
 * endpoint's controller (or, matching paths without regard to case, may route it there). Mapped on {@code /*} just before the endpoints' filters; every other request goes on
 * untouched. It answers as {@code WebhookSignatureFilter} answers a rejection, without its request attribute:
 * the request belongs to no endpoint. Thread-safe.
 *
 * <p>The servlet filter's start-up check finds it by its class name, {@link AmbiguousPathGuard#FILTER_CLASS}, and
 * reads the patterns it guards from its registration: rename the two together.
 */
final class AmbiguousPathFilter implements Filter {

    /** The filter's name in the servlet context, and its registration bean's. */
    static final String NAME = "webhookAmbiguousPathFilter";

    private static final System.Logger LOG = System.getLogger(AmbiguousPathFilter.class.getName());
    private static final byte[] ANSWER = "webhook rejected: ambiguous path\n".getBytes(StandardCharsets.UTF_8);

    private final AmbiguousPaths paths;

    AmbiguousPathFilter(AmbiguousPaths paths) {
        this.paths = paths;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && refuses(request)) {
            // Never the path itself: decoded, it may hold anything, line breaks included.
            LOG.log(Level.DEBUG, "rejected {0}: a dot segment or an encoded separator in a path under an"
                    + " endpoint''s path patterns, a trailing / or a .suffix after one, or a path under one only when"
                    + " case is ignored", request.getMethod());
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(ANSWER.length);
            try {
                response.getOutputStream().write(ANSWER);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not send the rejection: {0}", e.getClass().getSimpleName());
            }
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * Whether {@code request}'s path is refused, as the container gave it: the container matched the filter mappings
     * against that path, and a filter that ran before this one may have wrapped the request to show another (a
     * {@code UrlHandlerFilter} takes a trailing {@code /} off). Only a request's first dispatch is unwrapped: in a
     * later one, the container's own wrapper holds the path dispatched to.
     */
    private boolean refuses(HttpServletRequest request) {
        HttpServletRequest received = request;
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            ServletRequest inner = request;
            while (inner instanceof ServletRequestWrapper wrapper) {
                inner = wrapper.getRequest();
            }
            if (inner instanceof HttpServletRequest http) {
                received = http;
            }
        }
        return paths.refuses(received.getRequestURI(), received.getContextPath());
    }
}
