package dev.webhookfilter.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A self-signed certificate for {@code 127.0.0.1} (and {@code localhost}), made once per JVM by the JDK's
 * {@code keytool} when a TLS test first asks for it, so that no private key is ever committed. The server
 * gets the key store; a client trusts exactly this certificate ({@link #trustStore()}, or {@link #pem()} for
 * curl's {@code --cacert}), and checks that it names the address it connected to. Nothing is left on disk:
 * keytool's files are read into memory and deleted. For tests on loopback only; thread-safe.
 */
public final class TestCertificate {

    /** The key's alias in {@link #keyStore()}. */
    public static final String ALIAS = "it-loopback";

    private static TestCertificate shared;

    private final KeyStore keyStore;
    private final char[] password;
    private final X509Certificate certificate;

    private TestCertificate(KeyStore keyStore, char[] password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /**
     * The JVM's certificate, made on the first call.
     *
     * @throws IOException if keytool is missing or fails
     * @throws InterruptedException if interrupted while keytool runs
     */
    public static synchronized TestCertificate shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    /** A new certificate, not the shared one: for a test that needs a second, untrusted one. */
    static TestCertificate generate() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("it-tls");
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Path p12 = dir.resolve("server.p12");
            // EC P-256: generated in milliseconds, and every TLS 1.2 and 1.3 stack here speaks ECDSA. Two days
            // of validity: a test run never needs more. The password reaches keytool through its environment,
            // not its command line, which ps shows.
            keytool(password, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                    "-storepass:env", "IT_TLS_PASSWORD");
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                keyStore.load(in, password.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
            if (certificate == null) {
                throw new IOException("keytool made no certificate named " + ALIAS);
            }
            return new TestCertificate(keyStore, password.toCharArray(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key store keytool made", e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void keytool(String password, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("IT_TLS_PASSWORD", password);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            throw new IOException("keytool " + arguments[0] + " failed: " + printed);
        }
    }

    /** The server's PKCS12 key store: the private key and this certificate, under {@link #ALIAS}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key; a copy. */
    public char[] password() {
        return password.clone();
    }

    /**
     * A trust store that holds this certificate and nothing else.
     *
     * @throws GeneralSecurityException if the JDK has no PKCS12 key store
     */
    public KeyStore trustStore() throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an empty key store", e);
        }
        trust.setCertificateEntry(ALIAS, certificate);
        return trust;
    }

    /**
     * The certificate in PEM, as {@code curl --cacert} reads it.
     *
     * @throws GeneralSecurityException if the certificate cannot be encoded
     */
    public String pem() throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Override
    public String toString() {
        return "self-signed " + certificate.getSubjectX500Principal() + " until " + certificate.getNotAfter();
    }
}
