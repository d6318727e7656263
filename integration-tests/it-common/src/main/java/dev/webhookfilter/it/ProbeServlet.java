package dev.webhookfilter.it;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test-only application that reports what a verified request looks like from behind the filter,
 * for what the example WAR's handler does not show: form parameters, the reader, the matching
 * secret. Each container fixture deploys it twice: at {@value #CONTEXT_PATH} with the real
 * {@link WebhookSignatureFilter} from the library jar in front, and at {@value #PLAIN_CONTEXT_PATH}
 * without it, to show what the container itself gives the application. For any method:
 * <ul>
 *   <li>{@code /params}: the parameter map the application sees, then the one the container's
 *       own request returns underneath any wrapper;</li>
 *   <li>{@code /reader}: the body as {@code getReader()} decoded it, sent back as UTF-8;</li>
 *   <li>{@code /secret}: the position of the secret that verified the request;</li>
 *   <li>{@code /body}: what the request tells of its body before anything has read it, then after one
 *       read, as one line such as {@code content-length=-1 finished=true first-read=-1 finished-after=true}.</li>
 * </ul>
 */
public final class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the fixtures deploy it behind the filter. */
    public static final String CONTEXT_PATH = "/probe";
    /** Where the fixtures deploy it without the filter. */
    public static final String PLAIN_CONTEXT_PATH = "/plain";
    /** The name the fixtures give the filter. */
    public static final String FILTER_NAME = "webhookSignature";
    /** A second, older secret the probe's filter also accepts: rotation, as a real deployment does it. */
    public static final String PREVIOUS_SECRET = "whsec_previous_integration_secret_8d2e6f0a1c";

    /** The filter's init-params: the test secret from the environment first, then the previous one. */
    public static Map<String, String> filterParameters() {
        return Map.of(WebhookSignatureFilter.PARAM_SECRETS, "env:WEBHOOK_SECRET, " + PREVIOUS_SECRET);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/params" -> {
                StringBuilder text = new StringBuilder();
                // The application's view first, as an application would ask.
                describe("app", request.getParameterMap(), text);
                describe("container", unwrapped(request).getParameterMap(), text);
                response.getWriter().write(text.toString());
            }
            case "/reader" -> {
                response.setHeader("X-Probe-Charset", String.valueOf(request.getCharacterEncoding()));
                StringBuilder text = new StringBuilder();
                Reader reader = request.getReader();
                char[] buffer = new char[256];
                for (int n; (n = reader.read(buffer)) >= 0; ) {
                    text.append(buffer, 0, n);
                }
                response.getWriter().write(text.toString());
            }
            case "/secret" -> response.getWriter().write(
                    String.valueOf(request.getAttribute(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE)));
            case "/body" -> response.getWriter().write(bodyState(request));
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /**
     * What the request tells of its body, asked in the order the filter asks when it refuses one: its
     * {@code getContentLengthLong()}, then its stream's {@code isFinished()} before any read, what a first
     * {@code read()} returns ({@code -1}, or {@code byte} for one), and {@code isFinished()} after it; the rest
     * is read and thrown away.
     */
    private static String bodyState(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        ServletInputStream in = request.getInputStream();
        String finished = isFinished(in);
        int first = in.read();
        String finishedAfter = isFinished(in);
        in.readAllBytes();
        return "content-length=" + declared + " finished=" + finished + " first-read=" + (first < 0 ? "-1" : "byte")
                + " finished-after=" + finishedAfter + "\n";
    }

    /** {@code isFinished()} of a stream outside async mode, or the exception's name if the container refuses. */
    private static String isFinished(ServletInputStream in) {
        try {
            return String.valueOf(in.isFinished());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** The container's own request under the filter's wrapper. */
    private static ServletRequest unwrapped(ServletRequest request) {
        while (request instanceof ServletRequestWrapper wrapper) {
            request = wrapper.getRequest();
        }
        return request;
    }

    /** One line per parameter, sorted by name: {@code view name=value1|value2}. */
    private static void describe(String view, Map<String, String[]> parameters, StringBuilder text) {
        new TreeMap<>(parameters).forEach((name, values) ->
                text.append(view).append(' ').append(name).append('=').append(String.join("|", values)).append('\n'));
    }
}
