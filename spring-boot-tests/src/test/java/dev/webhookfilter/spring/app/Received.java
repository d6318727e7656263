package dev.webhookfilter.spring.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** What reached the application: how many controller calls, and what the body-reading filter saw. */
public class Received {

    public final AtomicInteger controllerCalls = new AtomicInteger();
    public final AtomicReference<String> bodySeenByLaterFilter = new AtomicReference<>();
}
