package dev.webhookfilter.it.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example WAR in a Jetty 12 installed from {@code jetty-home}: one server, the WAR deployed in
 * the ee10 (Servlet 6.0) and ee11 (Servlet 6.1) environments side by side, each held to the whole
 * {@linkplain DeployedWarContract contract}, the {@linkplain MisMappedWar mis-mapped WARs} beside each; and
 * once more without the secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Jetty12IT {

    private final Path home = StandaloneServer.pathProperty("standalone.jetty");
    private final Path war = StandaloneServer.pathProperty("standalone.war");
    private final Path work = StandaloneServer.workDirectory();
    private JettyServer server;

    @BeforeAll
    void startWithSecret() throws Exception {
        server = new JettyServer(home.getFileName().toString(), home, work.resolve(home.getFileName()));
        server.install(war);
        MisMappedWar.deployBesideEach(server, war);
        server.start(DeployedWarContract.SECRET);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Each WAR runs in the environment its {@code .properties} names, which Jetty's start-up line shows by the
     * class of its context ({@code oeje10w.WebAppContext}, {@code oeje11w.WebAppContext}); else both halves of
     * the contract could run on ee10 and still pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ee10", "ee11"})
    void eachWarRunsInTheEnvironmentItNames(String environment) {
        String context = "oeje" + environment.substring(2) + "w.WebAppContext";
        Pattern started = Pattern.compile("Started " + Pattern.quote(context) + "@\\w+\\{[^,]*,/" + environment + ",");
        ServerLogs logs = server.logs();
        assertTrue(started.matcher(logs.toString()).find(), () -> "no " + context + " started at /" + environment
                + "; logs:\n" + logs);
    }

    @Test
    void withoutWebhookSecret_neitherWebappStarts_andNoRequestGetsThrough() throws Exception {
        String name = home.getFileName() + "-without-secret";
        try (JettyServer unconfigured = new JettyServer(name, home, work.resolve(name))) {
            DeployedWarContract.assertFailsClosedWithoutSecret(unconfigured, war);
        }
    }

    @Nested
    class Ee10 extends DeployedWarContract {

        @Override
        StandaloneServer server() {
            return server;
        }

        @Override
        String contextPath() {
            return "/ee10";
        }
    }

    @Nested
    class Ee11 extends DeployedWarContract {

        @Override
        StandaloneServer server() {
            return server;
        }

        @Override
        String contextPath() {
            return "/ee11";
        }
    }
}
