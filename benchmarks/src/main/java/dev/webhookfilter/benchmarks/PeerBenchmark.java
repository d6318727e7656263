package dev.webhookfilter.benchmarks;

import com.stripe.exception.SignatureVerificationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The libraries a user would otherwise pick, each verifying its own correctly signed input over
 * the same body, through its documented entry point. Each takes the body as a {@code String};
 * it is decoded once in set-up, so these figures leave out the decode (and its allocation) that
 * a server pays to get that {@code String}, which flatters the peers, never us.
 */
@State(Scope.Benchmark)
public class PeerBenchmark extends BenchmarkDefaults {

    private static final String STRIPE_SECRET = "whsec_stripe_benchmark_secret";

    private String payload;
    private String stripeHeader;
    private com.svix.Webhook svix;
    private Map<String, List<String>> svixHeaders;
    private com.standardwebhooks.Webhook standardWebhooks;
    private Map<String, List<String>> standardWebhooksHeaders;
    private String handWrittenHeader;
    private com.slack.api.app_backend.SlackSignature.Verifier slack;
    private String slackTimestamp;
    private String slackSignature;

    @Setup
    public void setUp() throws Exception {
        byte[] body = Inputs.body(bodyBytes);
        payload = new String(body, StandardCharsets.UTF_8);
        long t = Inputs.now();

        // Stripe: t=<t>,v1=<hex HMAC-SHA256 of "t.payload">, keyed with the whsec_ string itself.
        stripeHeader = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, STRIPE_SECRET, t);

        // Svix and Standard Webhooks: "v1,<base64 HMAC-SHA256 of id.t.payload>", keyed with the
        // base64 after whsec_; the id and t travel in their own headers.
        String msgId = "msg_2LJs5sUXTbSbLNB7fTsRZSM4Dv1";
        String key = "whsec_" + Base64.getEncoder().encodeToString(
                "a 32-byte key for the svix peer!".getBytes(StandardCharsets.US_ASCII));
        svix = new com.svix.Webhook(key);
        svixHeaders = Map.of(
                com.svix.Webhook.SVIX_MSG_ID_KEY, List.of(msgId),
                com.svix.Webhook.SVIX_MSG_TIMESTAMP_KEY, List.of(Long.toString(t)),
                com.svix.Webhook.SVIX_MSG_SIGNATURE_KEY, List.of(svix.sign(msgId, t, payload)));
        standardWebhooks = new com.standardwebhooks.Webhook(key);
        standardWebhooksHeaders = Map.of(
                com.standardwebhooks.Webhook.UNBRANDED_MSG_ID_KEY, List.of(msgId),
                com.standardwebhooks.Webhook.UNBRANDED_MSG_TIMESTAMP_KEY, List.of(Long.toString(t)),
                com.standardwebhooks.Webhook.UNBRANDED_MSG_SIGNATURE_KEY,
                List.of(standardWebhooks.sign(msgId, t, payload)));

        // Slack: "v0=<hex HMAC-SHA256 of v0:t:payload>" and the timestamp in a header of its own, keyed with
        // the signing secret's bytes. SlackSignature encodes the payload with the JVM's default charset: the
        // body is ASCII, so every charset gives the same bytes.
        com.slack.api.app_backend.SlackSignature.Generator slackSigner =
                new com.slack.api.app_backend.SlackSignature.Generator(Inputs.SECRET);
        slack = new com.slack.api.app_backend.SlackSignature.Verifier(slackSigner);
        slackTimestamp = Long.toString(t);
        slackSignature = slackSigner.generate(slackTimestamp, payload);

        // The hand-written verifier checks our scheme; signed here by hand with a fresh Mac.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Inputs.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(body);
        handWrittenHeader = "t=" + t + ",v1=" + Base64.getEncoder().encodeToString(
                mac.doFinal(Long.toString(t).getBytes(StandardCharsets.US_ASCII)));

        checkInputs();
    }

    /** Every peer must accept its input (each throws or returns false otherwise); before and after. */
    @TearDown(Level.Trial)
    public void checkInputs() throws Exception {
        Inputs.require(stripe(), "stripe-java rejected its input");
        svix();
        standardWebhooks();
        Inputs.require(slack(), "slack-app-backend rejected its input");
        Inputs.require(handWritten(), "the hand-written verifier rejected its input");
    }

    @Benchmark
    public boolean stripe() throws SignatureVerificationException {
        return com.stripe.net.Webhook.Signature.verifyHeader(payload, stripeHeader, STRIPE_SECRET,
                Inputs.TOLERANCE.getSeconds());
    }

    @Benchmark
    public void svix() throws com.svix.exceptions.WebhookVerificationException {
        svix.verify(payload, svixHeaders);
    }

    @Benchmark
    public void standardWebhooks() throws com.standardwebhooks.exceptions.WebhookVerificationException {
        standardWebhooks.verify(payload, standardWebhooksHeaders);
    }

    @Benchmark
    public boolean slack() {
        return slack.isValid(slackTimestamp, payload, slackSignature);
    }

    @Benchmark
    public boolean handWritten() {
        return TutorialVerifier.verify(payload, handWrittenHeader, Inputs.SECRET, Inputs.TOLERANCE.getSeconds());
    }
}
