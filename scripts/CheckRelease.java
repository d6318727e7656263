import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks two file repositories that the same sources were deployed into (scripts/check-release.sh):
 * every published module of the reactor landed with its jar, sources, javadoc, SBOM and a pom that
 * Maven Central accepts and that passes on only the run-time dependencies meant; nothing else landed; and both
 * builds made byte-identical files.
 *
 * <p>Usage: {@code java scripts/CheckRelease.java SOURCE_ROOT REPO_1 REPO_2}. Prints what it checked
 * and exits 1 with every problem found, or 0.
 */
public final class CheckRelease {

    /** A snapshot deploy names files artifactId-0.1.0-20261130.235959-1.jar; the timestamp differs per build. */
    private static final Pattern SNAPSHOT_STAMP = Pattern.compile("-\\d{8}\\.\\d{6}-\\d+");

    /**
     * What each published module gives its users at run time: the dependencies its deployed pom passes on
     * (scope compile or runtime, not optional), as groupId:artifactId. The core brings none and the filter the
     * core alone (the Servlet API is provided, by the container); the Micrometer module and the stores the core
     * and their own client (Micrometer is the application's); the starter the filter and the Micrometer module
     * (Spring Boot is the application's); the CLI none, as the core is inside its jar.
     */
    private static final Map<String, Set<String>> RUNTIME_DEPENDENCIES = Map.of(
            "webhook-filter-parent", Set.of(),
            "webhook-core", Set.of(),
            "webhook-filter", Set.of("dev.webhookfilter:webhook-core"),
            "webhook-cli", Set.of(),
            "webhook-filter-micrometer", Set.of("dev.webhookfilter:webhook-core"),
            "webhook-store-jdbc", Set.of("dev.webhookfilter:webhook-core"),
            "webhook-store-redis", Set.of("dev.webhookfilter:webhook-core", "io.lettuce:lettuce-core"),
            "webhook-filter-spring-boot-starter",
                    Set.of("dev.webhookfilter:webhook-filter", "dev.webhookfilter:webhook-filter-micrometer"));

    private final List<String> problems = new ArrayList<>();

    /** A module of the reactor, as its pom.xml (and the in-tree parents it inherits from) describes it. */
    record Module(Path dir, String groupId, String artifactId, String packaging, boolean published, String moduleName) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java CheckRelease.java SOURCE_ROOT REPO_1 REPO_2");
            System.exit(2);
        }
        CheckRelease check = new CheckRelease();
        check.run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        if (!check.problems.isEmpty()) {
            System.err.println();
            System.err.println("RELEASE CHECK FAILED: " + check.problems.size() + " problem(s)");
            check.problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        System.out.println("Release check passed.");
    }

    private void run(Path root, Path repo1, Path repo2) throws Exception {
        List<Module> modules = new ArrayList<>();
        String version = text(pom(root.resolve("pom.xml")).getDocumentElement(), "version");
        collect(root, modules, version);
        System.out.println("Reactor " + version + ": " + modules.size() + " modules");
        for (Module m : modules) {
            System.out.printf("  %-40s %-5s %s%n", m.artifactId(), m.packaging(),
                    !m.published() ? "not published (maven.deploy.skip)"
                            : m.packaging().equals("jar") ? "published, module " + m.moduleName() : "published");
        }

        Map<String, Path> landed = artifacts(repo1);
        Set<String> published = new TreeSet<>();
        Set<String> moduleNames = new TreeSet<>();
        for (Module m : modules) {
            if (!m.published()) {
                if (!m.moduleName().isEmpty()) {
                    // A module name is what a published jar carries; only published modules set one.
                    problems.add(m.artifactId() + " sets <module.name> " + m.moduleName() + ", as a published module does,"
                            + " but maven.deploy.skip=true keeps it from being deployed; publish it, or remove its module.name");
                }
                continue;
            }
            published.add(m.artifactId());
            checkModule(m, version, landed, repo1, moduleNames);
        }
        for (String file : landed.keySet()) {
            String artifactId = file.substring(0, file.indexOf('/'));
            if (!published.contains(artifactId)) {
                problems.add(file + " was deployed, but its module is not meant to be published:"
                        + " set <maven.deploy.skip>true</maven.deploy.skip> in it, or make it a published module");
            }
        }
        if (published.isEmpty()) {
            problems.add("no module is published: every one has maven.deploy.skip=true, so a release would deploy nothing");
        }
        compare(landed, artifacts(repo2));
    }

    /** Reads the reactor: the root and its modules, recursively, in the order of {@code <modules>}. */
    private void collect(Path dir, List<Module> out, String rootVersion) throws Exception {
        Path pomFile = dir.resolve("pom.xml");
        Element project = pom(pomFile).getDocumentElement();
        String artifactId = text(project, "artifactId");
        List<Element> chain = chain(pomFile);
        String groupId = first(chain, "groupId", null);
        String packaging = text(project, "packaging");
        String deploySkip = property(chain, "maven.deploy.skip");
        String moduleName = property(chain, "module.name");
        out.add(new Module(dir, groupId, artifactId, packaging.isEmpty() ? "jar" : packaging,
                !"true".equals(deploySkip), moduleName == null ? "" : moduleName));

        // The version is set once, in the root pom: modules name it only as their parent's version.
        boolean isRoot = out.size() == 1;
        if (!isRoot) {
            if (!text(project, "version").isEmpty()) {
                problems.add(pomFile + " sets its own <version>; remove it so the parent's applies");
            }
            Element parent = child(project, "parent");
            if (parent != null && "dev.webhookfilter".equals(text(parent, "groupId"))
                    && !rootVersion.equals(text(parent, "version"))) {
                problems.add(pomFile + ": parent version " + text(parent, "version") + " is not the root's " + rootVersion);
            }
        }
        var deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String v = text(d, "version");
            if ("dev.webhookfilter".equals(text(d, "groupId")) && !v.isEmpty() && !v.equals("${project.version}")) {
                problems.add(pomFile + ": dependency " + text(d, "artifactId") + " has version " + v
                        + "; use ${project.version} or leave it to dependencyManagement");
            }
        }

        Element modulesElement = child(project, "modules");
        if (modulesElement != null) {
            for (Node n = modulesElement.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("module")) {
                    collect(dir.resolve(e.getTextContent().trim()).normalize(), out, rootVersion);
                }
            }
        }
    }

    private void checkModule(Module m, String version, Map<String, Path> landed, Path repo, Set<String> moduleNames)
            throws Exception {
        String a = m.artifactId();
        String base = a + "/" + a + "-" + version;
        Path pomFile = landed.get(base + ".pom");
        if (pomFile == null) {
            problems.add(a + ": no pom was deployed (is the module in the build, and maven.deploy.skip unset?)");
            return;
        }
        checkPom(a, pomFile, repo);
        if (!m.packaging().equals("jar")) {
            System.out.println("OK  " + a + ": pom");
            return;
        }
        Path jar = landed.get(base + ".jar");
        Path sources = landed.get(base + "-sources.jar");
        Path javadoc = landed.get(base + "-javadoc.jar");
        Path sbom = landed.get(base + "-cyclonedx.json");
        if (jar == null) {
            problems.add(a + ": no main jar was deployed");
        } else {
            checkManifest(m, jar, moduleNames);
        }
        if (sources == null) {
            problems.add(a + ": no -sources.jar was deployed (maven-source-plugin in the root pom)");
        } else if (!contains(sources, ".java")) {
            problems.add(a + ": " + sources.getFileName() + " holds no .java file");
        }
        if (javadoc == null) {
            problems.add(a + ": no -javadoc.jar was deployed (maven-javadoc-plugin in the root pom)");
        } else if (!contains(javadoc, "index.html")) {
            problems.add(a + ": " + javadoc.getFileName() + " holds no index.html");
        }
        if (sbom == null) {
            problems.add(a + ": no -cyclonedx.json SBOM was deployed (cyclonedx-maven-plugin in the root pom)");
        } else {
            String json = Files.readString(sbom);
            String purl = "pkg:maven/" + m.groupId() + "/" + a + "@" + version;
            if (!json.contains("\"bomFormat\" : \"CycloneDX\"") || !json.contains(purl)) {
                problems.add(a + ": " + sbom.getFileName() + " is not a CycloneDX SBOM of " + purl);
            }
        }
        System.out.println("OK  " + a + ": pom, jar (Automatic-Module-Name " + m.moduleName() + "), sources, javadoc, SBOM");
    }

    /** What Central requires of a pom: its own name and description; url, licenses, scm, developers, maybe inherited. */
    private void checkPom(String a, Path pomFile, Path repo) throws Exception {
        Element project = pom(pomFile).getDocumentElement();
        checkRuntimeDependencies(a, project);
        for (String own : List.of("name", "description")) {
            String value = text(project, own);
            if (value.isEmpty() || value.contains("${")) {
                problems.add(a + ": the deployed pom has no <" + own + "> of its own");
            }
        }
        List<Element> chain = new ArrayList<>();
        for (Element p = project; p != null; p = deployedParent(p, repo)) {
            chain.add(p);
        }
        String url = first(chain, "url", null);
        if (url == null || !url.startsWith("https://")) {
            problems.add(a + ": no https <url> in the deployed pom or its parents");
        }
        Element licenses = firstElement(chain, "licenses");
        if (licenses == null || licenses.getElementsByTagName("license").getLength() == 0
                || text((Element) licenses.getElementsByTagName("license").item(0), "name").isEmpty()
                || text((Element) licenses.getElementsByTagName("license").item(0), "url").isEmpty()) {
            problems.add(a + ": no <licenses><license> with a name and url in the deployed pom or its parents");
        }
        Element scm = firstElement(chain, "scm");
        if (scm == null || text(scm, "connection").isEmpty() || text(scm, "developerConnection").isEmpty()
                || text(scm, "url").isEmpty()) {
            problems.add(a + ": no <scm> with connection, developerConnection and url in the deployed pom or its parents");
        }
        Element developers = firstElement(chain, "developers");
        if (developers == null || developers.getElementsByTagName("developer").getLength() == 0) {
            problems.add(a + ": no <developers><developer> in the deployed pom or its parents");
        }
    }

    /**
     * The deployed pom passes on to users exactly the dependencies {@link #RUNTIME_DEPENDENCIES} lists for it:
     * those of scope compile (or none) or runtime that are not optional, its profiles' included.
     */
    private void checkRuntimeDependencies(String a, Element project) {
        Set<String> meant = RUNTIME_DEPENDENCIES.get(a);
        if (meant == null) {
            problems.add(a + ": CheckRelease's RUNTIME_DEPENDENCIES does not say what it may bring its users at run"
                    + " time; add it there");
            return;
        }
        List<Element> lists = new ArrayList<>();
        lists.add(child(project, "dependencies"));
        Element profiles = child(project, "profiles");
        if (profiles != null) {
            for (Node n = profiles.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element profile && profile.getTagName().equals("profile")) {
                    lists.add(child(profile, "dependencies"));
                }
            }
        }
        Set<String> passedOn = new TreeSet<>();
        for (Element list : lists) {
            if (list == null) {
                continue;
            }
            for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element d && d.getTagName().equals("dependency")) {
                    String scope = text(d, "scope");
                    boolean runtime = scope.isEmpty() || scope.equals("compile") || scope.equals("runtime");
                    if (runtime && !"true".equals(text(d, "optional"))) {
                        passedOn.add(text(d, "groupId") + ":" + text(d, "artifactId"));
                    }
                }
            }
        }
        if (!passedOn.equals(meant)) {
            Set<String> extra = new TreeSet<>(passedOn);
            extra.removeAll(meant);
            Set<String> missing = new TreeSet<>(meant);
            missing.removeAll(passedOn);
            problems.add(a + ": the deployed pom gives users at run time " + passedOn + ", not " + new TreeSet<>(meant)
                    + (extra.isEmpty() ? "" : "; make " + extra + " provided, test or optional")
                    + (missing.isEmpty() ? "" : "; " + missing + " is missing")
                    + " (or change RUNTIME_DEPENDENCIES in scripts/CheckRelease.java, if that is meant)");
        }
    }

    /** The parent's pom as deployed in the same repository, or null for a pom without a parent. */
    private Element deployedParent(Element project, Path repo) throws Exception {
        Element parent = child(project, "parent");
        if (parent == null) {
            return null;
        }
        String g = text(parent, "groupId");
        String a = text(parent, "artifactId");
        String v = text(parent, "version");
        Path dir = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Map<String, Path> files = artifacts(repo);
        Path pomFile = files.get(a + "/" + a + "-" + v + ".pom");
        if (pomFile == null) {
            problems.add("parent pom " + g + ":" + a + ":" + v + " was not deployed to " + dir
                    + "; users could not resolve the modules that inherit from it");
            return null;
        }
        return pom(pomFile).getDocumentElement();
    }

    private void checkManifest(Module m, Path jar, Set<String> moduleNames) throws IOException {
        String a = m.artifactId();
        try (JarFile j = new JarFile(jar.toFile())) {
            var manifest = j.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name");
            if (name == null || name.isBlank()) {
                problems.add(a + ": the jar's manifest has no Automatic-Module-Name; set <module.name> in " + m.dir().resolve("pom.xml"));
            } else if (!SourceVersion.isName(name)) {
                problems.add(a + ": Automatic-Module-Name '" + name + "' is not a valid module name");
            } else if (!moduleNames.add(name)) {
                problems.add(a + ": Automatic-Module-Name '" + name + "' is also another jar's");
            }
        }
    }

    /** Both builds deployed the same files, byte for byte. */
    private void compare(Map<String, Path> first, Map<String, Path> second) throws Exception {
        if (!first.keySet().equals(second.keySet())) {
            Set<String> only1 = new TreeSet<>(first.keySet());
            only1.removeAll(second.keySet());
            Set<String> only2 = new TreeSet<>(second.keySet());
            only2.removeAll(first.keySet());
            problems.add("the two builds deployed different files: only in the first " + only1 + ", only in the second " + only2);
        }
        System.out.println();
        System.out.println("SHA-256 of each deployed file, first build = second build:");
        int same = 0;
        for (var e : first.entrySet()) {
            Path other = second.get(e.getKey());
            if (other == null) {
                continue;
            }
            String h1 = sha256(e.getValue());
            String h2 = sha256(other);
            if (h1.equals(h2)) {
                same++;
                System.out.println("  " + h1 + "  " + e.getKey());
            } else {
                System.out.println("  DIFFERS          " + e.getKey());
                problems.add("not reproducible: " + e.getKey() + " differs between the two builds (" + h1.substring(0, 12)
                        + " vs " + h2.substring(0, 12) + "); compare them with diffoscope or unzip -l");
            }
        }
        System.out.println("Reproducible: " + same + " of " + first.size() + " files identical");
    }

    /**
     * The deployed files of a repository by artifactId/file name, snapshot timestamps turned back into
     * SNAPSHOT; Maven's metadata and checksum files left out.
     */
    private static Map<String, Path> artifacts(Path repo) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(repo)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(repo)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("maven-metadata") || name.matches(".*\\.(md5|sha1|sha256|sha512)$")) {
                    continue;
                }
                String artifactId = f.getParent().getParent().getFileName().toString();
                out.put(artifactId + "/" + SNAPSHOT_STAMP.matcher(name).replaceFirst("-SNAPSHOT"), f);
            }
        }
        return out;
    }

    private static final Map<Path, List<Element>> CHAINS = new HashMap<>();

    /** A pom and its in-tree parents, nearest first, following relativePath (default ../pom.xml). */
    private static List<Element> chain(Path pomFile) throws Exception {
        List<Element> cached = CHAINS.get(pomFile);
        if (cached != null) {
            return cached;
        }
        List<Element> chain = new ArrayList<>();
        Element project = pom(pomFile).getDocumentElement();
        chain.add(project);
        Element parent = child(project, "parent");
        if (parent != null) {
            String rel = text(parent, "relativePath");
            Path parentPom = pomFile.getParent().resolve(rel.isEmpty() ? "../pom.xml" : rel).normalize();
            if (Files.isDirectory(parentPom)) {
                parentPom = parentPom.resolve("pom.xml");
            }
            if (Files.isRegularFile(parentPom)) {
                chain.addAll(chain(parentPom));
            }
        }
        CHAINS.put(pomFile, chain);
        return chain;
    }

    private static String property(List<Element> chain, String name) {
        for (Element p : chain) {
            Element props = child(p, "properties");
            if (props != null && child(props, name) != null) {
                return child(props, name).getTextContent().trim();
            }
        }
        return null;
    }

    private static String first(List<Element> chain, String name, String otherwise) {
        for (Element p : chain) {
            String v = text(p, name);
            if (!v.isEmpty()) {
                return v;
            }
            if (name.equals("groupId") && child(p, "parent") != null && !text(child(p, "parent"), "groupId").isEmpty()) {
                return text(child(p, "parent"), "groupId");
            }
        }
        return otherwise;
    }

    private static Element firstElement(List<Element> chain, String name) {
        for (Element p : chain) {
            Element e = child(p, name);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }

    private static Document pom(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = Files.newInputStream(file)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static boolean contains(Path jar, String suffix) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().anyMatch(e -> e.getName().endsWith(suffix));
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
