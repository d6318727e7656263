package dev.webhookfilter.benchmarks;

import dev.webhookfilter.HeaderCheck;
import dev.webhookfilter.HeaderLookup;
import dev.webhookfilter.Scheme;
import dev.webhookfilter.Verification;
import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.WebhookVerifier;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every scheme: {@link WebhookVerifier#verify(HeaderLookup, byte[])} of the headers its sender sends,
 * one secret, beside the scheme's own floor: one HMAC-SHA256 over the same signed message (the
 * scheme's prefix, the body, its suffix, fed as three updates to a {@code Mac} initialised
 * beforehand with the scheme's key). The floor's message and key are written out here from each
 * sender's documentation, not taken from the library; set-up checks that the floor's MAC is the
 * signature the signer sent. Beside them, {@code verify}'s first half alone ({@code checkHeader}), and the whole
 * {@code doFilter} of the same request through a filter
 * configured for the scheme, up to an application that reads the body (as {@link FilterBenchmark} does
 * for the default scheme).
 */
@State(Scope.Thread)
public class SchemeBenchmark extends BenchmarkDefaults {

    /** Base64 of 32 bytes, for the schemes whose secret is base64 that is decoded to get the key. */
    static final String BASE64_SECRET = "d2hrX2JlbmNobWFya19rZXlfMDEyMzQ1Njc4OWFiY2Q=";
    /** The delivery id the schemes with a signed id carry. */
    static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    @Param({"wealthkernel-2022", "wealthkernel", "standard-webhooks", "svix", "stripe", "github", "slack",
            "shopify", "paddle"})
    public String scheme;

    private byte[] body;
    private WebhookVerifier verifier;
    private HeaderLookup headers;
    private Map<String, String> sent;
    private Mac mac;
    private byte[] prefix;
    private byte[] suffix;
    private WebhookSignatureFilter filter;
    private BenchRequest request;
    private BenchResponse response;
    private FilterHarness.Application application;

    @Setup
    public void setUp() throws GeneralSecurityException, ServletException, IOException {
        body = Inputs.body(bodyBytes);
        long t = Inputs.now();
        Scheme named = Scheme.named(scheme);
        String secret = secretFor(scheme);
        verifier = WebhookVerifier.builder().scheme(named).secret(secret).tolerance(Inputs.TOLERANCE).build();
        sent = WebhookSigner.of(named, secret).headers(body, t, ID);
        headers = HeaderLookup.of(sent);

        String ts = Long.toString(t);
        switch (scheme) {
            case "wealthkernel-2022", "wealthkernel" -> message("", ts);
            case "standard-webhooks", "svix" -> message(ID + "." + ts + ".", "");
            case "stripe" -> message(ts + ".", "");
            case "slack" -> message("v0:" + ts + ":", "");
            case "paddle" -> message(ts + ":", "");
            default -> message("", ""); // github, shopify: the body alone
        }
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keyFor(scheme, secret), "HmacSHA256"));
        filter = FilterHarness.signatureFilter(scheme, secret);
        request = new BenchRequest(sent, body);
        response = new BenchResponse();
        application = new FilterHarness.Application();
        checkInputs();
    }

    private void message(String before, String after) {
        prefix = before.getBytes(StandardCharsets.US_ASCII);
        suffix = after.getBytes(StandardCharsets.US_ASCII);
    }

    /** A secret in the form the scheme's senders issue. */
    static String secretFor(String scheme) {
        return switch (scheme) {
            case "wealthkernel" -> BASE64_SECRET;
            case "standard-webhooks", "svix" -> "whsec_" + BASE64_SECRET;
            default -> Inputs.SECRET;
        };
    }

    /** The HMAC key each sender derives from its secret, as its documentation says. */
    static byte[] keyFor(String scheme, String secret) {
        return switch (scheme) {
            case "wealthkernel" -> Base64.getDecoder().decode(secret);
            case "standard-webhooks", "svix" -> Base64.getDecoder().decode(secret.substring("whsec_".length()));
            default -> secret.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Fails the run rather than let it measure rejections, or a floor over another message. */
    @TearDown(Level.Trial)
    public void checkInputs() throws ServletException, IOException {
        Verification verified = verify();
        Inputs.require(verified.isVerified(), scheme + ": " + verified);
        HeaderCheck checked = checkHeader();
        Inputs.require(checked.isAccepted(), scheme + ": " + checked);
        int calls = application.calls;
        int status = doFilter();
        Inputs.require(status == 200 && application.calls == calls + 1 && application.bytesSeen == bodyBytes,
                scheme + ": the signed request did not reach the application whole (status " + status + ")");
        byte[] floor = floor();
        String hex = HexFormat.of().formatHex(floor);
        String base64 = Base64.getEncoder().encodeToString(floor);
        boolean signed = sent.values().stream().anyMatch(value -> value.contains(hex) || value.contains(base64));
        Inputs.require(signed, scheme + ": the floor's MAC is not the one sent in " + sent.keySet());
    }

    @Benchmark
    public Verification verify() {
        return verifier.verify(headers, body);
    }

    /**
     * The part of {@link #verify} that needs no body: the headers looked up, parsed and checked against the
     * clock, the signed bytes around the body assembled. What is left of {@code verify} is the MAC and the compare.
     */
    @Benchmark
    public HeaderCheck checkHeader() {
        return verifier.checkHeader(headers);
    }

    /** The whole filter: the headers' check, the body read into its buffer, the MAC, the application reading it. */
    @Benchmark
    public int doFilter() throws ServletException, IOException {
        request.reset();
        response.reset();
        filter.doFilter(request, response, application);
        return response.getStatus();
    }

    @Benchmark
    public byte[] floor() {
        mac.update(prefix);
        mac.update(body);
        mac.update(suffix);
        return mac.doFinal();
    }
}
