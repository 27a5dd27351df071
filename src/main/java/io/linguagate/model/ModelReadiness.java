package io.linguagate.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the configured model is loaded and warmed up (until then: down, with the loading stage in its data); with no model configured, or one that failed under
 * {@code linguagate.model.required=false}, the gateway is a plain proxy and ready (the details say why).
 */
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
        if (models.problem().isPresent()) {
            // linguagate.model.required=false: serving as a plain proxy is what the operator asked for.
            return response.up().withData("model", models.name() + " (not loaded, compression off)")
                    .withData("problem", models.problem().get()).build();
        }
        return models.ready()
                .map(m -> response.up().withData("model", models.name())
                        .withData("device", m.onCuda() ? "cuda" : "cpu").build())
                .orElseGet(() -> response.down().withData("model", models.name())
                        .withData("stage", models.stage()).build());
    }
}
