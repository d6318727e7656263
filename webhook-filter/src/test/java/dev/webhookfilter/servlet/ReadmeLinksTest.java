package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every link to a section of README.md, from README.md itself ({@code (#anchor)}) or from the other documents
 * ({@code (README.md#anchor)}), names a heading README.md has, as GitHub spells its anchors.
 */
class ReadmeLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);
    private static final Pattern FENCE = Pattern.compile("^```.*?^```", Pattern.MULTILINE | Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "SECURITY.md", "CHANGELOG.md"})
    void everyLinkToAReadmeSectionNamesOne(String document) throws IOException {
        Set<String> anchors = anchors(read("README.md"));
        String prefix = document.equals("README.md") ? "" : "README\\.md";
        Matcher link = Pattern.compile("\\]\\(" + prefix + "#([^)\\s]+)\\)").matcher(read(document));
        Set<String> broken = new TreeSet<>();
        while (link.find()) {
            if (!anchors.contains(link.group(1))) {
                broken.add(link.group(1));
            }
        }
        assertEquals(Set.of(), broken, document + " links to sections README.md does not have");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Quick start", "`web.xml`", "Using the core without servlets", "Why was my webhook rejected?"})
    void spellsAnchorsAsGitHubDoes(String heading) {
        // The anchors GitHub gives these headings of README.md.
        Map<String, String> github = Map.of("Quick start", "quick-start", "`web.xml`", "webxml",
                "Using the core without servlets", "using-the-core-without-servlets",
                "Why was my webhook rejected?", "why-was-my-webhook-rejected");
        assertEquals(Set.of(github.get(heading)), anchors("# " + heading + "\n"));
    }

    /** GitHub's anchors: lower case, punctuation but hyphens and underscores dropped, spaces made hyphens, repeats numbered. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher heading = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (heading.find()) {
            String anchor = heading.group(1).strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int count = seen.merge(anchor, 1, Integer::sum);
            anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
        }
        return anchors;
    }

    private static String read(String document) throws IOException {
        return Files.readString(ROOT.resolve(document), StandardCharsets.UTF_8);
    }
}
