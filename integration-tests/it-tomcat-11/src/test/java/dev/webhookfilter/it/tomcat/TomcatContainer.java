package dev.webhookfilter.it.tomcat;

import dev.webhookfilter.it.AddedContext;
import dev.webhookfilter.it.Container;
import dev.webhookfilter.it.DeployedApp;
import dev.webhookfilter.it.ExchangeLog;
import dev.webhookfilter.it.ProbeServlet;
import dev.webhookfilter.it.RedeployedWar;
import dev.webhookfilter.it.TestCertificate;
import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat with the WAR added by {@link Tomcat#addWebapp} (again, with another descriptor as
 * {@code altDDName}, for each {@link RedeployedWar}) and the probe added in code. The
 * same source serves Tomcat 11 and, compiled against its own jar in it-tomcat-10, Tomcat 10.1.
 */
final class TomcatContainer implements Container {

    @Override
    public DeployedApp start(Path war, Duration idleTimeout, boolean h2c, TestCertificate tls,
                             List<? extends AddedContext> contexts, List<RedeployedWar> redeployed) throws Exception {
        Path baseDir = Files.createTempDirectory("it-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.getHost().setAppBase(Files.createDirectory(baseDir.resolve("webapps")).toString());
        // Tomcat's defaults would add a JSP servlet, which is not on this classpath; see addDefaultServlet.
        tomcat.setAddDefaultWebXmlToWebapp(false);

        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("connectionTimeout", Long.toString(idleTimeout.toMillis()));
        if (h2c) {
            // As <UpgradeProtocol className="org.apache.coyote.http2.Http2Protocol"/> in server.xml: h2c by prior
            // knowledge or Upgrade on the HTTP/1.1 port.
            connector.addUpgradeProtocol(http2(idleTimeout));
        }
        tomcat.setConnector(connector);
        Connector tlsConnector = tls == null ? null : tlsConnector(idleTimeout, tls);
        if (tlsConnector != null) {
            tomcat.getService().addConnector(tlsConnector);
        }

        ExchangeLog exchanges = new ExchangeLog();
        tomcat.getEngine().getPipeline().addValve(new RecordingValve(exchanges));

        Context webapp = tomcat.addWebapp("", war.toAbsolutePath().toString());
        addDefaultServlet(webapp);
        List<Context> webapps = new ArrayList<>(List.of(webapp));
        for (RedeployedWar copy : redeployed) {
            Context again = tomcat.addWebapp(copy.path(), war.toAbsolutePath().toString());
            // Read by ContextConfig instead of the WAR's WEB-INF/web.xml.
            again.setAltDDName(copy.webXml().toAbsolutePath().toString());
            addDefaultServlet(again);
            webapps.add(again);
        }
        addProbes(tomcat);
        for (AddedContext extra : contexts) {
            // Tomcat marks a context whose filter fails FAILED and maps no request to it; the others start.
            Context context = tomcat.addContext(extra.path(), null);
            context.addServletContainerInitializer(extra, null);
            extra.errorPages().forEach((status, location) -> {
                ErrorPage page = new ErrorPage();
                page.setErrorCode(status);
                page.setLocation(location);
                context.addErrorPage(page);
            });
        }

        tomcat.start();
        for (Context context : webapps) {
            if (!context.getState().isAvailable()) {
                tomcat.stop();
                throw new IllegalStateException("the example WAR at '" + context.getPath() + "' did not start: "
                        + context.getState());
            }
        }
        if (tlsConnector != null && !tlsConnector.getState().isAvailable()) {
            tomcat.stop();
            throw new IllegalStateException("the TLS connector did not start: " + tlsConnector.getState());
        }
        int tlsPort = tlsConnector == null ? -1 : tlsConnector.getLocalPort();
        return DeployedApp.of(connector.getLocalPort(), tlsPort, ServerInfo.getServerInfo(), exchanges, () -> {
            tomcat.stop();
            tomcat.destroy();
            deleteRecursively(baseDir);
        });
    }

    /**
     * HTTP/2 as an upgrade protocol: a stream waits for its next DATA frame, and a connection with no stream for
     * its next one, as long as an HTTP/1.1 connection for its next bytes.
     */
    private static Http2Protocol http2(Duration idleTimeout) {
        Http2Protocol http2 = new Http2Protocol();
        http2.setStreamReadTimeout(idleTimeout.toMillis());
        http2.setStreamWriteTimeout(idleTimeout.toMillis());
        http2.setKeepAliveTimeout(idleTimeout.toMillis());
        return http2;
    }

    /**
     * A loopback connector with TLS (the JDK's JSSE, which does ALPN itself: no other jar) and HTTP/2 offered as
     * {@code h2} beside {@code http/1.1}, as a server.xml {@code <Connector SSLEnabled="true">} with an
     * {@code <SSLHostConfig>}, its {@code <Certificate>} and an {@code <UpgradeProtocol>} makes it.
     */
    private static Connector tlsConnector(Duration idleTimeout, TestCertificate tls) {
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("connectionTimeout", Long.toString(idleTimeout.toMillis()));
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystore(tls.keyStore());
        certificate.setCertificateKeystorePassword(new String(tls.password()));
        certificate.setCertificateKeyAlias(TestCertificate.ALIAS);
        ssl.addCertificate(certificate);
        connector.addSslHostConfig(ssl);
        connector.addUpgradeProtocol(http2(idleTimeout));
        return connector;
    }

    /** What conf/web.xml gives every application, less JSP: static files, MIME types, index.html. */
    private static void addDefaultServlet(Context context) {
        Wrapper servlet = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        servlet.setLoadOnStartup(1);
        servlet.setOverridable(true);
        context.addServletMapping("/", "default");
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
    }

    /** The probe behind the real filter, configured as {@link ProbeServlet#filterParameters()} says, and without it. */
    private static void addProbes(Tomcat tomcat) {
        Context probe = tomcat.addContext(ProbeServlet.CONTEXT_PATH, null);
        FilterDef filter = new FilterDef();
        filter.setFilterName(ProbeServlet.FILTER_NAME);
        filter.setFilterClass(WebhookSignatureFilter.class.getName());
        ProbeServlet.filterParameters().forEach(filter::addInitParameter);
        probe.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName(ProbeServlet.FILTER_NAME);
        mapping.addURLPattern("/*");
        probe.addFilterMap(mapping);
        Tomcat.addServlet(probe, "probe", new ProbeServlet());
        probe.addServletMapping("/*", "probe");

        Context plain = tomcat.addContext(ProbeServlet.PLAIN_CONTEXT_PATH, null);
        Tomcat.addServlet(plain, "probe", new ProbeServlet());
        plain.addServletMapping("/*", "probe");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Tomcat's access-log hook: called for every finished request, also those refused before any context. */
    private static final class RecordingValve extends ValveBase implements AccessLog {

        private final ExchangeLog exchanges;

        RecordingValve(ExchangeLog exchanges) {
            super(true);
            this.exchanges = exchanges;
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
        }

        @Override
        public void log(Request request, Response response, long time) {
            exchanges.record(request.getMethod(), request.getRequestURI(), response.getStatus());
        }

        @Override
        public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
        }

        @Override
        public boolean getRequestAttributesEnabled() {
            return false;
        }
    }
}
