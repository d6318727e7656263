package dev.webhookfilter.cli;

import static dev.webhookfilter.Vectors.SIMPLE_BODY;
import static dev.webhookfilter.cli.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Vectors;
import dev.webhookfilter.Vectors.SchemeVector;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.cli.Cli.Result;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --scheme} on sign and verify, checked against the independent vectors. */
class SchemeOptionTest {

    @Test
    void theVectorsBelowCoverEveryScheme() {
        assertEquals(Scheme.names(), Vectors.everyBodyOfEveryScheme().map(SchemeVector::scheme).distinct().toList());
    }

    /**
     * What {@code sign --scheme} prints, read back as headers, is the independent vector's headers exactly (with
     * {@code --id} where the scheme signs a message id), and what the filter of that scheme accepts: for every body,
     * CR LF, multibyte UTF-8 and bytes that are not UTF-8 too, signed as the bytes they are.
     */
    @ParameterizedTest
    @MethodSource("dev.webhookfilter.Vectors#everyBodyOfEveryScheme")
    void signPrintsTheIndependentVectorsHeaders_forEveryBodyOfEveryScheme(SchemeVector vector) {
        Scheme scheme = Scheme.named(vector.scheme());
        Map<String, String> expected = Vectors.headers(vector.scheme(), vector.mac());
        List<String> args = new ArrayList<>(List.of("sign", "--scheme", vector.scheme(), "--secret-env", "S"));
        if (expected.containsValue(Vectors.ID)) {
            args.addAll(List.of("--id", Vectors.ID));
        }
        Result result = cli().now(Vectors.T).env("S", vector.secret()).stdin(vector.body()).run(args.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result.all());

        Map<String, String> printed = printedHeaders(scheme, result.out());
        assertEquals(expected, printed);
        Verification verification = WebhookVerifier.builder().scheme(scheme).secret(vector.secret())
                .clock(Clock.fixed(Instant.ofEpochSecond(Vectors.T), ZoneOffset.UTC)).build()
                .verify(HeaderLookup.of(printed), vector.body());
        assertTrue(verification.isVerified(), verification.toString());
    }

    /**
     * {@code verify --scheme} accepts the independent vector of every body, the signature with --signature and the
     * rest with -H.
     */
    @ParameterizedTest
    @MethodSource("dev.webhookfilter.Vectors#everyBodyOfEveryScheme")
    void verifyAcceptsTheIndependentVector_forEveryBodyOfEveryScheme(SchemeVector vector) {
        String signatureHeader = Scheme.named(vector.scheme()).signatureHeader();
        Map<String, String> headers = Vectors.headers(vector.scheme(), vector.mac());
        List<String> args = new ArrayList<>(List.of("verify", "--scheme", vector.scheme(), "--secret-env", "S",
                "--signature", headers.get(signatureHeader)));
        headers.forEach((name, value) -> {
            if (!name.equals(signatureHeader)) {
                args.addAll(List.of("-H", name + ": " + value));
            }
        });
        Result result = cli().now(Vectors.T).env("S", vector.secret()).stdin(vector.body()).run(args.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().startsWith("OK verified\n"), result.out());
    }

    /**
     * {@code verify --signature "$(sign ...)"}, as the README shows for the default scheme, works for every scheme:
     * the lines {@code sign} prints for a scheme that reads several headers are taken whole, the signature's by its
     * name, the others as with -H, in any order. Before, the other lines were lost, and verify said "missing
     * signature header: the timestamp header is missing".
     */
    @ParameterizedTest
    @MethodSource("dev.webhookfilter.Vectors#simpleOfEveryScheme")
    void verifyTakesTheLinesSignPrints_inSignature_inAnyOrder(SchemeVector vector) {
        List<String> sign = new ArrayList<>(List.of("sign", "--scheme", vector.scheme(), "--secret-env", "S"));
        if (Vectors.headers(vector.scheme(), vector.mac()).containsValue(Vectors.ID)) {
            sign.addAll(List.of("--id", Vectors.ID));
        }
        String printed = cli().now(Vectors.T).env("S", vector.secret()).stdin(vector.body())
                .run(sign.toArray(new String[0])).out();
        List<String> reversed = new ArrayList<>(List.of(printed.strip().split("\n")));
        java.util.Collections.reverse(reversed);

        for (String lines : List.of(printed, String.join("\r\n", reversed))) {
            Result result = cli().now(Vectors.T).env("S", vector.secret()).stdin(vector.body())
                    .run("verify", "--scheme", vector.scheme(), "--secret-env", "S", "--signature", lines);
            assertEquals(0, result.exitCode(), lines + "\n" + result.all());
            assertTrue(result.out().startsWith("OK verified\n"), result.out());
        }
    }

    /** {@code sign}'s output: the signature header's value alone, or one {@code Name: value} line per header. */
    static Map<String, String> printedHeaders(Scheme scheme, String out) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (SchemeOption.signatureHeaderOnly(scheme)) {
            assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, out);
            headers.put(scheme.signatureHeader(), out.strip());
            return headers;
        }
        for (String line : out.split("\n")) {
            int colon = line.indexOf(": ");
            assertTrue(colon > 0, line);
            headers.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return headers;
    }

    @Test
    void signPrintsTheSignatureHeadersValueForAOneHeaderScheme() {
        Result result = cli().now(Vectors.T).env("S", Vectors.Stripe.SECRET_A).stdin(SIMPLE_BODY)
                .run("sign", "--scheme", "stripe", "--secret-env", "S");
        assertEquals(0, result.exitCode(), result.all());
        assertEquals(Vectors.headers("stripe", Vectors.Stripe.SIMPLE_A).get("Stripe-Signature") + "\n", result.out());
    }

    @Test
    void signPrintsEveryHeaderForSlack() {
        Result result = cli().now(Vectors.T).env("S", Vectors.Slack.SECRET_A).stdin(SIMPLE_BODY)
                .run("sign", "--scheme", "slack", "--secret-env", "S");
        assertEquals(0, result.exitCode(), result.all());
        assertEquals("X-Slack-Signature: v0=" + Vectors.Slack.SIMPLE_A + "\nX-Slack-Request-Timestamp: " + Vectors.T + "\n",
                result.out());
    }

    @Test
    void verifyReadsTheOtherHeadersFromH() {
        Result result = cli().now(Vectors.T).env("S", Vectors.StandardWebhooks.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "standard-webhooks", "--secret-env", "S",
                        "--signature", "webhook-signature: v1," + Vectors.StandardWebhooks.SIMPLE_A,
                        "-H", "webhook-id: " + Vectors.ID, "-H", "webhook-timestamp: " + Vectors.T);
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().startsWith("OK verified\n"), result.out());
    }

    /**
     * Svix sends the {@code webhook-*} set instead of {@code svix-*} to customers who white-label it, and the
     * filter of scheme svix accepts it: so must verify, given that capture's header lines as they are.
     */
    @Test
    void verifyOfSvixReadsTheWebhookHeaderSet() {
        // svix signs as standard-webhooks, whose vector's headers are the webhook-* set.
        Map<String, String> captured = Vectors.headers("standard-webhooks", Vectors.StandardWebhooks.SIMPLE_A);
        Result result = cli().now(Vectors.T).env("S", Vectors.StandardWebhooks.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "svix", "--secret-env", "S",
                        "--signature", "webhook-signature: " + captured.get("webhook-signature"),
                        "-H", "webhook-id: " + captured.get("webhook-id"),
                        "-H", "webhook-timestamp: " + captured.get("webhook-timestamp"));
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().startsWith("OK verified\n"), result.out());
    }

    @Test
    void verifySaysWhichHeadersAreMissing() {
        Result result = cli().now(Vectors.T).env("S", Vectors.Slack.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "slack", "--secret-env", "S", "--signature", "v0=" + Vectors.Slack.SIMPLE_A);
        assertEquals(1, result.exitCode(), result.all());
        assertEquals("FAILED missing signature header: the timestamp header is missing\n"
                + "  expected:  the headers X-Slack-Signature, X-Slack-Request-Timestamp of scheme slack, each once"
                + " (--signature for the first, -H for the others)\n", result.out());
    }

    @Test
    void verifySaysWhichHeadersAreMissing_ofEachSvixHeaderSet() {
        Result result = cli().now(Vectors.T).env("S", Vectors.StandardWebhooks.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "svix", "--secret-env", "S", "--signature", "v1," + Vectors.StandardWebhooks.SIMPLE_A);
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.out().endsWith("\n  expected:  the headers svix-signature, svix-timestamp, svix-id or else"
                + " webhook-signature, webhook-timestamp, webhook-id of scheme svix, each once"
                + " (--signature 'Name: value' for the signature, -H for the others)\n"), result.out());
    }

    /** Shopify's newer header name, given with the capture's line, is read as the filter reads it. */
    @Test
    void verifyOfShopifyReadsTheNewerHeaderName_andSaysBothNames() {
        Result result = cli().env("S", Vectors.SHOPIFY_SDK_SECRET).stdin(Vectors.SHOPIFY_SDK_BODY)
                .run("verify", "--scheme", "shopify", "--secret-env", "S",
                        "--signature", "shopify-hmac-sha256: " + Vectors.SHOPIFY_SDK_HEADER);
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().startsWith("OK verified\n"), result.out());

        Result unpadded = cli().env("S", Vectors.SHOPIFY_SDK_SECRET).stdin(Vectors.SHOPIFY_SDK_BODY)
                .run("verify", "--scheme", "shopify", "--secret-env", "S",
                        "--signature", "shopify-hmac-sha256: " + Vectors.SHOPIFY_SDK_HEADER.replace("=", ""));
        assertEquals(1, unpadded.exitCode(), unpadded.all());
        assertTrue(unpadded.out().endsWith("\n  expected:  the headers X-Shopify-Hmac-Sha256 or else shopify-hmac-sha256"
                + " of scheme shopify, each once (--signature 'Name: value' for the signature)\n"), unpadded.out());
    }

    @Test
    void verifyWithoutToleranceTakesTheSchemesOwn() {
        String signature = Vectors.headers("paddle", Vectors.Paddle.SIMPLE_A).get("Paddle-Signature");
        Result fresh = cli().now(Vectors.T + 5).env("S", Vectors.Paddle.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "paddle", "--secret-env", "S", "--signature", signature);
        assertEquals(0, fresh.exitCode(), fresh.all());
        assertTrue(fresh.out().contains("5 seconds ago (tolerance 5 seconds)"), fresh.out());
        Result stale = cli().now(Vectors.T + 6).env("S", Vectors.Paddle.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "paddle", "--secret-env", "S", "--signature", signature);
        assertEquals(1, stale.exitCode(), stale.all());
        assertTrue(stale.out().startsWith("FAILED timestamp too old: "), stale.out());
    }

    @Test
    void verifyOfAGithubDeliveryHasNoTimestamp() {
        Result result = cli().env("S", Vectors.GITHUB_DOC_SECRET).stdin(Vectors.GITHUB_DOC_BODY)
                .run("verify", "--scheme", "github", "--secret-env", "S", "--signature", Vectors.GITHUB_DOC_HEADER);
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().contains("  signed at: not signed; scheme github carries no timestamp\n"), result.out());
    }

    @Test
    void verifySaysWhenTLooksLikeMilliseconds() {
        Result result = cli().now(Vectors.T).env("S", Vectors.Stripe.SECRET_A).stdin(SIMPLE_BODY)
                .run("verify", "--scheme", "stripe", "--secret-env", "S",
                        "--signature", "t=" + Vectors.T + "000,v1=" + Vectors.Stripe.SIMPLE_A);
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.out().startsWith("FAILED timestamp in the future: ")
                && result.out().contains("t looks like milliseconds; senders send seconds"), result.out());
        // The hint agrees with the detail: no clock is wrong, the sender's unit is.
        assertTrue(result.out().endsWith("  hint:      the sender wrote t in milliseconds; it must send Unix seconds"
                + " (date +%s, Instant.now().getEpochSecond())\n"), result.out());
    }

    @Test
    void anUnknownSchemeIsAUsageErrorListingTheNames() {
        Result result = cli().env("S", "s").stdin(SIMPLE_BODY).run("sign", "--scheme", "strpie", "--secret-env", "S");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--scheme: unknown webhook scheme 'strpie' (did you mean 'stripe'?);"
                + " the schemes are wealthkernel-2022,"), result.err());
    }

    @Test
    void aSecretGivenAsTheSchemeIsNotPrinted() {
        // The README's svix example secret, typed after --scheme instead of after --secret.
        Result result = cli().env("S", "s").stdin(SIMPLE_BODY)
                .run("sign", "--secret-env", "S", "--scheme", Vectors.STANDARD_DOC_SECRET);
        assertEquals(2, result.exitCode());
        assertTrue(!result.all().contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), result.all());
    }

    /**
     * github and shopify sign no timestamp: an option about the time would change nothing, and a user who
     * gave it could believe the signature covers it. Refused, as the filter refuses a parameter without effect.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "github,  sign,   --timestamp", "shopify, sign,   --timestamp",
        "github,  send,   --timestamp", "shopify, send,   --timestamp",
        "github,  verify, --tolerance", "shopify, verify, --tolerance",
        "github,  verify, --now",       "shopify, verify, --now",
    })
    void aTimeOptionForASchemeWithoutTimestamp_isUsageError(String scheme, String command, String option) {
        List<String> args = new ArrayList<>(List.of(command, "--scheme", scheme, "--secret-env", "S", option, "1700000000"));
        if (command.equals("verify")) {
            args.addAll(List.of("--signature", scheme.equals("github") ? Vectors.GITHUB_DOC_HEADER : Vectors.Shopify.SIMPLE_A));
        }
        if (command.equals("send")) {
            args.add("http://127.0.0.1:9/webhooks/");
        }
        Result result = cli().now(Vectors.T).env("S", "s3cret").stdin(SIMPLE_BODY).run(args.toArray(new String[0]));

        assertEquals(2, result.exitCode(), result.all());
        assertTrue(result.err().startsWith("error: " + option + " has no effect: scheme " + scheme
                + " signs no timestamp\n"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void aSecretThatIsNotBase64IsAUsageError() {
        Result result = cli().env("S", "not base64!").stdin(SIMPLE_BODY)
                .run("sign", "--scheme", "wealthkernel", "--secret-env", "S");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("a secret is not valid base64"), result.err());
        assertTrue(!result.all().contains("not base64!"), "the secret stays out of the output");
    }
}
