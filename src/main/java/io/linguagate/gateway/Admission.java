package io.linguagate.gateway;

import io.linguagate.config.GatewayConfig;
import io.linguagate.observability.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate every proxied request passes first: bounded concurrency (a bulkhead over the whole exchange,
 * streaming included), inbound key check, and the per-route request metric once the exchange is over. Each
 * admitted request is a {@link ClientExchange} that gives its permit back exactly once, however it ends. While the
 * gateway shuts down ({@link #drain()}) new requests are refused with 503 and the open ones can be listed.
 */
@ApplicationScoped
public class Admission {

    private final int limit;
    private final AtomicInteger inFlight;
    private final AtomicLong finished = new AtomicLong();
    private final Set<ClientExchange> open = ConcurrentHashMap.newKeySet();
    private final InboundAuth auth;
    private final GatewayMetrics metrics;
    private final ErrorResponder errors;
    private volatile boolean draining;

    Admission(GatewayConfig config, InboundAuth auth, GatewayMetrics metrics, ErrorResponder errors) {
        this.limit = config.maxConcurrentRequests();
        this.inFlight = metrics.inFlight();
        this.auth = auth;
        this.metrics = metrics;
        this.errors = errors;
    }

    /** Wraps a route handler so it runs only for admitted, authenticated requests. */
    public Handler<RoutingContext> guard(String route, Handler<RoutingContext> handler) {
        return ctx -> {
            if (draining) {
                // HTTP/1.1: the client should not send its next request on this connection.
                if (ctx.request().version() != HttpVersion.HTTP_2) {
                    ctx.response().putHeader("connection", "close");
                }
                refuse(ctx, route, "shutting_down", new OpenAiError(503, "api_error", "gateway_shutting_down", null,
                        "The gateway is shutting down. Retry on another instance."));
                return;
            }
            if (inFlight.incrementAndGet() > limit) {
                inFlight.decrementAndGet();
                refuse(ctx, route, "overloaded", new OpenAiError(503, "api_error", "gateway_overloaded", null,
                        "The gateway is handling too many requests at once. Try again shortly."));
                return;
            }
            open.add(ClientExchange.begin(ctx, exchange -> {
                open.remove(exchange);
                inFlight.decrementAndGet();
                finished.incrementAndGet();
                metrics.request(route, exchange.context().response().getStatusCode(), exchange.elapsedNanos());
            }));
            try {
                auth.check(ctx.request());
                handler.handle(ctx);
            } catch (GatewayException e) {
                if (e.error().status() == 401) {
                    metrics.rejected("unauthorized");
                }
                errors.fail(ctx, e);
            } catch (RuntimeException e) {
                errors.fail(ctx, e);
            }
        };
    }

    private void refuse(RoutingContext ctx, String route, String reason, OpenAiError error) {
        long start = System.nanoTime();
        ctx.addEndHandler(v -> metrics.request(route, ctx.response().getStatusCode(), System.nanoTime() - start));
        metrics.rejected(reason);
        errors.send(ctx, error);
    }

    /** Exchanges admitted and not yet over. */
    public int inFlight() {
        return inFlight.get();
    }

    public int limit() {
        return limit;
    }

    /** Exchanges finished since start: a counter that stands still while every permit is held means no progress. */
    public long finished() {
        return finished.get();
    }

    /** Stops admitting requests (shutdown). */
    void drain() {
        draining = true;
    }

    /** The exchanges still open (for the shutdown to end them). */
    Set<ClientExchange> open() {
        return Set.copyOf(open);
    }
}
