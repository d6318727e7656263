package dev.webhookfilter.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webhookfilter.testing.Readme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "The Spring Boot example" names each endpoint of this example on the path pattern its
 * {@code application.yml} gives it: a reader sends to the paths the README names.
 */
class ReadmeExampleTest {

    private static final Pattern ENDPOINT =
            Pattern.compile("^    ([a-z]+):\\n      path-patterns: \\[([^\\]]+)]$", Pattern.MULTILINE);

    @Test
    void readmeNamesEachEndpointOnThePatternOfApplicationYml() throws IOException {
        String yml = Files.readString(Path.of("src", "main", "resources", "application.yml"), StandardCharsets.UTF_8);
        String section = Readme.between("\n### The Spring Boot example\n", "\n## ").replaceAll("\\s+", " ");
        List<String> endpoints = new ArrayList<>();
        for (Matcher endpoint = ENDPOINT.matcher(yml); endpoint.find(); ) {
            endpoints.add(endpoint.group(1));
            assertThat(section).containsPattern("`" + Pattern.quote(endpoint.group(1)) + "` on (the exact path )?`"
                    + Pattern.quote(endpoint.group(2)) + "`");
        }
        assertThat(endpoints).containsExactly("payments", "orders");
    }
}
