/**
 * What the library's own modules share that is not part of its API: public only so that the servlet filter,
 * the CLI and the Spring Boot starter can use it, and free to change in any release.
 */
package dev.webhookfilter.internal;
