package io.linguagate.gateway;

import io.linguagate.config.GatewayConfig;
import io.linguagate.observability.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gate every proxied request passes first: bounded concurrency (a bulkhead over the whole exchange,
 * streaming included), inbound key check, and the per-route request metric once the response is over.
 */
@ApplicationScoped
public class Admission {

    private final int limit;
    private final AtomicInteger inFlight;
    private final InboundAuth auth;
    private final GatewayMetrics metrics;
    private final ErrorResponder errors;

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
            long start = System.nanoTime();
            ctx.addEndHandler(v -> metrics.request(route, ctx.response().getStatusCode(), System.nanoTime() - start));
            if (inFlight.incrementAndGet() > limit) {
                inFlight.decrementAndGet();
                metrics.rejected("overloaded");
                errors.send(ctx, new OpenAiError(503, "api_error", "gateway_overloaded", null,
                        "The gateway is handling too many requests at once. Try again shortly."));
                return;
            }
            ctx.addEndHandler(v -> inFlight.decrementAndGet());
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
}
