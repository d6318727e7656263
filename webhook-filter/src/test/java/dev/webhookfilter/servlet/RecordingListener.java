package dev.webhookfilter.servlet;

import dev.webhookfilter.RejectionReason;
import dev.webhookfilter.VerificationListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Records each call as one line ({@code "verified webhooks wealthkernel-2022"},
 * {@code "rejected webhooks wealthkernel-2022 STALE_TIMESTAMP"}) and its nanos. Public with a no-arg
 * constructor so that the {@code listener} init-param can name it.
 */
public class RecordingListener implements VerificationListener {

    /** The last instance the {@code listener} init-param made (one test at a time uses it). */
    static volatile RecordingListener lastMade;

    final List<String> calls = new ArrayList<>();
    final List<Long> nanos = new ArrayList<>();
    /** The endpoints {@link #started} was told of, apart from {@link #calls}. */
    final List<String> starts = new ArrayList<>();

    public RecordingListener() {
        lastMade = this;
    }

    @Override
    public synchronized void started(String endpoint, String scheme, List<RejectionReason> reasons) {
        starts.add(endpoint);
    }

    @Override
    public synchronized void verified(String endpoint, String scheme, long nanos) {
        calls.add("verified " + endpoint + " " + scheme);
        this.nanos.add(nanos);
    }

    @Override
    public synchronized void rejected(String endpoint, String scheme, RejectionReason reason, long nanos) {
        calls.add("rejected " + endpoint + " " + scheme + " " + reason);
        this.nanos.add(nanos);
    }

    @Override
    public synchronized void duplicate(String endpoint, String scheme, long nanos) {
        calls.add("duplicate " + endpoint + " " + scheme);
        this.nanos.add(nanos);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized List<String> starts() {
        return List.copyOf(starts);
    }

    synchronized List<Long> nanos() {
        return List.copyOf(nanos);
    }

    /** Not a listener at all, for the init-param's type check. */
    public static class NotAListener {
    }

    /** A listener the filter cannot make: no no-arg constructor. */
    public static class NeedsAnArgument implements VerificationListener {
        public NeedsAnArgument(String unused) {
        }
    }

    /** A listener whose constructor fails. */
    public static class FailsToStart implements VerificationListener {
        public FailsToStart() {
            throw new IllegalStateException("cannot start");
        }
    }
}
