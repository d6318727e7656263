package dev.webhookfilter.it.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
            Path webapps = base.resolve("webapps");
            Files.copy(war, webapps.resolve(environment + ".war"));
            Files.writeString(webapps.resolve(environment + ".properties"), "environment=" + environment + "\n",
                    StandardCharsets.UTF_8);
        }
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
