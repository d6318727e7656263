package dev.webhookfilter.benchmarks;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole {@code doFilter} of a request whose header fails before the body is needed: malformed,
 * or correctly signed but stale. A body over the filter's drain limit (64 KiB) is never read, so
 * 1 MiB must cost what an empty body costs; a smaller one is read and discarded, so that the
 * connection can carry the sender's next request.
 */
@State(Scope.Thread)
public class EarlyRejectionBenchmark extends BenchmarkDefaults {

    /** Longest body the filter drains after an early rejection; its {@code DRAIN_LIMIT}. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    /** {@code malformed}: a v1 that is not base64; {@code stale}: signed two tolerances ago. */
    @Param({"malformed", "stale"})
    public String header;

    private WebhookSignatureFilter signatureFilter;
    private BenchRequest request;
    private BenchResponse response;
    private FilterHarness.Application application;

    @Setup
    public void setUp() throws ServletException, IOException {
        byte[] body = Inputs.body(bodyBytes);
        String value;
        if (header.equals("malformed")) {
            value = "t=" + Inputs.now() + ",v1=this-is-not-a-base64-signature";
        } else if (header.equals("stale")) {
            value = WebhookSigner.of(Inputs.SECRET).sign(body, Inputs.now() - 2 * Inputs.TOLERANCE.getSeconds());
        } else {
            throw new IllegalArgumentException("header must be malformed or stale, not " + header);
        }
        request = new BenchRequest(Scheme.defaultScheme().signatureHeader(), value, body);
        response = new BenchResponse();
        application = new FilterHarness.Application();
        signatureFilter = FilterHarness.signatureFilter();
        checkRejectedEarly();
    }

    /**
     * Fails the run unless the request is refused with 401, for the reason its header names, without reading a
     * large body; before and after.
     */
    @TearDown(Level.Trial)
    public void checkRejectedEarly() throws ServletException, IOException {
        int status = reject();
        Inputs.require(status == 401 && application.calls == 0, "the request was not rejected (status " + status + ")");
        Rejection expected = header.equals("malformed") ? Rejection.MALFORMED_HEADER : Rejection.STALE_TIMESTAMP;
        Object reason = request.getAttribute(WebhookSignatureFilter.REJECTION_ATTRIBUTE);
        Inputs.require(reason == expected, "the " + header + " header was refused as " + reason + ", not " + expected);
        Inputs.require(bodyBytes <= DRAIN_LIMIT || request.bytesRead() == 0,
                "a " + bodyBytes + "-byte body was read (" + request.bytesRead() + " bytes) after an early rejection");
    }

    @Benchmark
    public int reject() throws ServletException, IOException {
        request.reset();
        response.reset();
        signatureFilter.doFilter(request, response, application);
        return response.getStatus();
    }
}
