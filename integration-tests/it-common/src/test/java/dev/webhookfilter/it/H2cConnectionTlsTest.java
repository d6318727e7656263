package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * {@link H2cConnection} over TLS trusts the {@link TestCertificate} it is given and nothing else: a loopback
 * server that presents another self-signed certificate for the same address fails the handshake, on the
 * client's side and so on the server's. That it connects to a server presenting the trusted one is what every
 * {@code *H2TlsIT} does.
 */
class H2cConnectionTlsTest {

    @Test
    void refusesAServerPresentingAnotherCertificate() throws Exception {
        TestCertificate trusted = TestCertificate.shared();
        TestCertificate other = TestCertificate.generate();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(other.keyStore(), other.password());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    return "handshake completed";
                } catch (IOException e) {
                    return "handshake failed: " + e;
                }
            });

            Exception refused = assertThrows(Exception.class, () -> H2cConnection.open(server.getLocalPort(), trusted).close());

            assertTrue(String.valueOf(causes(refused)).contains("PKIX path"), () -> "not refused for its certificate: "
                    + causes(refused));
            String handshake = serverSide.get(10, TimeUnit.SECONDS);
            assertTrue(handshake.startsWith("handshake failed"), handshake);
        }
    }

    @Test
    void certificateNamesTheLoopbackAddressAndTrustStoreHoldsItAlone() throws Exception {
        TestCertificate certificate = TestCertificate.shared();
        assertEquals(1, certificate.trustStore().size());
        assertTrue(certificate.keyStore().isKeyEntry(TestCertificate.ALIAS));
        X509Certificate x509 = (X509Certificate) certificate.trustStore().getCertificate(TestCertificate.ALIAS);
        String names = String.valueOf(x509.getSubjectAlternativeNames());
        assertTrue(names.contains("127.0.0.1"), () -> "subject alternative names: " + names);
    }

    private static String causes(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure instanceof ExecutionException ? failure.getCause() : failure; t != null; t = t.getCause()) {
            chain.append(t).append(" <- ");
        }
        return chain.toString();
    }
}
