package dev.webhookfilter.it.jetty;

import dev.webhookfilter.it.Container;
import dev.webhookfilter.it.DeployedApp;
import dev.webhookfilter.it.ProbeContext;
import dev.webhookfilter.it.ProbeServlet;
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

/** Jetty 12 ee11: the WAR in a {@link WebAppContext}, the probe with and without the filter in {@link ServletContextHandler}s. */
final class JettyEe11Container implements Container {

    @Override
    public DeployedApp start(Path war, Duration idleTimeout, List<ProbeContext> contexts) throws Exception {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toAbsolutePath().toString());
        webapp.setThrowUnavailableOnStartupException(true);

        ServletContextHandler probe = new ServletContextHandler(ProbeServlet.CONTEXT_PATH);
        FilterHolder filter = new FilterHolder(WebhookSignatureFilter.class);
        filter.setName(ProbeServlet.FILTER_NAME);
        filter.setInitParameters(ProbeServlet.filterParameters());
        probe.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        probe.addServlet(ProbeServlet.class, "/*");

        ServletContextHandler plain = new ServletContextHandler(ProbeServlet.PLAIN_CONTEXT_PATH);
        plain.addServlet(ProbeServlet.class, "/*");

        List<ContextHandler> extras = new ArrayList<>();
        for (ProbeContext extra : contexts) {
            ServletContextHandler handler = new ServletContextHandler(extra.path());
            handler.addServletContainerInitializer(extra);
            ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
            errorPages.addErrorPage(404, ProbeContext.ERROR_PAGE);
            handler.setErrorHandler(errorPages);
            extras.add(handler);
        }
        return JettyServers.start("ee11", idleTimeout, List.of(webapp, probe, plain), extras);
    }
}
