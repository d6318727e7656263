package dev.webhookfilter;

import dev.webhookfilter.internal.Spelling;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one sender signs its webhooks: which headers carry the signature, the timestamp and the
 * message id; which bytes are signed, in which order; how the MAC is spelled; how the HMAC-SHA256
 * key is made from the secret the sender shows; and whether a timestamp bounds the message's life.
 *
 * <p>A scheme is data, read by one parser and one verifier for all senders. The known schemes are
 * listed by {@link #names()} and obtained with {@link #named(String)}:
 *
 * <table>
 *   <caption>Schemes</caption>
 *   <tr><th>Name</th><th>Headers</th><th>Signed message</th><th>MAC</th><th>Key</th><th>Timestamp</th></tr>
 *   <tr><td>{@code wealthkernel-2022} (default)</td><td>{@code X-Webhook-Signature: t=..,v1=..[,v1=..]}</td>
 *       <td>body t</td><td>base64</td><td>UTF-8</td><td>in the header</td></tr>
 *   <tr><td>{@code wealthkernel}</td><td>{@code Webhook-Signature: t=..,v1=..[,v1=..]}</td>
 *       <td>body t</td><td>hex</td><td>base64-decoded</td><td>in the header</td></tr>
 *   <tr><td>{@code standard-webhooks}</td><td>{@code webhook-id}, {@code webhook-timestamp},
 *       {@code webhook-signature: v1,..[ v1,..]}</td><td>id . t . body</td><td>base64</td>
 *       <td>{@code whsec_} stripped, base64-decoded</td><td>own header</td></tr>
 *   <tr><td>{@code svix}</td><td>{@code svix-id}, {@code svix-timestamp}, {@code svix-signature}
 *       (unless all three are present: {@code webhook-id}, {@code webhook-timestamp},
 *       {@code webhook-signature})</td><td>id . t . body</td><td>base64</td>
 *       <td>{@code whsec_} stripped, base64-decoded</td><td>own header</td></tr>
 *   <tr><td>{@code stripe}</td><td>{@code Stripe-Signature: t=..,v1=..[,v1=..]}</td><td>t . body</td>
 *       <td>hex</td><td>UTF-8 of the whole secret</td><td>in the header</td></tr>
 *   <tr><td>{@code github}</td><td>{@code X-Hub-Signature-256: sha256=..}</td><td>body</td><td>hex</td>
 *       <td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code slack}</td><td>{@code X-Slack-Signature: v0=..}, {@code X-Slack-Request-Timestamp}</td>
 *       <td>v0: t : body</td><td>hex</td><td>UTF-8</td><td>own header</td></tr>
 *   <tr><td>{@code shopify}</td><td>{@code X-Shopify-Hmac-Sha256: ..} (without it, {@code shopify-hmac-sha256})</td>
 *       <td>body</td><td>base64</td><td>UTF-8</td><td>none</td></tr>
 *   <tr><td>{@code paddle}</td><td>{@code Paddle-Signature: ts=..;h1=..[;h1=..]}</td><td>ts : body</td>
 *       <td>hex</td><td>UTF-8</td><td>in the header (default tolerance 5 s)</td></tr>
 * </table>
 *
 * <p>Hex is 64 lowercase digits; base64 is standard with padding (44 characters); any other spelling
 * of the same MAC is refused. Timestamps are canonical positive decimals of Unix seconds.
 *
 * <p>Immutable and thread-safe.
 */
public final class Scheme {

    /** How the MAC is spelled in the header. */
    enum Encoding {
        /** 64 lowercase hexadecimal digits. */
        HEX(64, "64 lowercase hex digits"),
        /** Standard base64 with padding: 44 characters. */
        BASE64(44, "the padded base64");

        /** How many characters spell a 32-byte MAC; none of them is a separator or a blank. */
        final int chars;
        final String description;

        Encoding(int chars, String description) {
            this.chars = chars;
            this.description = description;
        }
    }

    /** How the HMAC key is made from the secret the sender shows. */
    enum KeyDerivation {
        /** The secret's UTF-8 bytes. */
        UTF8,
        /** The secret is standard base64; the key is what it decodes to. */
        BASE64,
        /** The secret is {@code whsec_} (optional) then base64; the key is what the rest decodes to. */
        WHSEC_BASE64
    }

    /** Where the header is split into signatures (and a timestamp). */
    enum Layout {
        /**
         * Elements separated by one character, each {@code label<pair>value}: the signature label marks
         * a MAC, the timestamp label (if any) the timestamp; other labels are ignored.
         */
        PAIRS,
        /** One MAC after a fixed prefix, and nothing else. */
        PREFIXED
    }

    /** One part of the signed message. */
    static final class Part {

        /** What a part is, compared by identity where a request's signed bytes are assembled. */
        enum Kind { LITERAL, ID, TIMESTAMP, BODY }

        /** Literal bytes, or null for a variable part. */
        final byte[] literal;
        /** {@code id}, {@code t} or {@code body} for a variable part. */
        final String variable;
        final Kind kind;

        private Part(byte[] literal, String variable) {
            this.literal = literal;
            this.variable = variable;
            this.kind = literal != null ? Kind.LITERAL : ID.equals(variable) ? Kind.ID
                    : TIMESTAMP.equals(variable) ? Kind.TIMESTAMP : BODY.equals(variable) ? Kind.BODY : null;
            if (kind == null) {
                throw new IllegalArgumentException("a signed message has {id}, {t} and {body}, not {" + variable + "}");
            }
        }
    }

    static final String ID = "id";
    static final String TIMESTAMP = "t";
    static final String BODY = "body";
    /** The default tolerance either side of now, for schemes with a timestamp. */
    static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);
    /** The most edits between a name given and a known one for the name to be quoted as a misspelling. */
    private static final int MAX_EDITS = 2;

    final String name;
    /**
     * The names of each header, one per header set: set k reads the k-th name of each list, and a list of
     * one name serves every set; empty when the scheme reads no such header. See {@link SignatureHeader}.
     */
    final List<String> signatureHeaders;
    final List<String> timestampHeaders;
    final List<String> idHeaders;
    /** How many header sets there are: the first, then one per fallback; the longest list's length. */
    final int headerSets;
    /** Signature, timestamp and id headers, each with its fallbacks, in that order. */
    private final List<String> headerNames;
    /** The header whose value de-duplication claims by default; null when the sender sends none. */
    final String deliveryIdHeader;
    /** {@link #deliveryIdHeader}, then its names in the sender's other header sets; empty when the sender sends none. */
    private final List<String> deliveryIdHeaders;
    final Layout layout;
    /** PAIRS: the element separator; PREFIXED: unused. */
    final char elementSeparator;
    /** PAIRS: between label and value. */
    final char pairSeparator;
    /** PAIRS: the label of a MAC; PREFIXED: the prefix before the MAC. */
    final String signatureLabel;
    /** PAIRS with the timestamp in the signature header: its label; otherwise null. */
    final String timestampLabel;
    final int maxSignatures;
    final Encoding encoding;
    final KeyDerivation keyDerivation;
    /** The signed message, in order; exactly one part is the body. An array: a request's check walks it. */
    final Part[] message;
    final Duration defaultTolerance;

    private Scheme(Definition d, List<String> signatureHeaders) {
        this.name = d.name;
        this.signatureHeaders = signatureHeaders;
        this.timestampHeaders = d.timestampHeaders;
        this.idHeaders = d.idHeaders;
        this.headerSets = headerSets(signatureHeaders, timestampHeaders, idHeaders);
        List<String> names = new ArrayList<>(signatureHeaders);
        names.addAll(d.timestampHeaders);
        names.addAll(d.idHeaders);
        this.headerNames = Collections.unmodifiableList(names);
        this.deliveryIdHeaders = d.deliveryIdHeaders != null ? d.deliveryIdHeaders : d.idHeaders;
        this.deliveryIdHeader = deliveryIdHeaders.isEmpty() ? null : deliveryIdHeaders.get(0);
        this.layout = d.layout;
        this.elementSeparator = d.elementSeparator;
        this.pairSeparator = d.pairSeparator;
        this.signatureLabel = d.signatureLabel;
        this.timestampLabel = d.timestampLabel;
        this.maxSignatures = d.maxSignatures;
        this.encoding = d.encoding;
        this.keyDerivation = d.keyDerivation;
        this.message = d.message.toArray(new Part[0]);
        this.defaultTolerance = d.defaultTolerance;
        this.definition = d;
    }

    private final Definition definition;

    /**
     * The scheme of that name: one of {@link #names()}, exactly as spelled there (case-insensitive,
     * surrounding blanks ignored).
     *
     * @param name a scheme's name, such as {@code stripe}
     * @return the scheme
     * @throws IllegalArgumentException if no scheme has that name; the message lists the names, and
     *         quotes the name given only when it is within two edits of one of them (then naming that one):
     *         anything else could be a secret given in the wrong place
     */
    public static Scheme named(String name) {
        String wanted = name == null ? null : name.strip().toLowerCase(Locale.ROOT);
        if (wanted != null) {
            for (Scheme scheme : KnownSchemes.ALL) {
                if (scheme.name.equals(wanted)) {
                    return scheme;
                }
            }
        }
        String names = "; the schemes are " + String.join(", ", names());
        String nearest = name == null ? null : misspelled(name.strip());
        throw new IllegalArgumentException(name == null ? "unknown webhook scheme" + names
                : nearest != null ? "unknown webhook scheme '" + name.strip() + "' (did you mean '" + nearest + "'?)" + names
                : "unknown webhook scheme (the name given is not shown: it could be a secret)" + names);
    }

    /** {@return how many header sets these lists of header names make: the longest list's length} */
    private static int headerSets(List<String> signatureHeaders, List<String> timestampHeaders, List<String> idHeaders) {
        return Math.max(signatureHeaders.size(), Math.max(timestampHeaders.size(), idHeaders.size()));
    }

    /** {@return the names of the known schemes, the default first} */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Scheme scheme : KnownSchemes.ALL) {
            names.add(scheme.name);
        }
        return Collections.unmodifiableList(names);
    }

    /** {@return the default scheme, {@code wealthkernel-2022}} */
    public static Scheme defaultScheme() {
        return KnownSchemes.ALL.get(0);
    }

    /** {@return this scheme's name, as {@link #named(String)} takes it} */
    public String name() {
        return name;
    }

    /** {@return the header that carries the signature (the first tried, where there are fallbacks)} */
    public String signatureHeader() {
        return signatureHeaders.get(0);
    }

    /** {@return the names the signature header is looked up by: its name, then its name in each fallback set} */
    public List<String> signatureHeaders() {
        return signatureHeaders;
    }

    /**
     * {@return the names the signed message id is read by, one per header set ({@code svix-id}, then
     * {@code webhook-id}); empty for a scheme that signs none}
     */
    public List<String> messageIdHeaders() {
        return idHeaders;
    }

    /**
     * {@return every header name this scheme reads: signature, timestamp, id, each followed by its names
     * in the fallback sets}
     */
    public List<String> headerNames() {
        return headerNames;
    }

    /** {@return whether the signature header is the only header this scheme reads} */
    boolean readsSignatureHeaderOnly() {
        return timestampHeaders.isEmpty() && idHeaders.isEmpty();
    }

    /**
     * {@return the header that carries the sender's id of each delivery, which de-duplication claims
     * unless told another: {@code webhook-id}, {@code svix-id}, {@code X-GitHub-Delivery},
     * {@code X-Shopify-Webhook-Id}; empty for senders that send none in a header. Its other names are in
     * {@link #deliveryIdHeaders()}}
     */
    public Optional<String> deliveryIdHeader() {
        return Optional.ofNullable(deliveryIdHeader);
    }

    /**
     * {@return the names the sender's delivery id comes in: {@link #deliveryIdHeader()}, then its names in the
     * sender's other header sets ({@code svix}: {@code webhook-id}; {@code shopify}: {@code shopify-webhook-id}, which
     * de-duplication claims where {@code X-Shopify-Webhook-Id} is absent); empty for senders that send none in a
     * header}
     */
    public List<String> deliveryIdHeaders() {
        return deliveryIdHeaders;
    }

    /** {@return whether the signed message carries a timestamp, so that freshness bounds its life} */
    public boolean hasTimestamp() {
        return timestampLabel != null || !timestampHeaders.isEmpty();
    }

    /** {@return whether one header may carry several signatures (one per secret while a secret rotates)} */
    public boolean allowsSeveralSignatures() {
        return maxSignatures > 1;
    }

    /**
     * {@return the tolerance either side of now, as old as the sender's own libraries accept: 5 seconds for
     * {@code paddle}, 300 for the others; a configured tolerance replaces it}
     */
    public Duration defaultTolerance() {
        return defaultTolerance;
    }

    /**
     * This scheme with the signature carried in another header, for a proxy or sender that renames it.
     * The name and every other rule stay the same; that header serves every header set.
     *
     * @param headerName the header's name
     * @return the scheme reading the signature from {@code headerName}
     * @throws IllegalArgumentException if {@code headerName} is not an HTTP header name
     */
    public Scheme withSignatureHeader(String headerName) {
        if (!isHeaderName(headerName)) {
            throw new IllegalArgumentException("a signature header name must be an HTTP header name"
                    + " (letters, digits and -)");
        }
        return new Scheme(definition, List.of(headerName));
    }

    /**
     * The HMAC key for a secret as the sender shows it.
     *
     * @throws IllegalArgumentException if the scheme wants base64 and the secret is not, or the key is empty;
     *         the message never contains the secret
     */
    byte[] key(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret must not be null or empty");
        }
        switch (keyDerivation) {
            case UTF8:
                return secret.getBytes(StandardCharsets.UTF_8);
            case BASE64:
                return decode(secret, "scheme " + name + " takes the secret as the platform shows it, in base64");
            default:
                String rest = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
                return decode(rest, "scheme " + name + " takes the secret as whsec_ followed by base64");
        }
    }

    private static byte[] decode(String base64, String expectation) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a secret is not valid base64; " + expectation);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a secret decodes to no bytes; " + expectation);
        }
        return key;
    }

    /**
     * Whether {@code name} can name an HTTP header: a non-empty RFC 9110 token.
     *
     * @param name a header name, or null
     * @return true for a token
     */
    public static boolean isHeaderName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The known name that {@code given} (stripped) evidently misspells, case aside: the first of the
     * nearest within {@link #MAX_EDITS} edits, or null. A name of other characters than ASCII letters,
     * digits, {@code -} and {@code _} is none, so that what is quoted cannot break a log line. The
     * senders' secrets are far longer than any scheme's name, so none is within two edits of one.
     */
    private static String misspelled(String given) {
        for (int i = 0; i < given.length(); i++) {
            char c = given.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
        }
        return Spelling.nearest(given.toLowerCase(Locale.ROOT), names(), MAX_EDITS);
    }

    @Override
    public String toString() {
        return "Scheme[" + name + ", " + String.join(", ", headerNames()) + "]";
    }

    /** Whether {@code other} reads and signs as this scheme does, whatever its signature header is named. */
    boolean readsAlike(Scheme other) {
        return other.definition == definition;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Scheme && ((Scheme) other).definition == definition
                && ((Scheme) other).signatureHeaders.equals(signatureHeaders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, signatureHeaders);
    }

    /** Starts the definition of a scheme; see {@link KnownSchemes}. */
    static Definition define(String name) {
        return new Definition(name);
    }

    /** The data of a scheme, filled in by {@link KnownSchemes}; {@link #build} checks it is coherent. */
    static final class Definition {
        private final String name;
        private List<String> signatureHeaders = List.of();
        private List<String> timestampHeaders = List.of();
        private List<String> idHeaders = List.of();
        private List<String> deliveryIdHeaders;
        private Layout layout;
        private char elementSeparator;
        private char pairSeparator;
        private String signatureLabel;
        private String timestampLabel;
        private int maxSignatures = 1;
        private Encoding encoding;
        private KeyDerivation keyDerivation = KeyDerivation.UTF8;
        private List<Part> message;
        private Duration defaultTolerance = DEFAULT_TOLERANCE;

        private Definition(String name) {
            this.name = name;
        }

        /** The signature header is a list: {@code separator}-separated {@code label<pair>value} elements. */
        Definition pairs(String header, char separator, char pair, String signatureLabel, int maxSignatures) {
            this.signatureHeaders = List.of(header);
            this.layout = Layout.PAIRS;
            this.elementSeparator = separator;
            this.pairSeparator = pair;
            this.signatureLabel = signatureLabel;
            this.maxSignatures = maxSignatures;
            return this;
        }

        /** The signature header is {@code prefix} then one MAC. */
        Definition prefixed(String header, String prefix) {
            this.signatureHeaders = List.of(header);
            this.layout = Layout.PREFIXED;
            this.signatureLabel = prefix;
            this.maxSignatures = 1;
            return this;
        }

        /**
         * The signature header's names in the fallback header sets, in order: set k (from 1) reads the
         * k-th of these with the k-th timestamp and id header names, and is read only when no set before
         * it is whole ({@link SignatureHeader}).
         */
        Definition signatureHeaderFallbacks(String... names) {
            List<String> all = new ArrayList<>(signatureHeaders);
            all.addAll(List.of(names));
            this.signatureHeaders = List.copyOf(all);
            return this;
        }

        /** The timestamp is the signature header's element with this label. */
        Definition timestampLabel(String label) {
            this.timestampLabel = label;
            return this;
        }

        /**
         * The timestamp is the whole value of this header; given several names, the k-th is header set
         * k's, read with that set's signature and id headers only.
         */
        Definition timestampHeader(String... names) {
            this.timestampHeaders = List.of(names);
            return this;
        }

        /**
         * The message id is the whole value of this header; given several names, the k-th is header set
         * k's, read with that set's signature and timestamp headers only.
         */
        Definition idHeader(String... names) {
            this.idHeaders = List.of(names);
            return this;
        }

        /**
         * The sender's delivery id is in this header, outside the signed message, or where it is absent in the next
         * name; the signed id otherwise.
         */
        Definition deliveryIdHeader(String... names) {
            this.deliveryIdHeaders = List.of(names);
            return this;
        }

        Definition encoding(Encoding encoding) {
            this.encoding = encoding;
            return this;
        }

        Definition key(KeyDerivation keyDerivation) {
            this.keyDerivation = keyDerivation;
            return this;
        }

        Definition defaultTolerance(Duration tolerance) {
            this.defaultTolerance = tolerance;
            return this;
        }

        /**
         * The signed message as a template: {@code {id}}, {@code {t}} and {@code {body}} stand for the
         * message id, the timestamp as sent and the body; everything else is literal ASCII.
         */
        Definition message(String template) {
            List<Part> parts = new ArrayList<>();
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                if (open < 0) {
                    open = template.length();
                }
                if (open > i) {
                    parts.add(new Part(template.substring(i, open).getBytes(StandardCharsets.US_ASCII), null));
                }
                if (open == template.length()) {
                    break;
                }
                int close = template.indexOf('}', open);
                parts.add(new Part(null, template.substring(open + 1, close)));
                i = close + 1;
            }
            this.message = List.copyOf(parts);
            return this;
        }

        Scheme build() {
            long bodies = message.stream().filter(p -> p.kind == Part.Kind.BODY).count();
            boolean usesT = message.stream().anyMatch(p -> p.kind == Part.Kind.TIMESTAMP);
            boolean usesId = message.stream().anyMatch(p -> p.kind == Part.Kind.ID);
            boolean hasT = timestampLabel != null || !timestampHeaders.isEmpty();
            // Header sets are read whole: every list with more than one name gives one to each set.
            int sets = headerSets(signatureHeaders, timestampHeaders, idHeaders);
            boolean setsAgree = (signatureHeaders.size() <= 1 || signatureHeaders.size() == sets)
                    && (timestampHeaders.size() <= 1 || timestampHeaders.size() == sets)
                    && (idHeaders.size() <= 1 || idHeaders.size() == sets);
            if (bodies != 1 || usesT != hasT || usesId == idHeaders.isEmpty() || encoding == null || layout == null
                    || !setsAgree
                    || (timestampLabel != null && layout != Layout.PAIRS)
                    || (layout == Layout.PAIRS && !isSeparator(elementSeparator))) {
                throw new IllegalStateException("scheme " + name + " is not coherent");
            }
            return new Scheme(this, signatureHeaders);
        }

        /**
         * Whether {@code c} can end an element: visible ASCII or a space, and in neither MAC alphabet,
         * so that a MAC decoded from where its element's value starts cannot run into the next element.
         */
        private static boolean isSeparator(char c) {
            return c >= ' ' && c <= '~' && !Character.isLetterOrDigit(c) && "+/=".indexOf(c) < 0;
        }
    }
}
