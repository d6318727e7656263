package dev.webhookfilter.it.standalone;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example WAR in a Tomcat installed from its distribution: started once with the secret for
 * the whole {@linkplain DeployedWarContract contract}, and once more without it.
 */
abstract class TomcatDistributionTests extends DeployedWarContract {

    private final Path home;
    private final Path war = StandaloneServer.pathProperty("standalone.war");
    private final Path work = StandaloneServer.workDirectory();
    private TomcatServer server;

    /** @param homeProperty the system property naming the unpacked distribution */
    TomcatDistributionTests(String homeProperty) {
        this.home = StandaloneServer.pathProperty(homeProperty);
    }

    @BeforeAll
    void startWithSecret() throws Exception {
        server = new TomcatServer(home.getFileName().toString(), home, work.resolve(home.getFileName()));
        server.install(war);
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

    @Test
    void withoutWebhookSecret_theWebappDoesNotStart_andNoRequestGetsThrough() throws Exception {
        String name = home.getFileName() + "-without-secret";
        try (TomcatServer unconfigured = new TomcatServer(name, home, work.resolve(name))) {
            assertFailsClosedWithoutSecret(unconfigured, war);
        }
    }
}
