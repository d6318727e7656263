package dev.webhookfilter.cli;

import dev.webhookfilter.Scheme;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code send}: POSTs a signed event to a URL and prints the response, like a platform portal's
 * "send test event" button. Redirects are not followed: a webhook endpoint should answer itself.
 */
final class SendCommand implements Command {

    static final String HEADER = "--header";
    static final String CONTENT_TYPE = "--content-type";
    static final String SIGNATURE_HEADER = "--signature-header";
    static final String TIMEOUT = "--timeout";
    static final String DEFAULT_CONTENT_TYPE = "application/json";
    static final long DEFAULT_TIMEOUT_SECONDS = 10;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    @Override
    public String name() {
        return "send";
    }

    @Override
    public String summary() {
        return "POST a signed event to a URL and print the response";
    }

    @Override
    public Set<String> options() {
        Set<String> options = new HashSet<>(SecretOptions.NAMES);
        options.addAll(List.of(SignCommand.TIMESTAMP, HEADER, CONTENT_TYPE, SIGNATURE_HEADER, TIMEOUT, SchemeOption.NAME));
        return options;
    }

    @Override
    public String help(String program) {
        return "Usage: " + program + " send [options] URL [FILE]\n\n"
                + "Signs a body and POSTs it to URL, then prints the response's status, headers and body.\n"
                + "The body is FILE, standard input when FILE is -, or without FILE a fresh test event:\n"
                + "  " + sampleEvent("whevt-<random>") + "\n"
                + "The request line and headers sent are shown on standard error.\n\n"
                + "Options:\n"
                + SecretOptions.HELP
                + "  --content-type TYPE   the body's Content-Type (default: " + DEFAULT_CONTENT_TYPE + ")\n"
                + "  -H, --header 'Name: value'\n"
                + "                        another request header; repeat for several\n"
                + "  --timestamp SECONDS   sign as sent at these Unix seconds (default: now); an old one\n"
                + "                        shows how the receiver treats a stale event\n"
                + "  --signature-header NAME\n"
                + "                        the signature header's name (default: the scheme's, "
                + Scheme.defaultScheme().signatureHeader() + ")\n"
                + SchemeOption.HELP
                + "  --timeout SECONDS     how long to wait to connect and for the response (default: "
                + DEFAULT_TIMEOUT_SECONDS + ")\n"
                + "  -h, --help            show this help\n\n"
                + "Several secrets give one v1 each, in order, as the platform does while a secret rotates.\n\n"
                + "Example:\n"
                + "  " + program + " send --secret-env WEBHOOK_SECRET http://localhost:8080/webhooks/\n\n"
                + "Exit codes: 0 response 2xx, 1 any other status, 2 usage error,\n"
                + "3 I/O error (unreadable file, cannot connect, no response in time).\n";
    }

    @Override
    public int run(Options options, Io io) throws CliException {
        List<String> operands = options.operands(2, "URL and at most one FILE");
        if (operands.isEmpty()) {
            throw CliException.usage("send needs a URL, e.g. http://localhost:8080/webhooks/");
        }
        URI url = url(operands.get(0));
        long timestamp = options.seconds(SignCommand.TIMESTAMP, 1, Long.MAX_VALUE, 0);
        Duration timeout = Duration.ofSeconds(options.seconds(TIMEOUT, 1, 3600, DEFAULT_TIMEOUT_SECONDS));
        Scheme scheme = SchemeOption.from(options);
        String signatureHeader = options.single(SIGNATURE_HEADER);
        if (signatureHeader == null) {
            signatureHeader = scheme.signatureHeader();
        } else if (!signatureHeader.matches(TOKEN)) {
            throw CliException.usage(SIGNATURE_HEADER + " '" + signatureHeader + "' is not a header name");
        }
        String contentType = options.single(CONTENT_TYPE);
        List<String[]> headers = new ArrayList<>();
        for (String header : options.values(HEADER)) {
            String[] parsed = header(header);
            if (parsed[0].equalsIgnoreCase(signatureHeader)) {
                throw CliException.usage(HEADER + " " + parsed[0] + ": send signs the request itself; to send a"
                        + " hand-made signature use 'sign' and curl");
            }
            if (parsed[0].equalsIgnoreCase("Content-Type")) {
                contentType = parsed[1];
            } else {
                headers.add(parsed);
            }
        }
        SecretOptions secrets = SecretOptions.from(options, io);

        String description;
        byte[] body;
        if (operands.size() == 2) {
            body = io.readBody(operands.get(1));
            description = operands.get(1).equals(Io.STDIN) ? "from standard input" : "from " + operands.get(1);
        } else {
            String eventId = "whevt-" + UUID.randomUUID();
            body = sampleEvent(eventId).getBytes(StandardCharsets.UTF_8);
            description = "test event " + eventId;
        }
        Map<String, String> signed = SignCommand.headers(SignCommand.signer(secrets, scheme), body,
                timestamp == 0 ? io.now() : timestamp);

        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        List<String[]> sent = new ArrayList<>();
        sent.add(new String[] {"Content-Type", contentType == null ? DEFAULT_CONTENT_TYPE : contentType});
        for (Map.Entry<String, String> header : signed.entrySet()) {
            boolean isSignature = header.getKey().equals(scheme.signatureHeader());
            sent.add(new String[] {isSignature ? signatureHeader : header.getKey(), header.getValue()});
        }
        sent.addAll(headers);
        for (String[] header : sent) {
            try {
                request.header(header[0], header[1]);
            } catch (IllegalArgumentException e) {
                // The JDK refuses headers it sets itself (Host, Content-Length, Connection, ...).
                throw CliException.usage(HEADER + " " + header[0] + ": " + e.getMessage());
            }
        }

        io.err.println("> POST " + url);
        for (String[] header : sent) {
            io.err.println("> " + header[0] + ": " + header[1]);
        }
        io.err.println("> (" + body.length + " bytes " + description + ", signed with " + secrets.size()
                + " secret" + (secrets.size() == 1 ? "" : "s") + ")");

        HttpResponse<byte[]> response = send(request.build(), url, timeout);
        print(response, io);
        return response.statusCode() / 100 == 2 ? Main.OK : Main.FAILED;
    }

    /** The platform's test event, as a portal's "send test event" button sends it. */
    static String sampleEvent(String eventId) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":{\"name\":\"webhooks.test\",\"version\":1},\"payload\":{}}";
    }

    private static URI url(String text) throws CliException {
        URI url;
        try {
            url = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw CliException.usage("'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw CliException.usage("'" + text + "' is not an http:// or https:// URL with a host,"
                    + " e.g. http://localhost:8080/webhooks/");
        }
        return url;
    }

    private static String[] header(String line) throws CliException {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        if (!name.matches(TOKEN)) {
            throw CliException.usage(HEADER + " takes 'Name: value', not '" + line + "'");
        }
        return new String[] {name, line.substring(colon + 1).strip()};
    }

    private static HttpResponse<byte[]> send(HttpRequest request, URI url, Duration timeout) throws CliException {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String where = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw CliException.io("cannot connect to " + where + ": no answer within " + timeout.getSeconds()
                    + " seconds");
        } catch (HttpTimeoutException e) {
            throw CliException.io("no response from " + url + " within " + timeout.getSeconds() + " seconds");
        } catch (ConnectException e) {
            throw CliException.io("cannot connect to " + where + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()) + "; is the server running?");
        } catch (IOException e) {
            throw CliException.io("request to " + url + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.io("interrupted while waiting for " + url);
        }
    }

    /** Status line, headers, a blank line and the body's bytes as received, like {@code curl -i}. */
    private static void print(HttpResponse<byte[]> response, Io io) {
        io.out.println("HTTP/1.1 " + response.statusCode());
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            for (String value : header.getValue()) {
                io.out.println(header.getKey() + ": " + value);
            }
        }
        io.out.println();
        byte[] body = response.body();
        io.out.write(body, 0, body.length);
        if (body.length > 0 && body[body.length - 1] != '\n') {
            io.out.println();
        }
        io.out.flush();
    }
}
