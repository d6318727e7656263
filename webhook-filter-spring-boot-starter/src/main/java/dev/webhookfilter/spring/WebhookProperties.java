package dev.webhookfilter.spring;

import dev.webhookfilter.WebhookVerifier;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The webhook endpoints, under {@code webhooks.endpoints.<name>}; each gets its own
 * {@code WebhookSignatureFilter}:
 * <pre>{@code
 * webhooks:
 *   endpoints:
 *     payments:
 *       path-patterns: [/webhooks/payments/*]
 *       secrets: ["${PAYMENTS_WEBHOOK_SECRET}"]
 * }</pre>
 * Values are checked when the filters are built, by the filter's own rules; a bad one stops the
 * application from starting.
 */
@ConfigurationProperties("webhooks")
public class WebhookProperties {

    /** The webhook endpoints by name; each gets a filter of that name in front of its path patterns. */
    private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /** {@return the webhook endpoints by name} */
    public Map<String, Endpoint> getEndpoints() {
        return endpoints;
    }

    /**
     * Sets the webhook endpoints by name.
     *
     * @param endpoints the webhook endpoints by name
     */
    public void setEndpoints(Map<String, Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /** One endpoint: where its requests arrive and how their signatures are checked. */
    public static class Endpoint {

        /**
         * Servlet URL patterns the endpoint's filter guards, such as /webhooks/payments/*. Required.
         * Every request matching them must be signed, whatever its method.
         */
        private List<String> pathPatterns = new ArrayList<>();

        /**
         * The shared secrets, each used exactly as given (no env: or file: prefixes here): take them
         * from the environment with placeholders such as ${PAYMENTS_WEBHOOK_SECRET}. Required; two
         * while rotating.
         */
        private List<String> secrets = new ArrayList<>();

        /** How far the signature's t may be from now, either way: 1 s to 86400 s. A bare number is seconds. */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration tolerance = WebhookVerifier.DEFAULT_TOLERANCE;

        /** The largest body accepted; a larger one gets 413 without being read past the limit. Up to 1GB. */
        private DataSize maxBodySize = DataSize.ofMegabytes(1);

        /** The header that carries the signature. */
        private String headerName = WebhookVerifier.DEFAULT_HEADER_NAME;

        /** Whether a signature already accepted within the tolerance is refused (401, replayed). */
        private boolean replayProtection;

        /** How many signatures replay protection remembers at most (about 150 bytes each): 1 to 10000000. */
        // The filter's replayCacheSize default, which it keeps package-private; the two must agree.
        private int replayCacheSize = 100_000;

        /** {@return the URL patterns the endpoint's filter guards} */
        public List<String> getPathPatterns() {
            return pathPatterns;
        }

        /**
         * Sets the URL patterns the endpoint's filter guards.
         *
         * @param pathPatterns the URL patterns the endpoint's filter guards
         */
        public void setPathPatterns(List<String> pathPatterns) {
            this.pathPatterns = pathPatterns;
        }

        /** {@return the endpoint's secrets, in order} */
        public List<String> getSecrets() {
            return secrets;
        }

        /**
         * Sets the endpoint's secrets, in order.
         *
         * @param secrets the endpoint's secrets, in order
         */
        public void setSecrets(List<String> secrets) {
            this.secrets = secrets;
        }

        /** {@return how far t may be from now, either way} */
        public Duration getTolerance() {
            return tolerance;
        }

        /**
         * Sets how far t may be from now, either way.
         *
         * @param tolerance how far t may be from now, either way
         */
        public void setTolerance(Duration tolerance) {
            this.tolerance = tolerance;
        }

        /** {@return the largest body accepted} */
        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        /**
         * Sets the largest body accepted.
         *
         * @param maxBodySize the largest body accepted
         */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /** {@return the header that carries the signature} */
        public String getHeaderName() {
            return headerName;
        }

        /**
         * Sets the header that carries the signature.
         *
         * @param headerName the header that carries the signature
         */
        public void setHeaderName(String headerName) {
            this.headerName = headerName;
        }

        /** {@return whether a signed message accepted before is refused} */
        public boolean isReplayProtection() {
            return replayProtection;
        }

        /**
         * Sets whether a signed message accepted before is refused.
         *
         * @param replayProtection whether a signed message accepted before is refused
         */
        public void setReplayProtection(boolean replayProtection) {
            this.replayProtection = replayProtection;
        }

        /** {@return how many replay keys replay protection remembers at most} */
        public int getReplayCacheSize() {
            return replayCacheSize;
        }

        /**
         * Sets how many replay keys replay protection remembers at most.
         *
         * @param replayCacheSize how many replay keys replay protection remembers at most
         */
        public void setReplayCacheSize(int replayCacheSize) {
            this.replayCacheSize = replayCacheSize;
        }

        @Override
        public String toString() {
            // Never the secrets: only how many there are.
            return "Endpoint[pathPatterns " + pathPatterns + ", " + secrets.size() + " secrets, tolerance "
                    + tolerance + ", maxBodySize " + maxBodySize + ", header " + headerName
                    + ", replayProtection " + replayProtection + "]";
        }
    }
}
