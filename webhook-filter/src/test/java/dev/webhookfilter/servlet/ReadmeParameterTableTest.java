package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.Scheme;
import dev.webhookfilter.testing.Readme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's filter parameter table is the one {@link FilterParameter} renders. After changing the
 * table, rewrite README's with
 * {@code mvn -o test -pl webhook-core,webhook-filter -Dtest=ReadmeParameterTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dreadme.update=true}.
 */
class ReadmeParameterTableTest {

    private static final String HEADER = "| Parameter | Required | Default | Description |";

    @Test
    void readmesTableIsTheOneTheParametersGive() throws IOException {
        String readme = Readme.text();
        int start = readme.indexOf(HEADER + "\n");
        assertTrue(start >= 0, "README.md has no line " + HEADER);
        int end = start;
        while (end < readme.length() && readme.startsWith("|", end)) {
            end = readme.indexOf('\n', end) + 1;
        }
        String rendered = table();
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(Readme.path(), readme.substring(0, start) + rendered + readme.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(rendered, readme.substring(start, end), "README.md's parameter table is not FilterParameter's;"
                + " rewrite it with mvn -o test -pl webhook-core,webhook-filter -Dtest=ReadmeParameterTableTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dreadme.update=true");
    }

    /** The README's table, one row per parameter in the table's order. */
    static String table() {
        StringBuilder table = new StringBuilder(HEADER).append("\n|---|---|---|---|\n");
        for (FilterParameter parameter : FilterParameter.values()) {
            table.append("| `").append(parameter.parameterName()).append("` | ").append(parameter.required())
                    .append(" | ").append(parameter.defaultCell()).append(" | ").append(description(parameter))
                    .append(" |\n");
        }
        return table.toString().replace("|  |", "| |");
    }

    private static String description(FilterParameter parameter) {
        List<String> untimed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> deliveryIds = new ArrayList<>();
        for (String name : Scheme.names()) {
            Scheme scheme = Scheme.named(name);
            names.add(code(name));
            if (!scheme.hasTimestamp()) {
                untimed.add(code(name));
            }
            scheme.deliveryIdHeader().ifPresent(header -> deliveryIds.add(code(header) + " (" + code(name) + ")"));
        }
        return parameter.description()
                .replace("{range}", parameter.kind() == FilterParameter.Kind.NUMBER ? range(parameter) : "")
                .replace("{schemes}", list(names, "or"))
                .replace("{untimed}", list(untimed, "and"))
                .replace("{deliveryIds}", String.join(", ", deliveryIds));
    }

    private static String range(FilterParameter parameter) {
        String max = Long.bitCount(parameter.max()) == 1 && parameter.max() > Integer.MAX_VALUE
                ? "2^" + Long.numberOfTrailingZeros(parameter.max()) : Long.toString(parameter.max());
        return parameter.floor() == null ? parameter.min() + " to " + max + " " + parameter.unit()
                : "from " + code(parameter.floor().parameterName()) + " to " + max + " " + parameter.unit();
    }

    private static String list(List<String> items, String conjunction) {
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " "
                + items.get(items.size() - 1);
    }

    private static String code(String text) {
        return "`" + text + "`";
    }
}
