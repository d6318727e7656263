package dev.webhookfilter.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a raw loopback socket, with {@code Connection: close}: the only way to
 * send a {@code Host} header of the test's choosing, which {@link java.net.http.HttpClient} refuses.
 */
final class RawHttp {

    /** A response's status code and the rest of it, headers and body, as text. */
    record Response(int status, String text) {
        String body() {
            int blank = text.indexOf("\r\n\r\n");
            return blank < 0 ? "" : text.substring(blank + 4);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with {@code Host: host} and {@code headers} ("Name: value" each)
     * to {@code port} on 127.0.0.1 and reads the response to the end.
     */
    static Response send(int port, String method, String target, String host, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 response: " + text);
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}
