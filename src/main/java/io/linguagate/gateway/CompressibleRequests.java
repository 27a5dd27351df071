package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.config.AzureConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.plan.RequestSettings;
import io.linguagate.plan.RequestShape;
import io.linguagate.plan.RequestShapes;
import io.linguagate.upstream.UpstreamApi;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The OpenAI APIs whose prompts the gateway compresses: {@code POST /v1/chat/completions}, {@code /v1/responses}
 * and {@code /v1/completions}, and the same on Azure OpenAI's deployment paths. Each reads the body (bounded), checks the fields it will read, compresses it
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
    private final java.util.Map<String, String> azureDeployments;

    CompressibleRequests(GatewayConfig config, AzureConfig azure, UpstreamHeaders headers, Forwarder forwarder,
            ErrorResponder errors, RequestCompression compression) {
        this.azureDeployments = azure.deployments();
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
        this.compression = compression;
    }

    /** {@code POST /v1/chat/completions}. */
    public void chat(RoutingContext ctx) {
        openAi(ctx, Api.CHAT);
    }

    /** {@code POST /v1/responses}. */
    public void responses(RoutingContext ctx) {
        openAi(ctx, Api.RESPONSES);
    }

    /** {@code POST /v1/completions}. */
    public void completions(RoutingContext ctx) {
        openAi(ctx, Api.COMPLETIONS);
    }

    /**
     * Azure OpenAI: {@code POST /openai/deployments/{deployment}/chat/completions} (and {@code /responses},
     * {@code /completions}), or the same below {@code /openai/v1/}; forwarded to the Azure resource with the
     * client's path and query ({@code api-version}). The model for prices and token counts is the deployment's in
     * {@code linguagate.azure.deployments} when the body names no model or names the deployment itself (Azure
     * clients send the deployment as {@code model}), else the body's {@code model}.
     *
     * @param deployment the deployment named in the path ({@code null} for {@code /openai/v1/...})
     * @param api        the API the path ends in
     */
    public void azure(RoutingContext ctx, String deployment, String api) {
        Api which = switch (api) {
            case "responses" -> Api.RESPONSES;
            case "completions" -> Api.COMPLETIONS;
            default -> Api.CHAT;
        };
        String mapped = deployment == null ? null : azureDeployments.get(deployment);
        handle(ctx, which, UpstreamApi.AZURE, UpstreamPath.confined(ctx.request()),
                body -> mapped != null && (body.isEmpty() || body.equals(deployment)) ? mapped : body);
    }

    private void openAi(RoutingContext ctx, Api api) {
        handle(ctx, api, UpstreamApi.OPENAI, Forwarder.pathBelowV1(ctx), body -> body);
    }

    /** The compressible OpenAI APIs: each its request shape and the checks of the fields the gateway reads. */
    private enum Api {
        CHAT(RequestShapes.CHAT) {
            @Override
            void validate(JsonNode root) {
                validateChat(root);
            }
        },
        RESPONSES(RequestShapes.RESPONSES) {
            @Override
            void validate(JsonNode root) {
                requireObject(root);
                requireType(root, "input", "a string or an array", JsonNode::isTextual, JsonNode::isArray);
                requireType(root, "instructions", "a string", JsonNode::isTextual);
            }
        },
        COMPLETIONS(RequestShapes.COMPLETIONS) {
            @Override
            void validate(JsonNode root) {
                requireObject(root);
                requireType(root, "prompt", "a string or an array", JsonNode::isTextual, JsonNode::isArray);
            }
        };

        final RequestShape shape;

        Api(RequestShape shape) {
            this.shape = shape;
        }

        abstract void validate(JsonNode root);
    }

    /**
     * @param path  the upstream path and query
     * @param model the model for prices and token counts, from the body's {@code model} ({@code ""} if none)
     */
    private void handle(RoutingContext ctx, Api api, UpstreamApi upstream, String path,
            java.util.function.UnaryOperator<String> model) {
        forward(ctx, api::validate, upstream, path,
                root -> new CompressionSurface(api.shape, model.apply(root.path("model").asText("")), false));
    }

    /**
     * The steps every compressible API shares (Anthropic's Messages too): read the body (bounded), parse it
     * strictly, check the fields the gateway reads, compress, and forward the result with the client's headers
     * (minus the gateway's own controls) to {@code upstream}.
     *
     * @param validate throws a {@link GatewayException} for a body the API's shape cannot be read from
     * @param surface  the API, as {@link RequestCompression} needs it, for the parsed (valid) body
     */
    void forward(RoutingContext ctx, java.util.function.Consumer<JsonNode> validate, UpstreamApi upstream,
            String path, java.util.function.Function<JsonNode, CompressionSurface> surface) {
        BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, original -> {
            JsonNode root = JsonBodies.parse(original);
            validate.accept(root);
            compression.apply(ctx, (ObjectNode) root, original, surface.apply(root)).onComplete(body -> {
                if (body.failed()) {
                    errors.fail(ctx, body.cause());
                    return;
                }
                MultiMap upstreamHeaders = headers.forUpstream(upstream, ctx.request().headers(), true);
                // The gateway's own controls are not the upstream's business.
                upstreamHeaders.remove(RequestSettings.HEADER_SWITCH).remove(RequestSettings.HEADER_RATE);
                forwarder.forward(ctx, upstream, new UpstreamRequest(HttpMethod.POST, path, upstreamHeaders,
                        body.result(), null));
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
