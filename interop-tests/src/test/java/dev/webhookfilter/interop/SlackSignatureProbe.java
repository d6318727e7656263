package dev.webhookfilter.interop;

import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Run in a child JVM by {@code SenderSdkInteropTest}: prints, one a line, what Slack's
 * {@code SlackSignature.Generator} signs for each body (given in hex, decoded as UTF-8 text as a framework
 * would), under whatever default charset the JVM was started with.
 *
 * <p>Arguments: the secret, the timestamp, then the bodies in hex.
 */
final class SlackSignatureProbe {

    private SlackSignatureProbe() {
    }

    public static void main(String[] args) {
        SlackSignature.Generator generator = new SlackSignature.Generator(args[0]);
        for (int i = 2; i < args.length; i++) {
            String text = new String(HexFormat.of().parseHex(args[i]), StandardCharsets.UTF_8);
            System.out.println(generator.generate(args[1], text));
        }
    }
}
