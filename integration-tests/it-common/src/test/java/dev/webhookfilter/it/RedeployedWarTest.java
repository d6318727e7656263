package dev.webhookfilter.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copies of a WAR with its web.xml changed, on a small WAR written here. */
class RedeployedWarTest {

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <filter>
                <filter-name>other</filter-name>
                <filter-class>example.Other</filter-class>
              </filter>
              <filter-mapping>
                <filter-name>other</filter-name>
                <url-pattern>/webhooks/*</url-pattern>
              </filter-mapping>
              <filter>
                <filter-name>webhookSignature</filter-name>
                <filter-class>dev.webhookfilter.servlet.WebhookSignatureFilter</filter-class>
              </filter>
              <filter-mapping>
                <filter-name>webhookSignature</filter-name>
                <url-pattern>/webhooks/*</url-pattern>
                <servlet-name>handler</servlet-name>
                <dispatcher>REQUEST</dispatcher>
                <dispatcher>ASYNC</dispatcher>
              </filter-mapping>
            </web-app>
            """;
    private static final byte[] CLASS_BYTES = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 1, 2};

    @TempDir
    Path directory;

    @Test
    void withFilterUrlPattern_replacesThatFiltersTargets_keepingItsDispatchersAndOtherFilters() throws Exception {
        Path war = war(Map.of("WEB-INF/web.xml", WEB_XML.getBytes(StandardCharsets.UTF_8)));

        RedeployedWar copy = RedeployedWar.withFilterUrlPattern(war, "/app-typo", "webhookSignature", "/webhook/*");

        assertEquals("/app-typo", copy.path());
        assertEquals(directory.resolve("web-app-typo.xml"), copy.webXml());
        String xml = Files.readString(copy.webXml(), StandardCharsets.UTF_8).replaceAll("\\s+", "");
        assertEquals(List.of("<filter-name>other</filter-name><url-pattern>/webhooks/*</url-pattern>",
                "<filter-name>webhookSignature</filter-name><url-pattern>/webhook/*</url-pattern>"
                        + "<dispatcher>REQUEST</dispatcher><dispatcher>ASYNC</dispatcher>"), mappings(xml));
    }

    @Test
    void withFilterUrlPattern_failsForAFilterWithoutMapping() throws Exception {
        String unmapped = WEB_XML.replaceAll(
                "(?s)<filter-mapping>\\s*<filter-name>webhookSignature.*?</filter-mapping>", "");
        Path war = war(Map.of("WEB-INF/web.xml", unmapped.getBytes(StandardCharsets.UTF_8)));

        IOException e = assertThrows(IOException.class,
                () -> RedeployedWar.withFilterUrlPattern(war, "/app-typo", "webhookSignature", "/webhook/*"));

        assertEquals("the WAR's web.xml maps no filter webhookSignature", e.getMessage());
    }

    @Test
    void asWar_putsTheDescriptorInTheCopy_andEveryOtherEntryAsItWas() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/", new byte[0]);
        entries.put("WEB-INF/web.xml", WEB_XML.getBytes(StandardCharsets.UTF_8));
        entries.put("WEB-INF/classes/example/Other.class", CLASS_BYTES);
        Path war = war(entries);
        RedeployedWar copy = RedeployedWar.withFilterUrlPattern(war, "/app-typo", "webhookSignature", "/webhook/*");

        Path written = copy.asWar(war, directory.resolve("app-typo.war"));

        Map<String, byte[]> read = read(written);
        assertEquals(List.copyOf(entries.keySet()), List.copyOf(read.keySet()));
        assertArrayEquals(Files.readAllBytes(copy.webXml()), read.get("WEB-INF/web.xml"));
        assertArrayEquals(CLASS_BYTES, read.get("WEB-INF/classes/example/Other.class"));
        assertTrue(new String(read.get("WEB-INF/web.xml"), StandardCharsets.UTF_8).contains("/webhook/*"));
    }

    /** The filter-mappings of a web.xml without whitespace, each without its tags. */
    private static List<String> mappings(String xml) {
        List<String> mappings = new ArrayList<>();
        Matcher m = Pattern.compile("<filter-mapping>(.*?)</filter-mapping>").matcher(xml);
        while (m.find()) {
            mappings.add(m.group(1));
        }
        return mappings;
    }

    private Path war(Map<String, byte[]> entries) throws IOException {
        Path war = directory.resolve("example.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return war;
    }

    private static Map<String, byte[]> read(Path war) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
