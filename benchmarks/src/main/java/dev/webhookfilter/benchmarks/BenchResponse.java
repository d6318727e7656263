package dev.webhookfilter.benchmarks;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A response that records status and headers and counts, then drops, the bytes written: the
 * counterpart of {@link BenchRequest}. {@link #reset()} makes it new again. Not thread-safe.
 */
final class BenchResponse implements HttpServletResponse {

    private final Map<String, String> headers = new HashMap<>();
    private final Output output = new Output();
    private int status = SC_OK;

    @Override
    public void reset() {
        headers.clear();
        output.written = 0;
        status = SC_OK;
    }

    /** How many body bytes were written since the last {@link #reset()}. */
    int bytesWritten() {
        return output.written;
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        headers.putIfAbsent(name, value);
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public boolean containsHeader(String name) {
        return headers.containsKey(name);
    }

    @Override
    public void setContentType(String type) {
        headers.put("Content-Type", type);
    }

    @Override
    public String getContentType() {
        return headers.get("Content-Type");
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        headers.put("Content-Length", Long.toString(length));
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return output;
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    private static final class Output extends ServletOutputStream {

        int written;

        @Override
        public void write(int b) {
            written++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            written += length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw unsupported();
        }
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not needed by the benchmarks");
    }

    // Below: what neither the filter nor the benchmarks use.

    @Override
    public void addCookie(Cookie cookie) {
        throw unsupported();
    }

    @Override
    public String encodeURL(String url) {
        throw unsupported();
    }

    @Override
    public String encodeRedirectURL(String url) {
        throw unsupported();
    }

    @Override
    public void sendError(int sc, String msg) {
        throw unsupported();
    }

    @Override
    public void sendError(int sc) {
        throw unsupported();
    }

    @Override
    public void sendRedirect(String location) {
        throw unsupported();
    }

    @Override
    public void setDateHeader(String name, long date) {
        throw unsupported();
    }

    @Override
    public void addDateHeader(String name, long date) {
        throw unsupported();
    }

    @Override
    public void setIntHeader(String name, int value) {
        throw unsupported();
    }

    @Override
    public void addIntHeader(String name, int value) {
        throw unsupported();
    }

    @Override
    public Collection<String> getHeaders(String name) {
        throw unsupported();
    }

    @Override
    public Collection<String> getHeaderNames() {
        throw unsupported();
    }

    @Override
    public String getCharacterEncoding() {
        throw unsupported();
    }

    @Override
    public PrintWriter getWriter() {
        throw unsupported();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        throw unsupported();
    }

    @Override
    public void setBufferSize(int size) {
        throw unsupported();
    }

    @Override
    public int getBufferSize() {
        throw unsupported();
    }

    /** Nothing to send: the bytes are dropped as they are written. The filter flushes a rejection before it drains. */
    @Override
    public void flushBuffer() {
    }

    @Override
    public void resetBuffer() {
        throw unsupported();
    }

    @Override
    public void setLocale(Locale loc) {
        throw unsupported();
    }

    @Override
    public Locale getLocale() {
        throw unsupported();
    }
}
