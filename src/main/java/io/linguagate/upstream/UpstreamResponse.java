package io.linguagate.upstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * An upstream response whose headers arrived and whose body is paused until the caller relays it. A connection
 * failure can happen in between (before the relay installed its handlers); it is remembered here, not lost.
 */
public final class UpstreamResponse {

    private final HttpClientResponse response;
    private final Buffer held;
    private Throwable earlyFailure;
    private Handler<Throwable> failureHandler;

    UpstreamResponse(HttpClientResponse response) {
        this(response, null);
    }

    /** {@code held}: the start of the body, already read (an error answer held for a retry decision), or null. */
    UpstreamResponse(HttpClientResponse response, Buffer held) {
        this.response = response;
        this.held = held;
        response.pause();
        response.exceptionHandler(this::failed);
    }

    public HttpClientResponse http() {
        return response;
    }

    /** Body bytes already read from {@link #http()}, to be relayed before the rest; null when none. */
    public Buffer held() {
        return held;
    }

    /** Sets the handler for a failure of the body; called at once if one already happened. */
    public void onFailure(Handler<Throwable> handler) {
        Throwable already;
        synchronized (this) {
            failureHandler = handler;
            already = earlyFailure;
        }
        if (already != null) {
            handler.handle(already);
        }
    }

    private void failed(Throwable cause) {
        Throwable err = InterimReplyFilter.explain(response.request().connection(), cause);
        Handler<Throwable> handler;
        synchronized (this) {
            earlyFailure = err;
            handler = failureHandler;
        }
        if (handler != null) {
            handler.handle(err);
        }
    }
}
