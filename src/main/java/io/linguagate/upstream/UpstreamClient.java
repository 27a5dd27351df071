package io.linguagate.upstream;

import io.linguagate.config.GatewayConfig;
import io.linguagate.config.UpstreamConfig;
import io.linguagate.observability.GatewayMetrics.UpstreamMeters;
import io.netty.channel.ChannelPipeline;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends requests to the upstream and hands back the response once its headers arrived, with the body paused so the
 * caller can relay it. Uses Vert.x's HTTP client (the engine under Quarkus REST Client) directly because a proxy must
 * relay raw bytes, arbitrary paths and streams without (de)serialising them. Retries and the circuit breaker are
 * SmallRye Fault Tolerance guards around the part of the call that is safe to repeat: everything before the first
 * response byte is given to the client. Every connection gets an {@link InterimReplyFilter}, so interim replies and
 * non-HTTP answers never desynchronise a pooled connection. One instance per {@link UpstreamApi}, each with its own
 * pool, circuit breaker and metrics ({@link UpstreamClients}).
 */
public class UpstreamClient {

    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);

    private final Vertx vertx;
    private final HttpClient pooled;
    /** For the one resend after a pooled connection turned out closed: always a new connection. */
    private final HttpClient fresh;
    /** Pooled connections that already carried an exchange: a failure on one of them may just mean it went stale. */
    private final Set<HttpConnection> used = ConcurrentHashMap.newKeySet();
    private final UpstreamApi api;
    private final UpstreamTarget target;
    private final UpstreamConfig config;
    private final UpstreamMeters metrics;
    private final long maxHeldErrorBody;
    private final long errorBodyMillis;
    private final TypedGuard<Uni<UpstreamResponse>> guard;

    /**
     * @param config the settings every upstream shares (timeouts, pool size, retries, circuit breaker)
     */
    UpstreamClient(Vertx vertx, UpstreamApi api, UpstreamTarget target, UpstreamConfig config, GatewayConfig gateway,
            UpstreamMeters metrics) {
        this.vertx = vertx;
        this.api = api;
        this.config = config;
        this.metrics = metrics;
        this.target = target;
        this.maxHeldErrorBody = gateway.replayBufferSize().asLongValue();
        this.errorBodyMillis = config.errorBodyTimeout().toMillis();
        this.pooled = client(vertx, true);
        this.fresh = client(vertx, false);
        this.guard = UpstreamGuard.build(api, config, metrics);
    }

    private HttpClient client(Vertx vertx, boolean keepAlive) {
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(target.host())
                .setDefaultPort(target.port())
                .setSsl(target.tls())
                .setVerifyHost(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(keepAlive)
                .setKeepAliveTimeout((int) Math.max(1, config.poolIdleTimeout().toSeconds()))
                .setDecompressionSupported(false)
                .setTryUseCompression(false);
        // The pool size is the builder's PoolOptions (HttpClientOptions' own is ignored by the builder: 5 then).
        return vertx.httpClientBuilder().with(options)
                .with(new PoolOptions().setHttp1MaxSize(config.maxConnections()))
                .withConnectHandler(this::connected).build();
    }

    private void connected(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
            if (pipeline.get("codec") != null) {
                pipeline.addAfter("codec", InterimReplyFilter.NAME, new InterimReplyFilter());
            }
        }
        connection.closeHandler(v -> used.remove(connection));
        // Failures reach the request and response that were in flight; Vert.x would also log each one at ERROR.
        connection.exceptionHandler(err -> LOG.debugf("upstream connection failed: %s", err.getMessage()));
    }

    public UpstreamTarget target() {
        return target;
    }

    public UpstreamApi api() {
        return api;
    }

    /** Sends the request (with retries and circuit breaker); the response comes back paused. */
    public Uni<UpstreamResponse> send(UpstreamRequest request, Cancellation cancellation) {
        return guard.get(() -> attempt(request, cancellation));
    }

    private Uni<UpstreamResponse> attempt(UpstreamRequest request, Cancellation cancellation) {
        long start = System.nanoTime();
        Future<UpstreamResponse> response = exchange(pooled, request, cancellation).recover(err -> {
            if (err instanceof StaleConnection stale) {
                if (!request.replayable() || cancellation.cancelled()) {
                    return Future.failedFuture(stale.getCause());
                }
                LOG.debugf("pooled connection to %s was closed under the request; sending it once more on a new "
                        + "connection", target.describe());
                metrics.retry("stale_connection");
                // Never stale itself: the fresh client's connections carry one exchange each.
                return exchange(fresh, request, cancellation);
            }
            return Future.failedFuture(err);
        });
        return Uni.createFrom().completionStage(response.toCompletionStage())
                .onItemOrFailure().invoke((resp, err) -> metrics.attempt(
                        outcome(resp == null ? null : resp.http(), err), System.nanoTime() - start));
    }

    private Future<UpstreamResponse> exchange(HttpClient http, UpstreamRequest request, Cancellation cancellation) {
        if (cancellation.cancelled()) {
            return Future.failedFuture(new UpstreamBrokenException("the client went away before the call", null));
        }
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setURI(target.uri(request.pathAndQuery()))
                .setHeaders(request.headers())
                // Until response headers; streams and bodies get their own idle timeout when relayed.
                .setIdleTimeout(config.timeout().toMillis());
        return http.request(options)
                .recover(err -> Future.failedFuture(unreachable(err)))
                .compose(req -> {
                    cancellation.onCancel(req::reset);
                    // Failures are handled through the response future; without a handler Vert.x logs each at ERROR.
                    req.exceptionHandler(err -> LOG.debugf("upstream request failed: %s", err.getMessage()));
                    boolean reused = http == pooled && !used.add(req.connection());
                    return send(req, request, reused);
                })
                .compose(resp -> classify(resp, request.replayable()));
    }

    private Future<HttpClientResponse> send(HttpClientRequest req, UpstreamRequest request, boolean reused) {
        Future<HttpClientResponse> sent;
        if (request.body() != null) {
            sent = req.send(request.body());
        } else if (request.bodyStream() != null) {
            sent = stream(req, request.bodyStream());
        } else {
            sent = req.send();
        }
        return sent.recover(err -> Future.failedFuture(reused && err instanceof HttpClosedException
                ? new StaleConnection(afterSend(err)) : afterSend(err)));
    }

    /**
     * Streams the client's body upstream with back-pressure. Unlike {@code send(ReadStream)}, a body that fails
     * midway (too large, client gone) resets the upstream request instead of ending it, so the upstream never
     * mistakes a truncated body for a complete one.
     */
    private static Future<HttpClientResponse> stream(HttpClientRequest req, ReadStream<Buffer> body) {
        Promise<HttpClientResponse> result = Promise.promise();
        req.response().onComplete(result);
        if (req.headers().get("content-length") == null) {
            req.setChunked(true);
        }
        body.exceptionHandler(err -> {
            result.tryFail(err);
            req.reset(0, err);
        });
        body.handler(chunk -> {
            req.write(chunk);
            if (req.writeQueueFull()) {
                body.pause();
                req.drainHandler(v -> body.resume());
            }
        });
        body.endHandler(v -> req.end());
        body.resume();
        return result.future();
    }

    /**
     * 429/5xx answers become exceptions (carrying the whole answer) so the guard can retry or count them. Their body
     * is held only up to the replay buffer and for {@code error-body-timeout}: a larger or slower one is relayed as
     * it comes (what was held first), with no retry.
     */
    private Future<UpstreamResponse> classify(HttpClientResponse resp, boolean replayable) {
        int status = resp.statusCode();
        if (status != 429 && status < 500) {
            return Future.succeededFuture(new UpstreamResponse(resp));
        }
        String length = resp.getHeader("content-length");
        if (length != null && parseLong(length) > maxHeldErrorBody) {
            return Future.succeededFuture(new UpstreamResponse(resp));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers());
        Promise<UpstreamResponse> held = Promise.promise();
        Buffer body = Buffer.buffer();
        Runnable relayAsIs = () -> {
            resp.pause();
            if (held.tryComplete(new UpstreamResponse(resp, body))) {
                LOG.debugf("upstream %d answer from %s is larger than %d bytes or slower than %d ms: relayed as it "
                        + "comes, not retried", status, target.describe(), maxHeldErrorBody, errorBodyMillis);
            }
        };
        long timer = vertx.setTimer(Math.max(1, errorBodyMillis), id -> relayAsIs.run());
        resp.handler(chunk -> {
            body.appendBuffer(chunk);
            if (body.length() > maxHeldErrorBody) {
                vertx.cancelTimer(timer);
                relayAsIs.run();
            }
        });
        resp.exceptionHandler(err -> {
            vertx.cancelTimer(timer);
            held.tryFail(brokenOff(InterimReplyFilter.explain(resp.request().connection(), err)));
        });
        resp.endHandler(v -> {
            vertx.cancelTimer(timer);
            held.tryFail(new UpstreamStatusException(status, resp.statusMessage(), headers, body, replayable));
        });
        return held.future();
    }

    /** What a failure of the connection while a response body was arriving means to the client. */
    public static UpstreamException brokenOff(Throwable err) {
        if (err instanceof UpstreamException known) {
            return known;
        }
        return new UpstreamBrokenException("the upstream connection broke off during the answer: "
                + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage()), err);
    }

    private UpstreamException unreachable(Throwable err) {
        String why = err instanceof UnknownHostException || err instanceof UnresolvedAddressException
                ? "unknown host" : err.getMessage();
        return new UpstreamUnreachableException("cannot connect to " + target.describe() + ": " + why, err);
    }

    /** Classifies network failures; anything else (e.g. the client's body being refused) passes unchanged. */
    private Throwable afterSend(Throwable err) {
        if (err instanceof UpstreamException) {
            return err;
        }
        if (err instanceof TimeoutException) {
            return new UpstreamTimeoutException("no answer from " + target.describe() + " within "
                    + config.timeout().toSeconds() + " s (linguagate.upstream.timeout)", err);
        }
        if (err instanceof ConnectException) {
            return unreachable(err);
        }
        if (err instanceof IOException || err instanceof VertxException) {
            return new UpstreamBrokenException("connection to " + target.describe()
                    + " failed before an answer: " + err.getMessage(), err);
        }
        return err;
    }

    /** A reused pooled connection was closed under the request before any answer: safe to send once more. */
    private static final class StaleConnection extends RuntimeException {
        StaleConnection(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static String outcome(HttpClientResponse resp, Throwable err) {
        if (resp != null) {
            return Integer.toString(resp.statusCode());
        }
        return switch (err) {
            case UpstreamStatusException s -> Integer.toString(s.status());
            case UpstreamUnreachableException u -> "unreachable";
            case UpstreamTimeoutException t -> "timeout";
            case UpstreamBrokenException b -> "broken";
            case UpstreamBadResponseException b -> "bad_response";
            default -> "circuit_open";
        };
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void close() {
        pooled.close();
        fresh.close();
        LOG.debugf("%s client closed", api.label());
    }
}
