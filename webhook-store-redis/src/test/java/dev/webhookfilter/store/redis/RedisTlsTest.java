package dev.webhookfilter.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.webhookfilter.ReplayGuard.Decision;
import dev.webhookfilter.WebhookStore;
import dev.webhookfilter.testing.RequiredCommands;
import dev.webhookfilter.testing.redis.RedisServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a redis-server with TLS on: a private CA and a certificate for
 * {@code localhost} made with openssl, the CA put in the JVM's trust store (as a deployment would with
 * {@code -Djavax.net.ssl.trustStore}). The host name is checked.
 */
class RedisTlsTest {

    /**
     * Longer than the other tests' 500 ms: the first TLS handshake in a JVM (JSSE's classes, the trust store, RSA) and
     * the connection's setup behind it took more than 500 ms on a loaded 2-core machine ("cannot be reached ...
     * RedisCommandTimeoutException" in 1 of 4 runs under load). Nothing here turns on the timeout: the host name is
     * refused as soon as the certificate arrives.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    @TempDir
    static Path dir;
    static RedisServer server;
    static int tlsPort;
    static String savedTrustStore;
    static String savedTrustStorePassword;
    static String savedTrustStoreType;

    @BeforeAll
    static void start() throws Exception {
        RedisServer.requireInstalled();
        // The certificates are made with the openssl command line: without it, skipped like every test that runs it.
        RequiredCommands.onPath("apt-get install openssl", "openssl");
        // openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=webhook-filter-test-ca
        // openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost
        // openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile ext
        //   (ext: subjectAltName=DNS:localhost)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=webhook-filter-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("ext"), "subjectAltName=DNS:localhost\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "ext");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, "changeit".toCharArray());
        }
        savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
        savedTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
        savedTrustStoreType = System.getProperty("javax.net.ssl.trustStoreType");
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        tlsPort = RedisServer.freePort(false);
        Path data = Files.createDirectories(dir.resolve("data"));
        server = RedisServer.start(data, "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        restore("javax.net.ssl.trustStore", savedTrustStore);
        restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
        restore("javax.net.ssl.trustStoreType", savedTrustStoreType);
    }

    static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail(command + " failed: " + out);
        }
    }

    @Test
    void rediss_toTheCertificatesHost_works() {
        try (WebhookStore store = new RedisStoreProvider().open("rediss://localhost:" + tlsPort, TIMEOUT, "tls:")) {
            byte[] key = RedisStoreTest.random(32);
            long expiresAt = Instant.now().getEpochSecond() + 60;
            assertEquals(Decision.FIRST_SEEN, store.record(key, expiresAt));
            assertEquals(Decision.REPLAYED, store.record(key, expiresAt));
            assertTrue(store.isAvailable());
            assertTrue(store.toString().contains("rediss://localhost:" + tlsPort), store.toString());
        }
    }

    @Test
    void rediss_toAnotherHostName_isRefused() {
        // The same server, but 127.0.0.1 is not a name the certificate holds.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RedisStoreProvider()
                .open("rediss://127.0.0.1:" + tlsPort, TIMEOUT, "tls:"));
        assertTrue(e.getMessage().contains("rediss://127.0.0.1:" + tlsPort), e.getMessage());
    }
}
