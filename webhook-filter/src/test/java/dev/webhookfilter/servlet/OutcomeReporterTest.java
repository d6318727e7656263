package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import dev.webhookfilter.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OutcomeReporter with a hand-driven nanoTime: the time it reports and how often it warns. */
class OutcomeReporterTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Starts near Long.MAX_VALUE, so that comparisons that ignore nanoTime's wrap-around fail. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 10);
    @RegisterExtension
    final LogCapture logs = LogCapture.eachTest(WebhookSignatureFilter.class.getName());

    private static final class Throwing implements VerificationListener {
        private final RuntimeException failure;

        Throwing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void verified(String endpoint, String scheme, long nanos) {
            throw failure;
        }

        @Override
        public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
            throw failure;
        }
    }

    @Test
    void reportsEachOutcomeWithTheEndpointTheSchemeAndTheTimeSinceTheStart() {
        List<String> told = new ArrayList<>();
        OutcomeReporter reporter = new OutcomeReporter(List.of(new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                told.add("verified " + endpoint + " " + scheme + " " + nanos);
            }

            @Override
            public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
                told.add(reason + " " + endpoint + " " + scheme + " " + nanos);
            }

            @Override
            public void duplicate(String endpoint, String scheme, long nanos) {
                told.add("duplicate " + endpoint + " " + scheme + " " + nanos);
            }
        }), "orders", "stripe", now::get);
        long start = reporter.now();
        now.addAndGet(1234);
        reporter.verified(start);
        now.addAndGet(1000);
        reporter.rejected(Rejection.REPLAYED, start);
        now.addAndGet(1);
        reporter.duplicate(start);
        assertEquals(List.of("verified orders stripe 1234", "REPLAYED orders stripe 2234",
                "duplicate orders stripe 2235"), told);
    }

    @Test
    void warnsAtMostOnceAMinute() {
        OutcomeReporter reporter = new OutcomeReporter(List.of(new Throwing(new IllegalStateException())), "orders", "stripe",
                now::get);
        reporter.verified(now.get());
        reporter.rejected(Rejection.MISSING_HEADER, now.get());
        now.addAndGet(MINUTE - 1);
        reporter.verified(now.get());
        assertEquals(1, logs.messages(Level.WARNING).size());
        now.addAndGet(1);
        reporter.rejected(Rejection.MISSING_HEADER, now.get());
        reporter.verified(now.get());
        assertEquals(2, logs.messages(Level.WARNING).size());
        now.addAndGet(MINUTE);
        reporter.verified(now.get());
        assertEquals(List.of(
                "WebhookSignatureFilter 'orders': the VerificationListener " + Throwing.class.getName()
                        + " threw java.lang.IllegalStateException; the request went on as decided"
                        + " (further failures are logged at most once a minute)"),
                logs.messages(Level.WARNING).subList(2, 3));
    }

    @Test
    void aListenerThatThrowsAtTheStartNeitherStopsItNorKeepsTheOthersUntold() {
        List<String> told = new ArrayList<>();
        OutcomeReporter reporter = new OutcomeReporter(List.of(new VerificationListener() {
            @Override
            public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
                throw new IllegalStateException("not ready");
            }
        }, new VerificationListener() {
            @Override
            public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
                told.add(endpoint + " " + scheme + " " + reasons.size());
            }
        }), "orders", "stripe", now::get);
        reporter.started();
        assertEquals(List.of("orders stripe 16"), told);
        List<String> warnings = logs.messages(Level.WARNING);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith(" threw java.lang.IllegalStateException; the filter started all the same"
                + " (further failures are logged at most once a minute)"), warnings.get(0));
    }

    @Test
    void aVirtualMachineErrorIsNotSwallowed() {
        OutcomeReporter reporter = new OutcomeReporter(List.of(new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                throw new StackOverflowError();
            }

            @Override
            public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
                throw new OutOfMemoryError();
            }
        }), "orders", "stripe", now::get);
        assertThrows(StackOverflowError.class, () -> reporter.verified(now.get()));
        assertThrows(OutOfMemoryError.class, reporter::started);
    }

    @Test
    void anAssertionErrorIsIgnored() {
        OutcomeReporter reporter = new OutcomeReporter(List.of(new VerificationListener() {
            @Override
            public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
                throw new AssertionError("listener's own check");
            }
        }), "orders", "stripe", now::get);
        reporter.rejected(FilterRejection.BODY_TOO_LARGE, now.get());
        assertEquals(1, logs.messages(Level.WARNING).size());
    }

    @Test
    void noListenerNeedsNoClock() {
        AtomicLong reads = new AtomicLong();
        OutcomeReporter reporter = new OutcomeReporter(List.of(), "orders", "stripe", () -> reads.incrementAndGet());
        long atConstruction = reads.get();
        assertEquals(0, reporter.start());
        reporter.verified(0);
        reporter.rejected(Rejection.MISSING_HEADER, 0);
        reporter.duplicate(0);
        assertEquals(atConstruction, reads.get(), "the clock is read per request only for a listener");
        OutcomeReporter listened = new OutcomeReporter(List.of(new VerificationListener() { }), "orders", "stripe",
                () -> 42 + reads.incrementAndGet());
        assertEquals(42 + reads.get() + 1, listened.start());
    }
}
