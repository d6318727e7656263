package dev.webhookfilter.benchmarks;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The servlet-free core: {@link WebhookVerifier#verify} of a valid header over a body already in
 * memory, as a JAX-RS, Spring or Netty user would call it.
 */
@State(Scope.Benchmark)
public class CoreBenchmark extends BenchmarkDefaults {

    private byte[] body;
    private WebhookVerifier oneSecret;
    private String oneSecretHeader;
    private HeaderCheck oneSecretChecked;
    private WebhookVerifier twoSecrets;
    private String twoSecretsHeader;

    @Setup
    public void setUp() {
        body = Inputs.body(bodyBytes);
        long t = Inputs.now();

        oneSecret = WebhookVerifier.builder().secret(Inputs.SECRET).tolerance(Inputs.TOLERANCE).build();
        oneSecretHeader = WebhookSigner.of(Inputs.SECRET).sign(body, t);
        oneSecretChecked = oneSecret.checkHeader(oneSecretHeader);

        // Mid-rotation, worst case for a valid request: the match is the second secret against the
        // second v1, so both secrets are MACed and all four pairs compared.
        twoSecrets = WebhookVerifier.builder()
                .secret(Inputs.NEXT_SECRET).secret(Inputs.SECRET).tolerance(Inputs.TOLERANCE).build();
        twoSecretsHeader = WebhookSigner.of(Inputs.RETIRED_SECRET, Inputs.SECRET).sign(body, t);

        checkInputs();
    }

    /** Fails the run rather than let it measure rejections; runs before the first iteration and after the last. */
    @TearDown(Level.Trial)
    public void checkInputs() {
        Inputs.require(oneSecret().isVerified(), "one secret: " + oneSecret());
        Inputs.require(checkBodyOnly().isVerified(), "the body check alone: " + checkBodyOnly());
        Verification two = twoSecretsTwoV1();
        Inputs.require(two.isVerified() && two.secretIndex() == 1, "two secrets: " + two);
    }

    @Benchmark
    public Verification oneSecret() {
        return oneSecret.verify(oneSecretHeader, body);
    }

    @Benchmark
    public Verification twoSecretsTwoV1() {
        return twoSecrets.verify(twoSecretsHeader, body);
    }

    /** The part of {@link #oneSecret} that needs no body: parse the header, check {@code t} against the clock. */
    @Benchmark
    public HeaderCheck checkHeaderOnly() {
        return oneSecret.checkHeader(oneSecretHeader);
    }

    /** The rest: the pooled HMAC of {@code body || t} and the constant-time compare. */
    @Benchmark
    public Verification checkBodyOnly() {
        return oneSecret.checkBody(oneSecretChecked, body, 0, body.length);
    }
}
