package io.linguagate.gateway;

import io.linguagate.lingua.CompressionCancelledException;
import io.linguagate.model.InferenceException;
import io.linguagate.upstream.HopByHopHeaders;
import io.linguagate.upstream.LambdaRuntime;
import io.linguagate.upstream.SecretScrubber;
import io.linguagate.upstream.UpstreamBadResponseException;
import io.linguagate.upstream.UpstreamBrokenException;
import io.linguagate.upstream.UpstreamException;
import io.linguagate.upstream.UpstreamStatusException;
import io.linguagate.upstream.UpstreamTimeoutException;
import io.linguagate.upstream.UpstreamUnreachableException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Turns every failure of a request into an answer in the route's {@link ErrorDialect} (OpenAI's shape, or
 * Anthropic's on Anthropic routes) plus one log line an operator can act on.
 */
@ApplicationScoped
public class ErrorResponder {

    private static final Logger LOG = Logger.getLogger(ErrorResponder.class);

    private final SecretScrubber secrets;

    ErrorResponder(SecretScrubber secrets) {
        this.secrets = secrets;
    }

    /** Answers {@code ctx} for {@code failure}, unless the response has already started (then it is cut). */
    public void fail(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // Too late for a status: ending cleanly would tell the client the body was complete.
            LOG.warnf("%s %s: failed after the response started (%s); connection closed",
                    ctx.request().method(), ctx.request().path(), failure.getMessage());
            ClientExchange.abort(ctx);
            return;
        }
        if (failure instanceof UpstreamStatusException status) {
            relay(response, status);
            return;
        }
        send(ctx, toError(ctx, failure));
    }

    public void send(RoutingContext ctx, OpenAiError error) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(error.status())
                .putHeader("content-type", "application/json");
        if (error.status() == 503 || error.status() == 429) {
            response.putHeader("retry-after", "1");
        }
        if ((error.status() == 413 || error.status() == 408) && ctx.request().version() != HttpVersion.HTTP_2 && !LambdaRuntime.active()) {
            // The client may still be sending the rest of the body; do not keep reading it. (Under Lambda the body
            // came whole in the event and there is no connection to close.)
            response.putHeader("connection", "close");
        }
        response.end(ErrorDialect.of(ctx).json(error));
    }

    /** Retries are over: the client gets the upstream's own answer, as the upstream sent it (minus our key). */
    private void relay(HttpServerResponse response, UpstreamStatusException answer) {
        response.setStatusCode(answer.status());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        HopByHopHeaders.copyEndToEnd(answer.headers(), response.headers());
        secrets.scrub(response.headers());
        response.headers().remove("content-length");
        response.end(secrets.scrub(answer.body()));
    }

    private OpenAiError toError(RoutingContext ctx, Throwable failure) {
        String where = ctx.request().method() + " " + ctx.request().path();
        String baseUrlKey = Forwarder.apiOf(ctx).baseUrlKey();
        return switch (failure) {
            case GatewayException g -> {
                LOG.debugf("%s: %d %s", where, g.error().status(), g.error().code());
                yield g.error();
            }
            case UpstreamUnreachableException u -> {
                LOG.warnf("%s: answered 502, upstream unreachable: %s. Check %s and the network path to it.", where,
                        u.getMessage(), baseUrlKey);
                yield new OpenAiError(502, "api_error", "upstream_unreachable", null,
                        "The gateway could not reach the upstream API. Try again later.");
            }
            case UpstreamTimeoutException t -> {
                LOG.warnf("%s: answered 504: %s", where, t.getMessage());
                yield new OpenAiError(504, "api_error", "upstream_timeout", null,
                        "The upstream API did not answer in time.");
            }
            case UpstreamBadResponseException b -> {
                LOG.warnf("%s: answered 502: %s. The upstream (%s) is not speaking HTTP as expected: check that "
                        + "the URL points at an HTTP API, not another service.", where, b.getMessage(), baseUrlKey);
                yield new OpenAiError(502, "api_error", "upstream_bad_response", null,
                        "The upstream API sent an answer that is not valid HTTP.");
            }
            case UpstreamBrokenException b -> {
                LOG.warnf("%s: answered 502: %s", where, b.getMessage());
                yield new OpenAiError(502, "api_error", "upstream_connection_error", null,
                        "The connection to the upstream API failed before it answered.");
            }
            case CircuitBreakerOpenException c -> circuitOpen(where);
            case CompressionCancelledException c -> {
                // Only ever for a client that left: nobody reads this answer.
                LOG.debugf("%s: compression stopped, the client left", where);
                yield new OpenAiError(503, "api_error", "compression_cancelled", null, "The request was abandoned.");
            }
            case InferenceException i -> {
                LOG.errorf("%s: answered 500, compression model failed: %s", where, i.getMessage());
                yield new OpenAiError(500, "server_error", "compression_failed", null,
                        "The compression model failed on this input.");
            }
            case UpstreamException other -> {
                LOG.warnf("%s: answered 502: %s", where, other.getMessage());
                yield new OpenAiError(502, "api_error", "upstream_error", null, "The upstream API call failed.");
            }
            default -> {
                // A bug, not an expected condition: the stack trace goes to the log, never to the client. Its
                // message stays out of the log too: it may quote the request (a prompt, a key).
                LOG.errorf(withoutMessage(failure), "%s: unexpected failure, answered 500", where);
                yield new OpenAiError(500, "server_error", "internal_error", null,
                        "The gateway failed to process the request.");
            }
        };
    }

    /** The failure's class and stack, without its message (which may quote request content). */
    private static Throwable withoutMessage(Throwable failure) {
        Throwable bare = new Throwable(failure.getClass().getName());
        bare.setStackTrace(failure.getStackTrace());
        return bare;
    }

    private static OpenAiError circuitOpen(String where) {
        LOG.debugf("%s: answered 503, upstream circuit breaker open", where);
        return new OpenAiError(503, "api_error", "upstream_unavailable", null,
                "The upstream API is failing repeatedly; the gateway is pausing calls to it. Try again shortly.");
    }
}
