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
 * their container's own setting (Tomcat's {@code altDDName}, Jetty's {@code setDescriptor}).
 *
 * @param path the context path, such as {@code /scheme-stripe}
 * @param webXml the deployment descriptor to read instead of the WAR's
 */
public record RedeployedWar(String path, Path webXml) {

    /**
     * The WAR at {@code path} with the WAR's own {@code web.xml}, except that the filter named
     * {@code filterName} has {@code parameters} as init-params, in place of any of the same name; the
     * descriptor is written beside the WAR.
     *
     * @throws IOException if the WAR has no {@code web.xml} or no such filter
     */
    public static RedeployedWar withFilterParameters(Path war, String path, String filterName,
                                                     Map<String, String> parameters) throws IOException {
        Document webXml;
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry entry = zip.getEntry("WEB-INF/web.xml");
            if (entry == null) {
                throw new IOException(war + " has no WEB-INF/web.xml");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                webXml = factory.newDocumentBuilder().parse(in);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read the web.xml of " + war, e);
        }
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
