package dev.webhookfilter.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of the starter's properties names every property {@link WebhookProperties.Endpoint}
 * binds and no other, and maps them onto every parameter of the filter but {@code listener} (a bean in
 * Spring, not a property). Its defaults and descriptions are prose; the names are what a user copies.
 */
class ReadmePropertyTableTest {

    /** Run from {@code spring-boot-tests/boot-*}, one per line of Spring Boot. */
    private static final Path README = Path.of("..", "..", "README.md");
    private static final String HEADER = "| Property (under `webhooks.endpoints.<name>.`) | Default | The filter's parameter | Description |";
    private static final Pattern CODE = Pattern.compile("^`([^`]+)`$");

    @Test
    void namesEveryPropertyOfAnEndpointAndEveryParameterOfTheFilter()
            throws IOException, IntrospectionException, IllegalAccessException {
        Set<String> properties = new TreeSet<>();
        Set<String> parameters = new TreeSet<>();
        for (List<String> row : rows()) {
            properties.add(code(row.get(0)));
            if (!row.get(2).startsWith("(")) { // "(the <url-pattern>s)": web.xml's, not a parameter
                parameters.add(code(row.get(2)));
            }
        }
        assertEquals(boundProperties(), properties, "README's property column against WebhookProperties.Endpoint");
        Set<String> filterParameters = filterParameters();
        filterParameters.remove(WebhookSignatureFilter.PARAM_LISTENER);
        assertEquals(filterParameters, parameters, "README's parameter column against WebhookSignatureFilter.PARAM_*");
    }

    /** The table's rows, each its four cells, the header and the rule left out. */
    private static List<List<String>> rows() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int header = lines.indexOf(HEADER);
        assertTrue(header >= 0, "README.md has no line " + HEADER);
        List<List<String>> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split(" \\| ", 4)) {
                cells.add(cell.strip());
            }
            assertEquals(4, cells.size(), line);
            rows.add(cells);
        }
        return rows;
    }

    private static String code(String cell) {
        Matcher code = CODE.matcher(cell);
        assertTrue(code.matches(), "not one code span: " + cell);
        return code.group(1);
    }

    /** Every property Spring binds on an endpoint, in kebab case as YAML spells it. */
    private static Set<String> boundProperties() throws IntrospectionException {
        Set<String> names = new TreeSet<>();
        for (PropertyDescriptor property : Introspector.getBeanInfo(WebhookProperties.Endpoint.class, Object.class)
                .getPropertyDescriptors()) {
            if (property.getWriteMethod() != null || List.class.isAssignableFrom(property.getPropertyType())) {
                names.add(property.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    private static Set<String> filterParameters() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : WebhookSignatureFilter.class.getFields()) {
            if (field.getName().startsWith("PARAM_") && Modifier.isStatic(field.getModifiers())) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }
}
