package dev.webhookfilter.cli;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code sign}: prints the signature header value for a body, as the sending platform computes it. */
final class SignCommand implements Command {

    static final String TIMESTAMP = "--timestamp";
    static final String ID = "--id";
    /** The help of {@value #ID}, for {@code sign} and {@code send}. */
    static final String ID_HELP =
            "  --id VALUE            the message id to sign (default: a random msg_...), for schemes that sign\n"
          + "                        one (standard-webhooks, svix): the same id twice tests a receiver's\n"
          + "                        de-duplication; 1 to 256 visible ASCII characters other than '.'\n";

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public String summary() {
        return "print the signature header for a body";
    }

    @Override
    public Set<String> options() {
        Set<String> options = new HashSet<>(SecretOptions.NAMES);
        options.add(TIMESTAMP);
        options.add(ID);
        options.add(SchemeOption.NAME);
        return options;
    }

    @Override
    public String help(String program) {
        return "Usage: " + program + " sign [options] [FILE]\n\n"
                + "Prints the signature header's value for the body in FILE, or on standard input when\n"
                + "FILE is - or absent: for the default scheme, the " + Scheme.defaultScheme().signatureHeader() + " value\n"
                + "t=<unix seconds>,v1=<base64>; with --scheme, that scheme's. The body is signed byte for\n"
                + "byte as read: no newline is added or removed.\n\n"
                + "Options:\n"
                + SecretOptions.HELP
                + "  --timestamp SECONDS   sign as sent at these Unix seconds (default: now); not for github\n"
                + "                        and shopify, which sign no timestamp\n"
                + ID_HELP
                + SchemeOption.HELP
                + "  -h, --help            show this help\n\n"
                + "With --scheme, a scheme that reads more than its signature header (a timestamp or message\n"
                + "id header) prints every header as 'Name: value' lines, ready for curl -H.\n\n"
                + "Several secrets give one signature each, in order, as senders do while a secret rotates\n"
                + "(at most " + WebhookVerifier.MAX_SIGNATURES + "); not for " + oneSignatureSchemes()
                + ", whose header carries one.\n\n"
                + "Example, the default scheme (curl's --data-binary keeps the body's bytes; -d would strip its newlines):\n"
                + "  " + program + " sign --secret-env WEBHOOK_SECRET event.json\n"
                + "  curl -H \"" + Scheme.defaultScheme().signatureHeader() + ": $(" + program
                + " sign --secret-env WEBHOOK_SECRET event.json)\" \\\n"
                + "       -H 'Content-Type: application/json' --data-binary @event.json http://localhost:8080/webhooks/\n\n"
                + "Exit codes: 0 signed, 2 usage error, 3 I/O error, 4 internal error.\n";
    }

    @Override
    public int run(Options options, Io io) throws CliException {
        List<String> operands = options.operands(1, "at most one FILE");
        long timestamp = options.seconds(TIMESTAMP, 1, Long.MAX_VALUE, 0);
        Scheme scheme = SchemeOption.from(options);
        SchemeOption.refuseTimeOptions(options, scheme, TIMESTAMP);
        warnIfMilliseconds(timestamp, io);
        String file = operands.isEmpty() ? Io.STDIN : operands.get(0);
        WebhookSigner signer = signer(SecretOptions.from(options, io, file), scheme);
        String id = messageId(options, signer);
        ReadBody body = io.readBody(file);
        Map<String, String> headers = headers(signer, body, timestamp == 0 ? io.now() : timestamp, id);
        if (SchemeOption.signatureHeaderOnly(scheme)) {
            io.out.println(headers.get(scheme.signatureHeader()));
        } else {
            headers.forEach((name, value) -> io.out.println(name + ": " + value));
        }
        return Main.OK;
    }

    /**
     * Warns on standard error when {@code timestamp}, from {@value #TIMESTAMP}, reads as milliseconds (read as
     * seconds, within a year of now): signed so, the request is refused, and the filter says why. A stale or future
     * time in seconds is signed without a word, as one may want to see how a receiver treats it.
     */
    static void warnIfMilliseconds(long timestamp, Io io) {
        if (timestamp != 0 && Math.abs(timestamp / 1000 - io.now()) <= 366L * 24 * 3600) {
            io.err.println("warning: " + TIMESTAMP + " " + timestamp + " looks like milliseconds; a receiver refuses it"
                    + " (t looks like milliseconds; senders send seconds): give Unix seconds, such as "
                    + timestamp / 1000);
        }
    }

    /**
     * Every header the signer's scheme needs for {@code body} at {@code timestamp}: with message id {@code id}
     * if it signs one, or one made up when {@code id} is null.
     *
     * @param id an id {@link #messageId} accepted, or null
     */
    static Map<String, String> headers(WebhookSigner signer, ReadBody body, long timestamp, String id) {
        String signed = id != null ? id : "msg_" + java.util.UUID.randomUUID().toString().replace("-", "");
        return signer.headers(body.chunks, body.length, timestamp, signed);
    }

    /**
     * The {@value #ID} given, checked before any body is read, or null when none is.
     *
     * @throws CliException (usage) if the signer's scheme signs no message id, or the value is not one
     *         the filter accepts (the signer's rule, which is the verifier's)
     */
    static String messageId(Options options, WebhookSigner signer) throws CliException {
        String id = options.single(ID);
        if (id == null) {
            return null;
        }
        Scheme scheme = signer.scheme();
        if (scheme.messageIdHeaders().isEmpty()) {
            // Given, it would change nothing, and the user could believe the receiver sees it.
            throw CliException.usage(ID + " has no effect: scheme " + scheme.name() + " signs no message id"
                    + scheme.deliveryIdHeader().map(header -> "; its delivery id header, which it does not sign,"
                    + " is sent with send -H '" + header + ": VALUE'").orElse(""));
        }
        try {
            signer.headers(new byte[0], 1, id);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(ID + ": " + e.getMessage());
        }
        return id;
    }

    /**
     * A signer with one key per secret.
     *
     * @throws CliException (usage) if there are more secrets than a header may carry signatures
     */
    static WebhookSigner signer(SecretOptions secrets) throws CliException {
        return signer(secrets, Scheme.defaultScheme());
    }

    /** {@return the schemes whose header carries one signature, as a sentence lists them: "a, b and c"} */
    private static String oneSignatureSchemes() {
        List<String> names = new ArrayList<>();
        for (String name : Scheme.names()) {
            if (!Scheme.named(name).allowsSeveralSignatures()) {
                names.add(name);
            }
        }
        int last = names.size() - 1;
        return last < 1 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
    }

    /**
     * A signer of {@code scheme} with one key per secret.
     *
     * @throws CliException (usage) if there are more secrets than a header may carry signatures, or a
     *         secret is not what the scheme takes (such as base64)
     */
    static WebhookSigner signer(SecretOptions secrets, Scheme scheme) throws CliException {
        if (secrets.size() > WebhookVerifier.MAX_SIGNATURES) {
            throw CliException.usage(secrets.size() + " secrets given; a header carries at most "
                    + WebhookVerifier.MAX_SIGNATURES + " signatures, one per secret");
        }
        try {
            return WebhookSigner.of(scheme, secrets.values().toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
