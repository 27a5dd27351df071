package io.linguagate.gateway;

import io.linguagate.config.UpstreamConfig;
import io.linguagate.upstream.UpstreamClient;
import io.linguagate.upstream.UpstreamTarget;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

/** Refuses to start on configuration that would be unsafe or cannot work, with a message naming the key to fix. */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void check(@Observes StartupEvent event, UpstreamConfig upstream, InboundAuth auth,
            Instance<UpstreamClient> clients) {
        try {
            UpstreamTarget.of(upstream);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + " (env LINGUAGATE_UPSTREAM_BASE_URL)");
        }
        if (upstream.apiKey().isPresent() && !auth.enabled()) {
            throw new ConfigurationException("linguagate.upstream.api-key is set but linguagate.auth.keys is empty: "
                    + "anyone reaching the gateway could spend that key. Set LINGUAGATE_AUTH_KEYS to the keys your "
                    + "clients will present (comma-separated).");
        }
        UpstreamClient client = clients.get(); // created now, so its pool is ready before the first request
        LOG.infof("Forwarding /v1/* to %s%s (credentials: %s)", client.target().describe(),
                client.target().basePath(), upstream.apiKey().isPresent() ? "gateway key, " + upstream.authStyle()
                        : auth.enabled() ? "none (inbound keys checked)" : "client's own, forwarded");
    }
}
