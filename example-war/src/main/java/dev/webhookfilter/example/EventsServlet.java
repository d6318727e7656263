package dev.webhookfilter.example;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /events}: the events received so far, newest first, as JSON. */
public class EventsServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventLog log = EventLog.of(getServletContext());
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (EventLog.Event event : log.recent()) {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("receivedAt", event.receivedAt().toString())
                    .add("size", event.size())
                    .add("sha256", event.sha256())
                    .add("signedAt", event.signedAt());
            if (event.eventId() != null) {
                json.add("eventId", event.eventId());
            }
            if (event.eventType() != null) {
                json.add("eventType", event.eventType());
            }
            events.add(json);
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        // The events' ids and types are the senders' text: no browser is to read this JSON as a page.
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write(Json.createObjectBuilder()
                .add("total", log.total())
                .add("events", events)
                .build()
                .toString());
    }
}
