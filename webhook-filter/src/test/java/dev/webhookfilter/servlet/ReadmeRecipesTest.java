package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.testing.Readme;
import dev.webhookfilter.testing.RequiredCommands;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each curl + openssl recipe of README's "Signature schemes" section, as written, with bash
 * against a filter configured with that section's {@code scheme} and the recipe's {@code SECRET}, and
 * those of its quick start and of its Spring Boot example against one with the default scheme:
 * the README must not teach a recipe that does not work, nor one that a receiver de-duplicating by the sender's
 * delivery id (where the sender sends one) refuses. Skipped where bash, curl or openssl is missing.
 */
class ReadmeRecipesTest {

    private static final Pattern SECTION = Pattern.compile("^### `([a-z0-9-]+)`$", Pattern.MULTILINE);
    private static final Pattern SECRET = Pattern.compile("^SECRET=\"?([^\"\n]*)\"?$", Pattern.MULTILINE);

    static Stream<Arguments> recipes() {
        String section = Readme.between("\n## Signature schemes\n", "\n## ");
        Matcher heading = SECTION.matcher(section);
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        while (heading.find()) {
            names.add(heading.group(1));
            starts.add(heading.start());
            ends.add(heading.end());
        }
        starts.add(section.length());
        List<Arguments> recipes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String body = section.substring(ends.get(i), starts.get(i + 1));
            List<String> shell = Readme.codeBlocks(body, "sh");
            assertTrue(!shell.isEmpty(), names.get(i) + " has no sh block");
            assertTrue(body.contains("<param-value>" + names.get(i) + "</param-value>"),
                    names.get(i) + " has no web.xml snippet naming it");
            recipes.add(Arguments.of(names.get(i), shell.get(0)));
        }
        return recipes.stream();
    }

    @Test
    void everySchemeBesidesTheDefaultHasARecipe() {
        assertEquals(List.of("wealthkernel", "standard-webhooks", "svix", "stripe", "github", "slack", "shopify",
                "paddle"), recipes().map(a -> (String) a.get()[0]).toList());
    }

    /**
     * The command that starts the example for another scheme gives the {@code stripe} recipe's {@code SECRET} to
     * the variable that the recipe's {@code web.xml} snippet names in {@code secrets}: a reader who follows it
     * gets a filter that accepts the recipe.
     */
    @Test
    void theExamplesStartForAnotherSchemeGivesTheRecipesSecretToTheVariableItsSnippetNames() {
        List<String> start = Readme.codeBlocks(Readme.between("\n## Signature schemes\n", "\n### "), "sh");
        assertEquals(1, start.size(), "the section's introduction has one command, which starts the example");
        Matcher command = Pattern.compile("([A-Z_]+)=(\\S+) mvn -pl example-war -am -DskipTests package exec:exec")
                .matcher(start.get(0).strip());
        assertTrue(command.matches(), start.get(0));
        String stripe = Readme.between("\n### `stripe`\n", "\n### ");
        assertTrue(stripe.contains("<param-value>env:" + command.group(1) + "</param-value>"),
                "the stripe snippet's secrets names " + command.group(1));
        Matcher secret = SECRET.matcher(Readme.codeBlocks(stripe, "sh").get(0));
        assertTrue(secret.find(), "the stripe recipe sets SECRET");
        assertEquals(secret.group(1), command.group(2));
    }

    /**
     * The quick start's recipes (the JSON event, then the file of random bytes) and the Spring Boot example's,
     * which sends the quick start's event to {@code /webhooks/payments}. Each sets {@code SECRET} itself: a
     * reader may paste any one of them into a new shell.
     */
    static Stream<Arguments> quickStartRecipes() {
        List<Arguments> recipes = new ArrayList<>();
        String quickStart = Readme.between("\n## Quick start\n", "\n### The example's page\n");
        for (String block : Readme.codeBlocks(quickStart, "sh")) {
            if (!block.contains("curl ")) {
                continue; // the commands that start the example and run the tests
            }
            Matcher set = SECRET.matcher(block);
            String name = "quick start, recipe " + (recipes.size() + 1);
            assertTrue(set.find(), name + " sets SECRET");
            recipes.add(Arguments.of(name, set.group(1), block));
        }
        assertEquals(2, recipes.size(), "the quick start's curl recipes: the JSON event and the file");
        for (String block : Readme.codeBlocks(Readme.between("\n### The Spring Boot example\n", "\n## Metrics\n"), "sh")) {
            if (block.contains("curl ")) {
                Matcher set = SECRET.matcher(block);
                assertTrue(set.find(), "the Spring Boot example's recipe sets SECRET");
                recipes.add(Arguments.of("Spring Boot example", set.group(1), block));
            }
        }
        assertEquals(3, recipes.size(), "the Spring Boot example has one curl recipe");
        return recipes.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quickStartRecipes")
    void theQuickStartsRecipesAreAccepted(String name, String secret, String recipe, @TempDir Path directory)
            throws Exception {
        RequiredCommands.onPath("apt-get install bash curl openssl", "bash", "curl", "openssl");
        try (EmbeddedJetty jetty = receiver(WebhookSignatureFilter.builder().secrets(secret))) {
            String base = "http://127.0.0.1:" + jetty.port() + "/webhooks/";
            String asWritten = recipe.replace("http://localhost:8080/webhooks/", base);
            String output = bash(asWritten, directory);
            assertTrue(output.startsWith("HTTP/1.1 200"), output);
            assertTrue(output.contains("received "), output);
            if (recipe.contains("--data-binary \"$BODY\"")) {
                String tampered = asWritten.replace("--data-binary \"$BODY\"", "--data-binary \"$BODY \"");
                assertTrue(bash(tampered, directory).startsWith("HTTP/1.1 401"), "a tampered body must be refused");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void theRecipeIsAcceptedAndItsBodyTamperedIsNot(String scheme, String recipe) throws Exception {
        RequiredCommands.onPath("apt-get install bash curl openssl", "bash", "curl", "openssl");
        Matcher secret = SECRET.matcher(recipe);
        assertTrue(secret.find(), "the recipe sets SECRET");
        WebhookSignatureFilter.Builder filter = WebhookSignatureFilter.builder().scheme(scheme).secrets(secret.group(1));
        if (Scheme.named(scheme).deliveryIdHeader().isPresent()) {
            // The sender sends its delivery id, and README has the reader de-duplicate by it: so must the recipe.
            filter.deduplicate();
        }
        try (EmbeddedJetty jetty = receiver(filter)) {
            String url = "http://127.0.0.1:" + jetty.port() + "/webhooks/";
            String asWritten = recipe.replace("http://localhost:8080/webhooks/", url);
            String output = bash(asWritten);
            assertTrue(output.startsWith("HTTP/1.1 200"), output);
            // The same recipe with the body changed after signing: the filter must refuse it.
            String tampered = asWritten.replace("--data-binary \"$BODY\"", "--data-binary \"$BODY \"");
            assertTrue(bash(tampered).startsWith("HTTP/1.1 401"), "a tampered body must be refused");
        }
    }

    /** Jetty on loopback: {@code filter} on /webhooks/*, in front of a servlet that answers "received" and the body's length. */
    private static EmbeddedJetty receiver(WebhookSignatureFilter.Builder filter) throws Exception {
        return EmbeddedJetty.start(context -> {
            filter.register(context, "webhookSignature", "/webhooks/*");
            context.addServlet("ok", new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.getWriter().print("received " + request.getInputStream().readAllBytes().length);
                }
            }).addMapping("/webhooks/*");
        });
    }

    private static String bash(String script) throws Exception {
        return bash(script, null);
    }

    /** Runs {@code script} in {@code directory} (null for this process's), where a recipe may write its files. */
    private static String bash(String script, Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(directory == null ? null : directory.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD); // curl's progress meter
        // The recipe's curl sends to loopback: a proxy from the environment would take the request elsewhere.
        builder.environment().keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the recipe did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
