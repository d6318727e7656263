package dev.webhookfilter.example;

import jakarta.json.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Answers 403 to a request whose {@code Host} {@link AllowedHosts} does not allow, before the page,
 * {@code /events} or {@code /send-test-event} sees it. Against DNS rebinding: a site whose name is made
 * to resolve to 127.0.0.1 is the same origin as this application to the browser, so its page could
 * otherwise read the events and the refusals or press the button; its requests still carry its name as
 * {@code Host}. Not mapped to {@code /webhooks/*}: senders reach that through a tunnel, under its name.
 * Names beyond the loopback ones are listed in the init-param {@value AllowedHosts#PARAM}.
 */
public class HostCheckFilter implements Filter {

    private AllowedHosts allowedHosts;

    /** @throws ServletException if {@value AllowedHosts#PARAM} is malformed, so the application does not start */
    @Override
    public void init(FilterConfig config) throws ServletException {
        try {
            allowedHosts = AllowedHosts.parse(config.getInitParameter(AllowedHosts.PARAM));
        } catch (IllegalArgumentException e) {
            throw new ServletException(config.getFilterName() + ": " + e.getMessage());
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && allowedHosts.allows(http.getHeader("Host"),
                isLoopback(http.getLocalAddr()), http.getLocalPort(), http.isSecure() ? 443 : 80)) {
            chain.doFilter(request, response);
            return;
        }
        // JSON, which the page's button shows; never the Host that was refused.
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(HttpServletResponse.SC_FORBIDDEN);
        http.setContentType("application/json");
        http.setCharacterEncoding("UTF-8");
        http.setHeader("Cache-Control", "no-store");
        http.getWriter().write(Json.createObjectBuilder()
                .add("error", "this example answers only requests with Host set to the loopback address it was"
                        + " reached on, or to a name in the init-param " + AllowedHosts.PARAM)
                .build()
                .toString());
    }

    /** Whether {@code address}, an IP literal as the container gives it, is a loopback address. */
    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (!literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && !literal.contains(":")) {
            // Not an IP literal: resolving a name here would be a DNS lookup per request.
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
