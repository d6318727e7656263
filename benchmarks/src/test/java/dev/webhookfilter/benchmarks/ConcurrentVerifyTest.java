package dev.webhookfilter.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The pooled Macs that the benchmarks show to be cheap must also be safe: threads sharing one
 * verifier, each with its own bodies, never see a wrong MAC. Two threads using one Mac at once
 * would corrupt each other's state and turn valid requests into mismatches.
 */
class ConcurrentVerifyTest {

    private static final int THREADS = 8;
    private static final int REQUESTS = 5_000;

    @Test
    void threadsSharingOneVerifierAllVerifyTheirOwnRequests() throws Exception {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(Inputs.SECRET).tolerance(Inputs.TOLERANCE).build();
        WebhookSigner signer = WebhookSigner.of(Inputs.SECRET);
        long t = Inputs.now();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> verified = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                byte[] body = Inputs.body(100 + thread);   // a different body, so a different MAC, per thread
                byte[] tampered = body.clone();
                tampered[0] ^= 1;
                String header = signer.sign(body, t);
                verified.add(pool.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < REQUESTS; i++) {
                        count += verifier.verify(header, body).isVerified() ? 1 : 0;
                        count += verifier.verify(header, tampered).isVerified() ? 1 : 0;   // never
                    }
                    return count;
                }));
            }
            for (Future<Integer> count : verified) {
                assertEquals(REQUESTS, count.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
