package dev.webhookfilter.it.standalone;

/** Apache Tomcat 11.0 (Servlet 6.1), from {@code org.apache.tomcat:tomcat:tar.gz}. */
class Tomcat11IT extends TomcatDistributionTests {

    Tomcat11IT() {
        super("standalone.tomcat11", "11.0");
    }
}
