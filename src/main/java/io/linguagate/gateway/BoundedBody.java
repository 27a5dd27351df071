package io.linguagate.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Reads a request body into memory, refusing it with 413 as soon as it passes the size limit and with 408 when it
 * has not arrived whole within the body timeout. The buffer grows with the bytes that arrive: a declared
 * Content-Length is a claim, not an allocation.
 */
final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * Reads the body of {@code ctx}'s request, then hands it to {@code then}; a read failure or anything
     * {@code then} throws becomes the client's error answer.
     */
    static void readThen(RoutingContext ctx, long maxBytes, long timeoutMillis, ErrorResponder errors,
            Consumer<Buffer> then) {
        read(ctx, maxBytes, timeoutMillis).onComplete(read -> {
            if (read.failed()) {
                errors.fail(ctx, read.cause());
                return;
            }
            try {
                then.accept(read.result());
            } catch (RuntimeException e) {
                errors.fail(ctx, e);
            }
        });
    }

    static Future<Buffer> read(RoutingContext ctx, long maxBytes, long timeoutMillis) {
        HttpServerRequest request = ctx.request();
        long declared = declaredLength(request);
        if (declared > maxBytes) {
            return Future.failedFuture(tooLarge(maxBytes));
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        long timer = ctx.vertx().setTimer(Math.max(1, timeoutMillis), id -> {
            request.pause();
            promise.tryFail(tooSlow(timeoutMillis));
        });
        promise.future().onComplete(done -> ctx.vertx().cancelTimer(timer));
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > maxBytes) {
                request.pause();
                promise.tryFail(tooLarge(maxBytes));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
    }

    /** The Content-Length the client declared, or -1 (chunked or absent). */
    static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader("content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static GatewayException tooSlow(long timeoutMillis) {
        return new GatewayException(new OpenAiError(408, "invalid_request_error", "request_timeout", null,
                "The request body did not arrive within " + timeoutMillis / 1000.0 + " s "
                        + "(linguagate.client-body-timeout)."));
    }

    static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(new OpenAiError(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the gateway's limit of " + maxBytes
                        + " bytes (linguagate.max-body-size)."));
    }
}
