package dev.webhookfilter.it;

import dev.webhookfilter.testing.RequiredCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signs with the openssl command line, so that at least one request the server accepts was signed
 * by an implementation other than the library's. The commands are those that made
 * {@link OpensslVectors}: for the default scheme, with {@code body || t} on standard input,
 * {@code openssl dgst -sha256 -hmac SECRET -binary}; for the others ({@link #hmacSha256}), with
 * the scheme's message on standard input, {@code openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY}
 * and {@code -r} (hex, as openssl prints it) or {@code -binary} (then base64).
 */
public final class OpenSsl {

    private OpenSsl() {
    }

    /**
     * Skips the calling test where no {@code openssl} command is installed, or fails it under
     * {@code WEBHOOK_FILTER_REQUIRE_TOOLS=1} (as in CI): see {@link RequiredCommands}.
     */
    public static void require() {
        RequiredCommands.onPath("apt-get install openssl", "openssl");
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

    /**
     * HMAC-SHA256 of {@code message} under {@code key} as openssl computes it: the lower-case hex it
     * prints ({@code -r}) or, with {@code hex} false, the base64 of its {@code -binary} output.
     */
    public static String hmacSha256(byte[] key, byte[] message, boolean hex) throws IOException, InterruptedException {
        String keyOption = "hexkey:" + HexFormat.of().formatHex(key);
        byte[] out = run(List.of("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", keyOption,
                hex ? "-r" : "-binary"), message);
        if (!hex) {
            if (out.length != 32) {
                throw new IOException("openssl dgst -binary gave " + out.length + " bytes, not 32");
            }
            return Base64.getEncoder().encodeToString(out);
        }
        // -r prints "<hex> *stdin".
        String printed = new String(out, StandardCharsets.US_ASCII);
        String mac = printed.split(" ", 2)[0];
        if (!mac.matches("[0-9a-f]{64}")) {
            throw new IOException("openssl dgst -r printed no SHA-256 MAC: " + printed);
        }
        return mac;
    }

    private static byte[] run(List<String> command, byte[] stdinBytes) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(stdinBytes);
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl dgst failed: " + new String(process.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return out;
    }
}
