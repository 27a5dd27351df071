package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.GatewayConfig;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/chat/completions}: reads the body (bounded), checks it is a chat request, forwards it.
 * The body is read as a JSON tree so nothing the client sent is lost; when the gateway has nothing to change,
 * the client's original bytes go upstream untouched.
 */
@ApplicationScoped
public class ChatCompletionsHandler {

    private final long maxBodyBytes;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;

    ChatCompletionsHandler(GatewayConfig config, UpstreamHeaders headers, Forwarder forwarder,
            ErrorResponder errors) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
    }

    public void handle(RoutingContext ctx) {
        BoundedBody.read(ctx.request(), maxBodyBytes).onComplete(read -> {
            if (read.failed()) {
                errors.fail(ctx, read.cause());
                return;
            }
            try {
                Buffer body = read.result();
                validate(JsonBodies.parse(body));
                forwarder.forward(ctx, new UpstreamRequest(HttpMethod.POST, Forwarder.pathBelowV1(ctx),
                        headers.forUpstream(ctx.request().headers(), true), body, null));
            } catch (RuntimeException e) {
                errors.fail(ctx, e);
            }
        });
    }

    static void validate(JsonNode root) {
        if (!root.isObject()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", null,
                    "The request body must be a JSON object, got " + JsonBodies.describe(root) + "."));
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isMissingNode()) {
            throw new GatewayException(OpenAiError.invalidRequest("missing_required_parameter", "messages",
                    "Missing required parameter: 'messages'."));
        }
        if (!messages.isArray()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", "messages",
                    "Invalid type for 'messages': expected an array, but got " + JsonBodies.describe(messages) + " instead."));
        }
    }
}
