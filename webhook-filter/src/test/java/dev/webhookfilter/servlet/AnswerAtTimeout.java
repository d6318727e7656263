package dev.webhookfilter.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An application's own async listener that answers its request when it times out and completes it, as Spring's
 * {@code DeferredResult} with a timeout result does: the handlers of the embedded-container tests start one with
 * {@link #start}.
 */
final class AnswerAtTimeout implements AsyncListener {

    /** The status that says: dispatch the request again rather than answer it. */
    private static final int DISPATCH = -1;

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final int status;

    private AnswerAtTimeout(AsyncContext async, HttpServletResponse response, int status) {
        this.async = async;
        this.response = response;
        this.status = status;
    }

    /** Starts async mode on {@code request}, timing out after 100 ms, when it is answered {@code status}. */
    static void start(HttpServletRequest request, HttpServletResponse response, int status) {
        AsyncContext async = request.startAsync();
        async.addListener(new AnswerAtTimeout(async, response, status));
        async.setTimeout(100);
    }

    /** As {@link #start}, but dispatches the request to its servlet again when it times out, which answers it then. */
    static void startDispatching(HttpServletRequest request, HttpServletResponse response) {
        start(request, response, DISPATCH);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (status == DISPATCH) {
            async.dispatch();
            return;
        }
        response.setStatus(status);
        async.complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
