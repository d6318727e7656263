package dev.webhookfilter.benchmarks;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole {@code doFilter} of a valid request, up to and including an application that reads
 * the body, against a pass-through filter on the same request, response and application. The
 * difference is what the filter adds: reading the body into its buffer, verifying, wrapping. Beside them,
 * the same filter in front of an application that takes the body with {@code readAllBytes()}.
 */
@State(Scope.Thread)
public class FilterBenchmark extends BenchmarkDefaults {

    private WebhookSignatureFilter signatureFilter;
    private Filter passThrough;
    private BenchRequest request;
    private BenchResponse response;
    private FilterHarness.Application application;
    private FilterHarness.Application readsAllBytes;

    @Setup
    public void setUp() throws ServletException, IOException {
        byte[] body = Inputs.body(bodyBytes);
        String header = WebhookSigner.of(Inputs.SECRET).sign(body, Inputs.now());
        request = new BenchRequest(Scheme.defaultScheme().signatureHeader(), header, body);
        response = new BenchResponse();
        application = new FilterHarness.Application();
        readsAllBytes = new FilterHarness.Application(true);
        signatureFilter = FilterHarness.signatureFilter();
        passThrough = FilterHarness.passThrough();
        checkRequestPasses();
    }

    /** Fails the run unless the request reaches each application with its whole body; before and after. */
    @TearDown(Level.Trial)
    public void checkRequestPasses() throws ServletException, IOException {
        for (FilterHarness.Application reader : List.of(application, readsAllBytes)) {
            int calls = reader.calls;
            int status = doFilter(signatureFilter, reader);
            Inputs.require(status == 200 && reader.calls == calls + 1 && reader.bytesSeen == bodyBytes,
                    "the signed request did not reach the application whole (status " + status + ")");
        }
    }

    @Benchmark
    public int signatureFilter() throws ServletException, IOException {
        return doFilter(signatureFilter, application);
    }

    /** The whole {@code doFilter} again, the application taking the body with {@code readAllBytes()}. */
    @Benchmark
    public int signatureFilterReadAllBytes() throws ServletException, IOException {
        return doFilter(signatureFilter, readsAllBytes);
    }

    @Benchmark
    public int passThrough() throws ServletException, IOException {
        return doFilter(passThrough, application);
    }

    private int doFilter(Filter filter, FilterChain chain) throws ServletException, IOException {
        request.reset();
        response.reset();
        filter.doFilter(request, response, chain);
        return response.getStatus();
    }
}
