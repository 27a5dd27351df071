package io.linguagate.upstream;

import io.linguagate.config.UpstreamConfig;
import io.linguagate.observability.GatewayMetrics;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends requests to the upstream and hands back the response once its headers arrived, with the body paused so the
 * caller can relay it. Uses Vert.x's HTTP client (the engine under Quarkus REST Client) directly because a proxy must
 * relay raw bytes, arbitrary paths and streams without (de)serialising them. Retries and the circuit breaker are
 * SmallRye Fault Tolerance guards around the part of the call that is safe to repeat: everything before the first
 * response byte is given to the client.
 */
@ApplicationScoped
public class UpstreamClient {

    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);
    /** Error bodies are held in memory to be retried or relayed; anything larger is relayed as a stream instead. */
    private static final long MAX_HELD_ERROR_BODY = 1024 * 1024;

    private final HttpClient http;
    private final UpstreamTarget target;
    private final UpstreamConfig config;
    private final GatewayMetrics metrics;
    private final TypedGuard<Uni<UpstreamResponse>> guard;

    UpstreamClient(Vertx vertx, UpstreamConfig config, GatewayMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.target = UpstreamTarget.of(config);
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setDefaultHost(target.host())
                .setDefaultPort(target.port())
                .setSsl(target.tls())
                .setVerifyHost(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.maxConnections())
                .setKeepAlive(true)
                // Below common server keep-alive timeouts (OpenAI ~60 s+), so we rarely write on a closed socket.
                .setKeepAliveTimeout(30)
                .setDecompressionSupported(false)
                .setTryUseCompression(false));
        this.guard = UpstreamGuard.build(config, metrics);
    }

    public UpstreamTarget target() {
        return target;
    }

    /** Sends the request (with retries and circuit breaker); the response comes back paused. */
    public Uni<UpstreamResponse> send(UpstreamRequest request) {
        return guard.get(() -> attempt(request));
    }

    private Uni<UpstreamResponse> attempt(UpstreamRequest request) {
        long start = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setURI(target.uri(request.pathAndQuery()))
                .setHeaders(request.headers())
                // Until response headers; streams and bodies get their own idle timeout when relayed.
                .setIdleTimeout(config.timeout().toMillis());
        Future<UpstreamResponse> response = http.request(options)
                .recover(err -> Future.failedFuture(unreachable(err)))
                .compose(req -> send(req, request))
                .compose(resp -> classify(resp, request.replayable()));
        return Uni.createFrom().completionStage(response.toCompletionStage())
                .onItemOrFailure().invoke((resp, err) -> metrics.upstreamAttempt(
                        outcome(resp == null ? null : resp.http(), err), System.nanoTime() - start));
    }

    private Future<HttpClientResponse> send(HttpClientRequest req, UpstreamRequest request) {
        Future<HttpClientResponse> sent;
        if (request.body() != null) {
            sent = req.send(request.body());
        } else if (request.bodyStream() != null) {
            sent = stream(req, request.bodyStream());
        } else {
            sent = req.send();
        }
        return sent.recover(err -> Future.failedFuture(afterSend(err)));
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

    /** 429/5xx answers become exceptions (carrying the whole answer) so the guard can retry or count them. */
    private Future<UpstreamResponse> classify(HttpClientResponse resp, boolean replayable) {
        int status = resp.statusCode();
        if (status != 429 && status < 500) {
            return Future.succeededFuture(new UpstreamResponse(resp));
        }
        String length = resp.getHeader("content-length");
        if (length != null && parseLong(length) > MAX_HELD_ERROR_BODY) {
            return Future.succeededFuture(new UpstreamResponse(resp));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(resp.headers());
        return resp.body()
                .recover(err -> Future.failedFuture(afterSend(err)))
                .compose(body -> Future.failedFuture(
                        new UpstreamStatusException(status, resp.statusMessage(), headers, body, replayable)));
    }

    private UpstreamException unreachable(Throwable err) {
        String why = err instanceof UnknownHostException || err instanceof UnresolvedAddressException
                ? "unknown host" : err.getMessage();
        return new UpstreamUnreachableException("cannot connect to " + target.describe() + ": " + why, err);
    }

    /** Classifies network failures; anything else (e.g. the client's body being refused) passes unchanged. */
    private Throwable afterSend(Throwable err) {
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

    private static String outcome(HttpClientResponse resp, Throwable err) {
        if (resp != null) {
            return Integer.toString(resp.statusCode());
        }
        return switch (err) {
            case UpstreamStatusException s -> Integer.toString(s.status());
            case UpstreamUnreachableException u -> "unreachable";
            case UpstreamTimeoutException t -> "timeout";
            case UpstreamBrokenException b -> "broken";
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

    @PreDestroy
    void close() {
        http.close();
        LOG.debug("upstream client closed");
    }
}
