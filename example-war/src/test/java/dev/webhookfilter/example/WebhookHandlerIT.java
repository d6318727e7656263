package dev.webhookfilter.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.webhookfilter.WebhookSigner;
import dev.webhookfilter.testing.http.RawConnection;
import dev.webhookfilter.testing.http.RawRequest;
import dev.webhookfilter.testing.http.RawResponse;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handler of the built WAR, behind its filter as web.xml wires it, given genuine events whose bodies
 * are not the platform's JSON: each is a delivery all the same, answered 200 and listed by size only.
 * Signed with the secret failsafe puts in {@code WEBHOOK_SECRET}.
 */
class WebhookHandlerIT {

    @RegisterExtension
    final BuiltWar war = new BuiltWar();

    /**
     * Nesting past Parsson's depth limit of 1000 makes it throw a bare {@code RuntimeException}, not a
     * {@code JsonException}; arrays and objects both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"[", "{\"a\":"})
    void aBodyNestedPastTheParsersDepthLimit_isReceived(String opening) throws Exception {
        String closing = opening.equals("[") ? "]" : "}";
        byte[] body = ("{\"eventId\":\"whevt-deep\",\"nested\":" + opening.repeat(1001) + "0"
                + closing.repeat(1001) + "}").getBytes(StandardCharsets.US_ASCII);

        RawResponse response = post(body);

        assertEquals(200, response.status(), response.text());
        assertTrue(response.text().contains("\"bytes\":" + body.length), response.text());
        JsonObject event = war.events().getJsonArray("events").getJsonObject(0);
        assertEquals(body.length, event.getInt("size"));
        assertFalse(event.containsKey("eventId"), event.toString());
    }

    /**
     * web.xml turns replay protection on: the same signed request sent again, as a captured one would be,
     * is refused, and the handler saw it once.
     */
    @Test
    void theSameSignedRequestSentAgain_isRefusedAsAReplay() throws Exception {
        byte[] body = "{\"eventId\":\"whevt-replayed\"}".getBytes(StandardCharsets.US_ASCII);
        RawRequest request = signed(body);

        RawResponse first = RawConnection.exchange(war.port(), request);
        RawResponse again = RawConnection.exchange(war.port(), request);

        assertEquals(200, first.status(), first.text());
        assertEquals(401, again.status(), again.text());
        assertEquals("webhook rejected: replayed\n", again.text());
        assertEquals(1, war.events().getJsonArray("events").size());
    }

    private RawResponse post(byte[] body) throws Exception {
        return RawConnection.exchange(war.port(), signed(body));
    }

    private RawRequest signed(byte[] body) {
        String secret = System.getenv("WEBHOOK_SECRET");
        return RawRequest.post("/webhooks/").host(war.host())
                .header("Content-Type", "application/json")
                .header("X-Webhook-Signature", WebhookSigner.of(secret).sign(body)).body(body);
    }
}
