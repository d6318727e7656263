package dev.webhookfilter.benchmarks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Verification;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark's set-up and one operation, so that {@code mvn verify} catches a benchmark
 * that would measure a failing verification. It measures nothing and asserts no time.
 */
class BenchmarkInputsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1024, 65536, 1048576})
    void coreVerifiesWithOneAndWithTwoSecrets(int size) {
        CoreBenchmark benchmark = new CoreBenchmark();
        benchmark.bodyBytes = size;
        benchmark.setUp();
        assertTrue(benchmark.oneSecret().isVerified());
        assertTrue(benchmark.checkHeaderOnly().timestamp() > 0);
        assertTrue(benchmark.checkBodyOnly().isVerified());
        Verification two = benchmark.twoSecretsTwoV1();
        assertTrue(two.isVerified());
        assertEquals(1, two.secretIndex(), "the worst case matches on the second secret");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1024, 65536, 1048576})
    void filterPassesTheSignedRequestAndPassThroughToo(int size) throws Exception {
        FilterBenchmark benchmark = new FilterBenchmark();
        benchmark.bodyBytes = size;
        benchmark.setUp();
        assertEquals(200, benchmark.signatureFilter());
        assertEquals(200, benchmark.signatureFilterReadAllBytes());
        assertEquals(200, benchmark.passThrough());
    }

    @ParameterizedTest
    @ValueSource(strings = {"malformed", "stale"})
    void earlyRejectionAnswers401WithoutReadingALargeBody(String header) throws Exception {
        for (int size : RatioTable.SIZES) {
            EarlyRejectionBenchmark benchmark = new EarlyRejectionBenchmark();
            benchmark.bodyBytes = size;
            benchmark.header = header;
            benchmark.setUp(); // asserts that a body over the drain limit is not read
            assertEquals(401, benchmark.reject());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1024, 65536, 1048576})
    void everyPeerAcceptsItsOwnInput(int size) throws Exception {
        PeerBenchmark benchmark = new PeerBenchmark();
        benchmark.bodyBytes = size;
        benchmark.setUp();
        assertTrue(benchmark.stripe());
        assertDoesNotThrow(benchmark::svix);
        assertDoesNotThrow(benchmark::standardWebhooks);
        assertTrue(benchmark.handWritten());
    }

    /** Set-up checks that each scheme verifies and that its floor's MAC is the one its signer sent. */
    @ParameterizedTest
    @ValueSource(strings = {"wealthkernel-2022", "wealthkernel", "standard-webhooks", "svix", "stripe", "github",
            "slack", "shopify", "paddle"})
    void everySchemeVerifiesAndItsFloorIsTheSignedMessage(String scheme) throws Exception {
        for (int size : RatioTable.SIZES) {
            SchemeBenchmark benchmark = new SchemeBenchmark();
            benchmark.bodyBytes = size;
            benchmark.scheme = scheme;
            benchmark.setUp();
            assertTrue(benchmark.verify().isVerified());
            assertTrue(benchmark.checkHeader().isAccepted(), scheme + "'s headers alone");
            assertEquals(32, benchmark.floor().length);
            assertEquals(200, benchmark.doFilter(), scheme + " through the filter");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1048576})
    void floorIsOneHmacSha256(int size) throws Exception {
        FloorBenchmark benchmark = new FloorBenchmark();
        benchmark.bodyBytes = size;
        benchmark.setUp();
        assertEquals(32, benchmark.hmac().length);
    }

    /** The floor is HMAC-SHA256 of the body under the secret's bytes, by an independent tool. */
    @Test
    void floorOfTheEmptyBodyIsOpensslsHmac() throws Exception {
        FloorBenchmark benchmark = new FloorBenchmark();
        benchmark.bodyBytes = 0;
        benchmark.setUp();
        // printf '' | openssl dgst -sha256 -hmac 'whsec_benchmark_secret_0123456789' -hex
        assertEquals("4ff9a731f74c4876c5ef228ac9a68369deedd5541674da57244a32cf460f8f82",
                HexFormat.of().formatHex(benchmark.hmac()));
    }
}
