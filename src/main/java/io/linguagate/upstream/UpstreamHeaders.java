package io.linguagate.upstream;

import io.linguagate.config.AuthConfig;
import io.linguagate.config.UpstreamConfig;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the headers sent upstream from the client's: end-to-end headers, credentials, configured extras. */
@ApplicationScoped
public class UpstreamHeaders {

    private final UpstreamConfig upstream;
    private final boolean gatewayChecksKeys;
    private final boolean gatewayTraces;
    private final boolean identityEncoding = LambdaRuntime.active();

    UpstreamHeaders(UpstreamConfig upstream, AuthConfig auth,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingDisabled) {
        this.upstream = upstream;
        this.gatewayChecksKeys = auth.keys().filter(k -> !k.isEmpty()).isPresent();
        this.gatewayTraces = !tracingDisabled;
    }

    /**
     * @param inbound      the client's request headers
     * @param bodyReplaced whether the gateway sends its own body (then the client's Content-Length no longer holds)
     */
    public MultiMap forUpstream(MultiMap inbound, boolean bodyReplaced) {
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
            // The client presented a gateway key: it is ours to check, never the upstream's to see.
            out.remove("authorization");
            out.remove("api-key");
        }
        upstream.apiKey().ifPresent(key -> {
            out.remove("authorization");
            out.remove("api-key");
            switch (upstream.authStyle()) {
                case BEARER -> out.set("authorization", "Bearer " + key);
                case API_KEY -> out.set("api-key", key);
            }
        });
        if (identityEncoding) {
            // Lambda: the response body must arrive unencoded (see LambdaRuntime); the client still gets valid HTTP.
            out.set("accept-encoding", "identity");
        }
        upstream.headers().forEach(out::set);
        return out;
    }
}
