package dev.webhookfilter.properties;

import static dev.webhookfilter.TestHeaders.lookup;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.fuzz.SchemeReference;
import dev.webhookfilter.fuzz.SchemeReference.Spec;
import dev.webhookfilter.fuzz.SchemeReference.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every scheme against {@link SchemeReference}, on {@link Cases#COUNT} random cases: correctly signed
 * requests (under any of the scheme's header sets), then the same requests with one edit (a character
 * replaced, inserted or removed in a header, a header dropped or repeated, the body changed, a header
 * moved to its name in another set), must get the reference's verdict.
 */
@Tag("properties")
class SchemePropertiesTest {

    /** Characters an edit puts in a header: the grammar's own, near misses, and outside ASCII. */
    private static final String EDITS = "0123456789abcdefABCDEF+/=,; .:tvhs\t\u007f\u00e9-_x";

    private static Spec spec(Cases.Case c) {
        return SchemeReference.SPECS.get(c.nextInt(SchemeReference.SPECS.size()));
    }

    /** A secret as the scheme's sender shows it: text, base64, or whsec_ and base64. */
    private static String secret(Cases.Case c, Spec spec) {
        if (spec.key().equals("utf8")) {
            return c.secret();
        }
        byte[] key = new byte[1 + c.nextInt(64)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) c.nextInt(256);
        }
        String base64 = Base64.getEncoder().encodeToString(key);
        return spec.key().equals("whsec") && c.nextBoolean() ? "whsec_" + base64 : base64;
    }

    @Test
    void everySchemeGivesTheReferencesVerdict_forSignedAndEditedRequests() {
        Cases.forEach("schemes", c -> {
            Spec spec = spec(c);
            List<String> configured = new ArrayList<>();
            for (int i = 1 + c.nextInt(2); i > 0; i--) {
                configured.add(secret(c, spec));
            }
            List<String> signing = new ArrayList<>();
            signing.add(c.nextInt(4) == 0 ? secret(c, spec) : configured.get(c.nextInt(configured.size())));
            if (!spec.prefixed() && c.nextBoolean()) {
                signing.add(secret(c, spec));
            }
            long now = Math.floorDiv(c.nowMillis(), 1000);
            long tolerance = c.tolerance();
            long t = now + c.between(-tolerance - 2, tolerance + 2);
            String id = "msg_" + Long.toHexString(c.between(0, Long.MAX_VALUE));
            byte[] body = c.body();
            int set = c.nextInt(SchemeReference.sets(spec));
            Map<String, List<String>> headers = SchemeReference.sign(spec, signing, body, t, id, set);

            WebhookVerifier verifier = WebhookVerifier.builder().scheme(Scheme.named(spec.name())).secrets(configured)
                    .tolerance(Duration.ofSeconds(tolerance))
                    .clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC)).build();
            judge(verifier, spec, headers, body, configured, now, tolerance, "as signed");
            if (signing.size() == 1 && set == 0) {
                Map<String, String> ours = WebhookSigner.of(Scheme.named(spec.name()), signing.get(0))
                        .headers(body, t, id);
                Map<String, String> theirs = new LinkedHashMap<>();
                headers.forEach((name, values) -> theirs.put(name, values.get(0)));
                assertEquals(theirs, ours, "WebhookSigner and the reference disagree");
            }

            Map<String, List<String>> edited = new LinkedHashMap<>();
            headers.forEach((name, values) -> edited.put(name, new ArrayList<>(values)));
            List<String> names = new ArrayList<>(edited.keySet());
            String name = names.get(c.nextInt(names.size()));
            String value = edited.get(name).get(0);
            byte[] editedBody = body;
            String what;
            switch (c.nextInt(SchemeReference.sets(spec) > 1 ? 7 : 6)) {
                case 0 -> {
                    int at = c.nextInt(value.length() + 1);
                    edited.get(name).set(0, value.substring(0, at) + EDITS.charAt(c.nextInt(EDITS.length()))
                            + value.substring(at));
                    what = "a character inserted in " + name;
                }
                case 1 -> {
                    if (value.isEmpty()) {
                        return;
                    }
                    int at = c.nextInt(value.length());
                    edited.get(name).set(0, value.substring(0, at) + EDITS.charAt(c.nextInt(EDITS.length()))
                            + value.substring(at + 1));
                    what = "a character replaced in " + name;
                }
                case 2 -> {
                    if (value.isEmpty()) {
                        return;
                    }
                    int at = c.nextInt(value.length());
                    edited.get(name).set(0, value.substring(0, at) + value.substring(at + 1));
                    what = "a character removed from " + name;
                }
                case 3 -> {
                    edited.remove(name);
                    what = name + " dropped";
                }
                case 4 -> {
                    edited.get(name).add(c.nextBoolean() ? value : value + " ");
                    what = name + " repeated";
                }
                case 5 -> {
                    editedBody = java.util.Arrays.copyOf(body, body.length + 1);
                    editedBody[body.length] = (byte) c.nextInt(256);
                    what = "a byte appended to the body";
                }
                default -> {
                    String other = otherSetsName(spec, name, c);
                    edited.put(other, edited.remove(name));
                    what = name + " renamed " + other + ", mixing two header sets";
                }
            }
            judge(verifier, spec, edited, editedBody, configured, now, tolerance, what);
        });
    }

    /** The name another header set reads for the header {@code name} carries: a scheme with fallbacks only. */
    private static String otherSetsName(Spec spec, String name, Cases.Case c) {
        for (List<String> names : List.of(spec.signatureHeaders(), spec.timestampHeaders(), spec.idHeaders())) {
            int at = names.indexOf(name);
            if (at >= 0 && names.size() > 1) {
                return names.get((at + 1 + c.nextInt(names.size() - 1)) % names.size());
            }
        }
        throw new AssertionError(name + " has no name in another header set of " + spec.name());
    }

    private static void judge(WebhookVerifier verifier, Spec spec, Map<String, List<String>> headers, byte[] body,
                              List<String> secrets, long now, long tolerance, String what) {
        Verification actual = verifier.verify(lookup(headers), body);
        Verdict expected = SchemeReference.verdict(spec, headers, body, secrets, now, tolerance);
        assertEquals(expected, new Verdict(actual.rejection(), actual.secretIndex()),
                () -> spec.name() + ", " + what + ": library and reference disagree: " + actual + " on " + headers);
    }
}
