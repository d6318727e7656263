package dev.webhookfilter.it.standalone;

import dev.webhookfilter.it.ProbeServlet;
import dev.webhookfilter.it.RedeployedWar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A mistake in the url-pattern of the signature filter's mapping that leaves it reaching no servlet: the example
 * WAR with its {@code web.xml} changed in that pattern alone, deployed beside each of a server's deployments of
 * the WAR, at {@code <their context path>-<suffix>} ({@code /example-typo}, {@code /ee10-prefixed}). The filter
 * refuses it at start-up, naming the pattern and the likely cause, so the server does not start that application.
 */
enum MisMappedWar {

    /** {@code /webhook/*} for the handler at {@code /webhooks/*}. */
    TYPO("typo") {
        @Override
        String pattern(String contextPath) {
            return "/webhook/*";
        }

        @Override
        String cause(String contextPath) {
            return "check it for a typo";
        }
    },

    /** The context path in the pattern: {@code /example-prefixed/webhooks/*} for the WAR at /example-prefixed. */
    CONTEXT_PATH_INCLUDED("prefixed") {
        @Override
        String pattern(String contextPath) {
            return contextPath + DeployedWarContract.WEBHOOK_PATTERN;
        }

        @Override
        String cause(String contextPath) {
            return "it begins with the context path " + contextPath + ", but patterns are matched after the context"
                    + " path: write " + DeployedWarContract.WEBHOOK_PATTERN;
        }
    };

    /**
     * How the filter's message lists the servlets of the example's {@code web.xml}: the container's own default
     * and JSP servlets are not among them.
     */
    static final String APPLICATION_SERVLETS = "servlets: events on /events, home on '' (the context root),"
            + " sendTestEvent on /send-test-event, webhookHandler on /webhooks/*";

    private final String suffix;

    MisMappedWar(String suffix) {
        this.suffix = suffix;
    }

    /** The filter's url-pattern in the WAR deployed at {@code contextPath}. */
    abstract String pattern(String contextPath);

    /** The end of the filter's message: what it tells the operator to do. */
    abstract String cause(String contextPath);

    /** Where this mistake is deployed beside the WAR at {@code beside}. */
    String contextPath(String beside) {
        return beside + "-" + suffix;
    }

    /** The filter's line for this mistake in the WAR at {@code contextPath}. */
    String refusal(String contextPath) {
        return "url-pattern '" + pattern(contextPath) + "' of its filter-mapping reaches no servlet of the"
                + " application (" + APPLICATION_SERVLETS + "), so the filter would guard nothing; " + cause(contextPath);
    }

    /** Deploys every mistake beside each of {@code server}'s deployments of {@code war}; before it starts. */
    static void deployBesideEach(StandaloneServer server, Path war) throws IOException {
        for (String beside : server.contextPaths()) {
            for (MisMappedWar mistake : values()) {
                String path = mistake.contextPath(beside);
                server.deploy(RedeployedWar.withFilterUrlPattern(war, path, ProbeServlet.FILTER_NAME,
                        mistake.pattern(path)), war, beside);
            }
        }
    }

    /**
     * Whether a log record is about one of the mistakes that {@link #deployBesideEach} deploys on {@code server}:
     * it names one's pattern, or one's context path as a whole (Jetty names the context that failed; Tomcat's
     * record of the filter's exception names only the pattern).
     */
    static boolean isAbout(StandaloneServer server, String record) {
        for (String beside : server.contextPaths()) {
            for (MisMappedWar mistake : values()) {
                String path = mistake.contextPath(beside);
                if (record.contains("url-pattern '" + mistake.pattern(path) + "'")
                        || Pattern.compile(Pattern.quote(path) + "(?![\\w-])").matcher(record).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
