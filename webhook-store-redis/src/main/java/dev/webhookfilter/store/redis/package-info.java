/**
 * A {@link dev.webhookfilter.WebhookStore} on Redis, Redis over TLS and Redis Cluster, through Lettuce:
 * put this module on the class path and set the filter's {@code store} to a {@code redis://},
 * {@code rediss://} or {@code redis-cluster://} URI; {@link dev.webhookfilter.store.redis.RedisStoreProvider}
 * opens it.
 */
package dev.webhookfilter.store.redis;
