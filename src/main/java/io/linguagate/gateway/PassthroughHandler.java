package io.linguagate.gateway;

import io.linguagate.config.GatewayConfig;
import io.linguagate.upstream.UpstreamApi;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every other {@code /v1/*} call, any method, relayed untouched to the OpenAI-compatible upstream ({@link #handle}) or
 * to Anthropic's ({@link #anthropic}: {@code /v1/messages/*}, Anthropic clients' {@code /v1/models}). Small bodies are held in memory so that a 429/503
 * can be retried; larger ones (file uploads) stream straight through and are retried only when no byte was sent.
 */
@ApplicationScoped
public class PassthroughHandler {

    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final long replayBufferBytes;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;

    PassthroughHandler(GatewayConfig config, UpstreamHeaders headers, Forwarder forwarder, ErrorResponder errors) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.replayBufferBytes = Math.min(config.replayBufferSize().asLongValue(), maxBodyBytes);
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
    }

    /** To the OpenAI-compatible upstream: {@code /v1/X} → {@code {linguagate.upstream.base-url}/X}. */
    public void handle(RoutingContext ctx) {
        relay(ctx, UpstreamApi.OPENAI);
    }

    /** To Anthropic's API: {@code /v1/X} → {@code {linguagate.anthropic.base-url}/v1/X}. */
    public void anthropic(RoutingContext ctx) {
        relay(ctx, UpstreamApi.ANTHROPIC);
    }

    /** To Azure OpenAI: {@code /openai/X} → {@code {linguagate.azure.base-url}/openai/X}, query string kept. */
    public void azure(RoutingContext ctx) {
        relay(ctx, UpstreamApi.AZURE, UpstreamPath.confined(ctx.request()));
    }

    private void relay(RoutingContext ctx, UpstreamApi api) {
        relay(ctx, api, api.path(Forwarder.pathBelowV1(ctx)));
    }

    private void relay(RoutingContext ctx, UpstreamApi api, String path) {
        HttpServerRequest request = ctx.request();
        long declared = BoundedBody.declaredLength(request);
        if (declared > maxBodyBytes) {
            throw BoundedBody.tooLarge(maxBodyBytes);
        }
        boolean chunked = request.getHeader("transfer-encoding") != null;
        if (declared <= 0 && !chunked) {
            forwarder.forward(ctx, api, new UpstreamRequest(request.method(), path,
                    headers.forUpstream(api, request.headers(), false), null, null));
        } else if (declared > 0 && declared <= replayBufferBytes) {
            BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, body -> forwarder.forward(ctx, api,
                    new UpstreamRequest(request.method(), path, headers.forUpstream(api, request.headers(), true),
                            body, null)));
        } else {
            forwarder.forward(ctx, api, new UpstreamRequest(request.method(), path,
                    headers.forUpstream(api, request.headers(), false), null,
                    new SizeLimited(ctx, maxBodyBytes, bodyTimeoutMillis)));
        }
    }

    /**
     * The inbound body as a stream that fails with 413 once it passes the size limit, and with 408 when it has not
     * ended within the body timeout.
     */
    private static final class SizeLimited implements ReadStream<Buffer> {
        private final HttpServerRequest source;
        private final Vertx vertx;
        private final long max;
        private final long timer;
        private long seen;
        private boolean ended;
        private Handler<Throwable> exceptionHandler;
        private Throwable pendingFailure;

        SizeLimited(RoutingContext ctx, long max, long timeoutMillis) {
            this.source = ctx.request();
            this.vertx = ctx.vertx();
            this.max = max;
            source.pause();
            this.timer = vertx.setTimer(Math.max(1, timeoutMillis), id -> {
                if (!ended) {
                    source.pause();
                    source.handler(null);
                    fail(BoundedBody.tooSlow(timeoutMillis));
                }
            });
        }

        /** To the upstream request's handler, or kept for it while the upstream connection is still being made. */
        private void fail(Throwable failure) {
            if (exceptionHandler != null) {
                exceptionHandler.handle(failure);
            } else {
                pendingFailure = failure;
            }
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            source.exceptionHandler(handler);
            if (handler != null && pendingFailure != null) {
                handler.handle(pendingFailure);
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            if (handler == null) {
                source.handler(null);
                return this;
            }
            source.handler(chunk -> {
                seen += chunk.length();
                if (seen > max) {
                    vertx.cancelTimer(timer);
                    source.pause();
                    source.handler(null);
                    fail(BoundedBody.tooLarge(max));
                    return;
                }
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            source.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            source.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            source.endHandler(v -> {
                ended = true;
                vertx.cancelTimer(timer);
                if (endHandler != null) {
                    endHandler.handle(v);
                }
            });
            return this;
        }
    }
}
