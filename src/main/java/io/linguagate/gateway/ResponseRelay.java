package io.linguagate.gateway;

import io.linguagate.config.UpstreamConfig;
import io.linguagate.upstream.HopByHopHeaders;
import io.linguagate.upstream.LambdaRuntime;
import io.linguagate.upstream.SecretScrubber;
import io.linguagate.upstream.UpstreamClient;
import io.linguagate.upstream.UpstreamTimeoutException;
import io.linguagate.upstream.UpstreamResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Pipes an upstream response to the client as it arrives: status and end-to-end headers first, then body chunks
 * with back-pressure, never parsed and never buffered. A stream the upstream cuts is cut for the client too (with an
 * SSE error event first when the body is an event stream, in the route's {@link ErrorDialect}), so the client never
 * mistakes it for a complete answer.
 * In the AWS Lambda build, where API Gateway takes the answer as one document, a body of unknown length is collected
 * and sent whole; a cut there resets the exchange, which the Lambda handler turns into a 500.
 */
@ApplicationScoped
public class ResponseRelay {

    private static final Logger LOG = Logger.getLogger(ResponseRelay.class);

    private final Vertx vertx;
    private final ErrorResponder errors;
    private final SecretScrubber secrets;
    private final long streamIdleMillis;
    private final long bodyIdleMillis;
    private final boolean buffered = LambdaRuntime.active();

    ResponseRelay(Vertx vertx, UpstreamConfig config, ErrorResponder errors, SecretScrubber secrets) {
        this.vertx = vertx;
        this.errors = errors;
        this.secrets = secrets;
        this.streamIdleMillis = config.streamIdleTimeout().toMillis();
        this.bodyIdleMillis = config.timeout().toMillis();
    }

    public void relay(RoutingContext ctx, UpstreamResponse answer) {
        HttpClientResponse upstream = answer.http();
        HttpServerResponse out = ctx.response();
        HttpClientRequest upstreamRequest = upstream.request();
        if (out.closed()) {
            upstreamRequest.reset();
            ClientExchange.abort(ctx);
            return;
        }
        out.setStatusCode(upstream.statusCode());
        if (upstream.statusMessage() != null) {
            out.setStatusMessage(upstream.statusMessage());
        }
        HopByHopHeaders.copyEndToEnd(upstream.headers(), out.headers());
        // Error answers may echo the request's headers, the gateway's own upstream key among them.
        SecretScrubber.Stream scrub = upstream.statusCode() >= 400 && secrets.active() ? secrets.stream() : null;
        if (scrub != null) {
            secrets.scrub(out.headers());
        }
        boolean eventStream = isEventStream(upstream.getHeader("content-type"));
        if (eventStream) {
            // A stream that breaks off ends with our error event: a declared length would make the cut look like a
            // complete body (or be overrun by the event). Chunked framing keeps every cut visible.
            out.headers().remove("content-length");
        }
        // In the Lambda build the whole answer leaves as one API Gateway document anyway: collect a body of unknown
        // length and send it with its length, rather than chunked (Quarkus's Lambda handler would pass an empty
        // Transfer-Encoding header on to API Gateway).
        Buffer collected = buffered && !out.headers().contains("content-length") ? Buffer.buffer() : null;
        if (collected == null && !out.headers().contains("content-length")) {
            out.setChunked(true);
        }
        AtomicBoolean brokeOff = new AtomicBoolean();
        Consumer<Throwable> breakOff = err -> {
            if (brokeOff.compareAndSet(false, true)) {
                cut(ctx, err, eventStream);
            }
        };
        long idleMillis = eventStream ? streamIdleMillis : bodyIdleMillis;
        IdleWatch idle = new IdleWatch(idleMillis, () -> {
            TimeoutException silent = new TimeoutException("no data from the upstream for " + idleMillis + " ms");
            upstreamRequest.reset(0, silent);
            breakOff.accept(silent);
        });
        // The client left: stop the upstream from generating (and billing) an answer nobody reads.
        ClientExchange.whenClientGone(ctx, upstreamRequest::reset);
        upstream.handler(received -> {
            idle.touch();
            Buffer chunk = scrub == null ? received : scrub.next(received);
            if (collected != null) {
                collected.appendBuffer(chunk);
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                upstream.pause();
                out.drainHandler(v -> upstream.resume());
            }
        });
        upstream.endHandler(v -> {
            idle.stop();
            Buffer rest = scrub == null ? Buffer.buffer() : scrub.rest();
            if (collected != null) {
                out.end(collected.appendBuffer(rest));
            } else {
                out.end(rest);
            }
        });
        if (answer.held() != null && answer.held().length() > 0) {
            // The start of an error body, read while deciding on a retry.
            idle.touch();
            Buffer held = scrub == null ? answer.held() : scrub.next(answer.held());
            if (collected != null) {
                collected.appendBuffer(held);
            } else {
                out.write(held);
            }
        } else if (eventStream && collected == null) {
            // Headers go out now, before the first event, so clients see status and headers immediately.
            out.writeHead();
        }
        upstream.resume();
        // Registered after resume(), on this context: a failure that came while the body was paused is handled
        // after the bytes that arrived before it have been relayed.
        vertx.getOrCreateContext().runOnContext(v -> answer.onFailure(err -> {
            idle.stop();
            breakOff.accept(err);
        }));
    }

    /**
     * Fires when the upstream sends nothing for the idle period. One timer per response, re-armed only when it
     * fires early (chunks just move a timestamp), and always cancelled when the response ends or fails: a timer
     * left behind would keep the whole exchange in memory for the full period.
     */
    private final class IdleWatch {
        private final long periodMillis;
        private final Runnable onIdle;
        private volatile long lastActivity = System.nanoTime();
        private long timerId;
        private boolean stopped;

        IdleWatch(long periodMillis, Runnable onIdle) {
            this.periodMillis = periodMillis;
            this.onIdle = onIdle;
            arm(periodMillis);
        }

        void touch() {
            lastActivity = System.nanoTime();
        }

        synchronized void stop() {
            stopped = true;
            vertx.cancelTimer(timerId);
        }

        private synchronized void arm(long delayMillis) {
            if (!stopped) {
                timerId = vertx.setTimer(Math.max(1, delayMillis), id -> check());
            }
        }

        private void check() {
            long silentMillis = (System.nanoTime() - lastActivity) / 1_000_000;
            if (silentMillis >= periodMillis) {
                stop();
                onIdle.run();
            } else {
                arm(periodMillis - silentMillis);
            }
        }
    }

    private void cut(RoutingContext ctx, Throwable err, boolean eventStream) {
        HttpServerResponse out = ctx.response();
        if (out.ended() || out.closed()) {
            return;
        }
        if (!out.headWritten()) {
            // Nothing reached the client yet: it can still get a proper error instead of a cut. The upstream's
            // headers go (its length, its type); the gateway's own x-compression-* report stays.
            for (String name : Set.copyOf(out.headers().names())) {
                if (!name.toLowerCase(Locale.ROOT).startsWith("x-compression")) {
                    out.headers().remove(name);
                }
            }
            errors.fail(ctx, err instanceof TimeoutException ? new UpstreamTimeoutException(
                    "the upstream sent headers, then nothing for " + bodyIdleMillis + " ms", err)
                    : UpstreamClient.brokenOff(err));
            return;
        }
        LOG.warnf("%s %s: upstream response broke off after %d bytes (%s); response reset so the client sees "
                + "an incomplete answer", ctx.request().method(), ctx.request().path(), out.bytesWritten(),
                err.getMessage());
        if (eventStream && !buffered) {
            // The connection closes once the event is flushed.
            out.write(ErrorDialect.of(ctx).event(new OpenAiError(502, "api_error", "upstream_stream_interrupted",
                    null, "The upstream stream broke off before it was complete.")));
        }
        ClientExchange.abort(ctx);
    }

    static boolean isEventStream(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
    }
}
