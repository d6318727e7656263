package dev.webhookfilter.servlet;

import org.junit.jupiter.api.Test;

/**
 * The outage scenarios every shared store's tests run ({@link StoreOutage}), in any order: a store's test class
 * starts its server and {@link #outage} before each, stops them after, and says how its refusal at start-up reads.
 */
public abstract class StoreOutageContract {

    /** The two instances, made by the store's test before each scenario. */
    protected StoreOutage outage;

    /** What the refusal to start says when the store cannot be reached. */
    protected abstract String unreachableSays();

    /** The password in the store's URL, which no refusal may quote. */
    protected abstract String password();

    @Test
    void killedUnderTraffic_answers503_thenRecoversWhenRestarted() throws Exception {
        outage.killedUnderTraffic_thenRestarted();
    }

    @Test
    void killedWhileIdle_answers503_thenRecoversWhenRestarted() throws Exception {
        outage.killedWhileIdle_thenRestarted();
    }

    @Test
    void frozenPastTheTimeoutUnderTraffic_answers503InTime_thenRecoversWhenThawed() throws Exception {
        outage.frozenUnderTraffic_thenThawed();
    }

    @Test
    void slowForMoments_everyRequestIsAnsweredInTime_andRunsOnce() throws Exception {
        outage.slowForMoments();
    }

    @Test
    void markDoneFailsDuringTheOutage_theRetryGets503_thenRunsOnceTheLeaseLapses() throws Exception {
        outage.markDoneFailsDuringTheOutage();
    }

    @Test
    void unreachableAtStartUp_theInstanceDoesNotStart() throws Exception {
        outage.unreachableAtStartUp(unreachableSays(), password());
    }
}
