package dev.webhookfilter.fuzz;

import dev.webhookfilter.Rejection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent model of every scheme, written from the table in issue 10 and README's "Signature
 * schemes", not from the library: the oracle that {@code SchemePropertiesTest} judges the library by.
 * Headers are split with {@code String.split} and checked with regular expressions, MACs decoded with
 * {@code HexFormat} and {@code java.util.Base64} and re-encoded to prove the spelling canonical, and the
 * HMAC is a fresh {@code javax.crypto.Mac} over one concatenated message (the library parses in one
 * hand-written pass and feeds pooled instances in three updates).
 *
 * <p>Order of judgement: which header set is read (a scheme with fallbacks, {@code svix}, has two:
 * {@code svix-*} and {@code webhook-*}; the first whose every header is present, as Svix's libraries
 * pick, else the first with a signature header, else the first); every header of it present exactly
 * once (signature, then timestamp, then id; absent is missing, repeated is malformed); then their
 * contents, then freshness, then the MACs.
 */
public final class SchemeReference {

    /**
     * What a scheme is, as data. {@code template} uses {id}, {t} and {body}. Header set k is the k-th
     * name of each header list; a list of one name is in every set.
     */
    public record Spec(String name, List<String> signatureHeaders, List<String> timestampHeaders, List<String> idHeaders,
                       boolean prefixed, String separator, String pair, String signatureLabel, String timestampLabel,
                       boolean hex, String key, String template) {

        boolean hasTimestamp() {
            return timestampLabel != null || !timestampHeaders.isEmpty();
        }
    }

    public static final List<Spec> SPECS = List.of(
            new Spec("wealthkernel-2022", List.of("X-Webhook-Signature"), List.of(), List.of(), false, ",", "=", "v1", "t",
                    false, "utf8", "{body}{t}"),
            new Spec("wealthkernel", List.of("Webhook-Signature"), List.of(), List.of(), false, ",", "=", "v1", "t",
                    true, "base64", "{body}{t}"),
            new Spec("standard-webhooks", List.of("webhook-signature"), List.of("webhook-timestamp"), List.of("webhook-id"),
                    false, " ", ",", "v1", null, false, "whsec", "{id}.{t}.{body}"),
            new Spec("svix", List.of("svix-signature", "webhook-signature"), List.of("svix-timestamp", "webhook-timestamp"),
                    List.of("svix-id", "webhook-id"), false, " ", ",", "v1", null, false, "whsec", "{id}.{t}.{body}"),
            new Spec("stripe", List.of("Stripe-Signature"), List.of(), List.of(), false, ",", "=", "v1", "t", true, "utf8",
                    "{t}.{body}"),
            new Spec("github", List.of("X-Hub-Signature-256"), List.of(), List.of(), true, null, null, "sha256=", null,
                    true, "utf8", "{body}"),
            new Spec("slack", List.of("X-Slack-Signature"), List.of("X-Slack-Request-Timestamp"), List.of(), true, null,
                    null, "v0=", null, true, "utf8", "v0:{t}:{body}"),
            new Spec("shopify", List.of("X-Shopify-Hmac-Sha256", "shopify-hmac-sha256"), List.of(), List.of(), true,
                    null, null, "", null, false, "utf8", "{body}"),
            new Spec("paddle", List.of("Paddle-Signature"), List.of(), List.of(), false, ";", "=", "h1", "ts", true, "utf8",
                    "{t}:{body}"));

    public static final int MAX_HEADER_LENGTH = 8192;
    public static final int MAX_SIGNATURES = 8;

    private static final Pattern CANONICAL_T = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\t\\x20-\\x7e]*");
    private static final Pattern ID = Pattern.compile("[\\x21-\\x2d\\x2f-\\x7e]{1,256}");

    private SchemeReference() {
    }

    /** The HMAC key of a secret as the sender shows it; throws IllegalArgumentException where it is not base64. */
    public static byte[] key(Spec spec, String secret) {
        switch (spec.key()) {
            case "utf8":
                return secret.getBytes(StandardCharsets.UTF_8);
            case "base64":
                return Base64.getDecoder().decode(secret);
            default:
                return Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        }
    }

    /** HMAC-SHA256 over the template filled in, concatenated into one array first. */
    public static byte[] mac(Spec spec, String secret, String id, String t, byte[] body) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String[] around = spec.template().split("\\{body}", -1);
        message.writeBytes(fill(around[0], id, t));
        message.writeBytes(body);
        message.writeBytes(fill(around[1], id, t));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(spec, secret), "HmacSHA256"));
            return mac.doFinal(message.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] fill(String part, String id, String t) {
        return part.replace("{id}", id == null ? "" : id).replace("{t}", t == null ? "" : t)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String encode(Spec spec, byte[] mac) {
        return spec.hex() ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
    }

    /** The headers a sender writes, under the first header set's names. */
    public static Map<String, List<String>> sign(Spec spec, List<String> secrets, byte[] body, long t, String id) {
        return sign(spec, secrets, body, t, id, 0);
    }

    /** How many header sets the scheme reads: one, or one per name of its longest header list. */
    public static int sets(Spec spec) {
        return Math.max(spec.signatureHeaders().size(), Math.max(spec.timestampHeaders().size(),
                spec.idHeaders().size()));
    }

    /** The name header set {@code set} reads from {@code names}: its own, or the only one; null for none. */
    public static String name(List<String> names, int set) {
        return names.isEmpty() ? null : names.size() == 1 ? names.get(0) : names.get(set);
    }

    /**
     * The headers a sender writes under header set {@code set}'s names: one signature per secret (one
     * secret only for a prefixed scheme).
     */
    public static Map<String, List<String>> sign(Spec spec, List<String> secrets, byte[] body, long t, String id,
                                                 int set) {
        String ts = Long.toString(t);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        StringBuilder signature = new StringBuilder();
        if (spec.prefixed()) {
            signature.append(spec.signatureLabel()).append(encode(spec, mac(spec, secrets.get(0), id, ts, body)));
        } else {
            List<String> elements = new ArrayList<>();
            if (spec.timestampLabel() != null) {
                elements.add(spec.timestampLabel() + spec.pair() + ts);
            }
            for (String secret : secrets) {
                elements.add(spec.signatureLabel() + spec.pair() + encode(spec, mac(spec, secret, id, ts, body)));
            }
            signature.append(String.join(spec.separator(), elements));
        }
        headers.put(name(spec.signatureHeaders(), set), new ArrayList<>(List.of(signature.toString())));
        if (!spec.timestampHeaders().isEmpty()) {
            headers.put(name(spec.timestampHeaders(), set), new ArrayList<>(List.of(ts)));
        }
        if (!spec.idHeaders().isEmpty()) {
            headers.put(name(spec.idHeaders(), set), new ArrayList<>(List.of(id)));
        }
        return headers;
    }

    /** What the library must answer: a rejection, or verified under the secret at {@code secretIndex}. */
    public record Verdict(Rejection rejection, int secretIndex) {
    }

    private static Verdict rejected(Rejection rejection) {
        return new Verdict(rejection, -1);
    }

    /** Every value of the header {@code name}, names compared without regard to case. */
    private static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>();
        headers.forEach((key, list) -> {
            if (key.equalsIgnoreCase(name)) {
                values.addAll(list);
            }
        });
        return values;
    }

    /** The values of each header of set {@code set} the scheme needs: signature, then timestamp, then id. */
    private static List<List<String>> needed(Spec spec, Map<String, List<String>> headers, int set) {
        List<List<String>> needed = new ArrayList<>();
        for (List<String> names : List.of(spec.signatureHeaders(), spec.timestampHeaders(), spec.idHeaders())) {
            if (!names.isEmpty()) {
                needed.add(values(headers, name(names, set)));
            }
        }
        return needed;
    }

    /**
     * The header set read: the first with every header present; else the first with its signature
     * header present; else the first.
     */
    private static List<List<String>> chosen(Spec spec, Map<String, List<String>> headers) {
        List<List<List<String>>> sets = new ArrayList<>();
        for (int set = 0; set < sets(spec); set++) {
            sets.add(needed(spec, headers, set));
        }
        return sets.stream().filter(set -> set.stream().noneMatch(List::isEmpty)).findFirst()
                .or(() -> sets.stream().filter(set -> !set.get(0).isEmpty()).findFirst())
                .orElse(sets.get(0));
    }

    private static String strip(String s) {
        return s.replaceAll("^[ \\t]+|[ \\t]+$", "");
    }

    /** The 32 bytes {@code value} spells canonically in the scheme's encoding, or null. */
    private static byte[] decode(Spec spec, String value) {
        try {
            byte[] bytes = spec.hex() ? HexFormat.of().parseHex(value) : Base64.getDecoder().decode(value);
            return bytes.length == 32 && encode(spec, bytes).equals(value) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The specification's verdict for a request. */
    public static Verdict verdict(Spec spec, Map<String, List<String>> headers, byte[] body, List<String> secrets,
                                  long now, long tolerance) {
        List<List<String>> needed = chosen(spec, headers);
        for (List<String> values : needed) {
            if (values.isEmpty()) {
                return rejected(Rejection.MISSING_HEADER);
            }
            if (values.size() > 1) {
                return rejected(Rejection.MALFORMED_HEADER);
            }
        }
        String header = needed.get(0).get(0);
        if (header.length() > MAX_HEADER_LENGTH || !VISIBLE_ASCII.matcher(header).matches()) {
            return rejected(Rejection.MALFORMED_HEADER);
        }
        String t = null;
        List<byte[]> signatures = new ArrayList<>();
        if (spec.prefixed()) {
            String value = strip(header);
            byte[] mac = value.startsWith(spec.signatureLabel())
                    ? decode(spec, value.substring(spec.signatureLabel().length())) : null;
            if (mac == null) {
                return rejected(Rejection.MALFORMED_HEADER);
            }
            signatures.add(mac);
        } else {
            for (String raw : header.split(Pattern.quote(spec.separator()), -1)) {
                String element = strip(raw);
                if (element.isEmpty()) {
                    continue;
                }
                int at = element.indexOf(spec.pair());
                if (at < 0) {
                    return rejected(Rejection.MALFORMED_HEADER);
                }
                String label = element.substring(0, at);
                String value = element.substring(at + 1);
                if (label.equals(spec.timestampLabel())) {
                    if (t != null || !canonical(value)) {
                        return rejected(Rejection.MALFORMED_HEADER);
                    }
                    t = value;
                } else if (label.equals(spec.signatureLabel())) {
                    byte[] mac = decode(spec, value);
                    if (mac == null) {
                        return rejected(Rejection.MALFORMED_HEADER);
                    }
                    signatures.add(mac);
                }
            }
            if ((spec.timestampLabel() != null && t == null) || signatures.isEmpty()
                    || signatures.size() > MAX_SIGNATURES) {
                return rejected(Rejection.MALFORMED_HEADER);
            }
        }
        if (!spec.timestampHeaders().isEmpty()) {
            String raw = needed.get(1).get(0);
            t = strip(raw);
            if (raw.length() > MAX_HEADER_LENGTH || !canonical(t)) {
                return rejected(Rejection.MALFORMED_HEADER);
            }
        }
        String id = null;
        if (!spec.idHeaders().isEmpty()) {
            String raw = needed.get(needed.size() - 1).get(0);
            id = strip(raw);
            if (raw.length() > MAX_HEADER_LENGTH || !ID.matcher(id).matches()) {
                return rejected(Rejection.MALFORMED_HEADER);
            }
        }
        if (t != null) {
            long age = now - Long.parseLong(t);
            if (age > tolerance) {
                return rejected(Rejection.STALE_TIMESTAMP);
            }
            if (-age > tolerance) {
                return rejected(Rejection.FUTURE_TIMESTAMP);
            }
        }
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = mac(spec, secrets.get(i), id, t, body);
            for (byte[] signature : signatures) {
                if (Arrays.equals(signature, expected)) {
                    return new Verdict(null, i);
                }
            }
        }
        return rejected(Rejection.NO_MATCHING_SIGNATURE);
    }

    private static boolean canonical(String t) {
        if (!CANONICAL_T.matcher(t).matches()) {
            return false;
        }
        try {
            Long.parseLong(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
