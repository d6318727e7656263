package dev.webhookfilter.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A POST with its signature headers and a body held in memory, as small as a container's request
 * could be, so that the filter benchmark measures the filter and not a mocking library. Whatever
 * the filter and the benchmark's chain do not call throws. {@link #reset()} makes it new again.
 * Not thread-safe.
 */
final class BenchRequest implements HttpServletRequest {

    private final String[] headerNames;
    private final String[] headerValues;
    private final byte[] body;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Body stream = new Body();

    BenchRequest(String headerName, String headerValue, byte[] body) {
        this(Map.of(headerName, headerValue), body);
    }

    /** A request with these headers, each sent once. */
    BenchRequest(Map<String, String> headers, byte[] body) {
        this.headerNames = headers.keySet().toArray(new String[0]);
        this.headerValues = new String[headerNames.length];
        for (int i = 0; i < headerNames.length; i++) {
            headerValues[i] = headers.get(headerNames[i]);
        }
        this.body = body;
    }

    /** Rewinds the body and forgets the attributes, as if the request had just arrived. */
    void reset() {
        stream.position = 0;
        attributes.clear();
    }

    /** How many body bytes were read since the last {@link #reset()}. */
    int bytesRead() {
        return stream.position;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String value = getHeader(name);
        return value != null ? new One(value) : Collections.emptyEnumeration();
    }

    @Override
    public String getHeader(String name) {
        for (int i = 0; i < headerNames.length; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                return headerValues[i];
            }
        }
        return null;
    }

    @Override
    public ServletInputStream getInputStream() {
        return stream;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public String getMethod() {
        return "POST";
    }

    @Override
    public String getRequestURI() {
        return "/webhooks/";
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(attributes.keySet());
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    /** The body as a container serves it: copied out of a buffer already in memory. */
    private final class Body extends ServletInputStream {

        int position;

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            if (count == 0) {
                return 0;
            }
            if (position >= body.length) {
                return -1;
            }
            int n = Math.min(count, body.length - position);
            System.arraycopy(body, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return body.length - position;
        }

        @Override
        public boolean isFinished() {
            return position >= body.length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw unsupported();
        }
    }

    /** A one-value enumeration, as containers return for a header sent once. */
    private static final class One implements Enumeration<String> {

        private String value;

        One(String value) {
            this.value = value;
        }

        @Override
        public boolean hasMoreElements() {
            return value != null;
        }

        @Override
        public String nextElement() {
            if (value == null) {
                throw new NoSuchElementException();
            }
            String next = value;
            value = null;
            return next;
        }
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not needed by the benchmarks");
    }

    // Below: what neither the filter nor the benchmarks use.

    @Override
    public String getAuthType() {
        throw unsupported();
    }

    @Override
    public Cookie[] getCookies() {
        throw unsupported();
    }

    @Override
    public long getDateHeader(String name) {
        throw unsupported();
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        throw unsupported();
    }

    @Override
    public int getIntHeader(String name) {
        throw unsupported();
    }

    @Override
    public String getPathInfo() {
        throw unsupported();
    }

    @Override
    public String getPathTranslated() {
        throw unsupported();
    }

    @Override
    public String getContextPath() {
        throw unsupported();
    }

    @Override
    public String getQueryString() {
        return null; // a webhook's URL has none; the filter asks, for queryString=reject
    }

    @Override
    public String getRemoteUser() {
        throw unsupported();
    }

    @Override
    public boolean isUserInRole(String role) {
        throw unsupported();
    }

    @Override
    public Principal getUserPrincipal() {
        throw unsupported();
    }

    @Override
    public String getRequestedSessionId() {
        throw unsupported();
    }

    @Override
    public StringBuffer getRequestURL() {
        throw unsupported();
    }

    @Override
    public String getServletPath() {
        throw unsupported();
    }

    @Override
    public HttpSession getSession(boolean create) {
        throw unsupported();
    }

    @Override
    public HttpSession getSession() {
        throw unsupported();
    }

    @Override
    public String changeSessionId() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        throw unsupported();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        throw unsupported();
    }

    @Override
    public boolean authenticate(HttpServletResponse response) {
        throw unsupported();
    }

    @Override
    public void login(String username, String password) {
        throw unsupported();
    }

    @Override
    public void logout() {
        throw unsupported();
    }

    @Override
    public Collection<Part> getParts() {
        throw unsupported();
    }

    @Override
    public Part getPart(String name) {
        throw unsupported();
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
        throw unsupported();
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        throw unsupported();
    }

    @Override
    public String getParameter(String name) {
        throw unsupported();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        throw unsupported();
    }

    @Override
    public String[] getParameterValues(String name) {
        throw unsupported();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        throw unsupported();
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public String getScheme() {
        throw unsupported();
    }

    @Override
    public String getServerName() {
        throw unsupported();
    }

    @Override
    public int getServerPort() {
        throw unsupported();
    }

    @Override
    public BufferedReader getReader() {
        throw unsupported();
    }

    @Override
    public String getRemoteAddr() {
        throw unsupported();
    }

    @Override
    public String getRemoteHost() {
        throw unsupported();
    }

    @Override
    public Locale getLocale() {
        throw unsupported();
    }

    @Override
    public Enumeration<Locale> getLocales() {
        throw unsupported();
    }

    @Override
    public boolean isSecure() {
        throw unsupported();
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        throw unsupported();
    }

    @Override
    public int getRemotePort() {
        throw unsupported();
    }

    @Override
    public String getLocalName() {
        throw unsupported();
    }

    @Override
    public String getLocalAddr() {
        throw unsupported();
    }

    @Override
    public int getLocalPort() {
        throw unsupported();
    }

    @Override
    public ServletContext getServletContext() {
        throw unsupported();
    }

    @Override
    public AsyncContext startAsync() {
        throw unsupported();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        throw unsupported();
    }

    @Override
    public boolean isAsyncSupported() {
        throw unsupported();
    }

    @Override
    public AsyncContext getAsyncContext() {
        throw unsupported();
    }

    @Override
    public String getRequestId() {
        throw unsupported();
    }

    @Override
    public String getProtocolRequestId() {
        throw unsupported();
    }

    @Override
    public ServletConnection getServletConnection() {
        throw unsupported();
    }
}
