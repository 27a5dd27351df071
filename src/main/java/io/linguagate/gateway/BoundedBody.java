package io.linguagate.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/** Reads a request body into memory, refusing it with 413 as soon as it passes the size limit. */
final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * Reads the body of {@code ctx}'s request, then hands it to {@code then}; a read failure or anything
     * {@code then} throws becomes the client's error answer.
     */
    static void readThen(RoutingContext ctx, long maxBytes, ErrorResponder errors, Consumer<Buffer> then) {
        read(ctx.request(), maxBytes).onComplete(read -> {
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

    static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
        long declared = declaredLength(request);
        if (declared > maxBytes) {
            return Future.failedFuture(tooLarge(maxBytes));
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
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

    static GatewayException tooLarge(long maxBytes) {
        return new GatewayException(new OpenAiError(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the gateway's limit of " + maxBytes
                        + " bytes (linguagate.max-body-size)."));
    }
}
