package dev.webhookfilter.it.standalone;

import dev.webhookfilter.it.RedeployedWar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Apache Tomcat from its {@code tar.gz}: {@code CATALINA_HOME} is the unpacked distribution, left
 * untouched; {@code CATALINA_BASE} gets a copy of its {@code conf/}, and the WAR as
 * {@code webapps/example.war}, deployed at {@code /example}. Runs as {@code catalina.sh run}.
 *
 * <p>{@code server.xml} is the distribution's own with two edits: the HTTP connector listens on
 * 127.0.0.1 and the chosen port, and the shutdown port is {@code -1} (disabled: the process is
 * stopped by a signal, and a fixed 8005 would collide between servers).
 */
final class TomcatServer extends StandaloneServer {

    private static final String SHIPPED_SHUTDOWN_PORT = "<Server port=\"8005\"";
    private static final String SHIPPED_CONNECTOR = "<Connector port=\"8080\" protocol=\"HTTP/1.1\"";

    TomcatServer(String name, Path home, Path base) {
        super(name, home, base);
    }

    @Override
    void install(Path war) throws IOException {
        deleteRecursively(base);
        for (String directory : List.of("webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(directory));
        }
        copyRecursively(home.resolve("conf"), base.resolve("conf"));
        Files.copy(war, base.resolve("webapps").resolve("example.war"));
    }

    @Override
    void configurePort(int port) throws IOException {
        String xml = Files.readString(home.resolve("conf").resolve("server.xml"), StandardCharsets.UTF_8);
        xml = replaceOnce(xml, SHIPPED_SHUTDOWN_PORT, "<Server port=\"-1\"");
        xml = replaceOnce(xml, SHIPPED_CONNECTOR,
                "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"");
        Files.writeString(base.resolve("conf").resolve("server.xml"), xml, StandardCharsets.UTF_8);
    }

    @Override
    List<String> command() {
        // sh rather than the script itself: the run needs no executable bit on the unpacked files.
        return List.of("sh", home.resolve("bin").resolve("catalina.sh").toString(), "run");
    }

    @Override
    void environment(Map<String, String> environment) {
        environment.put("CATALINA_HOME", home.toString());
        environment.put("CATALINA_BASE", base.toString());
        List<String> options = new ArrayList<>(jvmOptions());
        // A connector that cannot bind ends the process, so that start() can retry on another port.
        options.add("-Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true");
        environment.put("CATALINA_OPTS", String.join(" ", options));
    }

    @Override
    List<String> contextPaths() {
        return List.of("/example");
    }

    /** At {@code webapps/<name>.war}, which Tomcat deploys at {@code /<name>}; Tomcat has one environment. */
    @Override
    void deploy(RedeployedWar copy, Path war, String beside) throws IOException {
        copy.asWar(war, base.resolve("webapps").resolve(warFileName(copy.path())));
    }

    @Override
    Pattern failedStart(String contextPath) {
        return Pattern.compile("StandardContext\\.startInternal Context \\[" + Pattern.quote(contextPath)
                + "\\] startup failed due to previous errors");
    }

    @Override
    String startedMarker() {
        return "org.apache.catalina.startup.Catalina.start Server startup in";
    }

    /** Tomcat maps no context to a path whose web application failed to start. */
    @Override
    int unavailableStatus() {
        return 404;
    }

    private static String replaceOnce(String text, String shipped, String replacement) {
        int at = text.indexOf(shipped);
        if (at < 0 || text.indexOf(shipped, at + 1) >= 0) {
            throw new IllegalStateException("expected exactly one " + shipped + " in the distribution's server.xml");
        }
        return text.substring(0, at) + replacement + text.substring(at + shipped.length());
    }
}
