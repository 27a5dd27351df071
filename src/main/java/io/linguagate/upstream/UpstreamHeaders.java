package io.linguagate.upstream;

import io.linguagate.config.AnthropicConfig;
import io.linguagate.config.AuthConfig;
import io.linguagate.config.UpstreamConfig;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the headers sent upstream from the client's: end-to-end headers, credentials, configured extras. Everything
 * else the client sent goes along (Anthropic's {@code anthropic-version} and {@code anthropic-beta} among them).
 */
@ApplicationScoped
public class UpstreamHeaders {

    /** Every header a client may carry a key in: the gateway's inbound keys are accepted in each of them. */
    private static final List<String> CREDENTIALS = List.of("authorization", "api-key", "x-api-key");

    private final UpstreamConfig upstream;
    private final AnthropicConfig anthropic;
    private final boolean gatewayChecksKeys;
    private final boolean gatewayTraces;
    private final boolean identityEncoding = LambdaRuntime.active();

    UpstreamHeaders(UpstreamConfig upstream, AnthropicConfig anthropic, AuthConfig auth,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingDisabled) {
        this.upstream = upstream;
        this.anthropic = anthropic;
        this.gatewayChecksKeys = auth.keys().filter(k -> !k.isEmpty()).isPresent();
        this.gatewayTraces = !tracingDisabled;
    }

    /** Headers for the OpenAI-compatible upstream (see {@link #forUpstream(UpstreamApi, MultiMap, boolean)}). */
    public MultiMap forUpstream(MultiMap inbound, boolean bodyReplaced) {
        return forUpstream(UpstreamApi.OPENAI, inbound, bodyReplaced);
    }

    /**
     * @param api          where the request goes: decides which key the gateway puts in, and how
     * @param inbound      the client's request headers
     * @param bodyReplaced whether the gateway sends its own body (then the client's Content-Length no longer holds)
     */
    public MultiMap forUpstream(UpstreamApi api, MultiMap inbound, boolean bodyReplaced) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        HopByHopHeaders.copyEndToEnd(inbound, out);
        if (bodyReplaced) {
            out.remove("content-length");
        }
        if (gatewayTraces) {
            // The gateway's own client span becomes the upstream's parent; OpenTelemetry injects the new context.
            out.remove("traceparent");
            out.remove("tracestate");
            out.remove("baggage");
        }
        if (gatewayChecksKeys) {
            // The client presented a gateway key (in any of these): it is ours to check, never the upstream's to see.
            CREDENTIALS.forEach(out::remove);
        }
        switch (api) {
            case OPENAI, AZURE -> upstream.apiKey().ifPresent(key -> {
                out.remove("authorization");
                out.remove("api-key");
                switch (upstream.authStyle()) {
                    case BEARER -> out.set("authorization", "Bearer " + key);
                    case API_KEY -> out.set("api-key", key);
                }
            });
            case ANTHROPIC -> anthropic.apiKey().ifPresent(key -> {
                // Whatever credential the client sent is replaced: Anthropic reads x-api-key (or an OAuth bearer).
                CREDENTIALS.forEach(out::remove);
                out.set("x-api-key", key);
            });
        }
        if (identityEncoding) {
            // Lambda: the response body must arrive unencoded (see LambdaRuntime); the client still gets valid HTTP.
            out.set("accept-encoding", "identity");
        }
        if (api != UpstreamApi.ANTHROPIC) {
            // linguagate.upstream.headers.* are the OpenAI upstream's (an OpenAI-Organization, a credential for it),
            // and so the Azure resource's it stands for.
            upstream.headers().forEach(out::set);
        }
        return out;
    }
}
