package dev.webhookfilter.it.standalone;

import dev.webhookfilter.it.RedeployedWar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Eclipse Jetty 12 from {@code jetty-home}: {@code JETTY_HOME} is the unpacked distribution, left
 * untouched; {@code JETTY_BASE} is made by {@code start.jar --add-modules=http,ee10-deploy,ee11-deploy}.
 * The WAR is deployed twice, as {@code webapps/ee10.war} (Servlet 6.0) and {@code webapps/ee11.war}
 * (Servlet 6.1), each beside a {@code .properties} file naming its environment. Runs as
 * {@code java -jar $JETTY_HOME/start.jar jetty.http.host=127.0.0.1 jetty.http.port=<port>}.
 */
final class JettyServer extends StandaloneServer {

    static final List<String> ENVIRONMENTS = List.of("ee10", "ee11");

    JettyServer(String name, Path home, Path base) {
        super(name, home, base);
    }

    @Override
    void install(Path war) throws IOException, InterruptedException {
        deleteRecursively(base);
        Files.createDirectories(base);
        ProcessBuilder addModules = new ProcessBuilder(java(), "-jar", startJar(),
                "--add-modules=http," + String.join(",", ENVIRONMENTS.stream().map(e -> e + "-deploy").toList()))
                .directory(base.toFile());
        addModules.environment().clear();
        addModules.environment().putAll(cleanEnvironment());
        run(addModules);
        // With a work/ directory in the base, Jetty unpacks WARs there rather than in java.io.tmpdir.
        Files.createDirectories(base.resolve("work"));
        for (String environment : ENVIRONMENTS) {
            Files.copy(war, base.resolve("webapps").resolve(environment + ".war"));
            writeEnvironment("/" + environment, environment);
        }
    }

    /** At {@code webapps/<name>.war}, beside a {@code <name>.properties} naming the environment of {@code beside}. */
    @Override
    void deploy(RedeployedWar copy, Path war, String beside) throws IOException {
        if (!contextPaths().contains(beside)) {
            throw new IllegalArgumentException("no deployment at " + beside + ": " + contextPaths());
        }
        copy.asWar(war, base.resolve("webapps").resolve(warFileName(copy.path())));
        writeEnvironment(copy.path(), beside.substring(1));
    }

    private void writeEnvironment(String contextPath, String environment) throws IOException {
        String name = warFileName(contextPath).replaceFirst("\\.war$", ".properties");
        Files.writeString(base.resolve("webapps").resolve(name), "environment=" + environment + "\n",
                StandardCharsets.UTF_8);
    }

    /** The context's own line, which names its display name and path: {@code {webhook-filter example,/ee10,...}}. */
    @Override
    Pattern failedStart(String contextPath) {
        return Pattern.compile("Failed startup of context oeje1\\dw\\.WebAppContext@\\w+\\{[^,{}]*,"
                + Pattern.quote(contextPath) + ",");
    }

    @Override
    void configurePort(int port) {
        // The port goes on the command line.
    }

    @Override
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions());
        command.addAll(List.of("-jar", startJar(), "jetty.http.host=127.0.0.1", "jetty.http.port=" + port()));
        return command;
    }

    @Override
    List<String> contextPaths() {
        return ENVIRONMENTS.stream().map(environment -> "/" + environment).toList();
    }

    @Override
    String startedMarker() {
        return ":oejs.Server:main: Started oejs.Server@";
    }

    /** Jetty keeps a context that failed to start mapped, and answers for it 503. */
    @Override
    int unavailableStatus() {
        return 503;
    }

    private String startJar() {
        return home.resolve("start.jar").toString();
    }
}
