package io.linguagate.upstream;

import io.linguagate.config.AnthropicConfig;
import io.linguagate.config.AzureConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.config.UpstreamConfig;
import io.linguagate.observability.GatewayMetrics;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * One {@link UpstreamClient} per {@link UpstreamApi}: the OpenAI-compatible upstream ({@code linguagate.upstream})
 * and Anthropic's ({@code linguagate.anthropic}). They share the settings of {@code linguagate.upstream.*} (timeouts,
 * pool size, retries, circuit-breaker thresholds) and nothing else: each has its own base URL, connection pool,
 * circuit breaker and metrics, so one API failing never pauses calls to the other.
 */
@ApplicationScoped
public class UpstreamClients {

    private final Map<UpstreamApi, UpstreamClient> clients = new EnumMap<>(UpstreamApi.class);

    UpstreamClients(Vertx vertx, UpstreamConfig upstream, AnthropicConfig anthropic, AzureConfig azure,
            GatewayConfig gateway, GatewayMetrics metrics) {
        clients.put(UpstreamApi.OPENAI, new UpstreamClient(vertx, UpstreamApi.OPENAI, UpstreamTarget.of(upstream),
                upstream, gateway, metrics.upstream(UpstreamApi.OPENAI.metricPrefix())));
        // Only the OpenAI upstream takes linguagate.upstream.query-params (Azure's api-version is no Anthropic's).
        clients.put(UpstreamApi.ANTHROPIC, new UpstreamClient(vertx, UpstreamApi.ANTHROPIC,
                UpstreamTarget.of(UpstreamApi.ANTHROPIC, anthropic.baseUrl(), Map.of()), upstream, gateway,
                metrics.upstream(UpstreamApi.ANTHROPIC.metricPrefix())));
        // Azure clients send their own api-version: no query parameters are added to their paths.
        clients.put(UpstreamApi.AZURE, new UpstreamClient(vertx, UpstreamApi.AZURE,
                UpstreamTarget.of(UpstreamApi.AZURE, azureBaseUrl(azure, upstream), Map.of()), upstream, gateway,
                metrics.upstream(UpstreamApi.AZURE.metricPrefix())));
    }

    /** {@code linguagate.azure.base-url}, else the OpenAI upstream's scheme, host and port. */
    public static String azureBaseUrl(AzureConfig azure, UpstreamConfig upstream) {
        return azure.baseUrl().orElseGet(() -> {
            java.net.URI uri = java.net.URI.create(upstream.baseUrl().trim());
            return uri.getScheme() + "://" + uri.getRawAuthority();
        });
    }

    public UpstreamClient get(UpstreamApi api) {
        return clients.get(api);
    }

    @PreDestroy
    void close() {
        clients.values().forEach(UpstreamClient::close);
    }
}
