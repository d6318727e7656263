package dev.webhookfilter;

import java.time.Duration;

/**
 * Opens a {@link WebhookStore} from the {@code store} init-param's URI; found with
 * {@link java.util.ServiceLoader}, so a store module on the class path is all a user adds.
 * A provider file {@code META-INF/services/dev.webhookfilter.WebhookStoreProvider} names each one.
 */
public interface WebhookStoreProvider {

    /**
     * Whether this provider opens {@code uri} (for example {@code redis://}, {@code jdbc:postgresql:}).
     *
     * @param uri the {@code store} init-param's value, stripped
     * @return true if {@link #open} takes it
     */
    boolean supports(String uri);

    /**
     * Opens the store and checks that it answers.
     *
     * @param uri a URI that {@link #supports} took; it may carry credentials, so a provider never
     *        repeats it in a message or log line past its scheme, host and port
     * @param timeout the most any one call to the store may take
     * @param keyPrefix prepended to every key or row, so that several applications can share a store
     * @return the store, ready
     * @throws IllegalArgumentException if the URI is malformed (saying how, without credentials)
     * @throws IllegalStateException if the store cannot be reached or prepared (the application must not start)
     */
    WebhookStore open(String uri, Duration timeout, String keyPrefix);
}
