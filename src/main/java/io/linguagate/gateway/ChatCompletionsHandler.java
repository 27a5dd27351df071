package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.config.GatewayConfig;
import io.linguagate.plan.RequestSettings;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/chat/completions}: reads the body (bounded), checks it is a chat request, compresses it
 * ({@link ChatCompression}), forwards it. The body is read as a JSON tree so nothing the client sent is lost; when
 * the gateway has nothing to change, the client's original bytes go upstream untouched.
 */
@ApplicationScoped
public class ChatCompletionsHandler {

    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;
    private final ChatCompression compression;

    ChatCompletionsHandler(GatewayConfig config, UpstreamHeaders headers, Forwarder forwarder,
            ErrorResponder errors, ChatCompression compression) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
        this.compression = compression;
    }

    public void handle(RoutingContext ctx) {
        String path = Forwarder.pathBelowV1(ctx);
        BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, original -> {
            JsonNode root = JsonBodies.parse(original);
            validate(root);
            compression.apply(ctx, (ObjectNode) root, original).onComplete(body -> {
                if (body.failed()) {
                    errors.fail(ctx, body.cause());
                    return;
                }
                MultiMap upstreamHeaders = headers.forUpstream(ctx.request().headers(), true);
                // The gateway's own controls are not the upstream's business.
                upstreamHeaders.remove(RequestSettings.HEADER_SWITCH).remove(RequestSettings.HEADER_RATE);
                forwarder.forward(ctx, new UpstreamRequest(HttpMethod.POST, path,
                        upstreamHeaders, body.result(), null));
            });
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
