package dev.webhookfilter.benchmarks;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole {@code doFilter} of a valid request, up to and including an application that reads
 * the body, against a pass-through filter on the same request, response and application. The
 * difference is what the filter adds: reading the body into its buffer, verifying, wrapping.
 */
@State(Scope.Thread)
public class FilterBenchmark extends BenchmarkDefaults {

    private WebhookSignatureFilter signatureFilter;
    private Filter passThrough;
    private BenchRequest request;
    private BenchResponse response;
    private FilterHarness.Application application;

    @Setup
    public void setUp() throws ServletException, IOException {
        byte[] body = Inputs.body(bodyBytes);
        String header = WebhookSigner.of(Inputs.SECRET).sign(body, Inputs.now());
        request = new BenchRequest(WebhookVerifier.DEFAULT_HEADER_NAME, header, body);
        response = new BenchResponse();
        application = new FilterHarness.Application();
        signatureFilter = FilterHarness.signatureFilter();
        passThrough = FilterHarness.passThrough();
        checkRequestPasses();
    }

    /** Fails the run unless the request reaches the application with its whole body; before and after. */
    @TearDown(Level.Trial)
    public void checkRequestPasses() throws ServletException, IOException {
        int calls = application.calls;
        int status = signatureFilter();
        Inputs.require(status == 200 && application.calls == calls + 1 && application.bytesSeen == bodyBytes,
                "the signed request did not reach the application whole (status " + status + ")");
    }

    @Benchmark
    public int signatureFilter() throws ServletException, IOException {
        request.reset();
        response.reset();
        signatureFilter.doFilter(request, response, application);
        return response.getStatus();
    }

    @Benchmark
    public int passThrough() throws ServletException, IOException {
        request.reset();
        response.reset();
        passThrough.doFilter(request, response, application);
        return response.getStatus();
    }
}
