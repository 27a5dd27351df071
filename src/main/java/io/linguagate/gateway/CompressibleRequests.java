package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.config.GatewayConfig;
import io.linguagate.plan.RequestSettings;
import io.linguagate.plan.RequestShape;
import io.linguagate.plan.RequestShapes;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The OpenAI APIs whose prompts the gateway compresses: {@code POST /v1/chat/completions}, {@code /v1/responses}
 * and {@code /v1/completions}. Each reads the body (bounded), checks the fields it will read, compresses it
 * ({@link RequestCompression}, with the API's {@link RequestShape}) and forwards it. The body is read as a JSON tree
 * so nothing the client sent is lost; only compressed strings change in the forwarded bytes.
 */
@ApplicationScoped
public class CompressibleRequests {

    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;
    private final RequestCompression compression;

    CompressibleRequests(GatewayConfig config, UpstreamHeaders headers, Forwarder forwarder, ErrorResponder errors,
            RequestCompression compression) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
        this.compression = compression;
    }

    /** {@code POST /v1/chat/completions}. */
    public void chat(RoutingContext ctx) {
        handle(ctx, RequestShapes.CHAT, CompressibleRequests::validateChat);
    }

    /** {@code POST /v1/responses}. */
    public void responses(RoutingContext ctx) {
        handle(ctx, RequestShapes.RESPONSES, root -> {
            requireObject(root);
            requireType(root, "input", "a string or an array", JsonNode::isTextual, JsonNode::isArray);
            requireType(root, "instructions", "a string", JsonNode::isTextual);
        });
    }

    /** {@code POST /v1/completions}. */
    public void completions(RoutingContext ctx) {
        handle(ctx, RequestShapes.COMPLETIONS, root -> {
            requireObject(root);
            requireType(root, "prompt", "a string or an array", JsonNode::isTextual, JsonNode::isArray);
        });
    }

    private void handle(RoutingContext ctx, RequestShape shape, java.util.function.Consumer<JsonNode> validate) {
        String path = Forwarder.pathBelowV1(ctx);
        BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, original -> {
            JsonNode root = JsonBodies.parse(original);
            validate.accept(root);
            CompressionSurface surface = new CompressionSurface(shape, root.path("model").asText(""), false);
            compression.apply(ctx, (ObjectNode) root, original, surface).onComplete(body -> {
                if (body.failed()) {
                    errors.fail(ctx, body.cause());
                    return;
                }
                MultiMap upstreamHeaders = headers.forUpstream(ctx.request().headers(), true);
                // The gateway's own controls are not the upstream's business.
                upstreamHeaders.remove(RequestSettings.HEADER_SWITCH).remove(RequestSettings.HEADER_RATE);
                forwarder.forward(ctx, new UpstreamRequest(HttpMethod.POST, path, upstreamHeaders, body.result(),
                        null));
            });
        });
    }

    static void validateChat(JsonNode root) {
        requireObject(root);
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isMissingNode()) {
            throw new GatewayException(OpenAiError.invalidRequest("missing_required_parameter", "messages",
                    "Missing required parameter: 'messages'."));
        }
        requireType(root, "messages", "an array", JsonNode::isArray);
    }

    private static void requireObject(JsonNode root) {
        if (!root.isObject()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", null,
                    "The request body must be a JSON object, got " + JsonBodies.describe(root) + "."));
        }
    }

    /** A field the gateway reads, when present and not null, must have one of the accepted types. */
    @SafeVarargs
    private static void requireType(JsonNode root, String field, String expected,
            java.util.function.Predicate<JsonNode>... accepted) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        for (var ok : accepted) {
            if (ok.test(value)) {
                return;
            }
        }
        throw new GatewayException(OpenAiError.invalidRequest("invalid_type", field, "Invalid type for '" + field
                + "': expected " + expected + ", but got " + JsonBodies.describe(value) + " instead."));
    }
}
