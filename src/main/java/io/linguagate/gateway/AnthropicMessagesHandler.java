package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.plan.RequestSettings;
import io.linguagate.plan.RequestShape;
import io.linguagate.plan.RequestShapes;
import io.linguagate.upstream.UpstreamApi;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/messages} (Anthropic's Messages API): reads the body (bounded, like chat completions), checks it is
 * an object with a {@code messages} array, and forwards it to {@code {linguagate.anthropic.base-url}/v1/messages}
 * with the query string; a streamed answer (SSE) is relayed event by event, unbuffered. The route speaks Anthropic's
 * {@link ErrorDialect}. What goes upstream is decided in one place, {@link #bodyToForward}: the client's bytes
 * with only its compressed texts rewritten.
 */
@ApplicationScoped
public class AnthropicMessagesHandler {

    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;
    private final RequestCompression compression;
    private final RequestShape shape;

    AnthropicMessagesHandler(GatewayConfig config, CompressionConfig compressionConfig, UpstreamHeaders headers,
            Forwarder forwarder, ErrorResponder errors, RequestCompression compression) {
        this.compression = compression;
        this.shape = RequestShapes.anthropicMessages(
                compressionConfig.cacheControlBlocks() == CompressionConfig.CacheControlBlocks.COMPRESS);
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
    }

    public void handle(RoutingContext ctx) {
        String path = UpstreamApi.ANTHROPIC.path(Forwarder.pathBelowV1(ctx));
        BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, original -> {
            JsonNode root = JsonBodies.parse(original);
            validate(root);
            bodyToForward(ctx, (ObjectNode) root, original).onComplete(body -> {
                if (body.failed()) {
                    errors.fail(ctx, body.cause());
                    return;
                }
                MultiMap upstreamHeaders = headers.forUpstream(UpstreamApi.ANTHROPIC, ctx.request().headers(), true);
                // The gateway's own controls are not the upstream's business.
                upstreamHeaders.remove(RequestSettings.HEADER_SWITCH).remove(RequestSettings.HEADER_RATE);
                forwarder.forward(ctx, UpstreamApi.ANTHROPIC, new UpstreamRequest(HttpMethod.POST, path,
                        upstreamHeaders, body.result(), null));
            });
        });
    }

    /**
     * The body sent upstream for a validated Messages request: compressed like every other API
     * ({@link RequestCompression} with the Anthropic shape; token counts are estimates, Claude's tokenizer not being
     * public), or {@code original} when nothing changes or compression fails open. A failed future is answered as
     * the client's error in Anthropic's shape (a {@link GatewayException} for invalid gateway controls: 400
     * {@code invalid_request_error}); the {@code x-compression-*} headers go out before the first byte of the answer.
     *
     * @param ctx      the exchange (its response headers are still open)
     * @param root     the parsed body: an object whose {@code messages} is an array
     * @param original the client's bytes, exactly as received
     * @return the bytes to forward
     */
    Future<Buffer> bodyToForward(RoutingContext ctx, ObjectNode root, Buffer original) {
        return compression.apply(ctx, root, original,
                new CompressionSurface(shape, root.path("model").asText(""), true));
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
