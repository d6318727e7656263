package dev.webhookfilter.spring;

import dev.webhookfilter.testing.http.RawClient;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sends real HTTP requests to the test application on 127.0.0.1, and reads its key=value answers. */
final class Loopback {

    private final RawClient client;

    Loopback(int port) {
        this.client = new RawClient(port);
    }

    /** POSTs {@code body} to {@code path} with the given header name/value pairs. */
    Answer post(String path, String contentType, byte[] body, String... headers) throws IOException {
        return send("POST", path, contentType, body, headers);
    }

    /** Sends {@code body} to {@code path} with {@code method} and the given header name/value pairs. */
    Answer send(String method, String path, String contentType, byte[] body, String... headers) throws IOException {
        RawRequest request = RawRequest.of(method, path).header("Content-Type", contentType).body(body)
                .contentLength(body.length);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new Answer(client.exchange(request));
    }

    /** GETs {@code path} with the given header name/value pairs. */
    Answer get(String path, String... headers) throws IOException {
        RawRequest request = RawRequest.of("GET", path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return new Answer(client.exchange(request));
    }

    /** A response: its status, its body, the body's {@code key=value} lines, and its headers. */
    record Answer(RawResponse response) {

        int status() {
            return response.status();
        }

        String body() {
            return response.text();
        }

        /** The first value of the response header {@code name}, or null. */
        String header(String name) {
            return response.header(name).orElse(null);
        }

    Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : body().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return fields;
        }

        String field(String name) {
            return fields().get(name);
        }
    }

    /** Whether {@code network} is up and not the loopback interface. */
    static boolean isUpAndNotLoopback(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
