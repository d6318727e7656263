package dev.webhookfilter.cli;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Rejection;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookVerifier;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code verify}: checks a captured signature header and body as the filter would, and says which
 * check failed and why, or which secret matched and how old the timestamp is.
 */
final class VerifyCommand implements Command {

    static final String SIGNATURE = "--signature";
    static final String TOLERANCE = "--tolerance";
    static final String NOW = "--now";

    /**
     * The largest tolerance the filter's {@code toleranceSeconds} takes (the servlet module's parameter table,
     * which this module does not depend on): verify gives no verdict a filter could not. {@code --now} is
     * how to check an old capture.
     */
    static final long MAX_TOLERANCE_SECONDS = 86_400;

    /** The latest instant a {@link Clock} can report in milliseconds, in Unix seconds (year 292,278,994). */
    private static final long LATEST_SECONDS = Long.MAX_VALUE / 1000;

    /** A leading "Name:" as in a copied header line; a signature value never contains ':' before '='. */
    private static final Pattern HEADER_NAME_PREFIX = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*");

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check a captured signature and body, saying which check fails";
    }

    @Override
    public Set<String> options() {
        Set<String> options = new HashSet<>(SecretOptions.NAMES);
        options.addAll(List.of(SIGNATURE, TOLERANCE, NOW, SchemeOption.NAME, SendCommand.HEADER));
        return options;
    }

    @Override
    public String help(String program) {
        return "Usage: " + program + " verify --signature VALUE [options] [FILE]\n\n"
                + "Checks a captured signature header (" + Scheme.defaultScheme().signatureHeader() + " for the default scheme)\n"
                + "against the body in FILE (standard input when FILE is - or absent) as the filter does, and\n"
                + "says which check fails: a malformed header (which rule), a stale or future timestamp (by\n"
                + "how many seconds), or no matching signature. On success it says which secret matched and\n"
                + "how old the timestamp is.\n\n"
                + "Options:\n"
                + "  --signature VALUE     the signature header's value (t=...,v1=... for the default scheme);\n"
                + "                        a leading 'Name:' is dropped; for svix, 'webhook-signature: ...'\n"
                + "                        reads the webhook-* set that Svix sends instead of svix-*; the\n"
                + "                        'Name: value' lines sign prints are taken whole, the signature's\n"
                + "                        by its name and the others as with -H: --signature \"$(sign ...)\"\n"
                + SecretOptions.HELP
                + "  --tolerance SECONDS   how far the timestamp may be from now, either way (default: "
                + Scheme.defaultScheme().defaultTolerance().getSeconds() + ", 5 for paddle)\n"
                + "                        at most " + MAX_TOLERANCE_SECONDS + ", as the filter's toleranceSeconds\n"
                + SchemeOption.HELP
                + "  -H, --header 'Name: value'\n"
                + "                        another header the scheme reads (a timestamp or message id\n"
                + "                        header); repeat for several\n"
                + "  --now SECONDS         check as at these Unix seconds, e.g. when a capture was received\n"
                + "                        (default: now)\n"
                + "  -h, --help            show this help\n\n"
                + "With several secrets, any may match, as in the filter during a rotation. For github and\n"
                + "shopify, which sign no timestamp, --tolerance and --now are refused.\n\n"
                + "Example, the default scheme:\n"
                + "  " + program + " verify --secret-env WEBHOOK_SECRET --signature 't=1700000000,v1=...' event.json\n\n"
                + "Exit codes: 0 verified, 1 verification failed, 2 usage error, 3 I/O error, 4 internal error.\n";
    }

    @Override
    public int run(Options options, Io io) throws CliException {
        List<String> operands = options.operands(1, "at most one FILE");
        String signature = options.single(SIGNATURE);
        Scheme scheme = SchemeOption.from(options);
        SchemeOption.refuseTimeOptions(options, scheme, TOLERANCE, NOW);
        if (signature == null) {
            throw CliException.usage("verify needs " + SIGNATURE + " VALUE: the captured " + scheme.signatureHeader()
                    + " value" + (scheme.equals(Scheme.defaultScheme()) ? ", t=...,v1=..." : ""));
        }
        long tolerance = options.seconds(TOLERANCE, 1, MAX_TOLERANCE_SECONDS, scheme.defaultTolerance().getSeconds());
        long now = options.seconds(NOW, 1, LATEST_SECONDS, io.now());
        String file = operands.isEmpty() ? Io.STDIN : operands.get(0);
        SecretOptions secrets = SecretOptions.from(options, io, file);
        ReadBody body = io.readBody(file);

        List<String> others = new ArrayList<>(options.values(SendCommand.HEADER));
        String header = signatureLine(signature.strip(), scheme, others);
        String signatureHeader = scheme.signatureHeader();
        Matcher named = HEADER_NAME_PREFIX.matcher(header);
        if (named.lookingAt()) {
            // The name picks the header set where a scheme has several (svix-signature or webhook-signature);
            // any other name is dropped, as a copied line may carry a proxy's name for the header.
            for (String name : scheme.signatureHeaders()) {
                if (name.equalsIgnoreCase(named.group(1))) {
                    signatureHeader = name;
                }
            }
            header = header.substring(named.end());
        }
        HeaderLookup headers = headers(signatureHeader, header, others);
        Outcome result = check(verifier(scheme, secrets, tolerance, now), headers, body);
        if (result.isVerified()) {
            io.out.println("OK verified");
            io.out.println("  signature: matches " + secrets.describe(result.secretIndex()));
            if (scheme.hasTimestamp()) {
                io.out.println("  signed at: " + time(result.timestamp()) + ", " + age(now - result.timestamp())
                        + " (tolerance " + tolerance + " seconds)");
            } else {
                io.out.println("  signed at: not signed; scheme " + scheme.name() + " carries no timestamp");
            }
            io.out.println("  body:      " + body.length + " bytes, SHA-256 " + sha256(body));
            return Main.OK;
        }

        Rejection rejection = result.rejection();
        io.out.println("FAILED " + rejection.message() + ": " + result.detail());
        switch (rejection) {
            case MALFORMED_HEADER:
            case MISSING_HEADER:
                io.out.println(scheme.equals(Scheme.defaultScheme())
                        ? "  expected:  t=<unix seconds>,v1=<base64 of the 32-byte HMAC-SHA256>[,v1=...]"
                        : "  expected:  " + expectedHeaders(scheme));
                break;
            case STALE_TIMESTAMP:
            case FUTURE_TIMESTAMP:
                io.out.println("  signed at: " + time(result.timestamp()));
                io.out.println("  now:       " + time(now));
                // Checked as at the signing time, so the answer is about the signature alone.
                Outcome signatureAlone = result.timestamp() > LATEST_SECONDS ? null
                        : check(verifier(scheme, secrets, tolerance, result.timestamp()), headers, body);
                io.out.println(signatureAlone == null ? "  signature: not checked, t is too far in the future"
                        : signatureAlone.isVerified()
                        ? "  signature: matches " + secrets.describe(signatureAlone.secretIndex())
                                + "; only the time is wrong"
                        : "  signature: does not match either");
                if (rejection == Rejection.STALE_TIMESTAMP) {
                    io.out.println("  hint:      to check a capture made earlier, add " + NOW
                            + " <unix seconds when it was received>");
                } else if (Math.abs(Math.floorDiv(result.timestamp(), 1000L) - now) <= tolerance) {
                    // The verifier's rule for "t looks like milliseconds", which its detail above then says: no clock
                    // is wrong, and NTP would not help.
                    io.out.println("  hint:      the sender wrote t in milliseconds; it must send Unix seconds"
                            + " (date +%s, Instant.now().getEpochSecond())");
                } else {
                    io.out.println("  hint:      the sender's clock or yours is wrong; check both with NTP");
                }
                break;
            default:
                if (scheme.hasTimestamp()) {
                    io.out.println("  signed at: " + time(result.timestamp()) + ", " + age(now - result.timestamp()));
                }
                io.out.println("  body:      " + body.length + " bytes, SHA-256 " + sha256(body));
                io.out.println("  hint:      " + mismatchHint(verifier(scheme, secrets, tolerance, now), secrets,
                        headers, body));
                break;
        }
        return Main.FAILED;
    }

    /**
     * The headers a scheme reads, for a malformed or missing one: each header set of the scheme (svix has two,
     * shopify two names of its one header), and how to give them.
     */
    private static String expectedHeaders(Scheme scheme) {
        List<String> signatures = scheme.signatureHeaders();
        if (signatures.size() == 1) {
            return "the headers " + String.join(", ", scheme.headerNames()) + " of scheme " + scheme.name()
                    + ", each once (" + SIGNATURE + " for the first, -H for the others)";
        }
        // headerNames() is the signature, timestamp and id headers, each with its names in the other sets;
        // set k reads the k-th name of each, or the only one.
        List<String> timestamps = new ArrayList<>(scheme.headerNames());
        timestamps.removeAll(signatures);
        timestamps.removeAll(scheme.messageIdHeaders());
        List<String> sets = new ArrayList<>();
        for (int set = 0; set < signatures.size(); set++) {
            List<String> names = new ArrayList<>(List.of(signatures.get(set)));
            for (List<String> header : List.of(timestamps, scheme.messageIdHeaders())) {
                if (!header.isEmpty()) {
                    names.add(header.get(header.size() == 1 ? 0 : set));
                }
            }
            sets.add(String.join(", ", names));
        }
        return "the headers " + String.join(" or else ", sets) + " of scheme " + scheme.name()
                + ", each once (" + SIGNATURE + " 'Name: value' for the signature"
                + (timestamps.isEmpty() && scheme.messageIdHeaders().isEmpty() ? ")" : ", -H for the others)");
    }

    /**
     * The signature's line of {@code given}, a {@code --signature} value: all of it if it is one line; of several (as
     * {@code sign} prints them for a scheme that reads several headers, so that {@code --signature "$(sign ...)"}
     * works for every scheme), the one named as a signature header of {@code scheme}, or else the first. The other
     * lines are added to {@code others}, as if each were given with -H.
     */
    private static String signatureLine(String given, Scheme scheme, List<String> others) {
        List<String> lines = new ArrayList<>();
        for (String line : given.split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        if (lines.size() < 2) {
            return given;
        }
        int signature = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher named = HEADER_NAME_PREFIX.matcher(lines.get(i));
            if (named.lookingAt() && scheme.signatureHeaders().stream().anyMatch(named.group(1)::equalsIgnoreCase)) {
                signature = i;
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            if (i != signature) {
                others.add(lines.get(i));
            }
        }
        return lines.get(signature);
    }

    /** The signature under {@code signatureHeader}, and the other headers as given with -H. */
    private static HeaderLookup headers(String signatureHeader, String signature, List<String> others)
            throws CliException {
        List<String[]> parsed = new ArrayList<>();
        for (String line : others) {
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw SendCommand.malformedHeader(line);
            }
            parsed.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
        }
        return name -> {
            List<String> values = new ArrayList<>();
            if (name.equalsIgnoreCase(signatureHeader)) {
                values.add(signature);
            }
            for (String[] header : parsed) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        };
    }

    private static WebhookVerifier verifier(Scheme scheme, SecretOptions secrets, long tolerance, long now)
            throws CliException {
        try {
            return verifierOf(scheme, secrets, tolerance, now);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static WebhookVerifier verifierOf(Scheme scheme, SecretOptions secrets, long tolerance, long now) {
        return WebhookVerifier.builder()
                .scheme(scheme)
                .secrets(secrets.values())
                .tolerance(Duration.ofSeconds(tolerance))
                .clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC))
                .build();
    }

    /**
     * {@link WebhookVerifier#checkHeader} then, if it accepted, {@link WebhookVerifier#checkBody} over the arrays
     * the body is held in: what {@code verify(headers, body)} does for one array. The verifier's clock is fixed,
     * so both read the same second.
     */
    private static Outcome check(WebhookVerifier verifier, HeaderLookup headers, ReadBody body) {
        HeaderCheck header = verifier.checkHeader(headers);
        return new Outcome(header, header.isAccepted() ? verifier.checkBody(header, body.chunks, body.length) : null);
    }

    /** Names the usual cause of a mismatch when it is the one: a newline added to the captured body. */
    private static String mismatchHint(WebhookVerifier verifier, SecretOptions secrets, HeaderLookup headers,
                                       ReadBody body) {
        int end = body.length;
        if (end > 0 && body.at(end - 1) == '\n') {
            end--;
            if (end > 0 && body.at(end - 1) == '\r') {
                end--;
            }
            // The same bytes up to end, not a copy: a second body in the heap could be one too many.
            HeaderCheck header = verifier.checkHeader(headers);
            Verification trimmed = header.isAccepted() ? verifier.checkBody(header, body.chunks, end) : null;
            if (trimmed != null && trimmed.isVerified()) {
                return "without its trailing newline the body matches " + secrets.describe(trimmed.secretIndex())
                        + ": the capture added one (use curl --data-binary, or printf '%s' instead of echo)";
            }
        }
        return "check that the body is byte for byte what was signed (not reformatted, no newline added)"
                + " and that the secret is this endpoint's";
    }

    private static String time(long seconds) {
        return seconds > LATEST_SECONDS ? String.valueOf(seconds) : seconds + " (" + Instant.ofEpochSecond(seconds) + ")";
    }

    private static String age(long seconds) {
        long magnitude = Math.abs(seconds);
        return magnitude + (magnitude == 1 ? " second" : " seconds") + (seconds >= 0 ? " ago" : " in the future");
    }

    private static String sha256(ReadBody body) {
        byte[] digest;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            body.forEach(sha256::update);
            digest = sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no SHA-256", e);
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : digest) {
            hex.append(Character.forDigit(b >> 4 & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** A check's outcome: the body's verification, or the header check that rejected it before the body. */
    private static final class Outcome {
        private final HeaderCheck header;
        private final Verification body;

        /** @param body the body's verification, or null when {@code header} was rejected */
        Outcome(HeaderCheck header, Verification body) {
            this.header = header;
            this.body = body;
        }

        boolean isVerified() {
            return body != null && body.isVerified();
        }

        int secretIndex() {
            return body == null ? -1 : body.secretIndex();
        }

        Rejection rejection() {
            return body == null ? header.rejection() : body.rejection();
        }

        String detail() {
            return body == null ? header.detail() : body.detail();
        }

        long timestamp() {
            return body == null ? header.timestamp() : body.timestamp();
        }
    }
}
