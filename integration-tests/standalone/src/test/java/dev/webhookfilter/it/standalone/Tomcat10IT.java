package dev.webhookfilter.it.standalone;

/** Apache Tomcat 10.1 (Servlet 6.0), from {@code org.apache.tomcat:tomcat:tar.gz}. */
class Tomcat10IT extends TomcatDistributionTests {

    Tomcat10IT() {
        super("standalone.tomcat10", "10.1");
    }
}
