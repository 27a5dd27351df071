package io.linguagate.gateway;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mounts the proxy on Vert.x's router: raw routes, so bodies and streams are relayed without the REST layer's
 * (de)serialisation. {@code /q/*} (health, metrics) stays with Quarkus.
 */
@ApplicationScoped
public class GatewayRoutes {

    void mount(@Observes Router router, Admission admission, ChatCompletionsHandler chat,
            CompressHandler compress, PassthroughHandler passthrough) {
        router.post("/v1/chat/completions").handler(admission.guard("chat_completions", chat::handle));
        router.post("/v1/compress").handler(admission.guard("compress", compress::handle));
        router.route("/v1/*").handler(admission.guard("passthrough", passthrough::handle));
    }
}
