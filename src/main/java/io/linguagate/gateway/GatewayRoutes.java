package io.linguagate.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mounts the proxy on Vert.x's router: raw routes, so bodies and streams are relayed without the REST layer's
 * (de)serialisation. {@code /q/*} (health, metrics) stays with Quarkus. Anthropic's routes come before the
 * {@code /v1/*} passthrough and mark their exchanges with Anthropic's {@link ErrorDialect} before admission, so
 * every error the gateway answers there is in Anthropic's shape.
 */
@ApplicationScoped
public class GatewayRoutes {

    void mount(@Observes Router router, Admission admission, CompressibleRequests compressible,
            CompressHandler compress, PassthroughHandler passthrough, AnthropicMessagesHandler messages,
            ErrorResponder errors) {
        router.post("/v1/chat/completions").handler(admission.guard("chat_completions", compressible::chat));
        router.post("/v1/responses").handler(admission.guard("responses", compressible::responses));
        router.post("/v1/completions").handler(admission.guard("completions", compressible::completions));
        router.post("/v1/compress").handler(admission.guard("compress", compress::handle));
        // Azure OpenAI (AzureOpenAI clients): deployment paths compressed like their /v1 twins, the rest passed on.
        router.postWithRegex("/openai/deployments/([^/?]+)/(chat/completions|responses|completions)")
                .handler(admission.guard("azure", ctx -> compressible.azure(ctx, ctx.pathParam("param0"),
                        ctx.pathParam("param1"))));
        router.postWithRegex("/openai/v1/(chat/completions|responses|completions)")
                .handler(admission.guard("azure", ctx -> compressible.azure(ctx, null, ctx.pathParam("param0"))));
        router.route("/openai/*").handler(admission.guard("azure_passthrough", passthrough::azure));

        Handler<RoutingContext> anthropicPassthrough = admission.guard("anthropic_passthrough", passthrough::anthropic);
        router.post("/v1/messages").handler(GatewayRoutes::anthropic)
                .handler(admission.guard("messages", messages::handle));
        // count_tokens, message batches: Anthropic's alone.
        router.route("/v1/messages/*").handler(GatewayRoutes::anthropic).handler(anthropicPassthrough);
        // Both APIs list models: Anthropic clients' requests go to Anthropic, everyone else's on to the passthrough.
        router.route("/v1/models/*").handler(ctx -> {
            if (AnthropicMessagesHandler.fromAnthropicClient(ctx.request())) {
                ErrorDialect.ANTHROPIC.mark(ctx);
                anthropicPassthrough.handle(ctx);
            } else {
                ctx.next();
            }
        });

        router.route("/v1/*").handler(admission.guard("passthrough", passthrough::handle));
        // Anything else is not ours: an OpenAI-shaped 404 rather than an HTML page (Quarkus keeps /q/*).
        router.route().last().handler(ctx -> notServed(ctx, errors));
    }

    private static void anthropic(RoutingContext ctx) {
        ErrorDialect.ANTHROPIC.mark(ctx);
        ctx.next();
    }

    private static void notServed(RoutingContext ctx, ErrorResponder errors) {
        String path = ctx.normalizedPath();
        if (path.equals("/q") || path.startsWith("/q/")) {
            ctx.next();
            return;
        }
        try {
            UpstreamPath.confined(ctx.request()); // a target that only normalises out of /v1 is refused all the same
            errors.send(ctx, new OpenAiError(404, "invalid_request_error", "unknown_url", null,
                    "Invalid URL (" + ctx.request().method() + " " + path + "): the gateway serves /v1/*."));
        } catch (GatewayException e) {
            errors.fail(ctx, e);
        }
    }
}
