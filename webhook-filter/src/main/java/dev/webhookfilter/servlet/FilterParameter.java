package dev.webhookfilter.servlet;

import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_DEDUPLICATE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_DEDUP_TTL_SECONDS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_HEADER_NAME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_ID_HEADER;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_LEASE_SECONDS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_LISTENER;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BODY_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_MAX_BUFFERED_BYTES;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_ON_STORE_UNAVAILABLE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_QUERY_STRING;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_CACHE_SIZE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_REPLAY_PROTECTION;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SCHEME;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_SECRETS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE_KEY_PREFIX;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_STORE_TIMEOUT_MILLIS;
import static dev.webhookfilter.servlet.WebhookSignatureFilter.PARAM_TOLERANCE_SECONDS;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.internal.Spelling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filter's parameters, one constant each: its init-param name, whether it is required, its
 * default, its range and unit where it is a number, and its row of the README's parameter table.
 * {@code init} and {@link WebhookSignatureFilter.Builder} are both checked here, with the same words:
 * an init-param arrives as text and is parsed first; a builder's value arrives typed ({@link Number}
 * for a number, {@link Boolean} for a choice: true for the word that is not the default).
 *
 * <p>The order is the README's, and that of the list an unknown name is told.
 * {@code ReadmeParameterTableTest} renders the README's table from this one.
 */
enum FilterParameter {

    SECRETS(PARAM_SECRETS, Kind.TEXT, "yes", null, null, "The shared secrets, comma-separated. Each entry is a literal"
            + " secret, `env:NAME` (the environment variable `NAME`) or `file:PATH` (every line of the UTF-8 file `PATH`"
            + " is a secret, but blank lines and comments, lines starting with `#`). Spaces around entries and lines are ignored. A request verifies when it"
            + " matches any one of them."),
    TOLERANCE_SECONDS(PARAM_TOLERANCE_SECONDS, "seconds", 1, 86_400, Scheme.defaultScheme().defaultTolerance().getSeconds(),
            toleranceDefaults(), "How far the signature's `t` may be from the server's clock, in either"
            + " direction: {range}. For {untimed}, which sign no timestamp, how long replay protection refuses an"
            + " accepted message again."),
    MAX_BODY_BYTES(PARAM_MAX_BODY_BYTES, "bytes", 1, 1024 * 1024 * 1024, 1024 * 1024, null, "The largest body accepted;"
            + " a larger one gets 413 without being read past the limit: {range}."),
    /** At least {@link #MAX_BODY_BYTES}: its floor is that parameter's value. */
    MAX_BUFFERED_BYTES(PARAM_MAX_BUFFERED_BYTES, "bytes", MAX_BODY_BYTES, 1L << 50, "a quarter of the heap", "The most body bytes"
            + " all requests in flight may hold together: {range}. Bodies are buffered as their bytes arrive (never"
            + " allocated from `Content-Length` alone); past this budget a request gets 503 with `Retry-After: 60`"
            + " before its body is read. A verified form takes room for its decoded parameters too: less than a form"
            + " of `maxBodyBytes` takes draws a WARNING at start-up."),
    SCHEME(PARAM_SCHEME, Kind.TEXT, "no", Scheme.defaultScheme().name(), null, "The sender's signature scheme:"
            + " {schemes} ([Signature schemes](#signature-schemes)), in upper or lower case alike. Another name stops the"
            + " start and lists these."),
    HEADER_NAME(PARAM_HEADER_NAME, Kind.TEXT, "no", null, "the scheme's (`X-Webhook-Signature` for the default)", "The header that"
            + " carries the signature, for a proxy that renames it; the scheme's other headers keep their names. One"
            + " of those (`X-Slack-Request-Timestamp`, `webhook-id`, ...) stops the start: no request could verify."),
    /** Whether a request with a query string, which is not signed, is let through or refused. */
    QUERY_STRING(PARAM_QUERY_STRING, "allow", "reject", "`reject` answers 400 (`QUERY_STRING`) to a request with a query"
            + " string, which nobody signed."),
    REPLAY_PROTECTION(PARAM_REPLAY_PROTECTION, "false", "true", "`true` refuses a signed message (timestamp and body)"
            + " that was already accepted within the tolerance window (401, `replayed`), whichever secret or `v1` it"
            + " carries."),
    REPLAY_CACHE_SIZE(PARAM_REPLAY_CACHE_SIZE, "entries", 1, 10_000_000, 100_000, null, "How many entries the `memory`"
            + " store holds, for replay protection and for de-duplication each (about 150 bytes an entry): {range}."
            + " Only with `replayProtection` or `deduplicate` on the `memory` store."),
    DEDUPLICATE(PARAM_DEDUPLICATE, "false", "true", "`true` runs the handler once per sender's message id (see"
            + " [De-duplication](#de-duplication-and-a-shared-store))."),
    ID_HEADER(PARAM_ID_HEADER, Kind.TEXT, "with `deduplicate`, for some schemes", null, "the scheme's", "The header that"
            + " carries the sender's message id. By default the scheme's: {deliveryIds}; the other schemes' senders"
            + " send none in a header, so name the one yours sends (Stripe, Slack and Paddle send none: their event ids"
            + " are in the body, which the filter does not read; de-duplicate those in the handler). Where it names the header a scheme signs the id"
            + " in, the id claimed is the one verified, from whichever header set the request carries (`svix`:"
            + " `svix-id`, or `webhook-id` when Svix sends those). Unset for `shopify`, Shopify's newer"
            + " `shopify-webhook-id` is read where `X-Shopify-Webhook-Id` is missing; an `idHeader` given is read"
            + " alone."),
    DEDUP_TTL_SECONDS(PARAM_DEDUP_TTL_SECONDS, "seconds", 1, 31_536_000, 259_200, null, "How long a processed id is"
            + " remembered (three days, the longest retry window among the senders): {range}. An id the scheme signs"
            + " (`standard-webhooks`, `svix`) is remembered at least twice `toleranceSeconds`, as a copy of its request"
            + " stays fresh that long (with `replayProtection` too, which forgets a message refused with 409); a shorter"
            + " value stops the start."),
    LEASE_SECONDS(PARAM_LEASE_SECONDS, "seconds", 1, 86_400, 60, null, "How long a claim holds if its request never"
            + " finishes (the instance died): {range}."),
    STORE(PARAM_STORE, Kind.TEXT, "no", "memory", null, "Where replay protection and de-duplication keep their"
            + " records: `memory` (this instance only) or a shared store's URI (`redis://...`,"
            + " `jdbc:postgresql://...`), opened by a store module on the class path. Empty stops the start, as it"
            + " is most likely a URI from a variable that is not set."),
    STORE_TIMEOUT_MILLIS(PARAM_STORE_TIMEOUT_MILLIS, "milliseconds", 1, 60_000, 1000, null, "The most one call to a shared"
            + " store may take: {range}."),
    STORE_KEY_PREFIX(PARAM_STORE_KEY_PREFIX, Kind.TEXT, "no", "webhook-filter:", null, "Prepended to every key in a"
            + " shared store, so that applications can share one."),
    ON_STORE_UNAVAILABLE(PARAM_ON_STORE_UNAVAILABLE, "reject", "allow", "`reject`: when a shared store cannot decide, 503"
            + " with `Retry-After`, the handler does not run. `allow`: the request goes on unprotected, with a WARNING"
            + " at most once a minute; weaker, for those who prefer availability. Only with a shared `store`: the"
            + " `memory` store always answers, and when full it refuses."),
    LISTENER(PARAM_LISTENER, Kind.TEXT, "no", null, null, "A class implementing `dev.webhookfilter.VerificationListener`,"
            + " with a public no-arg constructor, made once at `init` and told each request's outcome (see"
            + " [Metrics](#metrics)). A class that cannot be found, loaded or made stops the application (a class not"
            + " found is named only when written as Java's conventions write class names, `com.example.MetricsListener`:"
            + " anything else may be a secret given under the wrong name).");

    /** What a parameter's value is. */
    enum Kind {
        /** Taken as given. */
        TEXT,
        /** A whole number within a range. */
        NUMBER,
        /** One of two words, the first the default. */
        CHOICE
    }

    private final String parameterName;
    private final Kind kind;
    private final String required;
    /** A {@code TEXT} parameter's default, or null when it has none or it depends on others; a {@code CHOICE}'s word. */
    private final String defaultText;
    /** The README's default cell when it is not the default itself, such as "a quarter of the heap". */
    private final String defaultDescription;
    private final String description;
    private final String unit;
    private final long min;
    private final long max;
    /** A {@code NUMBER}'s default; below {@link #min} when computed (see {@link #defaultDescription}). */
    private final long defaultNumber;
    /** A {@code CHOICE}'s word that is not the default, {@link #defaultText}. */
    private final String otherWord;
    /** The parameter whose value is this {@code NUMBER}'s least, or null when that is {@link #min}. */
    private final FilterParameter floor;

    private FilterParameter(String name, Kind kind, String required, String defaultText, String defaultDescription,
                            String description) {
        this(name, kind, required, defaultText, defaultDescription, description, null, 0, 0, 0, null, null);
    }

    private FilterParameter(String name, String unit, long min, long max, long defaultNumber, String defaultDescription,
                            String description) {
        this(name, Kind.NUMBER, "no", null, defaultDescription, description, unit, min, max, defaultNumber, null, null);
    }

    /** A number whose least value is another's, and whose default is computed. */
    private FilterParameter(String name, String unit, FilterParameter floor, long max, String defaultDescription,
                            String description) {
        this(name, Kind.NUMBER, "no", null, defaultDescription, description, unit, floor.min, max, -1, null, floor);
    }

    private FilterParameter(String name, String defaultWord, String otherWord, String description) {
        this(name, Kind.CHOICE, "no", defaultWord, null, description, null, 0, 0, 0, otherWord, null);
    }

    private FilterParameter(String name, Kind kind, String required, String defaultText, String defaultDescription,
                            String description, String unit, long min, long max, long defaultNumber,
                            String otherWord, FilterParameter floor) {
        this.parameterName = name;
        this.kind = kind;
        this.required = required;
        this.defaultText = defaultText;
        this.defaultDescription = defaultDescription;
        this.description = description;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.defaultNumber = defaultNumber;
        this.otherWord = otherWord;
        this.floor = floor;
    }

    /** {@return the init-param's name} */
    String parameterName() {
        return parameterName;
    }

    Kind kind() {
        return kind;
    }

    /** {@return the default tolerance, then the schemes that default to another, in Markdown: {@code `300` (`5` for `paddle`)}} */
    private static String toleranceDefaults() {
        long usual = Scheme.defaultScheme().defaultTolerance().getSeconds();
        List<String> others = new ArrayList<>();
        for (String name : Scheme.names()) {
            long seconds = Scheme.named(name).defaultTolerance().getSeconds();
            if (seconds != usual) {
                others.add("`" + seconds + "` for `" + name + "`");
            }
        }
        return "`" + usual + "`" + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")");
    }

    /** {@return the README's Required cell: yes, no, or when} */
    String required() {
        return required;
    }

    /** {@return the README's Default cell, in Markdown} */
    String defaultCell() {
        if (defaultDescription != null) {
            return defaultDescription;
        }
        if (kind == Kind.NUMBER) {
            return "`" + defaultNumber + "`";
        }
        return defaultText == null ? "" : "`" + defaultText + "`";
    }

    /**
     * {@return the README's description, in Markdown, with {@code {range}} and a few lists drawn from
     * {@link Scheme} left for the renderer to fill in}
     */
    String description() {
        return description;
    }

    /** {@return the default of a {@code TEXT} or {@code CHOICE} parameter, or null} */
    String defaultText() {
        return defaultText;
    }

    /** {@return a {@code NUMBER}'s unit, such as seconds} */
    String unit() {
        return unit;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** {@return the parameter whose value is this {@code NUMBER}'s least, or null when that is {@link #min()}} */
    FilterParameter floor() {
        return floor;
    }

    /** {@return the parameter of this name, or null when the filter has none} */
    static FilterParameter named(String name) {
        for (FilterParameter parameter : values()) {
            if (parameter.parameterName.equals(name)) {
                return parameter;
            }
        }
        return null;
    }

    /**
     * {@return the name of the parameter that {@code given} evidently misspells, case aside, or null}: the first of the
     * nearest, at most one edit away for each four characters of {@code given} and two in all, so that a short name
     * such as {@code header} is not taken for {@code idHeader}.
     */
    static String misspelledAs(String given) {
        List<String> lowerCase = new ArrayList<>();
        for (FilterParameter parameter : values()) {
            lowerCase.add(parameter.parameterName.toLowerCase(Locale.ROOT));
        }
        String meant = Spelling.nearest(given.toLowerCase(Locale.ROOT), lowerCase, Math.min(2, given.length() / 4));
        return meant == null ? null : values()[lowerCase.indexOf(meant)].parameterName;
    }

    /** {@return every parameter's name, comma-separated, in the table's order} */
    static String names() {
        List<String> names = new ArrayList<>();
        for (FilterParameter parameter : values()) {
            names.add(parameter.parameterName);
        }
        return String.join(", ", names);
    }

    /** {@return the value given for this {@code TEXT} parameter, or null} */
    String text(Map<FilterParameter, Object> given) {
        return (String) given.get(this);
    }

    /**
     * The value given for this {@code NUMBER} parameter, checked against its range, or its default.
     *
     * @param given the values given: text from an init-param, a {@link Number} from the builder
     * @param problems where a value that is not a whole number, or out of range, is reported
     * @return the value (reported when out of range), or the default when none or not a number
     */
    long number(Map<FilterParameter, Object> given, List<String> problems) {
        return number(given, defaultNumber, problems);
    }

    /** As {@link #number(Map, List)}, with a default that depends on the other parameters, such as the scheme's. */
    long number(Map<FilterParameter, Object> given, long defaultValue, List<String> problems) {
        return number(given, min, defaultValue, problems);
    }

    /**
     * As {@link #number(Map, long, List)} for a parameter with a {@link #floor()}: the least value
     * accepted is that parameter's, named in the message.
     *
     * @param least the least value accepted: the floor parameter's value, or {@link #min}
     */
    long number(Map<FilterParameter, Object> given, long least, long defaultValue, List<String> problems) {
        Object value = given.get(this);
        if (value == null) {
            return defaultValue;
        }
        String fix = "; give a whole number of " + unit + " from "
                + (floor == null ? Long.toString(least) : floor.parameterName + " (" + least + ")") + " to " + max
                + ", or remove it for the default" + (defaultNumber < min ? ", " + defaultDescription : " " + defaultValue);
        long number;
        if (value instanceof Number) {
            number = ((Number) value).longValue();
        } else {
            String text = ((String) value).strip();
            try {
                number = Long.parseLong(text);
            } catch (NumberFormatException e) {
                // Digits beyond a long are a whole number still, only out of range.
                problems.add(parameterName + (text.matches("[+-]?[0-9]+") ? ": out of range" : ": not a whole number")
                        + fix);
                return defaultValue;
            }
        }
        if (number < least || number > max) {
            problems.add(parameterName + ": out of range" + fix);
        }
        return number;
    }

    /**
     * Whether this {@code CHOICE} parameter was given its other word (not the default).
     *
     * @param given the values given: text from an init-param, a {@link Boolean} from the builder
     * @param problems where a word that is neither is reported
     * @return true for the other word; false for the default, for none, and for a word reported
     */
    boolean choice(Map<FilterParameter, Object> given, List<String> problems) {
        Object value = given.get(this);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        String word = ((String) value).strip();
        if (word.equals(defaultText)) {
            return false;
        }
        if (word.equals(otherWord)) {
            return true;
        }
        problems.add(parameterName + (defaultText.equals("false")
                ? ": must be true or false (default false)"
                : ": must be " + defaultText + " (the default) or " + otherWord));
        return false;
    }

    /** {@return the init-param's name}, as the problems name it */
    @Override
    public String toString() {
        return parameterName;
    }

    /** {@return the word this {@code CHOICE} parameter stands at: the other one when {@code other}} */
    String word(boolean other) {
        return other ? otherWord : defaultText;
    }
}
