package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.AddedContext;
import dev.webhookfilter.it.Container;
import dev.webhookfilter.it.DeployedApp;
import dev.webhookfilter.it.ProbeServlet;
import dev.webhookfilter.it.RedeployedWar;
import dev.webhookfilter.it.TestCertificate;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * Jetty 12 ee11: the WAR in a {@link WebAppContext} (again with another descriptor for each
 * {@link RedeployedWar}), the probe with and without the filter in {@link ServletContextHandler}s.
 */
final class JettyEe11Container implements Container {

    @Override
    public DeployedApp start(Path war, Duration idleTimeout, boolean h2c, TestCertificate tls,
                             List<? extends AddedContext> contexts, List<RedeployedWar> redeployed) throws Exception {
        List<ContextHandler> required = new ArrayList<>(List.of(webapp(war, "/", null)));

        ServletContextHandler probe = new ServletContextHandler(ProbeServlet.CONTEXT_PATH);
        FilterHolder filter = new FilterHolder(WebhookSignatureFilter.class);
        filter.setName(ProbeServlet.FILTER_NAME);
        filter.setInitParameters(ProbeServlet.filterParameters());
        probe.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        probe.addServlet(ProbeServlet.class, "/*");

        ServletContextHandler plain = new ServletContextHandler(ProbeServlet.PLAIN_CONTEXT_PATH);
        plain.addServlet(ProbeServlet.class, "/*");
        required.add(probe);
        required.add(plain);
        for (RedeployedWar copy : redeployed) {
            required.add(webapp(war, copy.path(), copy.webXml()));
        }

        List<ContextHandler> extras = new ArrayList<>();
        for (AddedContext extra : contexts) {
            ServletContextHandler handler = new ServletContextHandler(extra.path());
            handler.addServletContainerInitializer(extra);
            ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
            extra.errorPages().forEach(errorPages::addErrorPage);
            handler.setErrorHandler(errorPages);
            extras.add(handler);
        }
        return JettyServers.start("ee11", idleTimeout, h2c, tls, required, extras);
    }

    /** The WAR at {@code path}, reading {@code webXml} instead of its own when not null; must start. */
    private static WebAppContext webapp(Path war, String path, Path webXml) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(path);
        webapp.setWar(war.toAbsolutePath().toString());
        if (webXml != null) {
            webapp.setDescriptor(webXml.toAbsolutePath().toString());
        }
        webapp.setThrowUnavailableOnStartupException(true);
        return webapp;
    }
}
