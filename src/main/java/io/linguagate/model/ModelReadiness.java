package io.linguagate.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the configured model is loaded and warmed up (or when no model is configured: nothing to wait for). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final ModelService models;

    ModelReadiness(ModelService models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("compression-model");
        if (!models.configured()) {
            return response.up().withData("model", "none (compression off)").build();
        }
        return models.ready()
                .map(m -> response.up().withData("model", m.files().root().toString())
                        .withData("device", m.onCuda() ? "cuda" : "cpu").build())
                .orElseGet(() -> response.down().withData("model", "loading").build());
    }
}
