package io.linguagate.gateway;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Declines cleartext HTTP/2 upgrades (h2c): an upgrade request's body is consumed by the upgrade itself, which
 * breaks streamed request bodies, and OpenAI clients speak HTTP/1.1 on plain connections anyway. Clients that
 * ask for an upgrade (Java's HttpClient does) simply continue on HTTP/1.1. HTTP/2 over TLS is unaffected.
 */
@ApplicationScoped
public class HttpServerTuning implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
