package dev.webhookfilter.it;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * In front of the filter: tells {@code ended} a request's URI once the request has ended, after the filter let it go.
 * For an async request that is when its listener, added once the filter's chain returned and so after the filter's,
 * is told the request completed (added again when the application starts async mode again, as the filter's is).
 */
final class EndNoter implements Filter {

    private final Consumer<String> ended;

    private EndNoter(Consumer<String> ended) {
        this.ended = ended;
    }

    /**
     * Adds one on the webhook paths of {@code context}; to be added before the filter, so that it runs before it and
     * its listener is told after the filter's.
     */
    static void addTo(ServletContext context, Consumer<String> ended) {
        FilterRegistration.Dynamic endNoter = context.addFilter("endNoter", new EndNoter(ended));
        endNoter.setAsyncSupported(true);
        endNoter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, ProbeContext.WEBHOOK_PATTERN);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String uri = ((HttpServletRequest) request).getRequestURI();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        ended.accept(uri);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        event.getAsyncContext().addListener(this);
                    }
                });
            } else {
                ended.accept(uri);
            }
        }
    }
}
