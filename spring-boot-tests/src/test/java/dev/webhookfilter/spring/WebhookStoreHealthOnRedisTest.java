package dev.webhookfilter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.Vectors;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.spring.app.WebhookTestApplication;
import dev.webhookfilter.testing.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The README's configuration against a real Redis: an endpoint whose {@code store} is
 * {@code redis://:<password>@127.0.0.1:<port>}, a {@code redis-server} with {@code requirepass} that the test-fixtures'
 * {@link RedisServer} starts on loopback (without it the test is skipped, or fails under
 * {@code WEBHOOK_FILTER_REQUIRE_SERVERS=1}). Its indicator, {@code webhookStores/endpoint-orders}, is read from
 * Actuator's health endpoint over loopback, on Tomcat: it follows the store the endpoint's filter opened, through the
 * server's crash and its return on the same port, without the application being restarted. Its replay records are
 * kept there: a verified webhook sent again is refused. The store runs on the Lettuce and Netty that this module's
 * Boot BOM manages, as in a Boot application that adds {@code webhook-store-redis}.
 */
class WebhookStoreHealthOnRedisTest {

    private static final String USER = "operator";
    private static final String PASSWORD = "operator-password";
    private static final String REDIS_PASSWORD = "Redis-Password-7";
    /**
     * The store's timeout. It bounds open's first connection and HELLO too, in a JVM where Lettuce and Netty are not
     * loaded yet: 200 ms failed the start twice on Boot 3.5 with 2 cores under other builds (load 5 to 7). A check of
     * a killed server fails at once (the store refuses commands while disconnected), so the test still takes seconds.
     */
    private static final String STORE_TIMEOUT = "2s";
    private static final String INDICATOR = "/actuator/health/webhookStores/endpoint-orders";
    /** The reason the README gives for DOWN: the store did not answer, or a record or a claim would fail. */
    private static final String DOWN_DETAILS = "\"details\":{\"reason\":\"the store's health check failed: it did not"
            + " answer, or found that requests would fail or go wrong now\"}";

    @TempDir
    Path dir;

    @Test
    void anEndpointsRedisStore_keepsReplayRecords_isUpWhileRedisAnswers_downWithoutItsUriOnceKilled_andUpAgain()
            throws Exception {
        try (RedisServer redis = RedisServer.start(dir, "--requirepass", REDIS_PASSWORD);
                ConfigurableApplicationContext application = start("redis://:" + REDIS_PASSWORD + "@" + redis.hostPort())) {
            Loopback http = new Loopback(Integer.parseInt(application.getEnvironment().getProperty("local.server.port")));

            Loopback.Answer up = get(http, INDICATOR);
            assertThat(up.status()).as(up.body()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");

            String signature = WebhookSigner.of(Vectors.SECRET_A).sign(Vectors.SIMPLE_BODY);
            Loopback.Answer first = http.post("/webhooks/orders/bytes", "application/json", Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", signature);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            Loopback.Answer again = http.post("/webhooks/orders/bytes", "application/json", Vectors.SIMPLE_BODY,
                    "X-Webhook-Signature", signature);
            assertThat(again.status()).isEqualTo(401);
            assertThat(again.body()).isEqualTo("webhook rejected: replayed\n");
            assertThat(redis.cli("--no-auth-warning", "-a", REDIS_PASSWORD, "DBSIZE"))
                    .as("the replay record, in Redis").isEqualTo("1");

            redis.kill();
            Loopback.Answer down = get(http, INDICATOR);
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            // Boot 3.5 writes status first, Boot 4.0 its keys in alphabetical order.
            assertThat(down.body()).contains("\"status\":\"DOWN\"", DOWN_DETAILS);
            Loopback.Answer stores = get(http, "/actuator/health/webhookStores");
            assertThat(stores.body()).contains("\"endpoint-orders\":{");
            assertThat(Stream.of(REDIS_PASSWORD, "redis:", "127.0.0.1", Integer.toString(redis.port()))
                    .filter(stores.body()::contains)).as(stores.body()).isEmpty();

            redis.restart();
            Loopback.Answer back = awaitUp(http);
            assertThat(back.status()).as(back.body()).isEqualTo(200);
            assertThat(back.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    /** The test application on a free loopback port, its orders endpoint on the store {@code storeUri}. */
    private static ConfigurableApplicationContext start(String storeUri) {
        SpringApplication application = new SpringApplication(WebhookTestApplication.class, Servers.Tomcat.class,
                SystemClock.class);
        return application.run("--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=health",
                "--management.endpoint.health.show-details=always",
                "--spring.security.user.name=" + USER, "--spring.security.user.password=" + PASSWORD,
                "--webhooks.endpoints.orders.path-patterns=/webhooks/orders/*",
                "--webhooks.endpoints.orders.secrets=" + Vectors.SECRET_A,
                "--webhooks.endpoints.orders.replay-protection=true",
                "--webhooks.endpoints.orders.store=" + storeUri,
                "--webhooks.endpoints.orders.store-timeout=" + STORE_TIMEOUT);
    }

    private static Loopback.Answer get(Loopback http, String path) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.get(path, "Authorization", "Basic " + credentials);
    }

    /**
     * The indicator once it answers 200, or its last answer after 10 s: the store reconnects on its own, after a
     * delay that grows to 1 s between attempts.
     */
    private static Loopback.Answer awaitUp(Loopback http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Loopback.Answer answer = get(http, INDICATOR);
        while (answer.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            answer = get(http, INDICATOR);
        }
        return answer;
    }

    /**
     * The system clock, before the test application's, which stands at {@link Vectors#T}: Redis drops a replay record
     * at the filter's time plus the record's lifetime, which at {@code T} (2023) has passed.
     */
    @Configuration(proxyBeanMethods = false)
    static class SystemClock {

        @Bean
        @Primary
        Clock systemClock() {
            return Clock.systemUTC();
        }
    }
}
