package dev.webhookfilter.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The example WAR deployed once more, at {@link #path()}, with {@link #webXml()} read in place of its
 * own {@code WEB-INF/web.xml}: the same artifact, classes and libraries, configured otherwise, as the
 * README tells a user to run the example with another scheme. The fixtures set the descriptor with
 * their container's own setting (Tomcat's {@code altDDName}, Jetty's {@code setDescriptor}); a standalone
 * server gets a copy of the WAR with the descriptor inside ({@link #asWar}).
 *
 * @param path the context path, such as {@code /scheme-stripe}
 * @param webXml the deployment descriptor to read instead of the WAR's
 */
public record RedeployedWar(String path, Path webXml) {

    private static final String WEB_XML = "WEB-INF/web.xml";

    /**
     * The WAR at {@code path} with the WAR's own {@code web.xml}, except that the filter named
     * {@code filterName} has {@code parameters} as init-params, in place of any of the same name; the
     * descriptor is written beside the WAR.
     *
     * @throws IOException if the WAR has no {@code web.xml} or no such filter
     */
    public static RedeployedWar withFilterParameters(Path war, String path, String filterName,
                                                     Map<String, String> parameters) throws IOException {
        Document webXml = webXml(war);
        Element filter = filter(webXml, filterName);
        for (Element initParam : children(filter, "init-param")) {
            if (parameters.containsKey(text(initParam, "param-name"))) {
                filter.removeChild(initParam);
            }
        }
        parameters.forEach((name, value) -> {
            Element initParam = element(filter, "init-param");
            initParam.appendChild(element(filter, "param-name")).setTextContent(name);
            initParam.appendChild(element(filter, "param-value")).setTextContent(value);
            filter.appendChild(initParam);
        });
        return write(webXml, war, path);
    }

    /**
     * The WAR at {@code path} with the WAR's own {@code web.xml}, except that each filter-mapping of the
     * filter named {@code filterName} is on {@code urlPattern} alone, in place of its url-patterns and
     * servlet-names; the descriptor is written beside the WAR.
     *
     * @throws IOException if the WAR has no {@code web.xml}, or the filter no filter-mapping
     */
    public static RedeployedWar withFilterUrlPattern(Path war, String path, String filterName, String urlPattern)
            throws IOException {
        Document webXml = webXml(war);
        filter(webXml, filterName);
        int mapped = 0;
        for (Element mapping : children(webXml.getDocumentElement(), "filter-mapping")) {
            if (!filterName.equals(text(mapping, "filter-name"))) {
                continue;
            }
            for (Element target : children(mapping, "url-pattern")) {
                mapping.removeChild(target);
            }
            for (Element target : children(mapping, "servlet-name")) {
                mapping.removeChild(target);
            }
            // Right after filter-name: the schema wants the targets before any dispatcher.
            Element pattern = element(mapping, "url-pattern");
            pattern.setTextContent(urlPattern);
            mapping.insertBefore(pattern, children(mapping, "filter-name").get(0).getNextSibling());
            mapped++;
        }
        if (mapped == 0) {
            throw new IOException("the WAR's web.xml maps no filter " + filterName);
        }
        return write(webXml, war, path);
    }

    /**
     * Writes {@code war} to {@code copy} with {@link #webXml()} as its {@code WEB-INF/web.xml}, every other
     * entry as is: the WAR an operator would deploy at {@link #path()} where the container is not told of
     * another descriptor (a standalone server's {@code webapps/}).
     *
     * @return {@code copy}
     */
    public Path asWar(Path war, Path copy) throws IOException {
        byte[] descriptor = Files.readAllBytes(webXml);
        boolean replaced = false;
        Files.deleteIfExists(copy);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().equals(WEB_XML)) {
                    bytes = descriptor;
                    replaced = true;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (!replaced) {
            throw new IOException(war + " has no " + WEB_XML);
        }
        return copy;
    }

    private static Document webXml(Path war) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry entry = zip.getEntry(WEB_XML);
            if (entry == null) {
                throw new IOException(war + " has no " + WEB_XML);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                return factory.newDocumentBuilder().parse(in);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read the web.xml of " + war, e);
        }
    }

    /** Writes {@code webXml} beside {@code war}, named after {@code path}. */
    private static RedeployedWar write(Document webXml, Path war, String path) throws IOException {
        removeBlankText(webXml.getDocumentElement());
        Path file = war.resolveSibling("web" + path.replace('/', '-') + ".xml");
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.transform(new DOMSource(webXml), new StreamResult(file.toFile()));
        } catch (Exception e) {
            throw new IOException("cannot write " + file, e);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + file + " after writing it");
        }
        return new RedeployedWar(path, file);
    }

    private static Element filter(Document webXml, String filterName) throws IOException {
        for (Element filter : children(webXml.getDocumentElement(), "filter")) {
            if (filterName.equals(text(filter, "filter-name"))) {
                return filter;
            }
        }
        throw new IOException("the WAR's web.xml declares no filter " + filterName);
    }

    /** The original's indentation, so that the written file is indented once, for a reader. */
    private static void removeBlankText(Node parent) {
        for (Node node = parent.getFirstChild(); node != null; ) {
            Node next = node.getNextSibling();
            if (node.getNodeType() == Node.TEXT_NODE && node.getTextContent().isBlank()) {
                parent.removeChild(node);
            } else {
                removeBlankText(node);
            }
            node = next;
        }
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    /** A new element in the namespace of {@code sibling}'s document (Jakarta EE's). */
    private static Element element(Element sibling, String localName) {
        return sibling.getOwnerDocument().createElementNS(sibling.getNamespaceURI(), localName);
    }
}
