package io.linguagate.gateway;

import io.linguagate.config.AnthropicConfig;
import io.linguagate.config.AzureConfig;
import io.linguagate.config.CompressEndpointConfig;
import io.linguagate.config.CompressionConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.config.ModelConfig;
import io.linguagate.config.UpstreamConfig;
import io.linguagate.upstream.UpstreamApi;
import io.linguagate.upstream.UpstreamClient;
import io.linguagate.upstream.UpstreamClients;
import io.linguagate.upstream.UpstreamTarget;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Refuses to start on configuration that would be unsafe or cannot work, with a message naming the key to fix. */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void check(@Observes StartupEvent event, UpstreamConfig upstream, AnthropicConfig anthropic, AzureConfig azure,
            InboundAuth auth, GatewayConfig gateway, CompressionConfig compression, CompressEndpointConfig compress,
            ModelConfig model, Instance<UpstreamClients> clients) {
        List<String> problems = new ArrayList<>(SettingsValidator.problems(gateway, upstream, compression, compress,
                model));
        try {
            UpstreamTarget.of(upstream);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (env LINGUAGATE_UPSTREAM_BASE_URL)");
        }
        try {
            UpstreamTarget.of(UpstreamApi.ANTHROPIC, anthropic.baseUrl(), Map.of());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (env LINGUAGATE_ANTHROPIC_BASE_URL)");
        }
        try {
            UpstreamTarget.of(UpstreamApi.AZURE, UpstreamClients.azureBaseUrl(azure, upstream), Map.of());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (env LINGUAGATE_AZURE_BASE_URL)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
        List<String> credentialHeaders = SettingsValidator.credentialHeaders(upstream);
        boolean lendsKey = upstream.apiKey().isPresent() || !credentialHeaders.isEmpty();
        // Every key the gateway holds for an upstream is one anonymous callers could spend without inbound keys.
        List<String> lent = new ArrayList<>();
        if (lendsKey) {
            lent.add(upstream.apiKey().isPresent() ? "linguagate.upstream.api-key is set"
                    : "linguagate.upstream.headers." + credentialHeaders.get(0) + " sends a credential");
        }
        if (anthropic.apiKey().isPresent()) {
            lent.add("linguagate.anthropic.api-key is set");
        }
        if (!lent.isEmpty() && !auth.enabled()) {
            throw new ConfigurationException(String.join(" and ", lent) + " but linguagate.auth.keys is empty: "
                    + "anyone reaching the gateway could spend " + (lent.size() > 1 ? "those keys" : "that key")
                    + ". Set LINGUAGATE_AUTH_KEYS to the keys your clients will present (comma-separated).");
        }
        UpstreamClients all = clients.get(); // created now, so the pools are ready before the first request
        UpstreamClient client = all.get(UpstreamApi.OPENAI);
        LOG.infof("Forwarding /v1/* to %s%s (credentials: %s)", client.target().describe(),
                client.target().basePath(), upstream.apiKey().isPresent() ? "gateway key, " + upstream.authStyle()
                        : lendsKey ? "gateway key, header " + credentialHeaders.get(0)
                        : auth.enabled() ? "none (inbound keys checked)" : "client's own, forwarded");
        UpstreamClient claude = all.get(UpstreamApi.ANTHROPIC);
        LOG.infof("Forwarding /v1/messages and Anthropic clients' /v1/models to %s%s/v1 (credentials: %s)",
                claude.target().describe(), claude.target().basePath(), anthropic.apiKey().isPresent()
                        ? "gateway key, x-api-key"
                        : auth.enabled() ? "none (inbound keys checked)" : "client's own, forwarded");
        LOG.infof("Forwarding /openai/* (Azure OpenAI deployment paths) to %s", all.get(UpstreamApi.AZURE).target()
                .describe());
    }
}
