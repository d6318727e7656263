package dev.webhookfilter.cli;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.Secrets;
import dev.webhookfilter.WebhookSigner;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code send}: POSTs a signed event to a URL and prints the response, like a platform portal's
 * "send test event" button. Redirects are not followed: a webhook endpoint should answer itself.
 *
 * <p>The endpoint may be hostile, so {@code --timeout} bounds the whole exchange (connecting, the
 * response's headers and its body), at most {@value BoundedBody#LIMIT} bytes of the body are kept,
 * what the endpoint sent is printed with terminal control characters escaped ({@link Printable}),
 * and the secrets, the URL's user-info, query and path segments that may be tokens ({@link #isPathToken}, and a
 * hook's id and token after a {@link #HOOK_PREFIXES prefix}), and a credential header's value ({@link #isCredential})
 * are masked in everything printed ({@link Redactor}), each wherever it stands if it has {@value Redactor#MIN_LENGTH}
 * characters or more; what the endpoint receives as {@code Authorization} (the header's value, the URL's user-info),
 * the query whole and a hook's id and token whatever its length.
 */
final class SendCommand implements Command {

    static final String HEADER = "--header";
    static final String CONTENT_TYPE = "--content-type";
    static final String SIGNATURE_HEADER = "--signature-header";
    static final String TIMEOUT = "--timeout";
    static final String DEFAULT_CONTENT_TYPE = "application/json";
    static final long DEFAULT_TIMEOUT_SECONDS = 10;
    /** The longest {@code --timeout}: an hour. */
    static final long MAX_TIMEOUT_SECONDS = 3600;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern LEADING_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]*");
    /**
     * What a path segment (or one of its {@code ;} parameters) that may be a token is written in, at
     * {@link Secrets#MIN_RECOMMENDED_BYTES} characters or more: {@link SecretOptions#mayBeSecret}'s characters, and
     * {@code .} and {@code ~}, which RFC 3986 leaves unreserved in a path (a JWT's dots).
     */
    private static final Pattern PATH_TOKEN = Pattern.compile("[A-Za-z0-9+/=_.~-]{"
            + Secrets.MIN_RECOMMENDED_BYTES + ",}");
    /**
     * Segments after which the next {@value #HOOK_SEGMENTS} are a hook's id and token, however short: Zapier's
     * catch hook ({@code /hooks/catch/ACCOUNT/TOKEN/}, a token of 7 or 8 characters) and Vercel's deploy hook
     * ({@code /v1/integrations/deploy/PROJECT/TOKEN}, a token of 10).
     */
    private static final List<List<String>> HOOK_PREFIXES = List.of(List.of("hooks", "catch"),
            List.of("integrations", "deploy"));
    private static final int HOOK_SEGMENTS = 2;
    private static final String AUTHORIZATION = "Authorization";
    private static final int MAX_PORT = 65_535;
    /** The first bytes of a TLS alert record (content type 21, version 3.x), as a TLS server answers plain http. */
    private static final String TLS_ALERT = "\u0015\u0003";

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
        options.addAll(List.of(SignCommand.TIMESTAMP, SignCommand.ID, HEADER, CONTENT_TYPE, SIGNATURE_HEADER, TIMEOUT,
                SchemeOption.NAME));
        return options;
    }

    @Override
    public String help(String program) {
        return "Usage: " + program + " send [options] URL [FILE]\n\n"
                + "Signs a body and POSTs it to URL, then prints the response's status, headers and body.\n"
                + "The body is FILE, standard input when FILE is -, or without FILE a fresh test event:\n"
                + "  " + sampleEvent("whevt-<random>") + "\n"
                + "It sends over HTTP/1.1 and follows no redirect: a 3xx is printed with its Location, and\n"
                + "nothing is sent there. An https URL's certificate is checked against the JVM's trusted\n"
                + "ones; to trust a test certificate, give the JVM a trust store: java\n"
                + "-Djavax.net.ssl.trustStore=FILE -Djavax.net.ssl.trustStorePassword=PASSWORD -jar ...\n"
                + "A proxy is used only if the JVM is given one (-Dhttps.proxyHost); http_proxy and\n"
                + "https_proxy in the environment are not read.\n"
                + "The request line and headers sent are shown on standard error; the secrets, a\n"
                + "user:password in the URL (sent as Basic authentication), the URL's query and fragment\n"
                + "(which may carry a token, ?token=..., #access_token=...; a fragment is not sent), a path\n"
                + "segment that may be a token (16 characters or more of base64, hex, . or ~, as in Slack's\n"
                + "and Discord's hook URLs or a JWT; or the two after /hooks/catch/ or /integrations/deploy/,\n"
                + "as in Zapier's and Vercel's) and the value of a credential header given\n"
                + "with -H (Authorization, Cookie, or a name with auth, token, secret, password, api-key or\n"
                + "session in it, or ending in key) are never printed: they show as ***. Where the endpoint\n"
                + "echoes them, only values of " + Redactor.MIN_LENGTH + " characters or more are masked: a shorter one would\n"
                + "mask unrelated text (a secret 1, every 1 printed); send warns of a secret that short.\n"
                + "The Authorization header's value and token, the URL's user:password and its query\n"
                + "whole (name=value...), which the endpoint receives, are masked there at any length.\n"
                + "At most the first " + BoundedBody.LIMIT + " bytes of the response body are printed, then\n"
                + "'... (N more bytes not shown)'; control characters the endpoint sends (terminal escape\n"
                + "sequences, a carriage return that is not a line end) are printed as \\u001b-style escapes.\n\n"
                + "Options:\n"
                + SecretOptions.HELP
                + "  --content-type TYPE   the body's Content-Type (default: " + DEFAULT_CONTENT_TYPE + ")\n"
                + "  -H, --header 'Name: value'\n"
                + "                        another request header, not one the scheme signs (send sets\n"
                + "                        those itself); repeat for several. For github and shopify,\n"
                + "                        send adds a fresh delivery id (X-GitHub-Delivery,\n"
                + "                        X-Shopify-Webhook-Id), as they do, unless -H gives one\n"
                + "  --timestamp SECONDS   sign as sent at these Unix seconds (default: now); an old one\n"
                + "                        shows how the receiver treats a stale event; not for github and\n"
                + "                        shopify, which sign no timestamp\n"
                + SignCommand.ID_HELP
                + "  --signature-header NAME\n"
                + "                        the signature header's name (default: the scheme's, "
                + Scheme.defaultScheme().signatureHeader() + ")\n"
                + SchemeOption.HELP
                + "  --timeout SECONDS     how long the whole exchange may take: connecting, sending, and\n"
                + "                        receiving the response to its last byte (1 to " + MAX_TIMEOUT_SECONDS
                + "; default: " + DEFAULT_TIMEOUT_SECONDS + ")\n"
                + "  -h, --help            show this help\n\n"
                + "Several secrets give one signature each, in order, as senders do while a secret rotates.\n\n"
                + "Example:\n"
                + "  " + program + " send --secret-env WEBHOOK_SECRET http://localhost:8080/webhooks/\n\n"
                + "Exit codes: 0 response 2xx, 1 any other status, 2 usage error,\n"
                + "3 I/O error (unreadable file, cannot connect, no complete response in time), 4 internal error.\n";
    }

    @Override
    public int run(Options options, Io io) throws CliException {
        List<String> operands = options.operands(2, "URL and at most one FILE");
        if (operands.isEmpty()) {
            throw CliException.usage("send needs a URL, e.g. http://localhost:8080/webhooks/");
        }
        URI given = url(operands.get(0));
        SecretOptions secrets = SecretOptions.from(options, io, operands.size() == 2 ? operands.get(1) : null);
        List<String> hidden = new ArrayList<>(secrets.values());
        // What the endpoint receives as Authorization, and the URL's query whole if it has a name=value: masked
        // whatever its length, as the endpoint may quote it alone (a bare ?v could be any text, and is not).
        List<String> anyLength = new ArrayList<>();
        String basic = null;
        if (given.getRawUserInfo() != null) {
            // As curl and webhook platforms do with https://user:password@host/: Basic authentication.
            basic = Base64.getEncoder().encodeToString(given.getUserInfo().getBytes(StandardCharsets.UTF_8));
            anyLength.addAll(List.of(given.getRawUserInfo(), given.getUserInfo(), basic));
            // The password alone too: the endpoint received it, and may quote it without the user.
            for (String userInfo : List.of(given.getRawUserInfo(), given.getUserInfo())) {
                anyLength.add(userInfo.substring(userInfo.indexOf(':') + 1));
            }
        }
        if (given.getRawQuery() != null && given.getRawQuery().contains("=")) {
            anyLength.addAll(List.of(given.getRawQuery(), given.getQuery()));
        }
        hidden.addAll(queryValues(given));
        pathTokens(given, hidden, anyLength);
        for (String header : options.values(HEADER)) {
            int colon = header.indexOf(':');
            boolean isAuthorization = colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase(AUTHORIZATION);
            (isAuthorization ? anyLength : hidden).addAll(credentials(header));
        }
        Redactor redactor = new Redactor(hidden, anyLength);
        try {
            return send(options, URI.create(withoutUserInfo(withoutFragment(given))), basic, secrets,
                    new Screen(io, redactor), operands);
        } catch (CliException e) {
            throw e.masked(redactor);
        }
    }

    private static int send(Options options, URI url, String basic, SecretOptions secrets, Screen screen,
                            List<String> operands) throws CliException {
        long timestamp = options.seconds(SignCommand.TIMESTAMP, 1, Long.MAX_VALUE, 0);
        Duration timeout = Duration.ofSeconds(options.seconds(TIMEOUT, 1, MAX_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS));
        Scheme scheme = SchemeOption.from(options);
        SchemeOption.refuseTimeOptions(options, scheme, SignCommand.TIMESTAMP);
        SignCommand.warnIfMilliseconds(timestamp, screen.io);
        String signatureHeader = options.single(SIGNATURE_HEADER);
        if (signatureHeader == null) {
            signatureHeader = scheme.signatureHeader();
        } else if (!signatureHeader.matches(TOKEN)) {
            throw CliException.usage(SIGNATURE_HEADER + (SecretOptions.mayBeSecret(signatureHeader)
                    ? " (the value given, not shown: it may be a secret)" : " '" + signatureHeader + "'")
                    + " is not a header name");
        }
        List<String> contentTypes = new ArrayList<>(options.values(CONTENT_TYPE));
        List<String[]> headers = new ArrayList<>();
        for (String header : options.values(HEADER)) {
            String[] parsed = header(header);
            if (parsed[0].equalsIgnoreCase(signatureHeader)) {
                throw CliException.usage(HEADER + " " + parsed[0] + ": send signs the request itself; to send a"
                        + " hand-made signature use 'sign' and curl");
            }
            if (signs(scheme, parsed[0])) {
                // Sent beside the one send makes, it would reach the receiver twice: refused there as malformed.
                boolean isId = scheme.messageIdHeaders().stream().anyMatch(parsed[0]::equalsIgnoreCase);
                throw CliException.usage(HEADER + " " + parsed[0] + ": send sets this header itself, as part of what"
                        + " scheme " + scheme.name() + " signs" + (isId ? "; give " + SignCommand.ID + " VALUE for an id"
                        + " of your own" : scheme.hasTimestamp() ? "; give --timestamp SECONDS for another time" : "")
                        + "; to send hand-made values use 'sign' and curl");
            }
            if (parsed[0].regionMatches(true, 0, "Proxy-", 0, 6)) {
                // Printed as sent, it was dropped: the JDK's client sends no Proxy-* header without a proxy, and
                // with one (the JVM's -Dhttp.proxyHost) it goes to the proxy, never to the URL.
                throw CliException.usage(HEADER + " " + parsed[0] + ": a header for a proxy, which the URL never"
                        + " receives: the HTTP client drops it where it connects directly, and send sets no proxy (the"
                        + " JVM's settings, such as -Dhttp.proxyHost, may)");
            }
            if (parsed[0].equalsIgnoreCase("Content-Type")) {
                contentTypes.add(parsed[1]);
            } else if (parsed[0].equalsIgnoreCase(AUTHORIZATION) && basic != null) {
                throw CliException.usage("give credentials either in the URL or with " + HEADER + " "
                        + AUTHORIZATION + ", not both");
            } else {
                headers.add(parsed);
            }
        }
        if (contentTypes.size() > 1) {
            // The request carries one; the others would be dropped without a word.
            throw CliException.usage("the Content-Type is given " + contentTypes.size() + " times (with "
                    + CONTENT_TYPE + " or " + HEADER + "); give it once");
        }
        String contentType = contentTypes.isEmpty() ? null : contentTypes.get(0);
        WebhookSigner signer = SignCommand.signer(secrets, scheme);
        String id = SignCommand.messageId(options, signer);
        Body body = body(operands, screen.io);

        Map<String, String> signed = SignCommand.headers(signer, body.bytes, timestamp == 0 ? screen.io.now() : timestamp,
                id);

        Counted publisher = new Counted(body.bytes.publisher());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .POST(publisher);
        List<String[]> sent = new ArrayList<>();
        sent.add(new String[] {"Content-Type", contentType == null ? DEFAULT_CONTENT_TYPE : contentType});
        for (Map.Entry<String, String> header : signed.entrySet()) {
            boolean isSignature = header.getKey().equals(scheme.signatureHeader());
            sent.add(new String[] {isSignature ? signatureHeader : header.getKey(), header.getValue()});
        }
        if (scheme.messageIdHeaders().isEmpty() && !scheme.deliveryIdHeaders().isEmpty() && headers.stream()
                .noneMatch(h -> scheme.deliveryIdHeaders().stream().anyMatch(h[0]::equalsIgnoreCase))) {
            // GitHub and Shopify send an id with each delivery that they do not sign: a receiver that de-duplicates
            // refuses a request without one (400), so send one, fresh each time, as they do.
            sent.add(new String[] {scheme.deliveryIdHeaders().get(0), UUID.randomUUID().toString()});
        }
        sent.addAll(headers);
        for (String[] header : sent) {
            try {
                request.header(header[0], header[1]);
            } catch (IllegalArgumentException e) {
                // The JDK refuses headers it sets itself (Host, Content-Length, Connection, ...), and a value with a
                // control character, which its message quotes: a credential's is not, however short it is.
                throw CliException.usage(HEADER + " " + header[0] + ": " + (isCredential(header[0])
                        ? "the HTTP client refuses its value (not shown: it is a credential), which holds a character"
                        + " a header value may not, such as a control character" : e.getMessage()));
            }
        }
        if (basic != null) {
            request.header(AUTHORIZATION, "Basic " + basic);
        }

        warnOfShortSecrets(secrets, screen.io);
        screen.err("> POST " + shown(url));
        for (String[] header : sent) {
            screen.err("> " + header[0] + ": " + (isCredential(header[0]) ? Redactor.MASK : header[1]));
        }
        if (basic != null) {
            screen.err("> " + AUTHORIZATION + ": Basic " + Redactor.MASK + " (the URL's user-info)");
        }
        screen.err("> (" + body.bytes.length + " bytes " + body.description + ", signed with " + secrets.size()
                + " secret" + (secrets.size() == 1 ? "" : "s") + ")");

        int status = exchange(request.build(), publisher, url, timeout, screen);
        return status / 100 == 2 ? Main.OK : Main.FAILED;
    }

    /**
     * Warns, once the request is ready to go, of each secret shorter than {@value Redactor#MIN_LENGTH} characters:
     * {@link Redactor} does not mask it, and it is weak.
     */
    private static void warnOfShortSecrets(SecretOptions secrets, Io io) {
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.values().get(i).length() < Redactor.MIN_LENGTH) {
                io.err.println("warning: " + secrets.describe(i) + " is shorter than " + Redactor.MIN_LENGTH
                        + " characters: it is not masked in what send prints (masked wherever it stood, it would"
                        + " garble the text around it), and one signature is enough to guess it; the filter warns of"
                        + " a secret under " + Secrets.MIN_RECOMMENDED_BYTES + " bytes");
            }
        }
    }

    private static Body body(List<String> operands, Io io) throws CliException {
        if (operands.size() == 2) {
            return new Body(io.readBody(operands.get(1)),
                    operands.get(1).equals(Io.STDIN) ? "from standard input" : "from " + operands.get(1));
        }
        String eventId = "whevt-" + UUID.randomUUID();
        return new Body(ReadBody.of(sampleEvent(eventId).getBytes(StandardCharsets.UTF_8)), "test event " + eventId);
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
            throw CliException.usage(quotable(text) + " is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw CliException.usage(quotable(text) + " is not an http:// or https:// URL with a host,"
                    + " e.g. http://localhost:8080/webhooks/");
        }
        if (url.getPort() > MAX_PORT) {
            // The HTTP client refuses it only once sending began, as an I/O failure: the URL is what is wrong.
            throw CliException.usage(quotable(text) + " has port " + url.getPort() + "; a port is at most "
                    + MAX_PORT);
        }
        return url;
    }

    /**
     * What to mask of the URL's query's values wherever they stand, as the endpoint may echo them (a 404 page
     * quoting the request line): each parameter's value (a token), raw and decoded; {@link Redactor} leaves out a
     * value under {@value Redactor#MIN_LENGTH} characters, which would turn every {@code 1} printed into
     * {@code ***}. The query whole is masked at any length ({@link #run}); the request shown and the errors show
     * it as {@code ?***}.
     */
    private static List<String> queryValues(URI url) {
        List<String> hidden = new ArrayList<>();
        String query = url.getRawQuery();
        if (query == null || query.isEmpty()) {
            return hidden;
        }
        for (String parameter : query.split("&")) {
            String value = parameter.substring(parameter.indexOf('=') + 1);
            hidden.add(value);
            try {
                hidden.add(java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // Not percent-encoded as it should be: masked as given, above.
            }
        }
        return hidden;
    }

    /**
     * Adds what to mask of the URL's path wherever it stands, as the endpoint may echo it: to {@code hidden} each
     * segment that may be a token ({@link #isPathToken}), raw and decoded, and each of its {@code ;} parameters that
     * may be one and that parameter's value; to {@code anyLength} a hook's id and token after a
     * {@link #HOOK_PREFIXES prefix}, raw and decoded, which are short but random, when they have
     * {@value Redactor#MIN_CUT} characters or more: a shorter one is no hook's token, and masked wherever it stood
     * it garbled all that was printed (a {@code 1} turned {@code HTTP/1.1} into {@code HTTP/***.***}). The request
     * shown and the errors show each such segment as {@value Redactor#MASK}, by its place, whatever its length.
     */
    private static void pathTokens(URI url, List<String> hidden, List<String> anyLength) {
        String path = url.getRawPath();
        if (path == null) {
            return;
        }
        String[] segments = path.split("/", -1);
        boolean[] tokens = tokens(segments, 0);
        for (int i = 0; i < segments.length; i++) {
            if (!tokens[i]) {
                continue;
            }
            if (!isPathToken(segments[i])) {
                if (segments[i].length() >= Redactor.MIN_CUT) {
                    anyLength.addAll(List.of(segments[i], percentDecoded(segments[i])));
                }
                continue;
            }
            for (String segment : List.of(segments[i], percentDecoded(segments[i]))) {
                hidden.add(segment);
                for (String parameter : segment.split(";")) {
                    if (PATH_TOKEN.matcher(parameter).matches()) {
                        hidden.add(parameter);
                        hidden.add(parameter.substring(parameter.indexOf('=') + 1));
                    }
                }
            }
        }
    }

    /**
     * Which of {@code parts}, from index {@code first} on, may be tokens: each that {@link #isPathToken} takes for
     * one, and the {@value #HOOK_SEGMENTS} after a {@link #HOOK_PREFIXES hook's prefix}.
     */
    private static boolean[] tokens(String[] parts, int first) {
        boolean[] tokens = new boolean[parts.length];
        for (int i = first; i < parts.length; i++) {
            tokens[i] |= isPathToken(parts[i]);
            if (i > first && HOOK_PREFIXES.contains(List.of(parts[i - 1].toLowerCase(Locale.ROOT),
                    parts[i].toLowerCase(Locale.ROOT)))) {
                for (int j = i + 1; j <= i + HOOK_SEGMENTS && j < parts.length; j++) {
                    tokens[j] |= !parts[j].isEmpty();
                }
            }
        }
        return tokens;
    }

    /**
     * Whether a path segment, raw or percent-decoded, may be a token: a hook URL may carry its secret in its path
     * (Slack's {@code /services/T.../B.../TOKEN}, Discord's {@code /api/webhooks/ID/TOKEN}, a tenant's
     * {@code /hooks/RANDOM}). It may be one if it, or one of its {@code ;} parameters ({@code ;jsessionid=...}), is
     * {@link Secrets#MIN_RECOMMENDED_BYTES} characters or more of base64, hexadecimal or {@code whsec_} characters,
     * {@code .} and {@code ~} ({@link #PATH_TOKEN}: a JWT too). A long readable name ({@code notifications-webhook},
     * {@code webhook-receiver.php}) or a long numeric id is taken for one too, which costs only its display; a
     * shorter one ({@code events.json}, {@code v1.2.3}) is not.
     */
    private static boolean isPathToken(String segment) {
        for (String form : List.of(segment, percentDecoded(segment))) {
            for (String parameter : form.split(";")) {
                if (PATH_TOKEN.matcher(parameter).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code segment} with its %XX escapes decoded as UTF-8 (a {@code +} stays one), or as given if broken. */
    private static String percentDecoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /** {@code path} with each {@code /}-separated part from index {@code first} on that may be a token as ***. */
    private static String withoutPathTokens(String path, int first) {
        String[] parts = path.split("/", -1);
        boolean[] tokens = tokens(parts, first);
        for (int i = first; i < parts.length; i++) {
            if (tokens[i]) {
                parts[i] = Redactor.MASK;
            }
        }
        return String.join("/", parts);
    }

    /**
     * What to mask of a {@code --header} line if it carries a credential ({@link #isCredential}): the value,
     * the credentials after its scheme (a bearer token alone), and for Basic the decoded user:password and the
     * password, as for a URL's user-info. Nothing for another header.
     */
    private static List<String> credentials(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        if (!isCredential(name)) {
            return List.of();
        }
        List<String> hidden = new ArrayList<>();
        // Under a name that only looks like a credential's (X-Auth-Mode: on, X-Session-Id: 1), a value under
        // Redactor.MIN_LENGTH is masked in its own line only; run() masks Authorization's whatever its length.
        String value = line.substring(colon + 1).strip();
        hidden.add(value);
        int space = value.indexOf(' ');
        if (space > 0) {
            String credentials = value.substring(space + 1).strip();
            hidden.add(credentials);
            if (value.substring(0, space).equalsIgnoreCase("Basic")) {
                try {
                    String userInfo = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
                    hidden.add(userInfo);
                    hidden.add(userInfo.substring(userInfo.indexOf(':') + 1));
                } catch (IllegalArgumentException e) {
                    // Not base64: masked as given, above.
                }
            }
        }
        return hidden;
    }

    /**
     * Whether header {@code name} carries a credential by its name: {@code Authorization}, {@code Cookie}, or a
     * name that says so ({@code X-Api-Key}, {@code X-Auth-Token}, {@code X-Client-Secret}, {@code X-Access-Key},
     * ...).
     */
    static boolean isCredential(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals(AUTHORIZATION.toLowerCase(Locale.ROOT)) || lower.equals("cookie") || lower.contains("auth")
                || lower.contains("token") || lower.contains("secret") || lower.contains("password")
                || lower.contains("api-key") || lower.contains("apikey") || lower.contains("session")
                || lower.endsWith("key");
    }

    /** Whether {@code scheme} reads header {@code name} (a signature, timestamp or message id, in any of its sets). */
    private static boolean signs(Scheme scheme, String name) {
        for (String read : scheme.headerNames()) {
            if (read.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String[] header(String line) throws CliException {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        if (!name.matches(TOKEN)) {
            throw malformedHeader(line);
        }
        return new String[] {name, line.substring(colon + 1).strip()};
    }

    /**
     * The refusal of a {@code --header} line that is not {@code Name: value}: it quotes the line whole only when it
     * is a bare name ({@code X-Broken}); otherwise its leading name and {@code ...}, as the rest may be a credential
     * whose line lost its colon ({@code Authorization Bearer TOKEN}), which {@link #credentials} cannot tell.
     */
    static CliException malformedHeader(String line) {
        Matcher name = LEADING_NAME.matcher(line);
        name.lookingAt();
        String shown = name.end() < line.length()
                ? "'" + line.substring(0, name.end()) + "...' (the rest is not shown: it may hold a credential)"
                : SecretOptions.mayBeSecret(line) ? "this line (not shown: it may be a secret)" : "'" + line + "'";
        return CliException.usage(HEADER + " takes 'Name: value', not " + shown);
    }

    /**
     * Sends {@code request} and prints the response, all within {@code timeout}: the HTTP client's own
     * timeouts end at connecting and at the response's headers, so the deadline here also covers the body.
     *
     * @param body the request's body, which says how much of it the client took
     * @return the response's status code
     * @throws CliException (I/O) if the server cannot be reached or the response does not end in time
     */
    private static int exchange(HttpRequest request, Counted body, URI url, Duration timeout, Screen screen)
            throws CliException {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String where = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        BoundedBody received = new BoundedBody();
        CompletableFuture<HttpResponse<BoundedBody>> response = client.sendAsync(request, info -> {
            head.set(info);
            return received;
        });
        try {
            HttpResponse<BoundedBody> complete = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            print(complete.statusCode(), complete.headers(), received, true, screen);
            return complete.statusCode();
        } catch (TimeoutException e) {
            response.cancel(true);
            received.cancel();
            HttpResponse.ResponseInfo info = head.get();
            if (info == null) {
                throw noResponse(url, timeout, body);
            }
            print(info.statusCode(), info.headers(), received, false, screen);
            throw CliException.io("the response from " + shown(url) + " did not end within " + timeout.getSeconds()
                    + " seconds (" + received.received() + " bytes of its body arrived)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof HttpConnectTimeoutException) {
                throw CliException.io("cannot connect to " + where + ": no answer within " + timeout.getSeconds()
                        + " seconds");
            }
            if (cause instanceof HttpTimeoutException) {
                throw noResponse(url, timeout, body);
            }
            if (cause instanceof ConnectException && unresolved(cause)) {
                throw CliException.io("cannot connect to " + where + ": the host name does not resolve;"
                        + " is it spelled right, and does this machine's DNS know it?");
            }
            if (cause instanceof ConnectException) {
                throw CliException.io("cannot connect to " + where + ": "
                        + (cause.getMessage() == null ? "connection refused" : cause.getMessage())
                        + "; is the server running?");
            }
            throw CliException.io("request to " + shown(url) + " failed: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                    + untrustedCertificateHint(cause) + otherHostHint(url, cause)
                    + (head.get() == null ? plainHttpToTlsHint(url, cause) : ""));
        } catch (InterruptedException e) {
            response.cancel(true);
            received.cancel();
            Thread.currentThread().interrupt();
            throw CliException.io("interrupted while waiting for " + shown(url));
        }
    }

    /**
     * What to do when {@code failure} came from a certificate that this JVM's trusted ones do not vouch for (the JDK
     * says only "PKIX path building failed"): a test certificate, or one a private CA issued. Empty for any other.
     */
    static String untrustedCertificateHint(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException) {
                return "; the server's certificate is not one this JVM trusts (a test certificate, or a private CA's):"
                        + " to trust it, give the JVM a trust store that holds it: java"
                        + " -Djavax.net.ssl.trustStore=FILE -Djavax.net.ssl.trustStorePassword=PASSWORD -jar ...";
            }
        }
        return "";
    }

    /**
     * What to do when {@code failure} came from the JDK's check that the server's certificate, trusted, names the URL's
     * host ("No subject alternative DNS name matching HOST found.", "No name matching HOST found", and for an IP
     * address "No subject alternative names matching IP address ... found" or "No subject alternative names
     * present"): send to a name it holds, or give the server a certificate for this host. Empty for any other.
     */
    static String otherHostHint(URI url, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (cause instanceof CertificateException && message != null
                    && (message.startsWith("No subject alternative ") || message.startsWith("No name matching "))) {
                String host = url.getHost();
                boolean address = host.startsWith("[") || host.matches("[0-9.]+");
                return "; the server's certificate (which this JVM trusts) is not made for " + host + ", the URL's"
                        + " host: send to a name it holds (openssl s_client -connect " + host + ":"
                        + (url.getPort() < 0 ? 443 : url.getPort()) + " </dev/null | openssl x509 -noout -subject -ext"
                        + " subjectAltName lists them), or give the server a certificate "
                        + (address ? "with IP:" + host.replaceAll("^\\[|]$", "") + " among its subject alternative"
                        + " names" : "for " + host);
            }
        }
        return "";
    }

    /**
     * What to do when an http URL's server failed the exchange as a server that speaks TLS does with plain http,
     * before any response arrived: it answered with a TLS alert record (its first bytes, 0x15 0x03, which the JDK's
     * HTTP parser quotes in its complaint about the status line), or closed the connection with no answer, as
     * OpenSSL-based servers do (then the server only may speak https). The JDK names neither. Empty for any other.
     */
    static String plainHttpToTlsHint(URI url, Throwable failure) {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            return "";
        }
        String https = "https" + shown(url).substring(url.getScheme().length());
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(TLS_ALERT)) {
                return "; the server answered in TLS (an alert record): it speaks https, not plain http; send to "
                        + https;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EOFException) {
                return "; the server closed the connection without an answer, as a server that speaks https (TLS)"
                        + " may do with plain http: if it does, send to " + https;
            }
        }
        return "";
    }

    /** Whether {@code failure} came from a host name that did not resolve: the JDK's ConnectException then has no message. */
    private static boolean unresolved(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * No response in time. If the client had begun the body but not taken all of it by then, the server may have
     * answered from the headers alone and stopped reading; the JDK's client reads a response only once it has sent the
     * body, and so never reads that answer. The error says so, rather than that the server said nothing. Where none of
     * the body was taken, the headers may not have gone out either (a TLS handshake that never ended).
     */
    private static CliException noResponse(URI url, Duration timeout, Counted body) {
        String none = "no response from " + shown(url) + " within " + timeout.getSeconds() + " seconds";
        long taken = body.taken();
        if (taken == 0 || taken >= body.contentLength()) {
            return CliException.io(none);
        }
        return CliException.io(none + ", while the body was still being sent (at most " + taken + " of its "
                + body.contentLength() + " bytes went out). A server that answers from the headers alone (413 for the"
                + " Content-Length, 401 for the signature) and reads no further may have answered: Java's HTTP client"
                + " reads a response only once the whole body is sent. To see such an answer, send the body with curl"
                + " -i and the signature 'sign' prints, as curl reads an answer while it sends.");
    }

    /**
     * Status line, headers, a blank line and the body, like {@code curl -i}, but with control
     * characters escaped, at most {@value BoundedBody#LIMIT} bytes of the body, and a last line
     * that says how many more arrived. A body cut short, at that bound or where it stopped when {@code ended} is
     * false, is masked at its end too where the cut split a hidden value ({@link Redactor#applyToCut}).
     */
    private static void print(int status, HttpHeaders headers, BoundedBody body, boolean ended, Screen screen) {
        screen.out("HTTP/1.1 " + status);
        for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
            for (String value : header.getValue()) {
                screen.out(header.getKey() + ": " + value);
            }
        }
        screen.out("");
        byte[] kept = body.kept();
        long more = body.received() - kept.length;
        String received = new String(kept, StandardCharsets.UTF_8);
        String text = Printable.escape(ended && more == 0 ? screen.redactor.apply(received)
                : screen.redactor.applyToCut(received));
        if (!text.isEmpty()) {
            screen.io.out.print(text);
            if (!text.endsWith("\n")) {
                screen.io.out.println();
            }
        }
        if (more > 0) {
            screen.io.out.println("... (" + more + " more bytes not shown)");
        }
        screen.io.out.flush();
    }

    /**
     * {@code url} as text without its fragment, which is no part of a request. The JDK's HTTP client writes the URI
     * it is given whole where it writes one as text: in the request line to a proxy the JVM is told of
     * ({@code -Dhttp.proxyHost}), which would receive the fragment and may quote it back, and in its request log
     * ({@code -Djdk.httpclient.HttpClient.log=requests}); a fragment may carry a token ({@code #access_token=...}).
     */
    private static String withoutFragment(URI url) {
        String text = url.toString();
        return url.getRawFragment() == null ? text : text.substring(0, text.length() - url.getRawFragment().length() - 1);
    }

    /** The URL as shown: without its user-info, which may hold a password. */
    static String withoutUserInfo(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1");
    }

    /**
     * The URL as printed, in the request shown and in every message: without its user-info (gone already
     * from {@code url}), its query as {@value Redactor#MASK}, as a query may carry a token
     * ({@code ?token=...}), each path segment that may be a token ({@link #isPathToken}) as {@value Redactor#MASK},
     * and without a fragment, which is not sent.
     */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority()
                + (url.getRawPath() == null ? "" : withoutPathTokens(url.getRawPath(), 0))
                + (url.getRawQuery() == null ? "" : "?" + Redactor.MASK);
    }

    /**
     * A text refused as a URL, or a URL given where a FILE goes, as an error quotes it, in quotes: without anything
     * up to its last {@code @}, with what follows its first {@code ?} or {@code #} as {@value Redactor#MASK}, and
     * each {@code /}-separated part after the host that may be a token ({@link #isPathToken}) as
     * {@value Redactor#MASK}. A query may carry a token ({@code ?token=...}), and so may a fragment
     * ({@code #access_token=...}, where OAuth's implicit flow puts one). Not being a URL, it has no user-info, path,
     * query or fragment to tell apart, and a password typed in it may hold a {@code /}. Not quoted at all where it
     * has no {@code ://} and may be a secret ({@link SecretOptions#mayBeSecret}).
     */
    static String quotable(String text) {
        if (!text.contains("://") && SecretOptions.mayBeSecret(text)) {
            // Not a URL at all, and it may be a secret given where the URL goes: send --secret-env S "$S".
            return "(the URL given, not shown: it may be a secret)";
        }
        String shown = text.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", "$1");
        int query = shown.indexOf('?');
        int fragment = shown.indexOf('#');
        // Whichever comes first: a # after the ? is in the query's mask, a ? after the # in the fragment's.
        int masked = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
        // The parts before the path: "http:", "" and the host with a scheme; the host alone without one.
        String before = masked < 0 ? shown : shown.substring(0, masked);
        String path = withoutPathTokens(before, before.contains("://") ? 3 : 1);
        return "'" + path + (masked < 0 ? "" : shown.charAt(masked) + Redactor.MASK) + "'";
    }

    /** A request body that counts the bytes the HTTP client has taken from it. */
    private static final class Counted implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher body;
        private final AtomicLong taken = new AtomicLong();

        Counted(HttpRequest.BodyPublisher body) {
            this.body = body;
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        long taken() {
            return taken.get();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            // Counted anew for each subscriber: a client that sends the request again reads the body again.
            taken.set(0);
            body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    taken.addAndGet(item.remaining());
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable failure) {
                    subscriber.onError(failure);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }

    /** The body to send and how to describe it. */
    private static final class Body {
        final ReadBody bytes;
        final String description;

        Body(ReadBody bytes, String description) {
            this.bytes = bytes;
            this.description = description;
        }
    }

    /** Prints a line with the secrets masked and control characters escaped. */
    private static final class Screen {
        final Io io;
        final Redactor redactor;

        Screen(Io io, Redactor redactor) {
            this.io = io;
            this.redactor = redactor;
        }

        void out(String line) {
            io.out.println(Printable.escape(redactor.apply(line)));
        }

        void err(String line) {
            io.err.println(Printable.escape(redactor.apply(line)));
        }
    }
}
