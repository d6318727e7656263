package dev.webhookfilter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor: the one HMAC-SHA256 that verifying a body cannot avoid, on an instance initialised
 * beforehand, over the same bytes. Every other figure is read as a ratio to this one.
 */
@State(Scope.Thread)
public class FloorBenchmark extends BenchmarkDefaults {

    private byte[] body;
    private Mac mac;

    @Setup
    public void setUp() throws GeneralSecurityException {
        body = Inputs.body(bodyBytes);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Inputs.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    @Benchmark
    public byte[] hmac() {
        return mac.doFinal(body);
    }
}
