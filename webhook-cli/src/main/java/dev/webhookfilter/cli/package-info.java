/**
 * The command-line tool, an executable jar with the core inside: {@code java -jar webhook-cli-<version>.jar sign|send|verify}.
 *
 * <p>It signs bodies, sends signed test events and explains why a captured request fails
 * verification, using only the servlet-free core and the JDK ({@code java.net.http}), so it runs
 * without the Servlet API on the class path. {@link dev.webhookfilter.cli.Main} is the entry point.
 */
package dev.webhookfilter.cli;
