package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.plan.RequestShape;
import io.linguagate.plan.RequestShapes;
import io.linguagate.upstream.UpstreamApi;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/messages} (Anthropic's Messages API): reads the body (bounded, like chat completions), checks it is
 * an object with a {@code messages} array, and forwards it to {@code {linguagate.anthropic.base-url}/v1/messages}
 * with the query string; a streamed answer (SSE) is relayed event by event, unbuffered. The route speaks Anthropic's
 * {@link ErrorDialect}. What goes upstream is the client's bytes with only its compressed texts rewritten.
 */
@ApplicationScoped
public class AnthropicMessagesHandler {

    private final CompressibleRequests compressible;
    private final RequestShape shape;

    AnthropicMessagesHandler(CompressionConfig compressionConfig, CompressibleRequests compressible) {
        this.compressible = compressible;
        this.shape = RequestShapes.anthropicMessages(
                compressionConfig.cacheControlBlocks() == CompressionConfig.CacheControlBlocks.COMPRESS);
    }

    /**
     * Read, checked, compressed and forwarded as every compressible API is ({@link CompressibleRequests#forward}),
     * with the Anthropic shape; token counts are estimates, Claude's tokenizer not being public. Errors go out in
     * Anthropic's shape (the route's {@link ErrorDialect}); the {@code x-compression-*} headers before the first byte.
     */
    public void handle(RoutingContext ctx) {
        compressible.forward(ctx, AnthropicMessagesHandler::validate, UpstreamApi.ANTHROPIC,
                UpstreamApi.ANTHROPIC.path(Forwarder.pathBelowV1(ctx)),
                root -> new CompressionSurface(shape, root.path("model").asText(""), true));
    }

    static void validate(JsonNode root) {
        if (!root.isObject()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", null,
                    "The request body must be a JSON object, got " + JsonBodies.describe(root) + "."));
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isMissingNode()) {
            throw new GatewayException(OpenAiError.invalidRequest("missing_required_parameter", "messages",
                    "messages: Field required"));
        }
        if (!messages.isArray()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", "messages",
                    "messages: expected an array, got " + JsonBodies.describe(messages) + "."));
        }
    }

    /**
     * Whether a request to a path both APIs have ({@code /v1/models}) comes from an Anthropic client: it carries
     * {@code anthropic-version} (every Anthropic SDK sends it), or an {@code x-api-key} and no {@code Authorization}.
     */
    static boolean fromAnthropicClient(HttpServerRequest request) {
        return request.getHeader("anthropic-version") != null
                || request.getHeader("x-api-key") != null && request.getHeader("authorization") == null;
    }
}
