package dev.webhookfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.testing.Readme;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Using the core without servlets" shows code that users paste: each of its {@code java} blocks
 * compiles, as it is written, against the core alone (no Servlet API, {@code --release 11} as the core
 * targets), inside a method of a class that supplies only what the snippet leaves to the reader: the
 * request's header value, headers and body, a logger, a JAX-RS-like {@code Response}, a body reader, and
 * the verifier an earlier block built.
 */
class ReadmeCoreSnippetsTest {

    private static final String SECTION = "## Using the core without servlets";

    /** What the snippets take from their surroundings; a local of the snippet may shadow any of these. */
    private static final String SURROUNDINGS = String.join("\n",
            "package readme;",
            "import dev.webhookfilter.*;",
            "import java.nio.ByteBuffer;",
            "import java.util.*;",
            "abstract class Snippet%d {",
            "    interface Log { void debug(String format, Object... arguments); }",
            "    interface Headers { List<String> getAll(String name); }",
            "    static final class Response {",
            "        static Response status(int status) { return new Response(); }",
            "        Response build() { return this; }",
            "    }",
            "    WebhookVerifier verifier;",
            "    Log log;",
            "    Headers requestHeaders;",
            "    String signatureHeader;",
            "    byte[] rawBodyBytes;",
            "    String secret;",
            "    byte[] body;",
            "    Object request;",
            "    int maxBodyBytes;",
            "    abstract byte[] readAtMost(Object request, int maxBodyBytes);",
            "    Response handle() {",
            "%s",
            "        return null;",
            "    }",
            "}",
            "");

    /**
     * Users paste these blocks and carry on below them: one that ends with a {@code Verification} it never looks at
     * lets whatever follows run for a forged request, as the checkHeader/checkBody block did.
     */
    @Test
    void everyVerificationABlockMakes_isActedOnInThatBlock() {
        List<String> snippets = Readme.codeBlocks(Readme.between("\n" + SECTION + "\n", "\n## "), "java");
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            Matcher made = Pattern.compile("Verification (\\w+) =").matcher(snippets.get(i));
            while (made.find()) {
                if (!snippets.get(i).contains("if (!" + made.group(1) + ".isVerified())")) {
                    ignored.add("block " + (i + 1) + ": " + made.group(1));
                }
            }
        }
        assertEquals(List.of(), ignored, "Verifications that a block of the section makes and never looks at");
    }

    @Test
    void everyJavaBlockOfTheSection_compilesAgainstTheCore(@TempDir Path dir) throws IOException, URISyntaxException {
        List<String> snippets = Readme.codeBlocks(Readme.between("\n" + SECTION + "\n", "\n## "), "java");
        assertEquals(3, snippets.size(), "the section's java blocks: verify, another scheme, checkHeader/checkBody");

        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            Path source = dir.resolve("readme").resolve("Snippet" + i + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, String.format(Locale.ROOT, SURROUNDINGS, i, snippets.get(i)));
            sources.add(source);
        }
        Path core = Paths.get(WebhookVerifier.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean compiled = javac.getTask(null, files, diagnostics,
                    List.of("--release", "11", "-proc:none", "-classpath", core.toString(), "-d", dir.resolve("classes").toString()),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(compiled, () -> "README's core snippets do not compile:\n" + diagnostics.getDiagnostics().stream()
                    .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n")));
        }
    }
}
