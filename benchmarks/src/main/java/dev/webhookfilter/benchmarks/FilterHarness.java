package dev.webhookfilter.benchmarks;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/** The servlet pieces the filter benchmarks share: the filters under test and the application. */
final class FilterHarness {

    private FilterHarness() {
    }

    /** Our filter, initialised as {@code web.xml} would with one secret. */
    static WebhookSignatureFilter signatureFilter() throws ServletException {
        WebhookSignatureFilter filter = new WebhookSignatureFilter();
        filter.init(new Config(Map.of(
                WebhookSignatureFilter.PARAM_SECRETS, Inputs.SECRET,
                WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS, Long.toString(Inputs.TOLERANCE.getSeconds()))));
        return filter;
    }

    /** Our filter for {@code scheme}, initialised as {@code web.xml} would with one secret. */
    static WebhookSignatureFilter signatureFilter(String scheme, String secret) throws ServletException {
        WebhookSignatureFilter filter = new WebhookSignatureFilter();
        filter.init(new Config(Map.of(
                WebhookSignatureFilter.PARAM_SCHEME, scheme,
                WebhookSignatureFilter.PARAM_SECRETS, secret,
                WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS, Long.toString(Inputs.TOLERANCE.getSeconds()))));
        return filter;
    }

    /** A filter that does nothing but call the chain: the cost of being a filter at all. */
    static Filter passThrough() {
        return (request, response, chain) -> chain.doFilter(request, response);
    }

    /**
     * The application: reads the whole body, as a webhook handler does, into a reused buffer; or, made with
     * {@code readsAllBytes}, as one array with {@code readAllBytes()}.
     */
    static final class Application implements FilterChain {

        private final byte[] scratch = new byte[8192];
        private final boolean readsAllBytes;
        int calls;
        int bytesSeen;

        Application() {
            this(false);
        }

        Application(boolean readsAllBytes) {
            this.readsAllBytes = readsAllBytes;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) throws IOException {
            InputStream in = request.getInputStream();
            int total = 0;
            if (readsAllBytes) {
                total = in.readAllBytes().length;
            } else {
                int n;
                while ((n = in.read(scratch, 0, scratch.length)) > 0) {
                    total += n;
                }
            }
            calls++;
            bytesSeen = total;
        }
    }

    private static final class Config implements FilterConfig {

        private final Map<String, String> parameters;

        Config(Map<String, String> parameters) {
            this.parameters = parameters;
        }

        @Override
        public String getFilterName() {
            return "webhookSignature";
        }

        /** None: the filter then has no mapping to check at {@code init}, as with any bare config. */
        @Override
        public ServletContext getServletContext() {
            return null;
        }

        @Override
        public String getInitParameter(String name) {
            return parameters.get(name);
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }
    }
}
