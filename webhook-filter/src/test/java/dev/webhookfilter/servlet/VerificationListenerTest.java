package dev.webhookfilter.servlet;

import static dev.webhookfilter.Vectors.EMPTY_A;
import static dev.webhookfilter.Vectors.SECRET_A;
import static dev.webhookfilter.Vectors.SIMPLE_A;
import static dev.webhookfilter.Vectors.SIMPLE_B;
import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.Vectors.T;
import static dev.webhookfilter.Vectors.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.webhookfilter.InMemoryReplayGuard;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.ReplayGuard;
import dev.webhookfilter.VerificationListener;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilterTest.Exchange;
import dev.webhookfilter.testing.LogCapture;
import dev.webhookfilter.testing.servlet.BodyInput;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The filter tells its VerificationListeners exactly one outcome per request it decides. */
class VerificationListenerTest {

    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    /** Written out, not read from the code: the name is part of the metrics' contract. */
    private static final String SCHEME = "wealthkernel-2022";

    private static WebhookVerifier.Builder verifier() {
        return WebhookVerifier.builder().secret(SECRET_A).clock(AT_T);
    }

    private static FilterConfig config(String name, Map<String, String> params) {
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn(name);
        when(config.getInitParameterNames()).thenAnswer(i -> Collections.enumeration(params.keySet()));
        when(config.getInitParameter(anyString())).thenAnswer(i -> params.get(i.<String>getArgument(0)));
        return config;
    }

    /** A built filter with {@code listener}, initialised under the name {@code orders}. */
    private static WebhookSignatureFilter filter(WebhookVerifier verifier, VerificationListener listener)
            throws ServletException {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier).maxBodyBytes(64)
                .listener(listener).build();
        filter.init(config("orders", Map.of()));
        return filter;
    }

    /** {@return a replay guard that never decides: every record answers {@code UNAVAILABLE}} */
    static ReplayGuard unavailable() {
        return new ReplayGuard() {
            @Override
            public Decision record(byte[] signature, long expiresAt) {
                return Decision.UNAVAILABLE;
            }

            @Override
            public void forget(byte[] signature) {
            }
        };
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of(Rejection.MISSING_HEADER, List.of(), SIMPLE_BODY, (long) SIMPLE_BODY.length),
                Arguments.of(Rejection.MALFORMED_HEADER, List.of("t=1700000000"), SIMPLE_BODY, (long) SIMPLE_BODY.length),
                Arguments.of(Rejection.MALFORMED_HEADER, List.of(header(SIMPLE_A), header(SIMPLE_A)), SIMPLE_BODY,
                        (long) SIMPLE_BODY.length),
                Arguments.of(Rejection.STALE_TIMESTAMP, List.of("t=1600000000,v1=" + SIMPLE_A), SIMPLE_BODY,
                        (long) SIMPLE_BODY.length),
                Arguments.of(Rejection.FUTURE_TIMESTAMP, List.of("t=1800000000,v1=" + SIMPLE_A), SIMPLE_BODY,
                        (long) SIMPLE_BODY.length),
                Arguments.of(Rejection.NO_MATCHING_SIGNATURE, List.of(header(SIMPLE_B)), SIMPLE_BODY,
                        (long) SIMPLE_BODY.length),
                Arguments.of(FilterRejection.BODY_TOO_LARGE, List.of(header(SIMPLE_A)), new byte[65], 65L),
                Arguments.of(FilterRejection.BODY_TOO_LARGE, List.of(header(SIMPLE_A)), new byte[65], -1L),
                Arguments.of(FilterRejection.BODY_INCOMPLETE, List.of(header(SIMPLE_A)), SIMPLE_BODY, 20L));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rejections")
    void eachRejectionIsReportedOnceWithItsReason(RejectionReason reason, List<String> signatures, byte[] body,
                                                   long contentLength) throws Exception {
        RecordingListener listener = new RecordingListener();
        Exchange exchange = new Exchange(signatures, body, contentLength).run(filter(verifier().build(), listener));
        exchange.assertRejected(reason.status(), reason);
        assertEquals(List.of("rejected orders " + SCHEME + " " + reason), listener.calls());
    }

    /** Only the container's {@code init} tells a filter its name; one used without it reports "" and never starts. */
    @Test
    void aBuiltFilterUsedWithoutInit_reportsTheEmptyEndpoint() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .listener(listener).build();
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        assertEquals(List.of("verified  " + SCHEME), listener.calls());
        assertEquals(List.of(), listener.starts());

        filter.init(config("orders", Map.of()));
        assertEquals(List.of("orders"), listener.starts());
    }

    @Test
    void aRefusedQueryStringIsReported() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .rejectQueryStrings().listener(listener).build();
        filter.init(config("orders", Map.of()));
        Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
        when(exchange.request.getQueryString()).thenReturn("amount=999999");
        exchange.run(filter).assertRejected(400, FilterRejection.QUERY_STRING);
        assertEquals(List.of("rejected orders " + SCHEME + " QUERY_STRING"), listener.calls());
    }

    @Test
    void aFullBufferBudgetIsReportedAsBusy() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .maxBodyBytes(100).maxBufferedBytes(100).listener(listener).build();
        filter.init(config("orders", Map.of()));
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY)
                .runWhileHeld(filter, new Exchange(List.of(header(SIMPLE_A)), new byte[100], 100))
                .assertRejected(503, FilterRejection.BUSY);
        assertEquals(List.of("verified orders " + SCHEME, "rejected orders " + SCHEME + " BUSY"), listener.calls());
    }

    @Test
    void aReplayIsReportedAsReplayed() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = filter(verifier().replayGuard(new InMemoryReplayGuard(10, AT_T)).build(), listener);
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter).assertRejected(401, Rejection.REPLAYED);
        assertEquals(List.of("verified orders " + SCHEME, "rejected orders " + SCHEME + " REPLAYED"), listener.calls());
    }

    /** With de-duplication, a delivery of an id processed before is neither verified nor rejected: a duplicate. */
    @Test
    void aDuplicateIsReportedAsADuplicate() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .deduplicate("Webhook-Id").listener(listener).build();
        filter.init(config("orders", Map.of()));
        for (int i = 0; i < 2; i++) {
            Exchange delivery = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
            when(delivery.request.getHeaders("Webhook-Id")).thenAnswer(call -> Collections.enumeration(List.of("msg_1")));
            when(delivery.response.getStatus()).thenReturn(200);
            delivery.run(filter);
        }
        assertEquals(List.of("verified orders " + SCHEME, "duplicate orders " + SCHEME), listener.calls());
    }

    @Test
    void anUnavailableReplayCheckIsReported() throws Exception {
        RecordingListener listener = new RecordingListener();
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter(verifier().replayGuard(unavailable()).build(), listener))
                .assertRejected(503, Rejection.REPLAY_CHECK_UNAVAILABLE);
        assertEquals(List.of("rejected orders " + SCHEME + " REPLAY_CHECK_UNAVAILABLE"), listener.calls());
    }

    @Test
    void aVerifiedRequestIsReportedBeforeTheApplicationRuns() throws Exception {
        RecordingListener listener = new RecordingListener();
        Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
        List<List<String>> seenByTheApplication = new ArrayList<>();
        doAnswer(i -> seenByTheApplication.add(listener.calls())).when(exchange.chain).doFilter(any(), any());
        exchange.run(filter(verifier().build(), listener));
        assertEquals(List.of(List.of("verified orders " + SCHEME)), seenByTheApplication);
        assertEquals(List.of("verified orders " + SCHEME), listener.calls());
    }

    @Test
    void nanosIsTheTimeSpentInTheFilterAtMost() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = filter(verifier().build(), listener);
        long before = System.nanoTime();
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter);
        long elapsed = System.nanoTime() - before;
        assertEquals(2, listener.nanos().size());
        for (long nanos : listener.nanos()) {
            assertTrue(nanos >= 0 && nanos <= elapsed, nanos + " outside [0, " + elapsed + "]");
        }
    }

    @Test
    void theApplicationsTimeIsNotCounted() throws Exception {
        RecordingListener listener = new RecordingListener();
        Exchange exchange = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
        AtomicLong applicationStarted = new AtomicLong();
        doAnswer(i -> {
            applicationStarted.set(System.nanoTime());
            return null;
        }).when(exchange.chain).doFilter(any(), any());
        long before = System.nanoTime();
        exchange.run(filter(verifier().build(), listener));
        assertTrue(listener.nanos().get(0) <= applicationStarted.get() - before);
    }

    @Test
    void aForwardOfAVerifiedRequestIsNotReportedAgain() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = filter(verifier().build(), listener);
        Exchange first = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        Exchange forward = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY);
        forward.attributes.putAll(first.attributes);
        when(forward.request.getDispatcherType()).thenReturn(DispatcherType.FORWARD);
        forward.run(filter);
        verify(forward.chain).doFilter(forward.request, forward.response);
        assertEquals(List.of("verified orders " + SCHEME), listener.calls(), "the first dispatch alone");
    }

    @Test
    void everyListenerIsToldInOrder() throws Exception {
        List<String> order = new ArrayList<>();
        VerificationListener first = new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                order.add("first");
            }
        };
        VerificationListener second = new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                order.add("second");
            }
        };
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .listener(first).listener(second).build();
        filter.init(config("orders", Map.of()));
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        assertEquals(List.of("first", "second"), order);
    }

    /** A listener that notes what it is told; two on one list are equal, as two Micrometer listeners on one registry. */
    private record Noting(List<String> told) implements VerificationListener {
        @Override
        public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
            told.add("started");
        }

        @Override
        public void verified(String endpoint, String scheme, long nanos) {
            told.add("verified");
        }
    }

    /**
     * A listener given twice (a starter's Micrometer listener bean that a customizer adds again), or an equal one
     * (another Micrometer listener on the same registry), is told once per request: it would count each request twice.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"the same instance", "an equal one"})
    void aListenerGivenTwiceIsToldOnce(String again) throws Exception {
        List<String> told = new ArrayList<>();
        Noting listener = new Noting(told);
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                .listener(listener).listener(again.equals("an equal one") ? new Noting(told) : listener).build();
        filter.init(config("orders", Map.of()));
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        assertEquals(List.of("started", "verified"), told);
    }

    @Test
    void initTellsEachListenerTheEndpointStartsWithEveryReasonItMayGive() throws Exception {
        List<String> started = new ArrayList<>();
        VerificationListener listener = new VerificationListener() {
            @Override
            public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
                started.add(endpoint + " " + scheme + " " + reasons);
            }
        };
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build()).listener(listener).build();
        filter.init(config("orders", Map.of()));
        assertEquals(List.of("orders " + SCHEME + " [MISSING_HEADER, MALFORMED_HEADER, STALE_TIMESTAMP, FUTURE_TIMESTAMP,"
                + " NO_MATCHING_SIGNATURE, REPLAYED, REPLAY_CHECK_UNAVAILABLE, BODY_TOO_LARGE, BODY_INCOMPLETE,"
                + " TOO_MANY_PARAMETERS, QUERY_STRING, BUSY, METHOD_NOT_ALLOWED, MISSING_ID, IN_PROGRESS, STORE_UNAVAILABLE]"), started);
    }

    /**
     * An application's attribute listener that throws as the filter marks the request (Jetty passes its exception on,
     * and the container answers 500): the filter had decided, so the request is counted all the same.
     */
    @Test
    void aDecisionIsReportedThoughAnAttributeListenerThrowsAsTheRequestIsMarked() throws Exception {
        RecordingListener listener = new RecordingListener();
        WebhookSignatureFilter filter = filter(verifier().build(), listener);
        for (Exchange exchange : List.of(Exchange.signed(header(SIMPLE_A), SIMPLE_BODY),
                new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length))) {
            doThrow(new IllegalStateException("an attribute listener failed")).when(exchange.request)
                    .setAttribute(anyString(), any());
            assertThrows(IllegalStateException.class, () -> exchange.run(filter));
            verify(exchange.chain, never()).doFilter(any(), any());
        }
        assertEquals(List.of("verified orders " + SCHEME, "rejected orders " + SCHEME + " MISSING_HEADER"),
                listener.calls());
    }

    @Test
    void aFilterWithoutListenerStillDecides() throws Exception {
        WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build()).build();
        filter.init(config("orders", Map.of()));
        Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
        new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter).assertRejected(401, Rejection.MISSING_HEADER);
    }

    @Test
    void theBuilderRefusesANullListener() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> WebhookSignatureFilter.builder().listener(null));
        assertEquals("listener", e.getMessage());
    }

    @Nested
    class AThrowingListener {

        private final List<String> told = new ArrayList<>();
        private final VerificationListener throwing = new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                throw new IllegalStateException("metrics bug, secret " + SECRET_A);
            }

            @Override
            public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
                throw new NoClassDefFoundError("io/micrometer/core/instrument/Counter");
            }
        };
        private final VerificationListener recording = new VerificationListener() {
            @Override
            public void verified(String endpoint, String scheme, long nanos) {
                told.add("verified");
            }

            @Override
            public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
                told.add("rejected " + reason);
            }
        };

        @Test
        void neitherFailsTheRequestNorSilencesTheOthers() throws Exception {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().verifier(verifier().build())
                    .listener(throwing).listener(recording).build();
            filter.init(config("orders", Map.of()));
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName())) {
                Exchange verified = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
                verify(verified.chain).doFilter(any(), any());
                new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter)
                        .assertRejected(401, Rejection.MISSING_HEADER);
                assertEquals(List.of("verified", "rejected MISSING_HEADER"), told);
                List<String> warnings = logs.messages(Level.WARNING);
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).startsWith("WebhookSignatureFilter 'orders': the VerificationListener "),
                        warnings.get(0));
                assertTrue(warnings.get(0).contains("threw java.lang.IllegalStateException"), warnings.get(0));
                assertTrue(!logs.render().contains(SECRET_A), "the exception's message is not logged");
            }
        }

        /**
         * Java checks exceptions only at compile time: a listener written in Kotlin, or with Lombok's
         * {@code @SneakyThrows}, throws an {@code IOException} from a method that declares none.
         */
        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
            throw (T) failure;
        }

        static Stream<Throwable> beyondRuntimeExceptions() {
            return Stream.of(new java.io.IOException("metrics backend down"),
                    new java.util.ServiceConfigurationError("no registry"), new java.io.IOError(null));
        }

        @ParameterizedTest
        @MethodSource("beyondRuntimeExceptions")
        void anyThrowableButAVirtualMachineErrorIsIgnored(Throwable failure) throws Exception {
            VerificationListener throwsIt = new VerificationListener() {
                @Override
                public void started(String endpoint, String scheme, List<RejectionReason> reasons) {
                    AThrowingListener.<RuntimeException>sneakyThrow(failure);
                }

                @Override
                public void verified(String endpoint, String scheme, long nanos) {
                    AThrowingListener.<RuntimeException>sneakyThrow(failure);
                }

                @Override
                public void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
                    AThrowingListener.<RuntimeException>sneakyThrow(failure);
                }
            };
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder()
                    .verifier(verifier().replayGuard(new InMemoryReplayGuard(10, AT_T)).build())
                    .listener(throwsIt).listener(recording).build();
            try (LogCapture logs = LogCapture.of(WebhookSignatureFilter.class.getName())) {
                filter.init(config("orders", Map.of()));
                Exchange verified = Exchange.signed(header(SIMPLE_A), SIMPLE_BODY).run(filter);
                verify(verified.chain).doFilter(any(), any());
                new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter)
                        .assertRejected(401, Rejection.MISSING_HEADER);
                assertEquals(List.of("verified", "rejected MISSING_HEADER"), told);
                assertEquals(1, logs.messages(Level.WARNING).size(), logs.messages(Level.WARNING).toString());
            }
        }
    }

    @Nested
    class InitParam {

        @Test
        void namesAClassTheFilterMakesAtInit() throws Exception {
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            filter.init(config("payments", Map.of("secrets", SECRET_A, "listener", RecordingListener.class.getName())));
            RecordingListener listener = RecordingListener.lastMade;
            new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter);
            assertEquals(List.of("rejected payments " + SCHEME + " MISSING_HEADER"), listener.calls());
        }

        @Test
        void looksTheClassUpInTheContextClassLoaderOfInit() {
            // In a container that is the web application's loader; one that cannot see the class says so.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(new ClassLoader(ClassLoader.getPlatformClassLoader()) { });
            try {
                ServletException e = assertThrows(ServletException.class, () -> new WebhookSignatureFilter().init(
                        config("payments", Map.of("secrets", SECRET_A, "listener", RecordingListener.class.getName()))));
                assertTrue(e.getMessage().contains("listener: class " + RecordingListener.class.getName() + " not found"),
                        e.getMessage());
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Test
        void withoutAContextClassLoaderUsesTheFiltersOwn() throws Exception {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(null);
            try {
                new WebhookSignatureFilter().init(
                        config("payments", Map.of("secrets", SECRET_A, "listener", RecordingListener.class.getName())));
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        @Test
        void isOptional() throws Exception {
            WebhookSignatureFilter filter = new WebhookSignatureFilter();
            filter.init(config("payments", Map.of("secrets", SECRET_A)));
            new Exchange(List.of(), SIMPLE_BODY, SIMPLE_BODY.length).run(filter).assertRejected(401, Rejection.MISSING_HEADER);
        }

        private String initFailure(String listener) {
            Map<String, String> params = new TreeMap<>(Map.of("listener", listener, "toleranceSeconds", "0"));
            ServletException e = assertThrows(ServletException.class,
                    () -> new WebhookSignatureFilter().init(config("payments", params)));
            assertTrue(e.getMessage().startsWith("WebhookSignatureFilter 'payments' is misconfigured and will not start:\n"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("\nsecrets: required"), "reported with the other problems: " + e.getMessage());
            assertTrue(e.getMessage().contains("\ntoleranceSeconds: out of range"), e.getMessage());
            assertTrue(e.getMessage().endsWith("; give the name of a class that implements"
                    + " dev.webhookfilter.VerificationListener and has a public no-arg constructor, or remove it"),
                    e.getMessage());
            return e.getMessage();
        }

        @Test
        void aMissingClassStopsTheStart() {
            String message = initFailure(" com.example.NoSuchListener ");
            assertTrue(message.contains("\nlistener: class com.example.NoSuchListener not found;"), message);
        }

        /**
         * A value that is not a class name as Java's conventions write one (lower-case packages, then a class that
         * begins upper-case) may be a secret given under the wrong param-name: a base64 one, a {@code whsec_} one
         * (a valid Java identifier), a JWT-like one with dots.
         */
        @ParameterizedTest
        @ValueSource(strings = {"whsec_FAKEnotAClassName0001", "FAKE+c2VjcmV0/dmFsdWU=", "FAKEeyJhbGci.eyJzdWIi.c2lnbmF0",
                "fake.secret.value", "com.example.FAKE/secret"})
        void aMissingClassWhoseNameMayBeASecret_isNotQuoted(String listener) {
            String message = initFailure(listener);
            assertFalse(message.contains(listener), message);
            assertFalse(message.contains("FAKE") || message.contains("fake"), message);
            assertTrue(message.contains("\nlistener: the class named (not shown: it is not written as a class name is,"
                    + " and may be a secret given in the wrong place) not found;"), message);
        }

        @Test
        void aClassThatIsNoListenerStopsTheStart() {
            String message = initFailure(RecordingListener.NotAListener.class.getName());
            assertTrue(message.contains("\nlistener: " + RecordingListener.NotAListener.class.getName()
                    + " does not implement dev.webhookfilter.VerificationListener;"), message);
        }

        @Test
        void aListenerWithoutANoArgConstructorStopsTheStart() {
            String message = initFailure(RecordingListener.NeedsAnArgument.class.getName());
            assertTrue(message.contains("\nlistener: could not create a " + RecordingListener.NeedsAnArgument.class.getName()
                    + " (NoSuchMethodException);"), message);
        }

        @Test
        void aListenerWhoseConstructorFailsStopsTheStart() {
            String message = initFailure(RecordingListener.FailsToStart.class.getName());
            assertTrue(message.contains("(InvocationTargetException);"), message);
        }

        @Test
        void aListenerProblemAloneIsReportedAlone() {
            ServletException e = assertThrows(ServletException.class, () -> new WebhookSignatureFilter().init(
                    config("payments", Map.of("secrets", SECRET_A, "listener", "com.example.NoSuchListener"))));
            assertEquals("WebhookSignatureFilter 'payments' is misconfigured and will not start:\n"
                    + "listener: class com.example.NoSuchListener not found; give the name of a class that implements"
                    + " dev.webhookfilter.VerificationListener and has a public no-arg constructor, or remove it",
                    e.getMessage());
        }

        @Test
        void aBuiltFilterTakesNoListenerInitParam() {
            WebhookSignatureFilter filter = WebhookSignatureFilter.builder().secrets(SECRET_A).build();
            ServletException e = assertThrows(ServletException.class, () -> filter.init(
                    config("payments", Map.of("listener", RecordingListener.class.getName()))));
            assertTrue(e.getMessage().contains("configure it there, not with init-params"), e.getMessage());
        }
    }

    @Test
    void theEmptyBodyVectorVerifiesToo() throws Exception {
        RecordingListener listener = new RecordingListener();
        Exchange exchange = new Exchange(List.of(header(EMPTY_A)), new byte[0], 0);
        exchange.body = new BodyInput(new byte[0]);
        exchange.run(filter(verifier().build(), listener));
        assertEquals(List.of("verified orders " + SCHEME), listener.calls());
    }
}
