package dev.webhookfilter.it.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example WAR in a Tomcat installed from its distribution: started once with the secret for
 * the whole {@linkplain DeployedWarContract contract}, the {@linkplain MisMappedWar mis-mapped WARs}
 * beside it, and once more without the secret.
 */
abstract class TomcatDistributionTests extends DeployedWarContract {

    private final Path home;
    private final String line;
    private final Path war = StandaloneServer.pathProperty("standalone.war");
    private final Path work = StandaloneServer.workDirectory();
    private TomcatServer server;

    /**
     * @param homeProperty the system property naming the unpacked distribution
     * @param line the version line this class is about, such as {@code 10.1}
     */
    TomcatDistributionTests(String homeProperty, String line) {
        this.home = StandaloneServer.pathProperty(homeProperty);
        this.line = line;
    }

    @BeforeAll
    void startWithSecret() throws Exception {
        server = new TomcatServer(home.getFileName().toString(), home, work.resolve(home.getFileName()));
        server.install(war);
        MisMappedWar.deployBesideEach(server, war);
        server.start(SECRET);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StandaloneServer server() {
        return server;
    }

    @Override
    String contextPath() {
        return "/example";
    }

    /** The server that ran is of this class's line, as Tomcat's own start-up line says: not whatever the pom unpacked. */
    @Test
    void runsTheTomcatLineItIsNamedFor() {
        Matcher version = Pattern.compile("Server version name:\\s+Apache Tomcat/(\\S+)").matcher(server.logs().toString());
        assertTrue(version.find(), "no 'Server version name' in the logs of " + server);
        assertTrue(version.group(1).startsWith(line + "."), () -> server + " runs Apache Tomcat/" + version.group(1)
                + ", not Tomcat " + line);
    }

    @Test
    void withoutWebhookSecret_theWebappDoesNotStart_andNoRequestGetsThrough() throws Exception {
        String name = home.getFileName() + "-without-secret";
        try (TomcatServer unconfigured = new TomcatServer(name, home, work.resolve(name))) {
            assertFailsClosedWithoutSecret(unconfigured, war);
        }
    }
}
