package io.linguagate.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One admitted client request, from admission until its response is over: it holds the bulkhead permit and is
 * finished exactly once, whichever way the exchange ends (response ended, client gone, or the gateway cutting the
 * connection itself). Vert.x does not run end handlers for a response the application resets, so every reset goes
 * through {@link #abort(RoutingContext)}, which finishes the exchange too.
 */
public final class ClientExchange {

    private static final String KEY = ClientExchange.class.getName();

    private final RoutingContext ctx;
    /** The event loop the request arrived on: where its response is written. */
    private final Context context = Vertx.currentContext();
    private final long startNanos = System.nanoTime();
    private final Consumer<ClientExchange> onFinish;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean gone;
    private final List<Runnable> onClientGone = new CopyOnWriteArrayList<>();

    private ClientExchange(RoutingContext ctx, Consumer<ClientExchange> onFinish) {
        this.ctx = ctx;
        this.onFinish = onFinish;
    }

    /** Starts the exchange of {@code ctx}; {@code onFinish} runs once when it is over. */
    static ClientExchange begin(RoutingContext ctx, Consumer<ClientExchange> onFinish) {
        ClientExchange exchange = new ClientExchange(ctx, onFinish);
        ctx.put(KEY, exchange);
        ctx.addEndHandler(end -> {
            if (end.failed()) {
                exchange.clientGone();
            }
            exchange.finish();
        });
        return exchange;
    }

    /** Runs {@code action} if the client goes away (or the gateway cuts the exchange) before the response ended. */
    public static void whenClientGone(RoutingContext ctx, Runnable action) {
        ClientExchange exchange = ctx.get(KEY);
        if (exchange != null) {
            exchange.onClientGone.add(action);
            if (exchange.gone && exchange.onClientGone.remove(action)) {
                action.run();
            }
        }
    }

    /**
     * Cuts the client connection (a reset, so the client sees an incomplete answer) and finishes the exchange.
     * Anything already written is flushed before the connection closes.
     */
    public static void abort(RoutingContext ctx) {
        ctx.response().reset();
        ClientExchange exchange = ctx.get(KEY);
        if (exchange != null) {
            exchange.clientGone();
            exchange.finish();
        }
    }

    RoutingContext context() {
        return ctx;
    }

    /**
     * Ends the exchange for a shutdown, on its own event loop: a stream that has started gets a final SSE
     * {@code event: error} (in the route's {@link ErrorDialect}) and is cut, a body that has started is cut, and a
     * request still waiting for its answer gets {@code error} (its upstream call is abandoned).
     */
    void endForShutdown(OpenAiError error, ErrorResponder errors) {
        Runnable end = () -> {
            if (finished.get()) {
                return;
            }
            var out = ctx.response();
            if (!out.headWritten()) {
                clientGone();
                errors.send(ctx, error);
                finish();
                return;
            }
            if (ResponseRelay.isEventStream(out.headers().get("content-type"))) {
                out.write(ErrorDialect.of(ctx).event(error));
            }
            abort(ctx);
        };
        if (context != null) {
            context.runOnContext(v -> end.run());
        } else {
            end.run();
        }
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    private void clientGone() {
        gone = true;
        for (Runnable action : onClientGone) {
            if (onClientGone.remove(action)) {
                action.run();
            }
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            onFinish.accept(this);
        }
    }
}
