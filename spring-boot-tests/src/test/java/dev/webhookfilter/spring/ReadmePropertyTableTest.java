package dev.webhookfilter.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import dev.webhookfilter.testing.Readme;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The README's table of the starter's properties names every property {@link WebhookProperties.Endpoint}
 * binds and no other, and maps them onto every parameter of the filter but {@code listener} (a bean in
 * Spring, not a property). Each default it gives is the filter's, in the starter's units: an unset property
 * leaves the filter's default in force, and the README's table of the filter's parameters is itself checked
 * against the filter (in {@code webhook-filter}). The descriptions are prose.
 */
class ReadmePropertyTableTest {

    /** Run from {@code spring-boot-tests/boot-*}, one per line of Spring Boot. */
    private static final String HEADER = "| Property (under `webhooks.endpoints.<name>.`) | Default | The filter's parameter | Description |";
    private static final String FILTER_HEADER = "| Parameter | Required | Default | Description |";
    private static final Pattern CODE = Pattern.compile("^`([^`]+)`$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

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

    /**
     * Each default names the same values as the filter's table does for its parameter, each written in
     * the property's units: {@code 1MB} for {@code 1048576} bytes, {@code 3d} for {@code 259200} seconds,
     * {@code 1s} for {@code 1000} milliseconds; words as they are. Prose around them is not compared.
     */
    @Test
    void givesTheFiltersDefaultsInTheStartersUnits() throws IOException {
        Map<String, String> filterDefaults = new HashMap<>();
        for (List<String> row : rows(FILTER_HEADER)) {
            filterDefaults.put(code(row.get(0)), row.get(2));
        }
        int compared = 0;
        for (List<String> row : rows()) {
            if (row.get(2).startsWith("(")) {
                continue; // path-patterns: web.xml's, no default
            }
            String parameter = code(row.get(2));
            List<String> expected = codeSpans(filterDefaults.get(parameter));
            List<String> given = new ArrayList<>();
            for (String value : codeSpans(row.get(1))) {
                given.add(inFilterUnits(value, parameter));
            }
            assertEquals(expected, given, row.get(0) + "'s default against " + parameter + "'s");
            compared += given.size();
        }
        assertTrue(compared >= 14, "only " + compared + " default values compared");
    }

    /**
     * A start the filter's rules refuse is reported with a paragraph that maps the filter's parameters, which the
     * problems name, onto the properties: it names each row of the table, {@code property (parameter)}, or the
     * property alone where the two are spelled alike, and no other pair; README's report for {@code tolerance: 0}
     * quotes it as the starter prints it.
     */
    @Test
    void theReportNamesEachRowsPropertyWithItsParameterAndReadmeQuotesIt() throws IOException {
        String paragraph = WebhookEndpointFilters.PROPERTY_NAMES;
        Set<String> pairs = new TreeSet<>();
        for (List<String> row : rows()) {
            if (row.get(2).startsWith("(")) {
                continue; // path-patterns: web.xml's, no parameter
            }
            String property = code(row.get(0));
            String parameter = code(row.get(2));
            if (property.equals(parameter)) {
                assertTrue(Pattern.compile("[ ,]" + Pattern.quote(property) + "[ ,.]").matcher(paragraph).find(),
                        "the report names " + property + ": " + paragraph);
            } else {
                pairs.add(property + " (" + parameter + ")");
            }
        }
        Set<String> named = new TreeSet<>();
        Matcher pair = Pattern.compile("([a-z][a-z-]*) \\(([a-z][A-Za-z]*)\\)").matcher(paragraph);
        while (pair.find()) {
            named.add(pair.group());
        }
        assertEquals(pairs, named, "the report's properties and parameters against README's table");
        assertTrue(Readme.text().contains("\n" + paragraph + "\n"), "README's report for tolerance: 0 quotes the"
                + " paragraph as the starter prints it: " + paragraph);
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(cell);
        while (span.find()) {
            spans.add(span.group(1));
        }
        return spans;
    }

    /** A property's value as the filter's parameter counts it, by the unit the parameter's name ends with. */
    private static String inFilterUnits(String value, String parameter) {
        try {
            if (parameter.endsWith("Bytes")) {
                return Long.toString(DataSize.parse(value).toBytes());
            } else if (parameter.endsWith("Seconds")) {
                return Long.toString(DurationStyle.detectAndParse(value, ChronoUnit.SECONDS).getSeconds());
            } else if (parameter.endsWith("Millis")) {
                return Long.toString(DurationStyle.detectAndParse(value, ChronoUnit.MILLIS).toMillis());
            }
        } catch (IllegalArgumentException notAQuantity) {
            // a word in the same cell, such as the scheme a default is for
        }
        return value;
    }

    /** The starter's table's rows, each its four cells, the header and the rule left out. */
    private static List<List<String>> rows() throws IOException {
        return rows(HEADER);
    }

    /** The rows of the table under {@code tableHeader}, each its four cells, the header and the rule left out. */
    private static List<List<String>> rows(String tableHeader) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Readme.tableRows(tableHeader)) {
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|", 4)) {
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
