package dev.webhookfilter.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Signs with the openssl command line, so that at least one request the server accepts was signed
 * by an implementation other than the library's. The command is the one that made
 * {@link OpensslVectors}, with {@code body || t} on standard input:
 * {@code openssl dgst -sha256 -hmac SECRET -binary}.
 */
public final class OpenSsl {

    private OpenSsl() {
    }

    /** Whether an {@code openssl} command runs here. */
    public static boolean available() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code t=<t>,v1=<base64 of HMAC-SHA256(secret, body || t)>}, as openssl computes it. */
    public static String sign(String secret, byte[] body, long t) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", secret, "-binary").start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(body);
            stdin.write(Long.toString(t).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] mac = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || mac.length != 32) {
            throw new IOException("openssl dgst failed: " + new String(process.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return "t=" + t + ",v1=" + Base64.getEncoder().encodeToString(mac);
    }
}
