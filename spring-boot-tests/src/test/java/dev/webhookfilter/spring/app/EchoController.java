package dev.webhookfilter.spring.app;

import dev.webhookfilter.servlet.WebhookSignatureFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Answers each webhook with what the application saw, one {@code key=value} per line: the SHA-256
 * of the body as the handler received it, the filter's request attributes, the server, and the method as
 * the handler saw it.
 */
@RestController
class EchoController {

    static final String LOGGED_PATH = "/webhooks/payments/logged";

    private final Received received;

    EchoController(Received received) {
        this.received = received;
    }

    @PostMapping("/webhooks/{endpoint}/bytes")
    String bytes(@PathVariable("endpoint") String endpoint, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return answer(endpoint, sha256(body == null ? new byte[0] : body), request);
    }

    @PostMapping("/webhooks/{endpoint}/string")
    String string(@PathVariable("endpoint") String endpoint, @RequestBody String body, HttpServletRequest request) {
        return answer(endpoint, sha256(body.getBytes(StandardCharsets.UTF_8)), request);
    }

    @PostMapping(path = "/webhooks/{endpoint}/form", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    String form(@PathVariable("endpoint") String endpoint, @RequestParam("name") String name, @RequestParam("note") String note,
                HttpServletRequest request) throws IOException {
        // Spring's @RequestBody rebuilds a form post's body from its parameters; the stream has the bytes.
        return answer(endpoint, sha256(request.getInputStream().readAllBytes()), request)
                + "name=" + name + "\nnote=" + note + "\n";
    }

    /** {@link #form} for any method. */
    @RequestMapping("/webhooks/{endpoint}/anyform")
    String anyForm(@PathVariable("endpoint") String endpoint, @RequestParam("name") String name,
                   @RequestParam("note") String note, HttpServletRequest request) throws IOException {
        return answer(endpoint, sha256(request.getInputStream().readAllBytes()), request)
                + "name=" + name + "\nnote=" + note + "\n";
    }

    /** A handler mapped without a method, as {@code @RequestMapping} often is: Spring MVC runs it for any method. */
    @RequestMapping("/webhooks/{endpoint}/any")
    String any(@PathVariable("endpoint") String endpoint, HttpServletRequest request) throws IOException {
        return answer(endpoint, sha256(request.getInputStream().readAllBytes()), request);
    }

        /** Answers 200 in full, its length declared, then throws: a write that fails once its client has gone, say. */
    @PostMapping("/webhooks/{endpoint}/throws-after-answering")
    void throwsAfterAnswering(@PathVariable("endpoint") String endpoint, HttpServletRequest request,
                              jakarta.servlet.http.HttpServletResponse response) throws IOException {
        received.controllerCalls.incrementAndGet();
        response.setContentLength(2);
        response.getOutputStream().write(new byte[] {'o', 'k'});
        throw new IllegalStateException("after answering");
    }

    /** Throws before answering: Spring forwards the request to /error, which answers 500. */
    @PostMapping("/webhooks/{endpoint}/fails")
    String fails(@PathVariable("endpoint") String endpoint) {
        received.controllerCalls.incrementAndGet();
        throw new IllegalStateException("handler failed: internal detail of " + endpoint);
    }

    /** Refuses with a status of its own, as a handler that finds the event in conflict with its state does. */
    @PostMapping("/webhooks/{endpoint}/conflict")
    String conflict(@PathVariable("endpoint") String endpoint) {
        received.controllerCalls.incrementAndGet();
        throw new ResponseStatusException(HttpStatus.CONFLICT, "internal reason of " + endpoint);
    }

        /** An event under an extension pattern ({@code *.json}) rather than a prefix. */
    @PostMapping("/events/{name}.json")
    String event(@PathVariable("name") String name, HttpServletRequest request) throws IOException {
        return answer(name, sha256(request.getInputStream().readAllBytes()), request);
    }

    @PostMapping(LOGGED_PATH)
    String logged(HttpServletRequest request) {
        return answer("payments", received.bodySeenByLaterFilter.get(), request);
    }

    private String answer(String endpoint, String sha256, HttpServletRequest request) {
        received.controllerCalls.incrementAndGet();
        return "endpoint=" + endpoint + "\nsha256=" + sha256
                + "\ntimestamp=" + request.getAttribute(WebhookSignatureFilter.TIMESTAMP_ATTRIBUTE)
                + "\nsecretIndex=" + request.getAttribute(WebhookSignatureFilter.SECRET_INDEX_ATTRIBUTE)
                + "\nserver=" + request.getServletContext().getServerInfo()
                + "\nmethod=" + request.getMethod() + "\n";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
