package dev.webhookfilter.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Turns a JMH JSON result ({@code -rf json}) into the Markdown tables of {@code BENCHMARKS.md}:
 * the targets with their measured ratios, then median time and allocation per operation for
 * every benchmark and body size. Ratios divide medians taken in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.webhookfilter.benchmarks.RatioTable
 * benchmarks/target/jmh-result.json}
 */
public final class RatioTable {

    static final int[] SIZES = {0, 1024, 65536, 1048576};

    private static final String PACKAGE = "dev.webhookfilter.benchmarks.";
    private static final String FLOOR = "FloorBenchmark.hmac";
    private static final String CORE = "CoreBenchmark.oneSecret";
    private static final String CORE_TWO = "CoreBenchmark.twoSecretsTwoV1";
    private static final String CORE_HEADER = "CoreBenchmark.checkHeaderOnly";
    private static final String CORE_BODY = "CoreBenchmark.checkBodyOnly";
    private static final String FILTER = "FilterBenchmark.signatureFilter";
    private static final String FILTER_READ_ALL = "FilterBenchmark.signatureFilterReadAllBytes";
    private static final String PASS_THROUGH = "FilterBenchmark.passThrough";
    private static final String REJECT = "EarlyRejectionBenchmark.reject";
    private static final String STRIPE = "PeerBenchmark.stripe";
    private static final String SVIX = "PeerBenchmark.svix";
    private static final String STANDARD = "PeerBenchmark.standardWebhooks";
    private static final String SLACK = "PeerBenchmark.slack";
    private static final String HAND_WRITTEN = "PeerBenchmark.handWritten";
    private static final String SCHEME_VERIFY = "SchemeBenchmark.verify";
    private static final String SCHEME_FLOOR = "SchemeBenchmark.floor";
    private static final String SCHEME_FILTER = "SchemeBenchmark.doFilter";
    /** Each sender's SDK benchmark and the scheme it verifies, in the order of the SDK / ours table. */
    private static final List<Map.Entry<String, String>> SDK_SCHEMES = List.of(Map.entry(STRIPE, "stripe"),
            Map.entry(STANDARD, "standard-webhooks"), Map.entry(SVIX, "svix"), Map.entry(SLACK, "slack"));

    /** One benchmark at one set of parameters: medians over every measured iteration of every fork. */
    record Result(String benchmark, int bodyBytes, String header, double nanos, double error, double bytes) {
    }

    private final Map<String, Result> results = new LinkedHashMap<>();
    private final JsonObject first;
    private final Properties peers;

    RatioTable(Reader json, Properties peers) {
        this.peers = peers;
        JsonObject firstSeen = null;
        for (JsonElement element : JsonParser.parseReader(json).getAsJsonArray()) {
            JsonObject run = element.getAsJsonObject();
            firstSeen = firstSeen == null ? run : firstSeen;
            String benchmark = run.get("benchmark").getAsString().replace(PACKAGE, "");
            JsonObject params = run.has("params") ? run.getAsJsonObject("params") : new JsonObject();
            int bodyBytes = params.has("bodyBytes") ? params.get("bodyBytes").getAsInt() : -1;
            // The benchmark's one parameter besides the size: EarlyRejectionBenchmark's header, SchemeBenchmark's scheme.
            String header = params.has("header") ? params.get("header").getAsString()
                    : params.has("scheme") ? params.get("scheme").getAsString() : null;
            JsonObject primary = run.getAsJsonObject("primaryMetric");
            JsonObject secondary = run.getAsJsonObject("secondaryMetrics");
            double bytes = secondary != null && secondary.has("gc.alloc.rate.norm")
                    ? median(secondary.getAsJsonObject("gc.alloc.rate.norm")) : Double.NaN;
            double error = primary.get("scoreError").isJsonPrimitive()
                    && primary.get("scoreError").getAsJsonPrimitive().isNumber()
                    ? primary.get("scoreError").getAsDouble() : Double.NaN;
            Result result = new Result(benchmark, bodyBytes, header, median(primary), error, bytes);
            // Two results for one key would leave one of them out, and a ratio could divide figures of two runs.
            if (results.putIfAbsent(key(benchmark, bodyBytes, header), result) != null) {
                throw new IllegalArgumentException(benchmark + " at " + bodyBytes + " bytes"
                        + (header == null ? "" : ", " + header) + " is measured more than once in these results");
            }
        }
        this.first = firstSeen;
    }

    /**
     * Prints the tables of one or more JMH JSON results (default {@code benchmarks/target/jmh-result.json}),
     * read as one; with {@code --sdks} first, only the SDK / ours table of the files that follow.
     */
    public static void main(String[] args) throws IOException {
        boolean sdksOnly = args.length > 0 && args[0].equals("--sdks");
        List<String> files = sdksOnly ? List.of(args).subList(1, args.length)
                : args.length > 0 ? List.of(args) : List.of("benchmarks/target/jmh-result.json");
        JsonArray runs = new JsonArray();
        for (String file : files) {
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                runs.addAll(JsonParser.parseReader(reader).getAsJsonArray());
            }
        }
        RatioTable table = new RatioTable(new StringReader(runs.toString()), peerVersions());
        if (sdksOnly) {
            System.out.print(table.renderSdks());
        } else {
            System.out.print(table.render());
        }
    }

    static Properties peerVersions() {
        Properties versions = new Properties();
        try (InputStream in = RatioTable.class.getResourceAsStream("peers.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        if (first == null) {
            return "No results.\n";
        }
        out.append("JMH ").append(text(first, "jmhVersion")).append(", ").append(text(first, "vmName"))
                .append(' ').append(text(first, "vmVersion")).append(" (JDK ").append(text(first, "jdkVersion"))
                .append("); ").append(text(first, "forks")).append(" forks × (")
                .append(text(first, "warmupIterations")).append(" warm-up × ").append(text(first, "warmupTime"))
                .append(", ").append(text(first, "measurementIterations")).append(" measured × ")
                .append(text(first, "measurementTime")).append("); JVM options ")
                .append(first.has("jvmArgs") ? first.get("jvmArgs").toString() : "[]")
                .append(". Medians over all measured iterations of all forks.\n\n");
        renderTargets(out);
        renderTimes(out);
        renderAllocation(out);
        renderSchemes(out);
        return out.toString();
    }

    /**
     * Each sender's SDK against our {@code verify} of its scheme at 1 KiB, when one JSON holds both: a run
     * of {@code PeerBenchmark} and {@code SchemeBenchmark.verify} together, so that the ratio is of one run.
     */
    String renderSdks() {
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, String> sdk : SDK_SCHEMES) {
            Result theirs = results.get(key(sdk.getKey(), 1024, null));
            Result ours = results.get(key(SCHEME_VERIFY, 1024, sdk.getValue()));
            if (theirs != null && ours != null) {
                double ratio = theirs.nanos() / ours.nanos();
                rows.append("| ").append(rows().get(key(sdk.getKey(), "{size}", null))).append(" | ")
                        .append(nanos(theirs.nanos())).append(" | `").append(sdk.getValue()).append("` ")
                        .append(nanos(ours.nanos())).append(" | ").append(times(ratio)).append(", ")
                        .append(ratio >= 2 ? "met" : "**not met**").append(" |\n");
            }
        }
        return rows.length() == 0 ? "" : "Each sender's SDK against our `verify` of its scheme, at 1 KiB:\n\n"
                + "| SDK | SDK at 1 KiB | ours, that scheme | SDK / ours (target ≥ 2×) |\n|---|---:|---:|---|\n"
                + rows + "\n";
    }

    private void renderTargets(StringBuilder out) {
        out.append("| Target | Measured | Limit | Met? |\n|---|---:|---:|---|\n");
        for (int size : new int[] {1024, 65536, 1048576}) {
            atMost(out, "ours, core / floor at " + size(size), ratio(CORE, size, FLOOR, size),
                    size == 1024 ? 1.15 : 1.05);
        }
        atLeast(out, "svix / ours, core at 1 KiB", ratio(SVIX, 1024, CORE, 1024), 1.7);
        atLeast(out, "stripe-java / ours, core at 1 KiB", ratio(STRIPE, 1024, CORE, 1024), 3.0);
        atMost(out, "whole doFilter / floor at 1 KiB", ratio(FILTER, 1024, FLOOR, 1024), 1.3);
        atMost(out, "whole doFilter / floor at 64 KiB", ratio(FILTER, 65536, FLOOR, 65536), 1.10);
        for (String header : new String[] {"malformed", "stale"}) {
            atMost(out, "early rejection (" + header + "), 1 MiB body / empty body",
                    ratio(key(REJECT, 1048576, header), key(REJECT, 0, header)), 1.10);
        }
        for (int size : SIZES) {
            allocation(out, "ours, core", CORE, size);
        }
        for (int size : SIZES) {
            allocation(out, "ours, whole doFilter", FILTER, size);
        }
        out.append("\n\"The same\" for early rejection is read as within 10 %; the set-up also checks that"
                + " not one byte of the 1 MiB body is read. Allocation limits are body size + 1 KiB.\n\n");
    }

    /** SchemeBenchmark: each scheme's verify, then its whole doFilter, against the HMAC of its own signed message. */
    private void renderSchemes(StringBuilder out) {
        List<String> schemes = new ArrayList<>();
        for (Result result : results.values()) {
            if (result.benchmark().equals(SCHEME_VERIFY) && !schemes.contains(result.header())) {
                schemes.add(result.header());
            }
        }
        if (schemes.isEmpty()) {
            return;
        }
        out.append("Per scheme: `WebhookVerifier.verify` of the sender's headers, its ratio to one HMAC over the same"
                + " signed message (the scheme's floor), and its allocation:\n\n");
        renderScheme(out, schemes, SCHEME_VERIFY, "verify / floor at 1 KiB ≤ 1.15×", 1.15, Double.NaN);
        out.append("Per scheme: the whole `doFilter` of the same request (the filter configured for the scheme, the"
                + " application reading the body), its ratio to the scheme's floor, and its allocation:\n\n");
        renderScheme(out, schemes, SCHEME_FILTER, "doFilter / floor ≤ 1.3× at 1 KiB, ≤ 1.10× at 64 KiB", 1.3, 1.10);
    }

    /** One row per scheme: each size's time and ratio, the verdict on the targets, the allocation at each size. */
    private void renderScheme(StringBuilder out, List<String> schemes, String benchmark, String target,
                              double limitAt1KiB, double limitAt64KiB) {
        out.append("| Scheme |");
        for (int size : SIZES) {
            out.append(' ').append(size(size)).append(" |");
        }
        out.append(' ').append(target).append(" | allocation ≤ body + 1 KiB |\n|---|");
        for (int ignored : SIZES) {
            out.append("---:|");
        }
        out.append("---|---|\n");
        for (String scheme : schemes) {
            out.append("| `").append(scheme).append("` |");
            for (int size : SIZES) {
                Result measured = results.get(key(benchmark, size, scheme));
                double ratio = ratio(key(benchmark, size, scheme), key(SCHEME_FLOOR, size, scheme));
                out.append(' ').append(measured == null ? "n/a" : nanos(measured.nanos()))
                        .append(Double.isNaN(ratio) ? "" : " (" + times(ratio) + ")").append(" |");
            }
            double at1KiB = ratio(key(benchmark, 1024, scheme), key(SCHEME_FLOOR, 1024, scheme));
            double at64KiB = ratio(key(benchmark, 65536, scheme), key(SCHEME_FLOOR, 65536, scheme));
            out.append(' ').append(verdict(at1KiB, limitAt1KiB));
            if (!Double.isNaN(limitAt64KiB)) {
                out.append("; at 64 KiB ").append(verdict(at64KiB, limitAt64KiB));
            }
            out.append(" |");
            // The allocation target holds at every size: judged at each one this run measured.
            StringBuilder allocation = new StringBuilder();
            boolean allocationMet = true;
            for (int size : SIZES) {
                Result measured = results.get(key(benchmark, size, scheme));
                if (measured != null && !Double.isNaN(measured.bytes())) {
                    allocation.append(allocation.length() == 0 ? " " : ", ").append(String.format(Locale.ROOT,
                            "%,d B at %s", Math.round(measured.bytes()), size(size)));
                    allocationMet &= measured.bytes() <= size + 1024;
                }
            }
            out.append(allocation.length() == 0 ? " not measured"
                    : allocation.append(": ").append(allocationMet ? "met" : "**not met**")).append(" |\n");
        }
        out.append('\n');
    }

    private static String verdict(double ratio, double limit) {
        return Double.isNaN(ratio) ? "not measured" : ratio <= limit ? "met" : "**not met**";
    }

    private void renderTimes(StringBuilder out) {
        out.append("Median time per operation, and its ratio to the floor at the same size "
                + "(± is JMH's 99.9 % confidence half-width of the mean):\n\n");
        header(out);
        for (Map.Entry<String, String> row : rows().entrySet()) {
            out.append("| ").append(row.getValue()).append(" |");
            for (int size : SIZES) {
                Result result = results.get(row.getKey().replace("{size}", Integer.toString(size)));
                Result floor = results.get(key(FLOOR, size, null));
                if (result == null) {
                    out.append(" n/a |");
                    continue;
                }
                out.append(' ').append(nanos(result.nanos()));
                if (!Double.isNaN(result.error())) {
                    out.append(" ± ").append(percent(result.error() / result.nanos()));
                }
                if (floor != null && !row.getKey().startsWith(FLOOR + "|")) {
                    out.append(" (").append(times(result.nanos() / floor.nanos())).append(')');
                }
                out.append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private void renderAllocation(StringBuilder out) {
        out.append("Allocation per operation (`-prof gc`, `gc.alloc.rate.norm`, median), bytes:\n\n");
        header(out);
        for (Map.Entry<String, String> row : rows().entrySet()) {
            out.append("| ").append(row.getValue()).append(" |");
            for (int size : SIZES) {
                Result result = results.get(row.getKey().replace("{size}", Integer.toString(size)));
                out.append(' ').append(result == null || Double.isNaN(result.bytes()) ? "n/a"
                        : String.format(Locale.ROOT, "%,d", Math.round(result.bytes()))).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private Map<String, String> rows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put(key(FLOOR, "{size}", null), "floor: one `Mac.doFinal`, initialised Mac");
        rows.put(key(CORE, "{size}", null), "**ours, core**: `WebhookVerifier.verify`, 1 secret");
        rows.put(key(CORE_HEADER, "{size}", null), "ours, core, its first half: `checkHeader` (parse, clock)");
        rows.put(key(CORE_BODY, "{size}", null), "ours, core, its second half: `checkBody` (HMAC, compare)");
        rows.put(key(CORE_TWO, "{size}", null), "ours, core: 2 secrets, 2 `v1`, match on the 2nd (2 MACs)");
        rows.put(key(FILTER, "{size}", null), "**ours, whole `doFilter`** (valid request, app reads body)");
        rows.put(key(FILTER_READ_ALL, "{size}", null),
                "ours, whole `doFilter`, the app taking the body with `readAllBytes()`");
        rows.put(key(PASS_THROUGH, "{size}", null), "pass-through filter, same request and app");
        rows.put(key(REJECT, "{size}", "malformed"), "early rejection: malformed header");
        rows.put(key(REJECT, "{size}", "stale"), "early rejection: stale `t`");
        rows.put(key(STRIPE, "{size}", null), "stripe-java " + peers.getProperty("stripe-java", "?")
                + " `Webhook.Signature.verifyHeader`");
        rows.put(key(SVIX, "{size}", null), "svix " + peers.getProperty("svix", "?") + " `Webhook.verify`");
        rows.put(key(STANDARD, "{size}", null), "standardwebhooks " + peers.getProperty("standardwebhooks", "?")
                + " `Webhook.verify`");
        rows.put(key(SLACK, "{size}", null), "slack-app-backend " + peers.getProperty("slack-app-backend", "?")
                + " `SlackSignature.Verifier.isValid`");
        rows.put(key(HAND_WRITTEN, "{size}", null), "hand-written (String body, concat, Base64 `equals`)");
        // A benchmark this run did not include is left out rather than shown as a row of n/a.
        rows.keySet().removeIf(row -> Arrays.stream(SIZES)
                .noneMatch(size -> results.containsKey(row.replace("{size}", Integer.toString(size)))));
        return rows;
    }

    private static void header(StringBuilder out) {
        out.append("| Benchmark |");
        for (int size : SIZES) {
            out.append(' ').append(size(size)).append(" |");
        }
        out.append("\n|---|");
        for (int ignored : SIZES) {
            out.append("---:|");
        }
        out.append('\n');
    }

    private void allocation(StringBuilder out, String label, String benchmark, int size) {
        Result result = results.get(key(benchmark, size, null));
        double limit = size + 1024;
        String measured = result == null || Double.isNaN(result.bytes()) ? "n/a"
                : String.format(Locale.ROOT, "%,d B", Math.round(result.bytes()));
        String met = result == null || Double.isNaN(result.bytes()) ? "not measured"
                : result.bytes() <= limit ? "met" : "**not met**";
        out.append("| allocation, ").append(label).append(", ").append(size(size)).append(" body | ")
                .append(measured).append(" | ≤ ").append(String.format(Locale.ROOT, "%,d B", (long) limit))
                .append(" | ").append(met).append(" |\n");
    }

    private static void atMost(StringBuilder out, String label, double ratio, double limit) {
        target(out, label, ratio, "≤ " + times(limit), Double.isNaN(ratio) ? null : ratio <= limit);
    }

    private static void atLeast(StringBuilder out, String label, double ratio, double limit) {
        target(out, label, ratio, "≥ " + times(limit), Double.isNaN(ratio) ? null : ratio >= limit);
    }

    private static void target(StringBuilder out, String label, double ratio, String limit, Boolean met) {
        out.append("| ").append(label).append(" | ").append(Double.isNaN(ratio) ? "n/a" : times(ratio))
                .append(" | ").append(limit).append(" | ")
                .append(met == null ? "not measured" : met ? "met" : "**not met**").append(" |\n");
    }

    private double ratio(String benchmark, int size, String baseline, int baselineSize) {
        return ratio(key(benchmark, size, null), key(baseline, baselineSize, null));
    }

    private double ratio(String key, String baselineKey) {
        Result result = results.get(key);
        Result baseline = results.get(baselineKey);
        return result == null || baseline == null ? Double.NaN : result.nanos() / baseline.nanos();
    }

    private static String key(String benchmark, int size, String header) {
        return key(benchmark, Integer.toString(size), header);
    }

    private static String key(String benchmark, String size, String header) {
        return benchmark + "|" + size + "|" + (header == null ? "" : header);
    }

    private static double median(JsonObject metric) {
        JsonObject percentiles = metric.getAsJsonObject("scorePercentiles");
        return percentiles != null && percentiles.has("50.0")
                ? percentiles.get("50.0").getAsDouble() : metric.get("score").getAsDouble();
    }

    private static String text(JsonObject run, String field) {
        return run.has(field) ? run.get(field).getAsString() : "?";
    }

    static String size(int bytes) {
        if (bytes >= 1048576) {
            return bytes / 1048576 + " MiB";
        }
        if (bytes >= 1024) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    static String nanos(double nanos) {
        if (nanos >= 1_000_000) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1_000_000);
        }
        if (nanos >= 1_000) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1_000);
        }
        return String.format(Locale.ROOT, "%.3g ns", nanos);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    /** For tests: the parsed results in input order. */
    List<Result> results() {
        return new ArrayList<>(results.values());
    }
}
