package dev.webhookfilter.it;

import dev.webhookfilter.it.DeployedApp.Exchange;
import java.util.ArrayList;
import java.util.List;

/** Where a fixture's access-log hook records finished requests; safe for the container's threads. */
public final class ExchangeLog {

    private final List<Exchange> exchanges = new ArrayList<>();

    /** Records one finished request. */
    public synchronized void record(String method, String uri, int status) {
        exchanges.add(new Exchange(method, uri, status));
    }

    /** What was recorded so far, in order. */
    public synchronized List<Exchange> snapshot() {
        return List.copyOf(exchanges);
    }
}
